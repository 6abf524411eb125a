"""Twilio messaging webhooks: incoming messages and status callbacks (form-encoded)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.providers.twilio import parse_twilio_feedback, parse_twilio_inbound, valid_twilio_signature

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

# A real (2011-era) incoming-SMS request with its signature, from Twilio's own library tests:
# twilio/twilio-ruby, spec/util/request_validator_spec.rb ("should properly validate a Twilio SMS request"),
# commit 428b8b613e1241ca49681ead98168e2dec41553e; MIT licence. It predates MessageSid (SmsMessageSid only).
RUBY_SMS_TOKEN = "2bd9e9638872de601313dc77410d3b23"
RUBY_SMS_URL = "http://twiliotests.heroku.com/validate/sms"
RUBY_SMS_PARAMS = {
    "ToState": "CA",
    "FromState": "CA",
    "AccountSid": "ACba8bc05eacf94afdae398e642c9cc32d",
    "SmsMessageSid": "SM2003cbd5e6a3701999aa3e5f20ff2787",
    "Body": "Orly",
    "From": "+14159354345",
    "FromCity": "SAN FRANCISCO",
    "SmsStatus": "received",
    "FromZip": "94107",
    "FromCountry": "US",
    "To": "+14158141819",
    "ToCity": "SAN FRANCISCO",
    "ToZip": "94105",
    "ToCountry": "US",
    "ApiVersion": "2010-04-01",
    "SmsSid": "SM2003cbd5e6a3701999aa3e5f20ff2787",
}
RUBY_SMS_SIGNATURE = "mxeiv65lEe0b8L6LdVw2jgJi8yw="

# Today's incoming-message webhook, with the parameters Twilio's messaging webhook documents (raw body as sent).
MODERN_INBOUND = (
    b"ToCountry=US&ToState=CA&SmsMessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&NumMedia=0&ToCity=SAN+FRANCISCO"
    b"&FromZip=94105&SmsSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&FromState=CA&SmsStatus=received"
    b"&FromCity=SAN+FRANCISCO&Body=Stop+texting+me+%F0%9F%99%8F&FromCountry=US&To=%2B14155550100"
    b"&MessagingServiceSid=MG9752274e9e519418a7406176694466fa&ToZip=94105&NumSegments=1"
    b"&MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&AccountSid=AC0123456789abcdef0123456789abcdef"
    b"&From=%2B14155550123&ApiVersion=2010-04-01"
)

STATUS_UNDELIVERED = {
    "SmsSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "SmsStatus": "undelivered",
    "MessageStatus": "undelivered",
    "To": "+14155550123",
    "MessagingServiceSid": "MG9752274e9e519418a7406176694466fa",
    "MessageSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "From": "+14155550100",
    "ApiVersion": "2010-04-01",
    "ErrorCode": "30003",
}


def test_ruby_library_sms_request_parses_and_its_signature_verifies() -> None:
    assert parse_twilio_inbound(RUBY_SMS_PARAMS, now=NOW) == InboundMessage(
        request_id="SM2003cbd5e6a3701999aa3e5f20ff2787",
        profile_number="+14159354345",
        inbound_number="+14158141819",
        text="Orly",
        received_at=NOW,  # Twilio sends no time
        vendor="twilio",
    )
    assert valid_twilio_signature(RUBY_SMS_TOKEN, RUBY_SMS_URL, RUBY_SMS_PARAMS, RUBY_SMS_SIGNATURE)
    assert not valid_twilio_signature(
        RUBY_SMS_TOKEN, RUBY_SMS_URL, {**RUBY_SMS_PARAMS, "Body": "STOP"}, RUBY_SMS_SIGNATURE
    )


def test_modern_inbound_from_the_raw_body() -> None:
    assert parse_twilio_inbound(MODERN_INBOUND, now=NOW) == InboundMessage(
        request_id="SM1f0e8ae6ade43cb3c0ce4525424e404f",
        profile_number="+14155550123",
        inbound_number="+14155550100",
        text="Stop texting me \U0001f64f",
        received_at=NOW,
        vendor="twilio",
    )


def test_inbound_from_pairs_text_and_a_short_code() -> None:
    pairs = [
        ("MessageSid", "SM00000000000000000000000000000001"),
        ("From", "+447700900123"),
        ("To", "60123"),
        ("Body", ""),
    ]
    assert parse_twilio_inbound(pairs, now=NOW) == parse_twilio_inbound(urlencode(pairs), now=NOW)
    message = parse_twilio_inbound(pairs, now=NOW)
    assert (message.inbound_number, message.text) == ("60123", "")  # media-only messages have an empty Body


def test_status_callback_undelivered() -> None:
    assert parse_twilio_feedback(urlencode(STATUS_UNDELIVERED).encode(), now=NOW) == FeedbackEvent(
        client_reference=None,
        status="failed",
        status_code="undelivered",
        request_id="SM1f0e8ae6ade43cb3c0ce4525424e404f",
        vendor="twilio",
        received_at=NOW,
        recipient="+14155550123",
        error_code="30003",
    )


@pytest.mark.parametrize(
    ("message_status", "status"),
    [
        ("accepted", "pending"),
        ("scheduled", "pending"),
        ("queued", "pending"),
        ("sending", "pending"),
        ("sent", "pending"),
        ("delivered", "delivered"),
        ("read", "delivered"),
        ("undelivered", "failed"),
        ("failed", "failed"),
        ("canceled", "failed"),
        ("partially_delivered", "unknown"),
        ("received", "unknown"),
    ],
)
def test_statuses_normalized(message_status: str, status: str) -> None:
    form = {**STATUS_UNDELIVERED, "MessageStatus": message_status, "SmsStatus": message_status, "ErrorCode": ""}
    event = parse_twilio_feedback(form, now=NOW)
    assert (event.status, event.status_code, event.error_code) == (status, message_status, None)


def test_older_field_names_are_read_when_the_new_ones_are_absent() -> None:
    form = {"SmsSid": "SM2003cbd5e6a3701999aa3e5f20ff2787", "SmsStatus": "sent", "To": "+14159354345"}
    event = parse_twilio_feedback(form, now=NOW)
    assert (event.request_id, event.status, event.status_code) == (
        "SM2003cbd5e6a3701999aa3e5f20ff2787",
        "pending",
        "sent",
    )


def _without(form: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k != key}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_without(RUBY_SMS_PARAMS, "From"), 'Twilio inbound: "From" is missing'),
        (_without(RUBY_SMS_PARAMS, "To"), 'Twilio inbound: "To" is missing'),
        (_without(RUBY_SMS_PARAMS, "Body"), 'Twilio inbound: "Body" is missing'),
        (
            _without(_without(RUBY_SMS_PARAMS, "SmsMessageSid"), "SmsSid"),
            'Twilio inbound: "MessageSid" is missing',
        ),
        (
            {**RUBY_SMS_PARAMS, "From": "whatsapp:+14159354345"},
            'Twilio inbound: "From" must be a phone number with its country code, such as +46701234567 or '
            '46701234567, or a short code of 3-6 digits, got "whatsapp:+14159354345"',
        ),
        (b"From=%2B1415&Body=\xff", "Twilio inbound: the body is not form data: it is not UTF-8 text"),
        ("", 'Twilio inbound: "MessageSid" is missing'),
    ],
)
def test_malformed_inbound(body: bytes | str | dict[str, str], message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_twilio_inbound(body, now=NOW)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            _without(_without(STATUS_UNDELIVERED, "MessageStatus"), "SmsStatus"),
            'Twilio status callback: "MessageStatus" is missing',
        ),
        (
            _without(_without(STATUS_UNDELIVERED, "MessageSid"), "SmsSid"),
            'Twilio status callback: "MessageSid" is missing',
        ),
        (
            {**STATUS_UNDELIVERED, "To": "+1"},
            'Twilio status callback: "To" must be a phone number with its country code, such as +46701234567 or '
            '46701234567, or a short code of 3-6 digits, got "+1"',
        ),
    ],
)
def test_malformed_status_callback(body: dict[str, str], message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_twilio_feedback(body, now=NOW)
    assert str(caught.value) == message
