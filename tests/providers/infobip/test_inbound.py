"""Infobip SMS webhooks: inbound forwards (``MO_JSON_2``) and delivery reports, several per request.

Examples marked "Infobip spec" are copied from the Infobip SMS OpenAPI file: api-evangelist/infobip,
``openapi/infobip-sms-openapi.json``, snapshot b3be77826a8f1d17ead20f2edb64a03ef343f929 (added in
47a20ef4b1e0999c5d166efc189f40a9a05c1a2a; info.version 3.210.0), harvested from Infobip's own OpenAPI
endpoint; no licence is stated.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.providers.infobip import parse_infobip_feedback, parse_infobip_inbound

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

# Infobip spec: webhooks["receive-inbound-sms-messages"].post.requestBody.content["application/json"]
# .examples["Successful response"].value
SPEC_INBOUND: dict[str, Any] = {
    "results": [
        {
            "messageId": "817790313235066447",
            "from": "385916242493",
            "to": "385921004026",
            "text": "QUIZ Correct answer is Paris",
            "cleanText": "Correct answer is Paris",
            "keyword": "QUIZ",
            "receivedAt": "2019-11-09T16:00:00.000+0000",
            "smsCount": 1,
            "price": {"pricePerMessage": 0, "currency": "EUR"},
            "callbackData": "callbackData",
        }
    ],
    "messageCount": 1,
    "pendingMessageCount": 1,
}

# Infobip spec: webhooks["receive-outbound-sms-message-reports-v3"].post.requestBody.content["application/json"]
# .examples["Delivery report"].value
SPEC_REPORTS_V3: dict[str, Any] = {
    "results": [
        {
            "bulkId": "BULK-ID-123-xyz",
            "price": {"pricePerMessage": 0.01, "currency": "EUR"},
            "status": {
                "groupId": 3,
                "groupName": "DELIVERED",
                "id": 5,
                "name": "DELIVERED_TO_HANDSET",
                "description": "Message delivered to handset",
            },
            "error": {
                "groupId": 0,
                "groupName": "OK",
                "id": 0,
                "name": "NO_ERROR",
                "description": "No Error",
                "permanent": False,
            },
            "messageId": "MESSAGE-ID-123-xyz",
            "to": "41793026727",
            "sender": "InfoSMS",
            "sentAt": "2019-11-09T16:00:00.000+0100",
            "doneAt": "2019-11-09T16:00:00.000+0100",
            "messageCount": 1,
            "callbackData": "callbackData",
            "platform": {"entityId": "promotional-traffic-entity", "applicationId": "marketing-automation-application"},
        },
        {
            "bulkId": "BULK-ID-123-xyz",
            "price": {"pricePerMessage": 0.01, "currency": "EUR"},
            "status": {
                "groupId": 3,
                "groupName": "DELIVERED",
                "id": 5,
                "name": "DELIVERED_TO_HANDSET",
                "description": "Message delivered to handset",
            },
            "error": {
                "groupId": 0,
                "groupName": "OK",
                "id": 0,
                "name": "NO_ERROR",
                "description": "No Error",
                "permanent": False,
            },
            "messageId": "12db39c3-7822-4e72-a3ec-c87442c0ffc5",
            "to": "41793026834",
            "sender": "InfoSMS",
            "sentAt": "2019-11-09T17:00:00.000+0100",
            "doneAt": "2019-11-09T17:00:00.000+0100",
            "messageCount": 1,
            "platform": {"entityId": "promotional-traffic-entity", "applicationId": "marketing-automation-application"},
        },
    ]
}

# Infobip spec: webhooks["receive-outbound-sms-message-reports"] (deprecated) .examples["Delivery reports"]
# .value, its first result.
SPEC_REPORT_V1: dict[str, Any] = {
    "results": [
        {
            "bulkId": "BULK-ID-123-xyz",
            "messageId": "MESSAGE-ID-123-xyz",
            "to": "41793026727",
            "sentAt": "2019-11-09T16:00:00.000+0000",
            "doneAt": "2019-11-09T16:00:00.000+0000",
            "smsCount": 1,
            "callbackData": "callbackData",
            "price": {"pricePerMessage": 0.01, "currency": "EUR"},
            "status": {
                "groupId": 3,
                "groupName": "DELIVERED",
                "id": 5,
                "name": "DELIVERED_TO_HANDSET",
                "description": "Message delivered to handset",
            },
            "error": {
                "groupId": 0,
                "groupName": "Ok",
                "id": 0,
                "name": "NO_ERROR",
                "description": "No Error",
                "permanent": False,
            },
            "entityId": "promotional-traffic-entity",
            "applicationId": "marketing-automation-application",
        }
    ]
}


def test_spec_inbound_example_keeps_the_full_text() -> None:
    assert parse_infobip_inbound(SPEC_INBOUND, now=NOW) == [
        InboundMessage(
            request_id="817790313235066447",
            profile_number="+385916242493",
            inbound_number="+385921004026",
            text="QUIZ Correct answer is Paris",  # not cleanText: the keyword engine needs the whole message
            received_at=datetime(2019, 11, 9, 16, 0, tzinfo=UTC),
            vendor="infobip",
        )
    ]


def test_several_messages_in_one_request_keep_their_order() -> None:
    body = {
        "results": [
            {
                "messageId": "2034072219640523072",
                "from": "46701234567",
                "to": "46700000001",
                "text": "STOP",
                "cleanText": "",
                "keyword": "STOP",
                "receivedAt": "2024-05-01T12:00:00.000+0000",
                "smsCount": 1,
            },
            {
                "messageId": "2034072219640523073",
                "from": "46701234568",
                "to": "46700000001",
                "text": "Hej! Vad kostar det?",
                "receivedAt": "2024-05-01T14:00:01.500+0200",
                "smsCount": 1,
            },
            {
                "messageId": "2034072219640523074",
                "from": "447700900123",
                "to": "72345",
                "cleanText": "yes please",  # no full text: cleanText is all there is
                "smsCount": 1,
            },
        ],
        "messageCount": 3,
        "pendingMessageCount": 0,
    }
    messages = parse_infobip_inbound(json.dumps(body).encode(), now=NOW)
    assert [(m.request_id, m.profile_number, m.inbound_number, m.text, m.received_at) for m in messages] == [
        ("2034072219640523072", "+46701234567", "+46700000001", "STOP", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        (
            "2034072219640523073",
            "+46701234568",
            "+46700000001",
            "Hej! Vad kostar det?",
            datetime(2024, 5, 1, 12, 0, 1, 500000, tzinfo=UTC),
        ),
        ("2034072219640523074", "+447700900123", "72345", "yes please", NOW),  # no receivedAt: now
    ]
    assert {m.vendor for m in messages} == {"infobip"}


def test_an_empty_results_list_holds_no_message() -> None:
    assert parse_infobip_inbound({"results": [], "messageCount": 0, "pendingMessageCount": 0}, now=NOW) == []


def test_spec_reports_v3_one_event_per_result() -> None:
    assert parse_infobip_feedback(SPEC_REPORTS_V3, now=NOW) == [
        FeedbackEvent(
            client_reference="callbackData",
            status="delivered",
            status_code="DELIVERED_TO_HANDSET",
            request_id="MESSAGE-ID-123-xyz",
            vendor="infobip",
            received_at=datetime(2019, 11, 9, 15, 0, tzinfo=UTC),
            recipient="+41793026727",
        ),
        FeedbackEvent(
            client_reference=None,  # the second report has no callbackData
            status="delivered",
            status_code="DELIVERED_TO_HANDSET",
            request_id="12db39c3-7822-4e72-a3ec-c87442c0ffc5",
            vendor="infobip",
            received_at=datetime(2019, 11, 9, 16, 0, tzinfo=UTC),
            recipient="+41793026834",
        ),
    ]


def test_spec_deprecated_report_shape_parses_the_same() -> None:
    [event] = parse_infobip_feedback(SPEC_REPORT_V1, now=NOW)
    assert event == FeedbackEvent(
        client_reference="callbackData",
        status="delivered",
        status_code="DELIVERED_TO_HANDSET",
        request_id="MESSAGE-ID-123-xyz",
        vendor="infobip",
        received_at=datetime(2019, 11, 9, 16, 0, tzinfo=UTC),
        recipient="+41793026727",
    )


def test_undeliverable_report_keeps_the_error_name() -> None:
    body = copy.deepcopy(SPEC_REPORTS_V3)
    result = body["results"][0]
    result["status"] = {
        "groupId": 2,
        "groupName": "UNDELIVERABLE",
        "id": 9,
        "name": "UNDELIVERABLE_NOT_DELIVERED",
        "description": "Message sent not delivered",
    }
    result["error"] = {
        "groupId": 1,
        "groupName": "HANDSET_ERRORS",
        "id": 27,
        "name": "EC_ABSENT_SUBSCRIBER",
        "description": "Absent Subscriber",
        "permanent": False,
    }
    event = parse_infobip_feedback(body, now=NOW)[0]
    assert (event.status, event.status_code, event.error_code) == (
        "failed",
        "UNDELIVERABLE_NOT_DELIVERED",
        "EC_ABSENT_SUBSCRIBER",
    )


@pytest.mark.parametrize(
    ("group", "status"),
    [
        ("ACCEPTED", "pending"),
        ("PENDING", "pending"),
        ("DELIVERED", "delivered"),
        ("UNDELIVERABLE", "failed"),
        ("EXPIRED", "expired"),
        ("REJECTED", "rejected"),
        ("Delivered", "delivered"),
        ("LOST_IN_SPACE", "unknown"),
    ],
)
def test_status_groups_normalized(group: str, status: str) -> None:
    body = copy.deepcopy(SPEC_REPORT_V1)
    body["results"][0]["status"]["groupName"] = group
    assert parse_infobip_feedback(body, now=NOW)[0].status == status


def test_report_times_fall_back_to_sent_at_then_now() -> None:
    body = copy.deepcopy(SPEC_REPORT_V1)
    del body["results"][0]["doneAt"]
    assert parse_infobip_feedback(body, now=NOW)[0].received_at == datetime(2019, 11, 9, 16, 0, tzinfo=UTC)
    del body["results"][0]["sentAt"]
    assert parse_infobip_feedback(body, now=NOW)[0].received_at == NOW


def _inbound_with(index: int, **changes: object) -> dict[str, Any]:
    body: dict[str, Any] = {"results": [copy.deepcopy(SPEC_INBOUND["results"][0]) for _ in range(2)]}
    result = body["results"][index]
    for key, value in changes.items():
        if value is ...:
            del result[key]
        else:
            result[key] = value
    return body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"messageCount": 0}, 'Infobip inbound: "results" is missing'),
        ({"results": {"messageId": "1"}}, 'Infobip inbound: "results" must be a list, got an object'),
        ({"results": "1"}, 'Infobip inbound: "results" must be a list, got "1"'),
        ({"results": [None]}, 'Infobip inbound: "results[0]" must be an object, got null'),
        (_inbound_with(1, **{"from": ...}), 'Infobip inbound: "results[1].from" is missing'),
        (_inbound_with(0, messageId=...), 'Infobip inbound: "results[0].messageId" is missing'),
        (_inbound_with(1, to=...), 'Infobip inbound: "results[1].to" is missing'),
        (_inbound_with(1, text=..., cleanText=...), 'Infobip inbound: "results[1].text" is missing'),
        (_inbound_with(0, text=["STOP"]), 'Infobip inbound: "results[0].text" must be text, got a list'),
        (
            _inbound_with(1, receivedAt="09.11.2019 16:00"),
            'Infobip inbound: "results[1].receivedAt" must be an ISO 8601 time such as 2024-05-01T12:00:00Z or '
            'epoch seconds or milliseconds, got "09.11.2019 16:00"',
        ),
        (
            _inbound_with(1, **{"from": "InfoSMS"}),
            'Infobip inbound: "results[1].from" must be a phone number with its country code, such as '
            '+46701234567 or 46701234567, or a short code of 3-6 digits, got "InfoSMS"',
        ),
        (b"", "Infobip inbound: the body is not JSON: Expecting value at line 1 column 1"),
    ],
)
def test_malformed_inbound(body: bytes | dict[str, object], message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_infobip_inbound(body, now=NOW)
    assert str(caught.value) == message


def _report_with(**changes: object) -> dict[str, Any]:
    body = copy.deepcopy(SPEC_REPORTS_V3)
    result = body["results"][1]
    for key, value in changes.items():
        if value is ...:
            del result[key]
        else:
            result[key] = value
    return body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, 'Infobip delivery report: "results" is missing'),
        (_report_with(messageId=...), 'Infobip delivery report: "results[1].messageId" is missing'),
        (_report_with(status=...), 'Infobip delivery report: "results[1].status" is missing'),
        (
            _report_with(status="DELIVERED"),
            'Infobip delivery report: "results[1].status" must be an object, got "DELIVERED"',
        ),
        (_report_with(status={"id": 5}), 'Infobip delivery report: "results[1].status.groupName" is missing'),
        (_report_with(error=[]), 'Infobip delivery report: "results[1].error" must be an object, got a list'),
        (_report_with(callbackData=7), 'Infobip delivery report: "results[1].callbackData" must be text, got 7'),
    ],
)
def test_malformed_feedback(body: dict[str, object], message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_infobip_feedback(body, now=NOW)
    assert str(caught.value) == message
