"""Phone numbers made E.164 where vendors leave out the plus; short codes kept."""

from __future__ import annotations

import pytest

from smschannel.inbound import normalize_number


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("+46701234567", "+46701234567"),
        ("46701234567", "+46701234567"),  # Sinch and Infobip send MSISDNs without the plus
        ("385916242493", "+385916242493"),  # Infobip's inbound example
        ("41793026727", "+41793026727"),  # Infobip's delivery report example
        ("+46 70-123 45 67", "+46701234567"),
        ("+1 (415) 555.0100", "+14155550100"),
        ("0046701234567", "+46701234567"),  # the international prefix 00
        (" 46701234567 ", "+46701234567"),
        ("+11203494390", "+11203494390"),  # Sinch's example: kept although NANP has no area code 120
        ("+2901234", "+2901234"),  # 7 digits, St Helena
        ("72345", "72345"),  # short codes stay as they are
        ("123", "123"),
        ("888222", "888222"),
    ],
)
def test_normalized(given: str, expected: str) -> None:
    assert normalize_number(given) == expected


FULL_WIDTH = "\uff14\uff16\uff17\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17"
SHAPE = (
    "must be a phone number with its country code, such as +46701234567 or 46701234567, "
    "or a short code of 3-6 digits, got "
)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("0701234567", SHAPE + '"0701234567"'),  # national form: the country code is unknown
        ("12", SHAPE + '"12"'),
        ("+46", SHAPE + '"+46"'),
        ("+4670123456789012", SHAPE + '"+4670123456789012"'),  # 16 digits
        ("InfoSMS", SHAPE + '"InfoSMS"'),  # alphanumeric senders cannot be profiles
        ("", SHAPE + '""'),
        ("+46 70 12a", SHAPE + '"+46 70 12a"'),
        (FULL_WIDTH, f'{SHAPE}"{FULL_WIDTH}"'),  # full-width digits are not digits here
        ("+999123456", 'has no known country calling code, got "+999123456"'),
    ],
)
def test_refused(given: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalize_number(given)
    assert str(caught.value) == message
