"""Encoding and segment count of an SMS text, as shown in plans and used to refuse long replies.

A text that fits the GSM 03.38 default alphabet (with its extension table) is sent as GSM-7,
anything else as UCS-2 (UTF-16, so a character outside the Basic Multilingual Plane such as most
emoji takes two units). One message carries 160 septets or 70 UCS-2 units; a longer text is split
into parts of 153 septets or 67 units (the rest carries the concatenation header). A part never
ends between the two septets of an extension character or the two units of a surrogate pair.
The empty text is GSM-7 with 0 units and 0 segments: nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["MAX_REPLY_SEGMENTS", "SegmentInfo", "encode_info"]

MAX_REPLY_SEGMENTS: Final = 10
"""Reply messages longer than this many segments are refused."""

GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""Characters of the GSM 03.38 default alphabet: one septet each."""

GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")
"""Characters of the GSM 03.38 extension table: an escape plus one septet, two septets each."""

_SINGLE: Final = {"GSM-7": 160, "UCS-2": 70}
_PART: Final = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """How a text travels as SMS."""

    encoding: Literal["GSM-7", "UCS-2"]
    segments: int
    """Messages the text is sent as; 0 for the empty text."""
    units: int
    """Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2."""

    def __str__(self) -> str:
        """Return the plan wording, e.g. ``GSM-7, 2 segments``."""
        return f"{self.encoding}, {self.segments} segment{'' if self.segments == 1 else 's'}"


def encode_info(text: str) -> SegmentInfo:
    """Return the encoding, segment count and length in units of `text`."""
    costs: list[int] = []
    encoding: Literal["GSM-7", "UCS-2"] = "GSM-7"
    for char in text:
        if char in GSM7_BASIC:
            costs.append(1)
        elif char in GSM7_EXTENSION:
            costs.append(2)
        else:
            encoding = "UCS-2"
            break
    if encoding == "UCS-2":
        costs = [2 if ord(char) > 0xFFFF else 1 for char in text]
    units = sum(costs)
    if units <= _SINGLE[encoding]:
        return SegmentInfo(encoding, 1 if units else 0, units)
    limit = _PART[encoding]
    segments, used = 1, 0
    for cost in costs:
        if used + cost > limit:
            segments, used = segments + 1, 0
        used += cost
    return SegmentInfo(encoding, segments, units)
