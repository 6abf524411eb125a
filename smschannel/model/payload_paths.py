"""Paths into a vendor's JSON, as `payload_mapping` gives them.

Syntax (a small subset of JSONPath)::

    path  := ["$"] first step*          a leading "$" (the whole body) is optional
    first := name | step                without "$", the path may start with a bare name
    step  := "." name                   a key of an object
           | "[" digits "]"             an item of a list, counting from 0
           | '["' key '"]' | "['" key "']"   a key with any other characters (no quote of its own kind)
    name  := one or more characters other than . [ ] quotes and whitespace

Examples: ``text``, ``data.text``, ``$.data.messages[0].text``, ``$[0].from``, ``data["sender.number"]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from smschannel.model.text import describe, shown

__all__ = ["PATH_EXAMPLE", "PayloadPath", "Unresolved"]

PATH_EXAMPLE = "data.text or data.messages[0].text"

_NAME = re.compile(r"[^.\[\]\"'\s]+")
_INDEX = re.compile(r"\[([0-9]+)\]")
_QUOTED = re.compile(r"\[\"([^\"]*)\"\]|\['([^']*)'\]")
_PLAIN_NAME = re.compile(r"[\w\-]+")


class Unresolved(LookupError):
    """A path leads nowhere in one document; `reason` says why when it is not plain absence."""

    def __init__(self, reason: str | None = None) -> None:
        self.reason = reason
        super().__init__(reason or "missing")


@dataclass(frozen=True, slots=True)
class PayloadPath:
    """A parsed path: object keys (str) and list indexes (int), in order."""

    steps: tuple[str | int, ...]

    @classmethod
    def parse(cls, text: str) -> PayloadPath:
        """Parse `text`; ValueError (``must be a path such as ..., got "..."``) when it is not a path."""
        source = text.strip()
        position = 0
        if source.startswith("$"):
            position = 1
        steps: list[str | int] = []
        while position < len(source):
            bare = position == 0 and not steps
            if source.startswith(".", position) and not bare:
                match = _NAME.match(source, position + 1)
                if match is None:
                    break
                steps.append(match.group())
            elif (match := _INDEX.match(source, position)) is not None:
                steps.append(int(match.group(1)))
            elif (match := _QUOTED.match(source, position)) is not None:
                key = match.group(1) if match.group(1) is not None else match.group(2)
                if not key:
                    break
                steps.append(key)
            elif bare and (match := _NAME.match(source, position)) is not None:
                steps.append(match.group())
            else:
                break
            position = match.end()
        if position < len(source) or not steps:
            raise ValueError(f"must be a path such as {PATH_EXAMPLE}, got {shown(text)}")
        return cls(tuple(steps))

    def __str__(self) -> str:
        return _render(self.steps)

    def resolve(self, document: object) -> object:
        """The value this path points to in `document`; `Unresolved` when a key or an item is absent,
        or a step meets the wrong kind of value. JSON null is returned as None."""
        value = document
        for depth, step in enumerate(self.steps):
            if isinstance(step, int):
                if not isinstance(value, Sequence) or isinstance(value, str):
                    raise Unresolved(f"{_where(self.steps[:depth])} is {describe(value)}, not a list")
                if step >= len(value):
                    raise Unresolved()
                value = value[step]
            else:
                if not isinstance(value, Mapping):
                    raise Unresolved(f"{_where(self.steps[:depth])} is {describe(value)}, not an object")
                if step not in value:
                    raise Unresolved()
                value = value[step]
        return value


def _where(steps: tuple[str | int, ...]) -> str:
    return _render(steps) if steps else "the body"


def _render(steps: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    for step in steps:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _PLAIN_NAME.fullmatch(step):
            parts.append(f".{step}" if parts else step)
        else:
            parts.append(f"['{step}']" if '"' in step else f'["{step}"]')
    return "".join(parts) or "$"
