"""Phone numbers as vendors send them, made E.164; short codes stay as they are."""

from __future__ import annotations

import re

import phonenumbers

from smschannel.model.text import shown

__all__ = ["normalize_number"]

_SEPARATORS = str.maketrans("", "", " -.()/\u00a0")
_DIGITS = re.compile(r"[0-9]+")


def normalize_number(value: str) -> str:
    """Return `value` as E.164, or as a short code.

    - ``+46701234567``, ``+46 70-123 45 67`` -> ``+46701234567`` (spaces, ``-``, ``.``, ``/`` and
      brackets dropped);
    - an MSISDN without the plus, as Sinch and Infobip send it: ``46701234567`` -> ``+46701234567``;
    - the international prefix ``00``: ``0046701234567`` -> ``+46701234567``;
    - 3 to 6 digits are a short code and stay as they are: ``72345`` -> ``72345``.

    Anything else raises ValueError with a message that follows the field's name: a national number
    (leading ``0``, so no country code), fewer than 7 or more than 15 digits, an unknown country
    calling code, letters (alphanumeric senders cannot be profiles).
    """
    compact = value.strip().translate(_SEPARATORS)
    international = compact.startswith("+")
    digits = compact[1:] if international else compact
    if not _DIGITS.fullmatch(digits):
        raise _invalid(value)
    if not international:
        if 3 <= len(digits) <= 6:
            return digits
        if digits.startswith("00") and len(digits) > 2 + 6:
            digits = digits[2:]
    if digits.startswith("0") or not 7 <= len(digits) <= 15:
        raise _invalid(value)
    candidate = "+" + digits
    try:
        phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        raise ValueError(f"has no known country calling code, got {shown(value)}") from None
    return candidate


def _invalid(value: str) -> ValueError:
    return ValueError(
        "must be a phone number with its country code, such as +46701234567 or 46701234567, "
        f"or a short code of 3-6 digits, got {shown(value)}"
    )
