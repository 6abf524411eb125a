"""How values are shown in messages (shared by every parser and the mapping validator)."""

from __future__ import annotations

import json

__all__ = ["describe", "shown"]


def shown(value: object) -> str:
    """Show a received value in a message: text quoted and cut at 60 characters, other JSON as JSON,
    objects and lists by their kind only (they can be large and hold personal data)."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(text, ensure_ascii=False)
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    return describe(value)


def describe(value: object) -> str:
    """The JSON kind of a value, with its article: ``text``, ``a number``, ``an object`` ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
