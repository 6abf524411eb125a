"""GSM-7 / UCS-2 encoding and segment counts."""

from __future__ import annotations

import pytest

from smschannel.keywords import MAX_REPLY_SEGMENTS, SegmentInfo, encode_info

EMOJI = "\U0001f600"
CYRILLIC = "\u0416"
GSM_SPECIALS = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà"
"""GSM-7 default-alphabet characters other than plain letters and digits: one septet each."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SegmentInfo("GSM-7", 0, 0)),
        ("Hi", SegmentInfo("GSM-7", 1, 2)),
        ("a" * 160, SegmentInfo("GSM-7", 1, 160)),
        ("a" * 161, SegmentInfo("GSM-7", 2, 161)),
        ("a" * 306, SegmentInfo("GSM-7", 2, 306)),
        ("a" * 307, SegmentInfo("GSM-7", 3, 307)),
        (GSM_SPECIALS, SegmentInfo("GSM-7", 1, 44)),
        ("€[]{}^~|\\\f", SegmentInfo("GSM-7", 1, 20)),  # extension table: two septets each
        ("€" * 80, SegmentInfo("GSM-7", 1, 160)),
        ("€" * 81, SegmentInfo("GSM-7", 2, 162)),  # 76 + 5: 77 would need 154 septets
        ("a" * 152 + "€" + "a" * 152, SegmentInfo("GSM-7", 3, 306)),  # the escape pair is not split
        (CYRILLIC * 70, SegmentInfo("UCS-2", 1, 70)),
        (CYRILLIC * 71, SegmentInfo("UCS-2", 2, 71)),
        (CYRILLIC * 134, SegmentInfo("UCS-2", 2, 134)),
        (CYRILLIC * 135, SegmentInfo("UCS-2", 3, 135)),
        ("a" * 69 + "\u2019", SegmentInfo("UCS-2", 1, 70)),  # one curly apostrophe forces UCS-2
        ("ç", SegmentInfo("UCS-2", 1, 1)),  # only the capital is in GSM-7
        (EMOJI, SegmentInfo("UCS-2", 1, 2)),  # a surrogate pair: two units
        (EMOJI * 35, SegmentInfo("UCS-2", 1, 70)),
        (EMOJI * 36, SegmentInfo("UCS-2", 2, 72)),
        (CYRILLIC * 66 + EMOJI + CYRILLIC * 66, SegmentInfo("UCS-2", 3, 134)),  # the pair is not split
    ],
)
def test_encode_info(text: str, expected: SegmentInfo) -> None:
    assert encode_info(text) == expected


@pytest.mark.parametrize(
    ("text", "segments"),
    [("a" * 1530, 10), ("a" * 1531, 11), (CYRILLIC * 670, 10), (CYRILLIC * 671, 11), ("€" * 760, 10)],
)
def test_ten_segment_boundary(text: str, segments: int) -> None:
    assert encode_info(text).segments == segments
    assert (segments <= MAX_REPLY_SEGMENTS) == (segments == 10)


def test_plan_wording() -> None:
    assert str(encode_info("Reply STOP to opt out")) == "GSM-7, 1 segment"
    assert str(encode_info("a" * 200)) == "GSM-7, 2 segments"
    assert str(encode_info("Gracias 🙏")) == "UCS-2, 1 segment"
    assert str(encode_info("")) == "GSM-7, 0 segments"
