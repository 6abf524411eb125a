"""`smschannel.providers.twilio.PROVIDER` against the local Twilio over real HTTP on loopback: every
`SmsProvider` method, called directly (no registry, no Terraform)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from smschannel.errors import VendorAuthError, VendorRejected
from smschannel.inbound import FeedbackEvent, InboundMessage
from smschannel.model.provider_config import VendorEndpoints
from smschannel.model.twilio_credentials import TwilioCredentialsModel
from smschannel.providers import Credentials, SignatureRejected, WebhookRequest, provider_for
from smschannel.providers.twilio import PROVIDER, TWIML, twilio_signature
from smschannel.providers.twilio.provider import TwilioProvider
from tests.providers.support import TwilioWorld, received, run_twilio

PROFILE = "+14155550123"
URL = "http://127.0.0.1:8600/inbound/tok-twilio"
BEFORE = "https://before.example/sms"
WRONG = "0badc0de" * 4
SIGNATURE_REJECTED = ("invalid X-Twilio-Signature: the request was not signed with the account's auth token for "
                      "this URL")


@pytest.fixture(scope="module")
def world() -> Iterator[TwilioWorld]:
    yield from run_twilio()


def credentials(world: TwilioWorld, *, auth_token: str | None = None, **attributes: Any) -> Credentials:
    facts = world.facts
    return Credentials(TwilioCredentialsModel, {"account_sid": facts["account_sid"], **attributes},
                       {"auth_token": facts["auth_token"] if auth_token is None else auth_token},
                       VendorEndpoints({"twilio_url": world.url, "twilio_messaging_url": world.url}))


def service(world: TwilioWorld) -> Credentials:
    return credentials(world, messaging_service_sid=world.facts["messaging_service_sid"])


def calls(world: TwilioWorld) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in world.state.control.journal.entries()]


def signed(world: TwilioWorld, params: dict[str, str], webhook: dict[str, Any], *, token: str | None = None,
           query: str = "") -> WebhookRequest:
    url = webhook["url"] + (f"?{query}" if query else "")
    signature = twilio_signature(token or world.facts["auth_token"], url, params)
    return WebhookRequest(urlencode(params).encode(), {"x-twilio-signature": signature}, query, webhook)


def test_it_is_the_provider_of_twilio_credentials() -> None:
    assert provider_for(TwilioCredentialsModel) is PROVIDER
    assert isinstance(PROVIDER, TwilioProvider)
    assert (PROVIDER.name, PROVIDER.label, PROVIDER.manual_wiring) == ("twilio", "Twilio", None)
    assert PROVIDER.acknowledgement == (TWIML, "text/xml")


def test_verify_fetches_the_account(world: TwilioWorld) -> None:
    world.state.control.journal.clear()
    PROVIDER.verify(credentials(world))
    assert calls(world) == [("GET", f"/2010-04-01/Accounts/{world.facts['account_sid']}.json")]


def test_verify_with_a_wrong_token_keeps_twilio_s_code_and_not_the_token(world: TwilioWorld) -> None:
    sid = world.facts["account_sid"]
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.verify(credentials(world, auth_token=WRONG))
    assert str(caught.value) == (
        "Twilio rejected the credentials: error 20003: Authenticate (see https://www.twilio.com/docs/errors/20003) "
        f"[HTTP 401, GET {world.url}/2010-04-01/Accounts/{sid}.json]")
    assert (caught.value.vendor, caught.value.code, caught.value.status) == ("twilio", "20003", 401)
    assert WRONG not in str(caught.value)


def test_check_sender_against_the_account(world: TwilioWorld) -> None:
    numbers, sid = world.facts["phone_numbers"], world.facts["account_sid"]
    assert PROVIDER.check_sender(credentials(world), numbers[0]) is None
    assert PROVIDER.check_sender(credentials(world), numbers[1]) is None
    assert PROVIDER.check_sender(credentials(world), "+14155550177") == (
        f"the sender number +14155550177 does not belong to the Twilio account {sid}")


def test_check_sender_through_the_messaging_service_counts_its_numbers_only(world: TwilioWorld) -> None:
    numbers, service_sid = world.facts["phone_numbers"], world.facts["messaging_service_sid"]
    assert PROVIDER.check_sender(service(world), numbers[1]) is None
    assert PROVIDER.check_sender(service(world), numbers[0]) == (
        f"the sender number {numbers[0]} does not belong to the messaging service {service_sid}")


def test_an_alphanumeric_sender_is_not_asked_about(world: TwilioWorld) -> None:
    world.state.control.journal.clear()
    assert PROVIDER.check_sender(credentials(world), "ACME") is None
    assert PROVIDER.check_sender(credentials(world, auth_token=WRONG), "ACME") is None
    assert calls(world) == []


def test_wire_points_the_number_s_sms_url_and_unwire_restores_it(world: TwilioWorld) -> None:
    number, number_sid = world.facts["phone_numbers"][0], world.facts["number_sids"][0]
    record = world.state.numbers[number_sid]
    record.sms_url, record.sms_method = BEFORE, "GET"
    cred = credentials(world)

    wiring = PROVIDER.wire(cred, sender=number, url=URL)
    assert wiring.description == f"the SmsUrl of Twilio number {number} ({number_sid})"
    assert wiring.undo == {"kind": "twilio_number", "sid": number_sid, "url": BEFORE, "method": "GET"}
    assert not wiring.manual
    assert record.sms_url == URL
    assert PROVIDER.read_wiring(cred, wiring.undo) == URL

    assert PROVIDER.unwire(cred, wiring.undo) == f"restored the SmsUrl of Twilio number {number_sid} to {BEFORE}"
    assert (record.sms_url, record.sms_method) == (BEFORE, "GET")
    assert PROVIDER.read_wiring(cred, wiring.undo) == BEFORE


def test_unwire_of_a_number_that_had_no_url_empties_it(world: TwilioWorld) -> None:
    number, number_sid = world.facts["phone_numbers"][0], world.facts["number_sids"][0]
    record = world.state.numbers[number_sid]
    record.sms_url, record.sms_method = "", "POST"
    cred = credentials(world)
    wiring = PROVIDER.wire(cred, sender=number, url=URL)
    assert PROVIDER.unwire(cred, wiring.undo) == f"restored the SmsUrl of Twilio number {number_sid} to (empty)"
    assert record.sms_url == ""
    assert PROVIDER.read_wiring(cred, wiring.undo) == ""


def test_wire_through_the_messaging_service_and_unwire_restores_it(world: TwilioWorld) -> None:
    service_sid = world.facts["messaging_service_sid"]
    record = world.state.services[service_sid]
    record.inbound_request_url = BEFORE
    cred = service(world)

    wiring = PROVIDER.wire(cred, sender=world.facts["phone_numbers"][1], url=URL)
    assert wiring.description == f"the inbound request URL of Twilio messaging service {service_sid}"
    assert wiring.undo == {"kind": "twilio_service", "sid": service_sid, "url": BEFORE, "method": "POST"}
    assert record.inbound_request_url == URL
    assert PROVIDER.read_wiring(cred, wiring.undo) == URL

    assert PROVIDER.unwire(cred, wiring.undo) == (
        f"restored the inbound request URL of Twilio messaging service {service_sid} to {BEFORE}")
    assert record.inbound_request_url == BEFORE
    assert PROVIDER.read_wiring(cred, wiring.undo) == BEFORE


def test_wire_refuses_a_number_of_another_account(world: TwilioWorld) -> None:
    with pytest.raises(VendorRejected) as caught:
        PROVIDER.wire(credentials(world), sender="+14155550177", url=URL)
    assert str(caught.value) == f"+14155550177 is not a number of the Twilio account {world.facts['account_sid']}"
    assert caught.value.vendor == "twilio"


def test_nothing_to_unwire_or_read_without_an_undo(world: TwilioWorld) -> None:
    assert PROVIDER.unwire(credentials(world), {}) == ""
    assert PROVIDER.read_wiring(credentials(world), {}) is None


def test_send_reply_from_the_number_lands_in_the_outbox(world: TwilioWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    with PROVIDER.client(cred) as client:
        sid = PROVIDER.send_reply(client, cred, sender=number, to=PROFILE, text="You are unsubscribed.",
                                  reference="smc-tw-1")
    sent = world.state.outbox[-1]
    assert (sent.sid, sent.to, sent.from_, sent.messaging_service_sid, sent.body) == (
        sid, PROFILE, number, None, "You are unsubscribed.")
    assert sent.account_sid == world.facts["account_sid"]


def test_twilio_cannot_look_a_reply_up(world: TwilioWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    with PROVIDER.client(cred) as client:
        PROVIDER.send_reply(client, cred, sender=number, to=PROFILE, text="Hi", reference="smc-tw-lookup")
        found = PROVIDER.find_reply(client, cred, sender=number, to=PROFILE, reference="smc-tw-lookup",
                                    since=datetime.now(UTC) - timedelta(minutes=1))
    assert (PROVIDER.reply_lookup, found) == (False, None)  # no idempotency key, no reference: at least once


def test_send_reply_through_the_messaging_service_names_the_service_not_the_number(world: TwilioWorld) -> None:
    cred = service(world)
    with PROVIDER.client(cred) as client:
        sid = PROVIDER.send_reply(client, cred, sender=world.facts["phone_numbers"][1], to=PROFILE, text="Hi",
                                  reference="smc-tw-2")
    sent = world.state.outbox[-1]
    assert (sent.sid, sent.to, sent.from_, sent.messaging_service_sid, sent.body) == (
        sid, PROFILE, None, world.facts["messaging_service_sid"], "Hi")


def test_parse_a_signed_inbound_message(world: TwilioWorld) -> None:
    number = world.facts["phone_numbers"][0]
    webhook = {"url": URL, "type": "inbound", "sender_number": number}
    params = {"MessageSid": "SM" + "1" * 32, "AccountSid": world.facts["account_sid"], "From": PROFILE,
              "To": number, "Body": "STOP", "NumMedia": "0"}
    [message] = PROVIDER.parse(signed(world, params, webhook), lambda: credentials(world))
    assert isinstance(message, InboundMessage)
    assert (message.request_id, message.profile_number, message.inbound_number, message.text, message.vendor) == (
        "SM" + "1" * 32, PROFILE, number, "STOP", "twilio")


def test_parse_checks_the_signature_over_the_url_with_its_query(world: TwilioWorld) -> None:
    webhook = {"url": URL, "type": "inbound", "sender_number": world.facts["phone_numbers"][0]}
    params = {"MessageSid": "SM" + "2" * 32, "From": PROFILE, "To": webhook["sender_number"], "Body": "HELP"}
    [message] = PROVIDER.parse(signed(world, params, webhook, query="retry=1"), lambda: credentials(world))
    assert isinstance(message, InboundMessage) and message.text == "HELP"
    unsigned_query = signed(world, params, webhook)
    with pytest.raises(SignatureRejected) as caught:
        PROVIDER.parse(WebhookRequest(unsigned_query.body, unsigned_query.headers, "retry=1", webhook),
                       lambda: credentials(world))
    assert str(caught.value) == SIGNATURE_REJECTED


def test_parse_a_signed_status_callback(world: TwilioWorld) -> None:
    webhook = {"url": URL.replace("inbound", "feedback"), "type": "feedback",
               "sender_number": world.facts["phone_numbers"][0]}
    params = {"MessageSid": "SM" + "3" * 32, "MessageStatus": "undelivered", "ErrorCode": "30003", "To": PROFILE}
    [event] = PROVIDER.parse(signed(world, params, webhook), lambda: credentials(world))
    assert isinstance(event, FeedbackEvent)
    assert (event.request_id, event.status, event.status_code, event.error_code, event.recipient,
            event.client_reference, event.vendor) == (
        "SM" + "3" * 32, "failed", "undelivered", "30003", PROFILE, None, "twilio")


@pytest.mark.parametrize("case", ["another-token", "no-header", "no-credentials"])
def test_parse_rejects_a_request_twilio_did_not_sign(world: TwilioWorld, case: str) -> None:
    webhook = {"url": URL, "type": "inbound", "sender_number": world.facts["phone_numbers"][0]}
    params = {"MessageSid": "SM" + "4" * 32, "From": PROFILE, "To": webhook["sender_number"], "Body": "STOP"}
    good = signed(world, params, webhook)
    request, found = {
        "another-token": (signed(world, params, webhook, token=WRONG), credentials(world)),
        "no-header": (WebhookRequest(good.body, {}, "", webhook), credentials(world)),
        "no-credentials": (good, None),  # the webhook's credentials are gone: nothing can prove the signature
    }[case]
    with pytest.raises(SignatureRejected) as caught:
        PROVIDER.parse(request, lambda: found)
    assert str(caught.value) == SIGNATURE_REJECTED


def test_simulated_request_parses_back_to_the_same_message(world: TwilioWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    webhook = {"url": URL, "type": "inbound", "sender_number": number}
    request = PROVIDER.simulated_request(cred, webhook, profile_number=PROFILE, text="Stop texting me")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.request_id.startswith("SM") and len(request.request_id) == 34
    [message] = PROVIDER.parse(received(request, webhook), lambda: cred)
    assert isinstance(message, InboundMessage)
    assert (message.text, message.profile_number, message.request_id, message.inbound_number) == (
        "Stop texting me", PROFILE, request.request_id, number)
    with pytest.raises(SignatureRejected):  # signed with the account's token, so another's does not pass
        PROVIDER.parse(received(request, webhook), lambda: credentials(world, auth_token=WRONG))


def test_an_mms_sender_must_be_mms_capable_at_twilio(world: TwilioWorld) -> None:
    numbers, sid = world.facts["phone_numbers"], world.facts["account_sid"]
    sms_only = world.facts["sms_only_number"]
    assert PROVIDER.check_sender(credentials(world), numbers[0], channel="mms") is None
    assert PROVIDER.check_sender(credentials(world), sms_only) is None  # SMS is fine from it
    assert PROVIDER.check_sender(credentials(world), sms_only, channel="mms") == (
        f"the sender number {sms_only} of the Twilio account {sid} is not MMS-capable (Twilio says it can do: sms, "
        "voice)")
    assert PROVIDER.check_sender(service(world), numbers[1], channel="mms") is None  # the service's number can
    assert PROVIDER.check_sender(credentials(world), "ACME", channel="mms") == (
        "an alphanumeric sender ID (ACME) cannot send MMS on Twilio")


def test_send_reply_with_media_sends_an_mms(world: TwilioWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    images = ["https://cdn.example.com/a.png", "https://cdn.example.com/b.png"]
    with PROVIDER.client(cred) as client:
        sid = PROVIDER.send_reply(client, cred, sender=number, to=PROFILE,
                                  reference="smc-test-media", text="Bye.", media=images)
        sent = world.state.outbox[-1]
        assert (sent.sid, sent.body, sent.media_urls, sid.startswith("MM")) == (sid, "Bye.", images, True)
        with pytest.raises(VendorRejected, match="21606"):  # Twilio refuses media from an SMS-only number
            PROVIDER.send_reply(client, cred, sender=world.facts["sms_only_number"], to=PROFILE,
                                reference="smc-test-media", text="Bye.",
                                media=images)
