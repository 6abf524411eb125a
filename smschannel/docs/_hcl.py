"""A minimal reader of Terraform's native syntax, as far as the examples need: blocks, attributes,
literals, lists, maps and references; and the same values as Terraform's JSON syntax writes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from smschannel.docs._errors import DocsError


@dataclass(frozen=True)
class Reference:
    """A traversal such as `smschannel_twilio_credentials.main.id`."""

    parts: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Expression:
    """Any other expression (a function call, an operator, a for expression), kept as its source text."""

    text: str


HclValue: TypeAlias = (
    "str | int | float | bool | Reference | Expression | list[HclValue] | dict[str, HclValue] | None"
)


@dataclass
class HclBody:
    attributes: dict[str, HclValue] = field(default_factory=dict)
    blocks: list[HclBlock] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """Attribute names and block types in the order they first appear."""

    def note(self, name: str) -> None:
        if name not in self.order:
            self.order.append(name)


@dataclass
class HclBlock:
    type: str
    labels: tuple[str, ...]
    body: HclBody
    line: int


@dataclass(frozen=True)
class _Token:
    kind: str  # ident, string, number, newline, punct, eof
    text: str
    value: Any
    start: int
    end: int
    line: int


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_PUNCT = ("==", "!=", "<=", ">=", "&&", "||", "=>", "...", *"{}[]().,=:?!<>+-*/%")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)\r?\n")


class _Lexer:
    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.pos = 0
        self.line = 1

    def error(self, message: str, line: int | None = None) -> DocsError:
        return DocsError(f"{self.filename}:{line or self.line}: {message}")

    def tokens(self) -> list[_Token]:
        out: list[_Token] = []
        text = self.text
        while self.pos < len(text):
            char, start, line = text[self.pos], self.pos, self.line
            if char in " \t\r":
                self.pos += 1
            elif char == "\n":
                self.pos += 1
                self.line += 1
                out.append(_Token("newline", "\n", None, start, self.pos, line))
            elif char == "#" or text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos)
                if end < 0:
                    raise self.error("unterminated /* comment")
                self.line += text.count("\n", self.pos, end)
                self.pos = end + 2
            elif char == '"':
                out.append(self._string())
            elif heredoc := _HEREDOC.match(text, self.pos):
                out.append(self._heredoc(heredoc))
            elif number := _NUMBER.match(text, self.pos):
                self.pos = number.end()
                value: Any = float(number.group()) if any(c in number.group() for c in ".eE") else int(number.group())
                out.append(_Token("number", number.group(), value, start, self.pos, line))
            elif ident := _IDENT.match(text, self.pos):
                self.pos = ident.end()
                out.append(_Token("ident", ident.group(), ident.group(), start, self.pos, line))
            else:
                punct = next((p for p in _PUNCT if text.startswith(p, self.pos)), None)
                if punct is None:
                    raise self.error(f"unexpected character {char!r}")
                self.pos += len(punct)
                out.append(_Token("punct", punct, punct, start, self.pos, line))
        out.append(_Token("eof", "", None, self.pos, self.pos, self.line))
        return out

    def _string(self) -> _Token:
        """A quoted string. Backslash escapes are decoded; `${...}` templates and `$${` stay as written,
        which is also how Terraform's JSON syntax (and so CDKTF) reads them."""
        text, start, line = self.text, self.pos, self.line
        self.pos += 1
        chars: list[str] = []
        depth = 0
        while True:
            if self.pos >= len(text) or (text[self.pos] == "\n" and depth == 0):
                raise self.error("unterminated string", line)
            char = text[self.pos]
            if char == "\\" and depth == 0:
                escape = text[self.pos + 1: self.pos + 2]
                if escape in _ESCAPES:
                    chars.append(_ESCAPES[escape])
                    self.pos += 2
                    continue
                width = {"u": 4, "U": 8}.get(escape)
                if width is None:
                    raise self.error(f"unknown escape \\{escape} in a string")
                chars.append(chr(int(text[self.pos + 2: self.pos + 2 + width], 16)))
                self.pos += 2 + width
                continue
            if depth == 0 and char == '"':
                self.pos += 1
                break
            if text.startswith(("$${", "%%{"), self.pos) and depth == 0:
                chars.append(text[self.pos: self.pos + 3])
                self.pos += 3
                continue
            if text.startswith(("${", "%{"), self.pos):
                depth += 1
                chars.append(text[self.pos: self.pos + 2])
                self.pos += 2
                continue
            if char == "}" and depth > 0:
                depth -= 1
            if char == "\n":
                self.line += 1
            chars.append(char)
            self.pos += 1
        return _Token("string", text[start: self.pos], "".join(chars), start, self.pos, line)

    def _heredoc(self, match: re.Match[str]) -> _Token:
        strip, marker = match.group(1) == "-", match.group(2)
        start, line = self.pos, self.line
        self.pos = match.end()
        self.line += 1
        lines: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise self.error(f"heredoc <<{marker} is not closed", line)
            end = self.text.find("\n", self.pos)
            end = len(self.text) if end < 0 else end
            current = self.text[self.pos: end]
            self.pos = end
            if current.strip() == marker:
                break
            lines.append(current)
            self.pos += 1
            self.line += 1
        if strip:
            indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
            cut = min(indents, default=0)
            lines = [x[cut:] for x in lines]
        value = "".join(x + "\n" for x in lines)
        return _Token("string", self.text[start: self.pos], value, start, self.pos, line)


class _NotSimple(Exception):
    """The expression is more than a literal, a collection or a traversal: keep its source text."""


class _Parser:
    _CLOSERS = frozenset({")", "]", "}", ","})

    def __init__(self, text: str, filename: str) -> None:
        self.lexer = _Lexer(text, filename)
        self.text = text
        self.tokens = self.lexer.tokens()
        self.i = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        return self.token.kind == kind and (text is None or self.token.text == text)

    def skip_newlines(self) -> None:
        while self.at("newline"):
            self.i += 1

    def expect(self, kind: str, text: str | None = None) -> _Token:
        if not self.at(kind, text):
            wanted = text or kind
            shown = self.token.text.strip() or self.token.kind
            raise self.lexer.error(f"expected {wanted}, found {shown!r}", self.token.line)
        return self.take()

    def body(self, *, closed: bool) -> HclBody:
        body = HclBody()
        while True:
            self.skip_newlines()
            if closed and self.at("punct", "}"):
                self.take()
                return body
            if self.at("eof"):
                if closed:
                    raise self.lexer.error("a block is not closed with }", self.token.line)
                return body
            name = self.expect("ident")
            if self.at("punct", "="):
                self.take()
                body.attributes[name.text] = self.expression()
                body.note(name.text)
                if not (self.at("newline") or self.at("eof") or (closed and self.at("punct", "}"))):
                    raise self.lexer.error(f"expected a new line after {name.text}", self.token.line)
                continue
            labels: list[str] = []
            while self.at("string") or self.at("ident"):
                labels.append(str(self.take().value))
            self.expect("punct", "{")
            body.blocks.append(HclBlock(name.text, tuple(labels), self.body(closed=True), name.line))
            body.note(name.text)

    def at_end_of_expression(self) -> bool:
        return self.at("newline") or self.at("eof") or (self.at("punct") and self.token.text in self._CLOSERS)

    def expression(self) -> HclValue:
        start = self.i
        try:
            value = self.simple()
            if self.at_end_of_expression():
                return value
        except _NotSimple:
            pass
        self.i = start
        return self.raw()

    def raw(self) -> Expression:
        """The source text of an expression, up to the end of the line or the enclosing bracket."""
        start, depth = self.token.start, 0
        while not (self.at("eof") or (depth == 0 and self.at_end_of_expression())):
            token = self.take()
            if token.kind == "punct" and token.text in "([{":
                depth += 1
            elif token.kind == "punct" and token.text in ")]}":
                depth -= 1
        text = self.text[start: self.tokens[self.i - 1].end if self.i > 0 else start].strip()
        if not text:
            raise self.lexer.error("expected an expression", self.token.line)
        return Expression(text)

    def simple(self) -> HclValue:
        token = self.token
        if token.kind in ("string", "number"):
            self.take()
            return token.value  # type: ignore[no-any-return]
        if token.kind == "punct" and token.text == "-" and self.tokens[self.i + 1].kind == "number":
            self.take()
            return -self.take().value  # type: ignore[no-any-return]
        if token.kind == "ident":
            literals: dict[str, HclValue] = {"true": True, "false": False, "null": None}
            if token.text in literals:
                self.take()
                return literals[token.text]
            return self.traversal()
        if token.kind == "punct" and token.text == "[":
            return self.sequence()
        if token.kind == "punct" and token.text == "{":
            return self.mapping()
        raise _NotSimple

    def traversal(self) -> Reference:
        parts = [self.take().text]
        while self.at("punct", "."):
            self.take()
            if not (self.at("ident") or self.at("number")):
                raise _NotSimple
            parts.append(self.take().text)
        if self.at("punct", "(") or self.at("punct", "["):
            raise _NotSimple  # a function call or an index
        return Reference(tuple(parts))

    def sequence(self) -> list[HclValue]:
        self.take()
        self.skip_newlines()
        if self.at("ident", "for"):
            raise _NotSimple
        items: list[HclValue] = []
        while not self.at("punct", "]"):
            if self.at("eof"):
                raise _NotSimple
            items.append(self.expression())
            self.skip_newlines()
            if self.at("punct", ","):
                self.take()
                self.skip_newlines()
            elif not self.at("punct", "]"):
                raise _NotSimple
        self.take()
        return items

    def mapping(self) -> dict[str, HclValue]:
        self.take()
        self.skip_newlines()
        if self.at("ident", "for"):
            raise _NotSimple
        items: dict[str, HclValue] = {}
        while not self.at("punct", "}"):
            if not (self.at("ident") or self.at("string")):
                raise _NotSimple
            key = str(self.take().value)
            if not (self.at("punct", "=") or self.at("punct", ":")):
                raise _NotSimple
            self.take()
            items[key] = self.expression()
            if self.at("punct", ","):
                self.take()
            self.skip_newlines()
        self.take()
        return items


def parse_hcl(text: str, *, filename: str = "<hcl>") -> HclBody:
    """Read Terraform's native syntax as far as examples need: blocks, attributes, literals, lists,
    maps and references. Any other expression is kept as an `Expression` holding its source text."""
    return _Parser(text, filename).body(closed=False)


INTERPOLATION = re.compile(r"(?<!\$)\$\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}")


def iter_references(value: HclValue | HclBody) -> Iterator[Reference]:
    """Every reference in a value or a body, nested blocks and `${...}` in strings included."""
    if isinstance(value, str):
        for match in INTERPOLATION.finditer(value):
            yield Reference(tuple(match.group(1).split(".")))
    elif isinstance(value, HclBody):
        for item in value.attributes.values():
            yield from iter_references(item)
        for block in value.blocks:
            yield from iter_references(block.body)
    elif isinstance(value, Reference):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from iter_references(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_references(item)


def block_value(body: HclBody) -> dict[str, HclValue]:
    """A block's content as one value: attributes, and nested blocks by type (one block: an object;
    several of one type: a list of objects), as Terraform's JSON syntax writes it."""
    grouped: dict[str, list[HclValue]] = {}
    for block in body.blocks:
        grouped.setdefault(block.type, []).append(block_value(block.body))
    value: dict[str, HclValue] = {}
    for name in body.order:
        if name in body.attributes:
            value[name] = body.attributes[name]
        else:
            items = grouped[name]
            value[name] = items[0] if len(items) == 1 else items
    return value


def terraform_json(value: HclValue) -> Any:
    """A value as Terraform's JSON syntax writes it: a reference or expression becomes `${...}`."""
    if isinstance(value, Reference):
        return "${" + str(value) + "}"
    if isinstance(value, Expression):
        return "${" + value.text + "}"
    if isinstance(value, list):
        return [terraform_json(v) for v in value]
    if isinstance(value, dict):
        return {k: terraform_json(v) for k, v in value.items()}
    return value

