"""Vendor timestamps: ISO 8601 text, or epoch seconds or milliseconds."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from smschannel.model.text import shown

__all__ = ["parse_timestamp"]

_EPOCH = re.compile(r"[0-9]+(\.[0-9]+)?")
_MILLISECONDS_FROM = 100_000_000_000
"""Epoch values from here on are milliseconds: as seconds this is the year 5138, as milliseconds 1973-03-03."""
_TOO_LARGE_FROM = 100_000_000_000_000
"""Epoch values from here on are refused: as milliseconds this is the year 5138 (microseconds are not guessed)."""


def _invalid(value: object) -> ValueError:
    return ValueError(
        f"must be an ISO 8601 time such as 2024-05-01T12:00:00Z or epoch seconds or milliseconds, got {shown(value)}"
    )


def _from_epoch(number: float, original: object) -> datetime:
    if not math.isfinite(number) or number < 0 or number >= _TOO_LARGE_FROM:
        raise _invalid(original)
    seconds = number / 1000 if number >= _MILLISECONDS_FROM else number
    return datetime.fromtimestamp(seconds, UTC)


def parse_timestamp(value: object) -> datetime:
    """Return `value` as an aware datetime in UTC.

    Accepted: ISO 8601 text as `datetime.fromisoformat` reads it (``2019-11-09T16:00:00.000+0000``,
    ``2021-08-30T08:16:08.930Z``; text without an offset is taken as UTC), or a non-negative epoch
    number, as a JSON number or digits in text: below 10^11 it counts as seconds, from 10^11 up to
    10^14 as milliseconds, and larger values are refused. Raises ValueError with a message that
    follows the field's name (``must be an ISO 8601 time ..., got "yesterday"``).
    """
    if isinstance(value, bool):
        raise _invalid(value)
    if isinstance(value, int | float):
        return _from_epoch(value, value)
    if not isinstance(value, str):
        raise _invalid(value)
    text = value.strip()
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text) if "." in text else int(text), value)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise _invalid(value) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
