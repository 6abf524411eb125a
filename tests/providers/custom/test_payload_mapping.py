"""Custom vendors: the path syntax, `payload_mapping` validation, and parsing through a mapping."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from smschannel.errors import Problem
from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.model.payload_mapping import PayloadMapping, WebhookType, validate_payload_mapping
from smschannel.model.payload_paths import PayloadPath
from smschannel.providers.custom import custom_status, parse_custom_feedback, parse_custom_inbound

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
PATH_RULE = "must be a path such as data.text or data.messages[0].text, got "

# -- paths ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "steps", "shown"),
    [
        ("text", ("text",), "text"),
        ("data.text", ("data", "text"), "data.text"),
        ("$.data.text", ("data", "text"), "data.text"),
        ("data.messages[0].text", ("data", "messages", 0, "text"), "data.messages[0].text"),
        ("$.data.messages[12].text", ("data", "messages", 12, "text"), "data.messages[12].text"),
        ("$[0].from", (0, "from"), "[0].from"),
        ("[1]", (1,), "[1]"),
        ("data.0", ("data", "0"), "data.0"),  # a key named "0", not an index
        ('data["sender.number"]', ("data", "sender.number"), 'data["sender.number"]'),
        ("data['sender number']", ("data", "sender number"), 'data["sender number"]'),
        ("a['say \"hi\"']", ("a", 'say "hi"'), "a['say \"hi\"']"),
        ("event.@type", ("event", "@type"), 'event["@type"]'),
        ("  data.text  ", ("data", "text"), "data.text"),
        ("données.texte", ("données", "texte"), "données.texte"),
    ],
)
def test_paths_parse(text: str, steps: tuple[str | int, ...], shown: str) -> None:
    path = PayloadPath.parse(text)
    assert path.steps == steps
    assert str(path) == shown
    assert PayloadPath.parse(str(path)) == path


@pytest.mark.parametrize(
    "text",
    [
        "",
        "$",
        "$.",
        ".data",
        "data.",
        "data..text",
        "$data",
        "data[0]text",
        "data[-1]",
        "data[x]",
        "data[]",
        'data[""]',
        "data. text",
        "data text",
        'data["open',
        "data.messages[0",
    ],
)
def test_paths_refused(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        PayloadPath.parse(text)
    assert str(caught.value) == PATH_RULE + json.dumps(text, ensure_ascii=False)


DOCUMENT: dict[str, Any] = {"data": {"messages": [{"text": "STOP", "n": None}], "kind": "sms"}}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("data.messages[0].text", "STOP"),
        ("data.kind", "sms"),
        ("data.messages[0].n", None),
        ("data.messages", [{"text": "STOP", "n": None}]),
    ],
)
def test_paths_resolve(path: str, value: object) -> None:
    assert PayloadPath.parse(path).resolve(DOCUMENT) == value


# -- mapping validation ---------------------------------------------------------------------------------

INBOUND_MAPPING = {
    "message": "$.data.message.text",
    "profile_number": "data.message.from",
    "request_id": "data.id",
    "timestamp": "data.message.received",
    "inbound_number": "data.message.to",
}
FEEDBACK_MAPPING = {
    "client_reference": "report.reference",
    "status": "report.state",
    "status_code": "report.code",
    "request_id": "report.message_id",
    "timestamp": "report.done_at",
}


def test_complete_mappings_are_valid() -> None:
    assert validate_payload_mapping(INBOUND_MAPPING, webhook_type="inbound") == []
    assert validate_payload_mapping(FEEDBACK_MAPPING, webhook_type="feedback") == []


def test_minimal_mappings_are_valid() -> None:
    assert validate_payload_mapping({"message": "text", "profile_number": "from"}, webhook_type="inbound") == []
    assert validate_payload_mapping({"client_reference": "ref", "status": "s"}, webhook_type="feedback") == []
    assert validate_payload_mapping({"client_reference": "ref", "status_code": "c"}, webhook_type="feedback") == []


def _messages(mapping: object, webhook_type: WebhookType) -> list[str]:
    problems = validate_payload_mapping(mapping, webhook_type=webhook_type)
    for problem in problems:
        assert problem.message.startswith(problem.attribute + " ")  # every message starts with its field
    return [problem.message for problem in problems]


@pytest.mark.parametrize(
    ("mapping", "webhook_type", "messages"),
    [
        (
            {},
            "inbound",
            [
                "payload_mapping.message is required: the path to the message text, such as data.text",
                "payload_mapping.profile_number is required: the path to the sender's phone number, such as data.from",
            ],
        ),
        (
            None,
            "feedback",
            [
                "payload_mapping.client_reference is required: the path to our reference given when sending, "
                "such as data.reference",
                "payload_mapping.status or payload_mapping.status_code is required: the path to the delivery "
                "status, such as data.status",
            ],
        ),
        (
            {**INBOUND_MAPPING, "message": "data..text"},
            "inbound",
            ['payload_mapping.message must be a path such as data.text or data.messages[0].text, got "data..text"'],
        ),
        (
            {**INBOUND_MAPPING, "timestamp": 5},
            "inbound",
            ["payload_mapping.timestamp must be a path such as data.text or data.messages[0].text, got 5"],
        ),
        (
            {**INBOUND_MAPPING, "profile_number": None},
            "inbound",
            ["payload_mapping.profile_number is required: the path to the sender's phone number, such as data.from"],
        ),
        (
            {**INBOUND_MAPPING, "inbound_number": "$.data.message.from"},
            "inbound",
            [
                "payload_mapping.inbound_number points to data.message.from, as payload_mapping.profile_number "
                "does; each field needs its own path"
            ],
        ),
        (
            {**INBOUND_MAPPING, "status": "data.status", "Message": "text"},
            "inbound",
            [
                "payload_mapping.status is not a field of an inbound webhook's mapping; the fields are message, "
                "profile_number, request_id, timestamp, inbound_number",
                "payload_mapping.Message is not a field of an inbound webhook's mapping; the fields are message, "
                "profile_number, request_id, timestamp, inbound_number",
            ],
        ),
        (
            {**FEEDBACK_MAPPING, "message": "text"},
            "feedback",
            [
                "payload_mapping.message is not a field of a feedback webhook's mapping; the fields are "
                "client_reference, status, status_code, request_id, timestamp"
            ],
        ),
        (
            ["message", "text"],
            "inbound",
            ["payload_mapping must be an object of field names and paths, got a list"],
        ),
        (
            '{"message": "text"}',
            "inbound",
            ['payload_mapping must be an object of field names and paths, got "{\\"message\\": \\"text\\"}"'],
        ),
    ],
)
def test_mapping_problems(mapping: object, webhook_type: WebhookType, messages: list[str]) -> None:
    assert _messages(mapping, webhook_type) == messages


def test_problems_name_their_attribute() -> None:
    assert validate_payload_mapping({"profile_number": "from"}, webhook_type="inbound") == [
        Problem(
            "payload_mapping.message",
            "payload_mapping.message is required: the path to the message text, such as data.text",
        )
    ]


def test_an_invalid_mapping_cannot_be_built() -> None:
    with pytest.raises(ValueError) as caught:
        PayloadMapping.build({"message": "text"}, webhook_type="inbound")
    assert str(caught.value) == (
        "payload_mapping.profile_number is required: the path to the sender's phone number, such as data.from"
    )


def test_a_mapping_built_for_one_webhook_type_is_refused_for_the_other() -> None:
    mapping = PayloadMapping.build(FEEDBACK_MAPPING, webhook_type="feedback")
    with pytest.raises(ValueError, match="this payload mapping is for a feedback webhook, not inbound"):
        parse_custom_inbound({}, mapping)


# -- parsing inbound ------------------------------------------------------------------------------------

INBOUND_BODY: dict[str, Any] = {
    "data": {
        "id": "msg-7f3c",
        "message": {
            "text": "STOPP",
            "from": "46701234567",
            "to": "+46 70 000 00 01",
            "received": "2024-05-01T14:00:00+02:00",
        },
    }
}


def test_parse_inbound_through_a_full_mapping() -> None:
    expected = InboundMessage(
        request_id="msg-7f3c",
        profile_number="+46701234567",
        inbound_number="+46700000001",
        text="STOPP",
        received_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        vendor="custom",
    )
    assert parse_custom_inbound(INBOUND_BODY, INBOUND_MAPPING, now=NOW) == expected
    assert parse_custom_inbound(json.dumps(INBOUND_BODY).encode(), INBOUND_MAPPING, now=NOW) == expected
    built = PayloadMapping.build(INBOUND_MAPPING, webhook_type="inbound")
    assert parse_custom_inbound(json.dumps(INBOUND_BODY), built, now=NOW) == expected


def test_parse_inbound_from_a_list_body_with_numbers_and_epoch_milliseconds() -> None:
    body = [{"sms": {"body": 1234, "msisdn": 46701234567, "ts": 1714564800000, "id": 99}}]
    mapping = {
        "message": "$[0].sms.body",
        "profile_number": "[0].sms.msisdn",
        "timestamp": "$[0].sms.ts",
        "request_id": "[0].sms.id",
    }
    assert parse_custom_inbound(body, mapping, sender_number="72345", now=NOW) == InboundMessage(
        request_id="99",
        profile_number="+46701234567",
        inbound_number="72345",  # the webhook's sender number: inbound_number is not mapped
        text="1234",
        received_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        vendor="custom",
    )


def test_without_a_request_id_the_body_hash_identifies_the_request() -> None:
    mapping = {"message": "text", "profile_number": "from"}
    body = {"from": "+46701234567", "text": "STOP"}
    same_body_reordered = '{"text": "STOP", "from": "+46701234567"}'
    first = parse_custom_inbound(body, mapping, sender_number="+46700000001", now=NOW)
    again = parse_custom_inbound(same_body_reordered, mapping, sender_number="+46700000001", now=NOW)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    assert first.request_id == again.request_id == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    other = parse_custom_inbound({**body, "text": "START"}, mapping, sender_number="+46700000001", now=NOW)
    assert other.request_id != first.request_id
    assert first.received_at == NOW


def test_mapped_optional_fields_absent_in_a_request_fall_back() -> None:
    body = {"data": {"message": {"text": "HELP", "from": "+46701234567"}}}
    message = parse_custom_inbound(body, INBOUND_MAPPING, sender_number="+46700000001", now=NOW)
    assert (message.inbound_number, message.received_at, message.request_id[:7]) == ("+46700000001", NOW, "sha256:")


def _inbound_error(body: object, mapping: dict[str, str] = INBOUND_MAPPING, sender_number: str | None = None) -> str:
    with pytest.raises(PayloadError) as caught:
        parse_custom_inbound(body, mapping, sender_number=sender_number, now=NOW)
    return str(caught.value)


def _with_message(**changes: object) -> dict[str, Any]:
    message = {**INBOUND_BODY["data"]["message"], **changes}
    return {"data": {**INBOUND_BODY["data"], "message": {k: v for k, v in message.items() if v is not ...}}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            _with_message(text=...),
            'Custom inbound: "data.message.text" (payload_mapping.message) is missing',
        ),
        (
            _with_message(text=None),
            'Custom inbound: "data.message.text" (payload_mapping.message) is missing',
        ),
        (
            {"data": {"message": "STOP"}},
            'Custom inbound: "data.message.text" (payload_mapping.message) is missing: data.message is text, '
            "not an object",
        ),
        (
            {"data": []},
            'Custom inbound: "data.message.text" (payload_mapping.message) is missing: data is a list, not an object',
        ),
        (
            _with_message(text={"value": "STOP"}),
            'Custom inbound: "data.message.text" (payload_mapping.message) must be text, got an object',
        ),
        (
            _with_message(text=True),
            'Custom inbound: "data.message.text" (payload_mapping.message) must be text, got true',
        ),
        (
            _with_message(**{"from": ...}),
            'Custom inbound: "data.message.from" (payload_mapping.profile_number) is missing',
        ),
        (
            _with_message(**{"from": "0701234567"}),
            'Custom inbound: "data.message.from" (payload_mapping.profile_number) must be a phone number with its '
            'country code, such as +46701234567 or 46701234567, or a short code of 3-6 digits, got "0701234567"',
        ),
        (
            _with_message(received="1st of May"),
            'Custom inbound: "data.message.received" (payload_mapping.timestamp) must be an ISO 8601 time such as '
            '2024-05-01T12:00:00Z or epoch seconds or milliseconds, got "1st of May"',
        ),
        (
            {**INBOUND_BODY, "data": {**INBOUND_BODY["data"], "id": ["a"]}},
            'Custom inbound: "data.id" (payload_mapping.request_id) must be text, got a list',
        ),
        (b"\x00", "Custom inbound: the body is not JSON: Expecting value at line 1 column 1"),
    ],
)
def test_malformed_inbound(body: object, message: str) -> None:
    assert _inbound_error(body) == message


def test_list_index_out_of_range_is_missing() -> None:
    mapping = {"message": "data.messages[1].text", "profile_number": "data.messages[0].from"}
    body = {"data": {"messages": [{"text": "STOP", "from": "+46701234567"}]}}
    assert _inbound_error(body, mapping, sender_number="72345") == (
        'Custom inbound: "data.messages[1].text" (payload_mapping.message) is missing'
    )


def test_an_optional_path_through_the_wrong_kind_of_value_is_an_error() -> None:
    body = {"data": {"id": "x", "message": {"text": "STOP", "from": "+46701234567", "to": ["+46700000001"]}}}
    mapping = {**INBOUND_MAPPING, "inbound_number": "data.message.to.number"}
    assert _inbound_error(body, mapping) == (
        'Custom inbound: "data.message.to.number" (payload_mapping.inbound_number) is missing: data.message.to is '
        "a list, not an object"
    )


def test_no_inbound_number_anywhere() -> None:
    mapping = {"message": "text", "profile_number": "from"}
    assert _inbound_error({"text": "STOP", "from": "+46701234567"}, mapping) == (
        "Custom inbound: payload_mapping.inbound_number is not set, and the webhook has no sender number"
    )
    body = _with_message(to=...)
    assert _inbound_error(body) == (
        'Custom inbound: "data.message.to" (payload_mapping.inbound_number) is missing, and the webhook has no '
        "sender number"
    )


# -- parsing feedback -----------------------------------------------------------------------------------

FEEDBACK_BODY: dict[str, Any] = {
    "report": {
        "reference": "campaign-42:profile-7",
        "state": "DELIVRD",
        "code": 0,
        "message_id": "b1f4",
        "done_at": 1714564800,
    }
}


def test_parse_feedback_through_a_full_mapping() -> None:
    assert parse_custom_feedback(FEEDBACK_BODY, FEEDBACK_MAPPING, now=NOW) == FeedbackEvent(
        client_reference="campaign-42:profile-7",
        status="delivered",
        status_code="0",
        request_id="b1f4",
        vendor="custom",
        received_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    )


def test_feedback_with_only_a_status_word_keeps_it_as_the_code() -> None:
    event = parse_custom_feedback(
        {"ref": "r1", "s": "Undelivered"}, {"client_reference": "ref", "status": "s"}, now=NOW
    )
    assert (event.status, event.status_code, event.received_at) == ("failed", "Undelivered", NOW)


def test_feedback_with_only_a_code_normalizes_the_code() -> None:
    mapping = {"client_reference": "ref", "status_code": "c"}
    assert parse_custom_feedback({"ref": "r1", "c": "EXPIRED"}, mapping, now=NOW).status == "expired"
    assert parse_custom_feedback({"ref": "r1", "c": 3}, mapping, now=NOW).status == "unknown"


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("delivered", "delivered"),
        ("DELIVRD", "delivered"),
        ("Delivered to handset", "delivered"),
        ("success", "delivered"),
        ("UNDELIV", "failed"),
        ("undeliverable", "failed"),
        ("error", "failed"),
        ("cancelled", "failed"),
        ("ENROUTE", "pending"),
        ("ACCEPTD", "pending"),
        ("queued", "pending"),
        ("sent", "pending"),
        ("EXPIRED", "expired"),
        ("REJECTD", "rejected"),
        ("rejected", "rejected"),
        ("UNKNOWN", "unknown"),
        ("  ", "unknown"),
        ("on-its-way", "unknown"),
    ],
)
def test_custom_status_words(word: str, status: str) -> None:
    assert custom_status(word) == status


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"report": {**FEEDBACK_BODY["report"], "reference": None}},
            'Custom feedback: "report.reference" (payload_mapping.client_reference) is missing',
        ),
        (
            {"report": {"reference": "r1", "code": 0}},
            'Custom feedback: "report.state" (payload_mapping.status) is missing',
        ),
        (
            {"report": {"reference": "r1", "state": "DELIVRD"}},
            'Custom feedback: "report.code" (payload_mapping.status_code) is missing',
        ),
        (
            {"report": {**FEEDBACK_BODY["report"], "state": ["DELIVRD"]}},
            'Custom feedback: "report.state" (payload_mapping.status) must be text, got a list',
        ),
        (
            {"report": {**FEEDBACK_BODY["report"], "done_at": -5}},
            'Custom feedback: "report.done_at" (payload_mapping.timestamp) must be an ISO 8601 time such as '
            "2024-05-01T12:00:00Z or epoch seconds or milliseconds, got -5",
        ),
        ("[1, 2", "Custom feedback: the body is not JSON: Expecting ',' delimiter at line 1 column 6"),
    ],
)
def test_malformed_feedback(body: object, message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_custom_feedback(body, FEEDBACK_MAPPING, now=NOW)
    assert str(caught.value) == message
