"""`smschannel.providers.infobip.PROVIDER` against the local Infobip over real HTTP on loopback: every
`SmsProvider` method, called directly (no registry, no Terraform)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from smschannel.emulators import InfobipConfigurationRecord
from smschannel.errors import VendorAuthError, VendorRejected
from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.model.infobip_credentials import InfobipCredentialsModel
from smschannel.providers import Credentials, WebhookRequest, provider_for
from smschannel.providers.infobip import PROVIDER
from tests.providers.support import received
from tests.providers.vendor_worlds import InfobipWorld, run_infobip

PROFILE = "+14155550123"
URL = "http://127.0.0.1:8600/inbound/tok-infobip"
BEFORE = "https://before.example/mo"
WRONG = "0badc0de" * 4


@pytest.fixture(scope="module")
def world() -> Iterator[InfobipWorld]:
    yield from run_infobip()


@pytest.fixture
def fresh(world: InfobipWorld) -> Iterator[InfobipWorld]:
    """The module's Infobip with no inbound configuration before and after the test."""
    world.state.configurations.clear()
    yield world
    world.state.configurations.clear()


def credentials(world: InfobipWorld, *, api_key: str | None = None, **attributes: Any) -> Credentials:
    return Credentials(InfobipCredentialsModel, {"base_url": world.url, **attributes},
                       {"api_key": world.facts["api_key"] if api_key is None else api_key})


def calls(world: InfobipWorld) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in world.state.control.journal.entries()]


def configurations(world: InfobipWorld) -> list[tuple[str, str | None, str | None]]:
    """(number, keyword, forwarding URL) of each inbound configuration at the local Infobip."""
    return sorted((c.number, c.keyword, (c.forwarding or {}).get("url")) for c in world.state.configurations.values())


def configure(world: InfobipWorld, number: str, url: str, *, keyword: str | None = None) -> InfobipConfigurationRecord:
    account = world.state.accounts[world.facts["api_key"]]
    return world.state.upsert_configuration(account.id, channel="SMS", number=number, keyword=keyword,
                                            forwarding={"type": "HTTP_FORWARD", "url": url, "format": "MO_JSON_2"})


def test_it_is_the_provider_of_infobip_credentials() -> None:
    assert provider_for(InfobipCredentialsModel) is PROVIDER
    assert (PROVIDER.name, PROVIDER.label, PROVIDER.manual_wiring, PROVIDER.acknowledgement) == (
        "infobip", "Infobip", None, None)


def test_verify_reads_the_balance(world: InfobipWorld) -> None:
    world.state.control.journal.clear()
    PROVIDER.verify(credentials(world))
    assert calls(world) == [("GET", "/account/1/balance")]


def test_verify_with_a_wrong_key_keeps_infobip_s_code_and_not_the_key(world: InfobipWorld) -> None:
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.verify(credentials(world, api_key=WRONG))
    assert str(caught.value) == ("Infobip rejected the credentials: error UNAUTHORIZED: Invalid login details "
                                 f"[HTTP 401, GET {world.url}/account/1/balance]")
    assert (caught.value.vendor, caught.value.code, caught.value.status) == ("infobip", "UNAUTHORIZED", 401)
    assert WRONG not in str(caught.value)


def test_check_sender_against_the_account_s_numbers(world: InfobipWorld) -> None:
    numbers = world.facts["phone_numbers"]
    assert PROVIDER.check_sender(credentials(world), numbers[0]) is None
    assert PROVIDER.check_sender(credentials(world), numbers[1]) is None
    assert PROVIDER.check_sender(credentials(world), "+14155550177") == (
        f"the sender number +14155550177 does not belong to the Infobip account at {world.url}")


def test_an_alphanumeric_sender_is_not_asked_about(world: InfobipWorld) -> None:
    world.state.control.journal.clear()
    assert PROVIDER.check_sender(credentials(world, api_key=WRONG), "ACME") is None
    assert calls(world) == []


def test_wire_creates_a_configuration_and_unwire_deletes_it(fresh: InfobipWorld) -> None:
    number, cred = fresh.facts["phone_numbers"][0], credentials(fresh)
    wiring = PROVIDER.wire(cred, sender=number, url=URL)
    [record] = fresh.state.configurations.values()
    assert wiring.description == f"Infobip inbound message configuration {record.configuration_key} for {number}"
    assert wiring.undo == {"kind": "infobip", "key": record.configuration_key, "number": number, "url": None}
    assert configurations(fresh) == [(number, None, URL)]
    assert PROVIDER.read_wiring(cred, wiring.undo) == URL

    assert PROVIDER.unwire(cred, wiring.undo) == (
        f"deleted Infobip inbound message configuration {record.configuration_key}")
    assert configurations(fresh) == []
    assert PROVIDER.read_wiring(cred, wiring.undo) == ""


def test_unwire_restores_where_the_number_forwarded_before(fresh: InfobipWorld) -> None:
    number, cred = fresh.facts["phone_numbers"][0], credentials(fresh)
    before = configure(fresh, number, BEFORE)
    wiring = PROVIDER.wire(cred, sender=number, url=URL)
    assert wiring.undo == {"kind": "infobip", "key": before.configuration_key, "number": number, "url": BEFORE}
    assert configurations(fresh) == [(number, None, URL)]  # Infobip's POST updated the one there was
    assert PROVIDER.read_wiring(cred, wiring.undo) == URL

    assert PROVIDER.unwire(cred, wiring.undo) == (
        f"restored the Infobip inbound configuration of {number} to forward to {BEFORE}")
    assert configurations(fresh) == [(number, None, BEFORE)]
    assert PROVIDER.read_wiring(cred, wiring.undo) == BEFORE


def test_send_reply_carries_the_credentials_options(world: InfobipWorld) -> None:
    cred = credentials(world, validity_period_hours=6, callback_data="order-7")
    number = world.facts["phone_numbers"][0]
    with PROVIDER.client(cred) as client:
        message_id = PROVIDER.send_reply(client, cred, sender=number, to=PROFILE, text="You are unsubscribed.",
                                         reference="smc-ib-1")
    sent = world.state.outbox[-1]
    assert (sent["messageId"], sent["sender"], sent["to"], sent["text"]) == (  # Infobip writes no plus
        message_id, number[1:], PROFILE[1:], "You are unsubscribed.")
    assert sent["options"] == {"validityPeriod": {"amount": 6, "timeUnit": "HOURS"}}
    assert sent["webhooks"] == {"callbackData": "order-7"}
    assert message_id == "smc-ib-1"  # the reference is the message's ID at Infobip


def test_find_reply_finds_a_send_in_the_sms_logs(world: InfobipWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    since = datetime.now(UTC) - timedelta(minutes=1)
    with PROVIDER.client(cred) as client:
        PROVIDER.send_reply(client, cred, sender=number, to=PROFILE, text="Hi", reference="smc-find-1")
        found = PROVIDER.find_reply(client, cred, sender=number, to=PROFILE, reference="smc-find-1", since=since)
        never = PROVIDER.find_reply(client, cred, sender=number, to=PROFILE, reference="smc-never", since=since)
    assert PROVIDER.reply_lookup is True
    assert (found, never) == ("smc-find-1", None)


def test_parse_inbound_results_with_several_messages(world: InfobipWorld) -> None:
    number = world.facts["phone_numbers"][0]
    body = {"results": [
        {"messageId": "ib-1", "from": PROFILE[1:], "to": number[1:], "text": "STOP", "cleanText": "",
         "keyword": "STOP", "receivedAt": "2026-11-25T10:00:00.000+0000", "smsCount": 1},
        {"messageId": "ib-2", "from": "14155550124", "to": number[1:], "text": "HELP me", "cleanText": "me",
         "keyword": "HELP", "receivedAt": "2026-11-25T10:00:01.000+0000", "smsCount": 1}],
        "messageCount": 2, "pendingMessageCount": 0}
    webhook = {"url": URL, "type": "inbound", "sender_number": number}
    parsed = PROVIDER.parse(WebhookRequest(json.dumps(body).encode(), {}, "", webhook), lambda: None)
    assert [(m.request_id, m.profile_number, m.inbound_number, m.text) for m in parsed
            if isinstance(m, InboundMessage)] == [
        ("ib-1", PROFILE, number, "STOP"), ("ib-2", "+14155550124", number, "HELP me")]
    assert len(parsed) == 2


def test_parse_delivery_reports_on_a_feedback_webhook(world: InfobipWorld) -> None:
    body = {"results": [{"messageId": "ib-out-1", "to": PROFILE[1:], "callbackData": "order-7",
                         "sentAt": "2026-11-25T10:00:00.000+0000", "doneAt": "2026-11-25T10:00:02.000+0000",
                         "smsCount": 1, "status": {"groupId": 5, "groupName": "REJECTED", "id": 6,
                                                   "name": "REJECTED_NETWORK", "description": "rejected"},
                         "error": {"groupId": 1, "groupName": "HANDSET_ERRORS", "id": 27,
                                   "name": "EC_ABSENT_SUBSCRIBER", "permanent": False}}]}
    webhook = {"url": URL.replace("inbound", "feedback"), "type": "feedback",
               "sender_number": world.facts["phone_numbers"][0]}
    [event] = PROVIDER.parse(WebhookRequest(json.dumps(body).encode(), {}, "", webhook), lambda: None)
    assert isinstance(event, FeedbackEvent)
    assert (event.request_id, event.client_reference, event.status, event.status_code, event.error_code,
            event.recipient, event.received_at.isoformat()) == (
        "ib-out-1", "order-7", "rejected", "REJECTED_NETWORK", "EC_ABSENT_SUBSCRIBER", PROFILE,
        "2026-11-25T10:00:02+00:00")


def test_parse_a_malformed_body(world: InfobipWorld) -> None:
    webhook = {"url": URL, "type": "inbound", "sender_number": world.facts["phone_numbers"][0]}
    with pytest.raises(PayloadError) as caught:
        PROVIDER.parse(WebhookRequest(b'{"messageCount": 1}', {}, "", webhook), lambda: None)
    assert str(caught.value) == 'Infobip inbound: "results" is missing'


def test_simulated_request_parses_back_to_the_same_message(world: InfobipWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    webhook = {"url": URL, "type": "inbound", "sender_number": number}
    request = PROVIDER.simulated_request(cred, webhook, profile_number=PROFILE, text="stop all")
    assert json.loads(request.body)["results"][0]["keyword"] == "STOP"
    [message] = PROVIDER.parse(received(request, webhook), lambda: cred)
    assert isinstance(message, InboundMessage)
    assert (message.text, message.profile_number, message.request_id, message.inbound_number) == (
        "stop all", PROFILE, request.request_id, number)


def test_unwire_leaves_the_number_s_keyword_configurations_alone(fresh: InfobipWorld) -> None:
    """A configuration for one keyword is not what `wire` replaced (it forwards every other message):
    `unwire` deletes the configuration `wire` made and keeps the keyword's. It used to take the keyword's
    URL for the one replaced, and "restored" every message to forward there."""
    number, cred = fresh.facts["phone_numbers"][0], credentials(fresh)
    configure(fresh, number, "https://join.example/mo", keyword="JOIN")
    wiring = PROVIDER.wire(cred, sender=number, url=URL)
    made = next(c for c in fresh.state.configurations.values() if c.keyword is None)
    assert wiring.undo == {"kind": "infobip", "key": made.configuration_key, "number": number, "url": None}
    assert PROVIDER.read_wiring(cred, wiring.undo) == URL

    assert PROVIDER.unwire(cred, wiring.undo) == (
        f"deleted Infobip inbound message configuration {made.configuration_key}")
    assert configurations(fresh) == [(number, "JOIN", "https://join.example/mo")]


def test_an_mms_sender_must_be_mms_capable_at_infobip(world: InfobipWorld) -> None:
    capable, sms_only = world.facts["phone_numbers"]
    assert PROVIDER.check_sender(credentials(world), capable, channel="mms") is None
    assert PROVIDER.check_sender(credentials(world), sms_only, channel="mms") == (
        f"the sender number {sms_only} of the Infobip account at {world.url} is not MMS-capable (Infobip says it "
        "can do: SMS)")
    assert PROVIDER.check_sender(credentials(world), "ACME", channel="mms") == (
        "an alphanumeric sender ID (ACME) cannot send MMS on Infobip")


def test_send_reply_with_an_image_goes_through_the_messages_api(world: InfobipWorld) -> None:
    cred = credentials(world, validity_period_hours=6, callback_data="order-7")
    number = world.facts["phone_numbers"][0]
    with PROVIDER.client(cred) as client:
        message_id = PROVIDER.send_reply(client, cred, sender=number, to=PROFILE,
                                         reference="smc-test-media", text="Bye.",
                                         media=["https://cdn.example.com/a.png"])
        sent = world.state.outbox[-1]
        assert (sent["messageId"], sent["channel"], sent["text"], sent["media_url"]) == (
            message_id, "MMS", "Bye.", "https://cdn.example.com/a.png")
        assert (sent["options"], sent["webhooks"]) == ({"validityPeriod": {"amount": 6, "timeUnit": "HOURS"}},
                                                       {"callbackData": "order-7"})
        with pytest.raises(VendorRejected, match="an Infobip MMS carries one image, got 2 media URLs"):
            PROVIDER.send_reply(client, cred, sender=number, to=PROFILE, reference="smc-test-media", text="Bye.",
                                media=["https://cdn.example.com/a.png", "https://cdn.example.com/b.png"])
