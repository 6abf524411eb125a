"""What the generator reads from an HCL example, and the same values as Terraform's JSON syntax writes them.

python-hcl2 parses the file. It writes each block body twice, from one parse: once in source form (a
quoted string keeps its quotes, any other expression is `${...}`) and once as values (quotes gone, escapes
resolved). The source form says what each value is, the other what it holds: a string, a `Reference` such
as `smschannel_twilio_credentials.main.id` (the CDKTF snippet turns it into a construct attribute), or
any other `Expression` kept as its text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import hcl2
from hcl2.rules.base import AttributeRule, BlockRule
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from smschannel.docs._errors import DocsError


@dataclass(frozen=True)
class Reference:
    """A traversal such as `smschannel_twilio_credentials.main.id`."""

    parts: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Expression:
    """Any other expression (a function call, an operator, a for expression), kept as its text."""

    text: str


HclValue: TypeAlias = (
    "str | int | float | bool | Reference | Expression | list[HclValue] | dict[str, HclValue] | None"
)


@dataclass(frozen=True)
class HclBlock:
    """A top-level block, such as `resource "smschannel_twilio_credentials" "main" { ... }`."""

    type: str
    labels: tuple[str, ...]
    body: dict[str, HclValue]
    """Attributes and nested blocks in the order they first appear. Nested blocks are grouped by type
    as Terraform's JSON syntax writes them: one block is an object, several a list of objects."""


@dataclass(frozen=True)
class HclFile:
    """The blocks of one file, in their order."""

    blocks: tuple[HclBlock, ...]


_SOURCE = hcl2.SerializationOptions(with_comments=False, preserve_heredocs=True, preserve_scientific_notation=False)
_VALUE = dataclasses.replace(_SOURCE, strip_string_quotes=True)
_IS_BLOCK = "__is_block__"  # python-hcl2's mark on a block's body, telling it from an object
_TRAVERSAL = re.compile(r"[A-Za-z_][\w-]*(?:\.(?:[A-Za-z_][\w-]*|[0-9]+))*")
INTERPOLATION = re.compile(r"(?<!\$)\$\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}")
"""A `${...}` in a string that holds a traversal; the group is the traversal."""


def read_hcl(text: str, *, filename: str = "<hcl>") -> HclFile:
    """The blocks of a file in Terraform's native syntax, their values read as `HclValue`s."""
    try:
        tree = hcl2.parses(text, discard_comments=True)
    except LarkError as exc:
        raise _syntax_error(exc, filename) from exc
    blocks: list[HclBlock] = []
    for child in tree.body.children:
        if isinstance(child, AttributeRule):
            name = child.identifier.serialize(_VALUE)
            raise DocsError(f"{filename}: {name} is set outside a block: an example holds only blocks")
        if not isinstance(child, BlockRule):
            continue  # new lines
        kind, *labels = (str(label.serialize(_VALUE)) for label in child.labels)
        try:
            source, value = child.body.serialize(_SOURCE), child.body.serialize(_VALUE)
        except RuntimeError as exc:  # python-hcl2's word for a block and an attribute of one name
            raise DocsError(f"{filename}: {' '.join([kind, *labels])}: {exc}") from exc
        blocks.append(HclBlock(kind, tuple(labels), _body(source, value)))
    return HclFile(tuple(blocks))


def _syntax_error(exc: LarkError, filename: str) -> DocsError:
    """python-hcl2's (lark's) parse error as one line naming the file and the line."""
    if isinstance(exc, UnexpectedCharacters):
        what = f"unexpected character {exc.char!r}"
    elif isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        token = next((line.strip() for line in str(exc.token).splitlines() if line.strip()), exc.token.type)
        what = f"unexpected {token!r}"
    elif isinstance(exc, UnexpectedInput):
        what = "unexpected end of file (a block or a bracket is not closed)"
    else:
        return DocsError(f"{filename}: cannot read it: {exc}")
    return DocsError(f"{filename}:{exc.line}: {what}" if exc.line > 0 else f"{filename}: {what}")


def _body(source: Mapping[str, Any], value: Mapping[str, Any]) -> dict[str, HclValue]:
    """A block body or an object. Keys are taken from the value form (an object's quoted key unquoted)."""
    pairs = zip(source.items(), value.items(), strict=True)
    return {key: _value(item_source, item) for (name, item_source), (key, item) in pairs if name != _IS_BLOCK}


def _value(source: Any, value: Any) -> HclValue:
    if isinstance(source, str):
        if source.startswith('"<<') and "\n" in source:
            return _heredoc(source[1:-1])
        if source.startswith('"'):
            return str(value)
        return _expression(source)
    if isinstance(source, list):
        pairs = list(zip(source, value, strict=True))
        if pairs and all(isinstance(s, dict) and s.get(_IS_BLOCK) for s, _ in pairs):
            bodies: list[HclValue] = [_body(s, v) for s, v in pairs]
            return bodies[0] if len(bodies) == 1 else bodies
        return [_value(s, v) for s, v in pairs]
    if isinstance(source, dict):
        return _body(source, value)
    if source is None or isinstance(source, bool | int | float):
        return source
    raise TypeError(f"python-hcl2 gave a {type(source).__name__}: {source!r}")


def _expression(source: str) -> Reference | Expression:
    text = source[2:-1] if source.startswith("${") and source.endswith("}") else source
    return Reference(tuple(text.split("."))) if _TRAVERSAL.fullmatch(text) else Expression(text)


def _heredoc(raw: str) -> str:
    """A heredoc's value: the lines between its markers, each ending with a new line as in Terraform
    (python-hcl2 drops the last one); `<<-` also removes the indentation that the lines share."""
    opening, *lines, _closing = raw.split("\n")
    lines = [line.removesuffix("\r") for line in lines]
    if opening.startswith("<<-"):
        cut = min((len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()), default=0)
        lines = [line[cut:] for line in lines]
    return "".join(line + "\n" for line in lines)


def iter_references(value: HclValue | HclFile) -> Iterator[Reference]:
    """Every reference in a value or a file, nested blocks and `${...}` in strings included."""
    if isinstance(value, str):
        for match in INTERPOLATION.finditer(value):
            yield Reference(tuple(match.group(1).split(".")))
    elif isinstance(value, HclFile):
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
