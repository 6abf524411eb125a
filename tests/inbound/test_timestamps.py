"""Vendor timestamps: ISO 8601, epoch seconds, epoch milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smschannel.inbound import parse_timestamp

MAY_1 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-05-01T12:00:00Z", MAY_1),
        ("2024-05-01T14:00:00+02:00", MAY_1),
        ("2019-11-09T16:00:00.000+0000", datetime(2019, 11, 9, 16, 0, tzinfo=UTC)),  # Infobip's format
        ("2019-11-09T16:00:00.000+0100", datetime(2019, 11, 9, 15, 0, tzinfo=UTC)),
        ("2021-08-30T08:16:08.930Z", datetime(2021, 8, 30, 8, 16, 8, 930000, tzinfo=UTC)),  # Sinch's example
        ("2024-05-01T12:00:00", MAY_1),  # no offset: UTC
        (1714564800, MAY_1),  # epoch seconds
        (1714564800.5, datetime(2024, 5, 1, 12, 0, 0, 500000, tzinfo=UTC)),
        (1714564800000, MAY_1),  # epoch milliseconds
        ("1714564800", MAY_1),
        ("1714564800000", MAY_1),
        (1704106800000, datetime(2024, 1, 1, 11, 0, tzinfo=UTC)),  # Infobip's sendDateTime example
        (99_999_999_999, datetime(5138, 11, 16, 9, 46, 39, tzinfo=UTC)),  # the largest seconds
        (100_000_000_000, datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)),  # the smallest milliseconds
    ],
)
def test_parsed_to_aware_utc(given: object, expected: datetime) -> None:
    parsed = parse_timestamp(given)
    assert parsed == expected
    assert parsed.tzinfo is UTC


RULE = "must be an ISO 8601 time such as 2024-05-01T12:00:00Z or epoch seconds or milliseconds, got "


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("yesterday", '"yesterday"'),
        ("", '""'),
        (True, "true"),
        (-1, "-1"),
        (100_000_000_000_000, "100000000000000"),  # microseconds are not guessed
        (float("nan"), "NaN"),
        (None, "null"),
        ({"seconds": 1}, "an object"),
    ],
)
def test_refused(given: object, shown: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_timestamp(given)
    assert str(caught.value) == RULE + shown
