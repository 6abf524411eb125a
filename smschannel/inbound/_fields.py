"""Reading fields out of vendor bodies, each failure a `PayloadError` naming the vendor and the field."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from smschannel.inbound._numbers import normalize_number
from smschannel.inbound._timestamps import parse_timestamp
from smschannel.inbound._types import PayloadError
from smschannel.model.text import describe, shown

__all__ = ["JsonBody", "Reader", "load_json", "load_object", "resolve_now"]

JsonBody = bytes | str | Mapping[str, object]
"""A JSON request body: the raw bytes or text, or an object already decoded."""


def load_json(body: bytes | str | object, context: str) -> object:
    """Decode `body` when it is bytes or text; anything else is taken as decoded JSON already."""
    if not isinstance(body, bytes | str):
        return body
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        reason = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise PayloadError(f"{context}: the body is not JSON: {reason}") from None
    except UnicodeDecodeError:
        raise PayloadError(f"{context}: the body is not JSON: it is not UTF-8 text") from None


def load_object(body: JsonBody, context: str) -> Mapping[str, object]:
    value = load_json(body, context)
    if not isinstance(value, Mapping):
        raise PayloadError(f"{context}: the body must be a JSON object, got {describe(value)}")
    return value


def resolve_now(now: datetime | None) -> datetime:
    """The time of parsing, for vendors that send none: `now` if given (it must be aware), else the clock."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


class Reader:
    """Reads the fields of one JSON object. `prefix` places it in the body (``results[1].``), so messages
    name the field as a path: ``Infobip inbound: "results[1].from" is missing``."""

    def __init__(self, obj: Mapping[str, object], context: str, prefix: str = "") -> None:
        self.obj = obj
        self.context = context
        self.prefix = prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, rule: str) -> PayloadError:
        return PayloadError(f'{self.context}: "{self.name(key)}" {rule}')

    def missing(self, key: str) -> PayloadError:
        return self.fail(key, "is missing")

    def get(self, key: str) -> object:
        """The value at `key`; None when it is absent or JSON null."""
        return self.obj.get(key)

    def optional_text(self, key: str, *, numbers: bool = False, empty: bool = False) -> str | None:
        """Text at `key`, or None when absent or null. With `numbers`, a JSON integer is taken as its
        digits (vendors send IDs and MSISDNs either way). Empty text counts as absent unless `empty`."""
        value = self.get(key)
        if value is None:
            return None
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, got {shown(value)}")
        if not value and not empty:
            return None
        return value

    def text(self, key: str, *, numbers: bool = False, empty: bool = False) -> str:
        value = self.optional_text(key, numbers=numbers, empty=empty)
        if value is None:
            raise self.missing(key)
        return value

    def number(self, key: str) -> str:
        """A phone number or short code at `key`, normalised (see `normalize_number`)."""
        return self.normalize(key, self.text(key, numbers=True))

    def optional_number(self, key: str) -> str | None:
        value = self.optional_text(key, numbers=True)
        return None if value is None else self.normalize(key, value)

    def normalize(self, key: str, value: str) -> str:
        try:
            return normalize_number(value)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def time(self, key: str, default: datetime) -> datetime:
        """The time at `key` (see `parse_timestamp`), or `default` when absent, null or empty."""
        value = self.get(key)
        if value is None or value == "":
            return default
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def code(self, key: str) -> str | None:
        """A vendor code at `key` as text (integers or text), or None."""
        return self.optional_text(key, numbers=True)

    def optional_object(self, key: str) -> Reader | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.fail(key, f"must be an object, got {shown(value)}")
        return Reader(value, self.context, f"{self.name(key)}.")

    def object(self, key: str) -> Reader:
        reader = self.optional_object(key)
        if reader is None:
            raise self.missing(key)
        return reader

    def objects(self, key: str) -> list[Reader]:
        """The objects of the list at `key` (absent or null: missing), each reading as ``key[i].``."""
        value = self.get(key)
        if value is None:
            raise self.missing(key)
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self.fail(key, f"must be a list, got {shown(value)}")
        readers = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                raise self.fail(f"{key}[{index}]", f"must be an object, got {shown(item)}")
            readers.append(Reader(item, self.context, f"{self.name(key)}[{index}]."))
        return readers

    def optional_texts(self, key: str) -> list[str]:
        """The text items of the list at `key` (absent or null: an empty list)."""
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self.fail(key, f"must be a list, got {shown(value)}")
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail(f"{key}[{index}]", f"must be text, got {shown(item)}")
            items.append(item)
        return items
