"""Sinch SMS callbacks: inbound messages (``incomingSMS``) and delivery reports (``deliveryReport``).

Examples marked "Sinch spec" are copied from the Sinch SMS OpenAPI file: ballerina-platform/openapi-connectors,
``openapi/sinch.sms/openapi.yaml``, snapshot 81158a45a86fa9a85de4e7fbd7cdc2a529d50743 (file last changed in
c279d399f59a85bea742e887ada7f09d1f407aca); Apache-2.0 repository, the spec says MIT. It is a 2021 copy, not
Sinch's current contract (see tests/contracts/README.md).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.providers.sinch import parse_sinch_callback, parse_sinch_feedback, parse_sinch_inbound

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

# Sinch spec: components.examples.Inbounds.value (the example of x-webhooks.incomingSMS).
SPEC_INBOUND: dict[str, Any] = {
    "type": "mo_text",
    "id": "01FC66621VHDBN119Z8PMV1QPA",
    "from": "+11203494390",
    "to": "+11203453453",
    "body": "This is a test message",
    "operator_id": None,
    "sent_at": None,
    "received_at": None,
}

# Sinch spec: components.schemas.retrieveDeliveryResponseObj.example (the x-webhooks.deliveryReport body).
SPEC_BATCH_REPORT: dict[str, Any] = {
    "type": "delivery_report_sms",
    "batch_id": "01FC66621VHDBN119Z8PMV1QPQ",
    "total_message_count": "20000",
    "statuses": [{"code": 0, "status": "Delivered", "count": 19999}, {"code": 401, "status": "Dispatched", "count": 1}],
}

# Sinch spec: the 200 example of GetDeliveryReportByPhoneNumber (retrieveRecipientDeliveryResponseObj), the
# per_recipient callback's shape.
SPEC_RECIPIENT_REPORT: dict[str, Any] = {
    "type": "recipient_delivery_report_sms",
    "batch_id": "01FC66621VHDBN119Z8PMV1QPQ",
    "recipient": "+44231235674",
    "code": 401,
    "status": "Dispatched",
    "at": "2021-08-30T08:16:08.930Z",
}

# As Sinch sends them in practice: MSISDNs without the plus, times set, a short code as the recipient.
LIVE_INBOUND: dict[str, Any] = {
    "type": "mo_text",
    "id": "01HQ5X7Y3S9J2K4M6N8P0R2T4V",
    "from": "46701234567",
    "to": "72345",
    "body": "STOP",
    "operator_id": "24001",
    "sent_at": "2024-05-01T11:59:58.000Z",
    "received_at": "2024-05-01T12:00:00.123Z",
}


def test_spec_inbound_example() -> None:
    assert parse_sinch_inbound(SPEC_INBOUND, now=NOW) == InboundMessage(
        request_id="01FC66621VHDBN119Z8PMV1QPA",
        profile_number="+11203494390",
        inbound_number="+11203453453",
        text="This is a test message",
        received_at=NOW,  # received_at is null in the example
        vendor="sinch",
    )


def test_inbound_without_plus_from_raw_bytes() -> None:
    message = parse_sinch_inbound(json.dumps(LIVE_INBOUND).encode(), now=NOW)
    assert message == InboundMessage(
        request_id="01HQ5X7Y3S9J2K4M6N8P0R2T4V",
        profile_number="+46701234567",
        inbound_number="72345",
        text="STOP",
        received_at=datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC),
        vendor="sinch",
    )


def test_inbound_keeps_the_text_as_sent() -> None:
    body = {**LIVE_INBOUND, "body": "  Stop!  \U0001f64f"}
    assert parse_sinch_inbound(body, now=NOW).text == "  Stop!  \U0001f64f"


def test_inbound_received_at_defaults_to_the_clock() -> None:
    before = datetime.now(UTC)
    received = parse_sinch_inbound(SPEC_INBOUND).received_at
    assert before <= received <= datetime.now(UTC)


def test_spec_batch_report_gives_one_event_per_status() -> None:
    assert parse_sinch_feedback(SPEC_BATCH_REPORT, now=NOW) == [
        FeedbackEvent(
            client_reference=None,
            status="delivered",
            status_code="0",
            request_id="01FC66621VHDBN119Z8PMV1QPQ",
            vendor="sinch",
            received_at=NOW,
        ),
        FeedbackEvent(
            client_reference=None,
            status="pending",
            status_code="401",
            request_id="01FC66621VHDBN119Z8PMV1QPQ",
            vendor="sinch",
            received_at=NOW,
        ),
    ]


def test_full_batch_report_gives_one_event_per_recipient() -> None:
    body = {
        "type": "delivery_report_sms",
        "batch_id": "01HQ5X7Y3S9J2K4M6N8P0R2T4W",
        "total_message_count": 3,
        "client_reference": "campaign-42",
        "statuses": [
            {"code": 0, "status": "Delivered", "count": 2, "recipients": ["46701234567", "+46701234568"]},
            {"code": 402, "status": "Aborted", "count": 1, "recipients": ["46701234569"]},
        ],
    }
    events = parse_sinch_feedback(body, now=NOW)
    assert [(e.recipient, e.status, e.status_code) for e in events] == [
        ("+46701234567", "delivered", "0"),
        ("+46701234568", "delivered", "0"),
        ("+46701234569", "failed", "402"),
    ]
    assert {(e.client_reference, e.request_id, e.received_at) for e in events} == {
        ("campaign-42", "01HQ5X7Y3S9J2K4M6N8P0R2T4W", NOW)
    }


def test_spec_recipient_report() -> None:
    assert parse_sinch_feedback(SPEC_RECIPIENT_REPORT, now=NOW) == [
        FeedbackEvent(
            client_reference=None,
            status="pending",
            status_code="401",
            request_id="01FC66621VHDBN119Z8PMV1QPQ",
            vendor="sinch",
            received_at=datetime(2021, 8, 30, 8, 16, 8, 930000, tzinfo=UTC),
            recipient="+44231235674",
        )
    ]


@pytest.mark.parametrize(
    ("sinch_status", "status"),
    [
        ("Queued", "pending"),
        ("Dispatched", "pending"),
        ("Delivered", "delivered"),
        ("Aborted", "failed"),
        ("Failed", "failed"),
        ("Deleted", "failed"),
        ("Expired", "expired"),
        ("Rejected", "rejected"),
        ("Unknown", "unknown"),
        ("Teleported", "unknown"),  # a status Sinch may add later
    ],
)
def test_statuses_normalized(sinch_status: str, status: str) -> None:
    body = {**SPEC_RECIPIENT_REPORT, "status": sinch_status, "client_reference": "ref-1"}
    [event] = parse_sinch_feedback(body, now=NOW)
    assert (event.status, event.client_reference) == (status, "ref-1")


def test_codes_are_kept_as_text() -> None:
    [event] = parse_sinch_feedback({**SPEC_RECIPIENT_REPORT, "code": "0x192"}, now=NOW)
    assert event.status_code == "0x192"


def test_callback_dispatches_on_type() -> None:
    assert isinstance(parse_sinch_callback(SPEC_INBOUND, now=NOW), InboundMessage)
    assert parse_sinch_callback(SPEC_BATCH_REPORT, now=NOW) == parse_sinch_feedback(SPEC_BATCH_REPORT, now=NOW)
    assert parse_sinch_callback(SPEC_RECIPIENT_REPORT, now=NOW) == parse_sinch_feedback(SPEC_RECIPIENT_REPORT, now=NOW)


def _without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"{",
            "Sinch inbound: the body is not JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        (b"\xff\xfe\xfa", "Sinch inbound: the body is not JSON: it is not UTF-8 text"),
        ("[]", "Sinch inbound: the body must be a JSON object, got a list"),
        (_without(LIVE_INBOUND, "from"), 'Sinch inbound: "from" is missing'),
        ({**LIVE_INBOUND, "from": None}, 'Sinch inbound: "from" is missing'),
        ({**LIVE_INBOUND, "from": ""}, 'Sinch inbound: "from" is missing'),
        (_without(LIVE_INBOUND, "id"), 'Sinch inbound: "id" is missing'),
        (_without(LIVE_INBOUND, "to"), 'Sinch inbound: "to" is missing'),
        (_without(LIVE_INBOUND, "body"), 'Sinch inbound: "body" is missing'),
        ({**LIVE_INBOUND, "body": 42}, 'Sinch inbound: "body" must be text, got 42'),
        ({**LIVE_INBOUND, "from": ["46701234567"]}, 'Sinch inbound: "from" must be text, got a list'),
        (
            {**LIVE_INBOUND, "from": "0701234567"},
            'Sinch inbound: "from" must be a phone number with its country code, such as +46701234567 or '
            '46701234567, or a short code of 3-6 digits, got "0701234567"',
        ),
        (
            {**LIVE_INBOUND, "type": "mo_binary"},
            'Sinch inbound: "type" must be "mo_text" (a text message), got "mo_binary"',
        ),
        (
            {**LIVE_INBOUND, "received_at": "yesterday"},
            'Sinch inbound: "received_at" must be an ISO 8601 time such as 2024-05-01T12:00:00Z or epoch seconds '
            'or milliseconds, got "yesterday"',
        ),
    ],
)
def test_malformed_inbound(body: bytes | str | dict[str, object], message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_sinch_inbound(body, now=NOW)
    assert str(caught.value) == message


def test_the_msisdn_may_be_a_json_number_as_in_the_spec_schema() -> None:
    # The spec's inboundsObject schema gives `"example": 11203494390` for "from", a number.
    message = parse_sinch_inbound({**LIVE_INBOUND, "from": 11203494390}, now=NOW)
    assert message.profile_number == "+11203494390"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_without(SPEC_BATCH_REPORT, "type"), 'Sinch delivery report: "type" is missing'),
        (
            {**SPEC_BATCH_REPORT, "type": "mo_text"},
            'Sinch delivery report: "type" must be one of delivery_report_sms, delivery_report_mms, '
            'recipient_delivery_report_sms, recipient_delivery_report_mms, got "mo_text"',
        ),
        (_without(SPEC_BATCH_REPORT, "batch_id"), 'Sinch delivery report: "batch_id" is missing'),
        (_without(SPEC_BATCH_REPORT, "statuses"), 'Sinch delivery report: "statuses" is missing'),
        ({**SPEC_BATCH_REPORT, "statuses": {}}, 'Sinch delivery report: "statuses" must be a list, got an object'),
        (
            {**SPEC_BATCH_REPORT, "statuses": ["Delivered"]},
            'Sinch delivery report: "statuses[0]" must be an object, got "Delivered"',
        ),
        (
            {**SPEC_BATCH_REPORT, "statuses": [{"code": 0, "status": "Delivered"}, {"code": 401}]},
            'Sinch delivery report: "statuses[1].status" is missing',
        ),
        (
            {**SPEC_BATCH_REPORT, "statuses": [{"code": 0, "status": "Delivered", "recipients": ["12"]}]},
            'Sinch delivery report: "statuses[0].recipients[0]" must be a phone number with its country code, '
            'such as +46701234567 or 46701234567, or a short code of 3-6 digits, got "12"',
        ),
        (_without(SPEC_RECIPIENT_REPORT, "recipient"), 'Sinch delivery report: "recipient" is missing'),
        (
            {**SPEC_RECIPIENT_REPORT, "code": 4.5},
            'Sinch delivery report: "code" must be text, got 4.5',
        ),
    ],
)
def test_malformed_feedback(body: dict[str, object], message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_sinch_feedback(body, now=NOW)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"id": "x"}, 'Sinch callback: "type" is missing'),
        (
            {"type": "delivery_report_whatsapp"},
            'Sinch callback: "type" must be one of mo_text, delivery_report_sms, delivery_report_mms, '
            'recipient_delivery_report_sms, recipient_delivery_report_mms, got "delivery_report_whatsapp"',
        ),
        (
            {**SPEC_INBOUND, "type": "mo_binary"},
            'Sinch inbound: "type" must be "mo_text" (a text message), got "mo_binary"',
        ),
        ("null", "Sinch callback: the body must be a JSON object, got null"),
    ],
)
def test_malformed_callback(body: dict[str, object] | str, message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_sinch_callback(body, now=NOW)
    assert str(caught.value) == message


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        parse_sinch_inbound(SPEC_INBOUND, now=datetime(2026, 1, 2))
