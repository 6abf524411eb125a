"""`smschannel.providers.sinch.PROVIDER` against the local Sinch over real HTTP on loopback: every
`SmsProvider` method, called directly (no registry, no Terraform)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from smschannel.errors import VendorAuthError
from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.model.provider_config import VendorEndpoints
from smschannel.model.sinch_credentials import SinchCredentialsModel
from smschannel.providers import Credentials, WebhookRequest, provider_for
from smschannel.providers.sinch import PROVIDER
from tests.providers.support import SinchWorld, received, run_sinch

PROFILE = "+14155550123"
URL = "http://127.0.0.1:8600/inbound/tok-sinch"
WRONG = "0badc0de" * 4
MANUAL = "the callback URL of the Sinch service plan (Sinch dashboard > SMS > Service APIs)"


@pytest.fixture(scope="module")
def world() -> Iterator[SinchWorld]:
    yield from run_sinch()


def credentials(world: SinchWorld, *, api_token: str | None = None) -> Credentials:
    return Credentials(SinchCredentialsModel, {"service_plan_id": world.facts["service_plan_id"], "region": "us"},
                       {"api_token": world.facts["api_token"] if api_token is None else api_token},
                       VendorEndpoints({"sinch_url": world.url}))


def webhook(world: SinchWorld) -> dict[str, str]:
    return {"url": URL, "type": "inbound", "sender_number": world.facts["phone_numbers"][0]}


def post(world: SinchWorld, body: object) -> WebhookRequest:
    return WebhookRequest(json.dumps(body).encode(), {"content-type": "application/json"}, "", webhook(world))


def test_it_is_the_provider_of_sinch_credentials() -> None:
    assert provider_for(SinchCredentialsModel) is PROVIDER
    assert (PROVIDER.name, PROVIDER.label, PROVIDER.manual_wiring, PROVIDER.acknowledgement) == (
        "sinch", "Sinch", MANUAL, None)


def test_verify_lists_the_service_plan_s_batches(world: SinchWorld) -> None:
    world.state.control.journal.clear()
    PROVIDER.verify(credentials(world))
    assert [(r.method, r.path) for r in world.state.control.journal.entries()] == [
        ("GET", f"/xms/v1/{world.facts['service_plan_id']}/batches")]


def test_verify_with_a_wrong_token_keeps_sinch_s_code_and_not_the_token(world: SinchWorld) -> None:
    plan = world.facts["service_plan_id"]
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.verify(credentials(world, api_token=WRONG))
    assert str(caught.value) == (f"Sinch rejected the credentials: error unauthorized: Unauthorized "
                                 f"[HTTP 401, GET {world.url}/xms/v1/{plan}/batches]")
    assert (caught.value.vendor, caught.value.code, caught.value.status) == ("sinch", "unauthorized", 401)
    assert WRONG not in str(caught.value)


def test_check_sender_cannot_tell_numbers_apart_so_it_verifies_the_credentials(world: SinchWorld) -> None:
    for sender in (world.facts["phone_numbers"][0], "+14155550177", "ACME"):
        assert PROVIDER.check_sender(credentials(world), sender) is None
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.check_sender(credentials(world, api_token=WRONG), "+14155550177")
    assert caught.value.code == "unauthorized"


def test_wire_is_manual_and_there_is_nothing_to_read_or_undo(world: SinchWorld) -> None:
    world.state.control.journal.clear()
    wiring = PROVIDER.wire(credentials(world), sender=world.facts["phone_numbers"][0], url=URL)
    assert wiring.manual and wiring.undo == {}
    assert wiring.description == f"set by hand: paste {URL} into {MANUAL}"
    assert PROVIDER.read_wiring(credentials(world), wiring.undo) is None
    assert PROVIDER.unwire(credentials(world), wiring.undo) == ""
    assert world.state.control.journal.entries() == []  # Sinch has no API for it: nothing was asked


def test_send_reply_lands_in_the_outbox_as_a_batch(world: SinchWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    with PROVIDER.client(cred) as client:
        batch_id = PROVIDER.send_reply(client, cred, sender=number, to=PROFILE, text="You are unsubscribed.",
                                       reference="smc-si-1")
    sent = world.state.outbox[-1]
    assert (sent["id"], sent["from"], sent["to"], sent["body"], sent["service_plan_id"]) == (
        batch_id, number, [PROFILE], "You are unsubscribed.", world.facts["service_plan_id"])
    assert sent["client_reference"] == "smc-si-1"


def test_find_reply_finds_a_send_by_its_client_reference(world: SinchWorld) -> None:
    cred, number = credentials(world), world.facts["phone_numbers"][0]
    since = datetime.now(UTC) - timedelta(minutes=1)
    with PROVIDER.client(cred) as client:
        batch_id = PROVIDER.send_reply(client, cred, sender=number, to=PROFILE, text="Hi", reference="smc-find-1")
        found = PROVIDER.find_reply(client, cred, sender=number, to=PROFILE, reference="smc-find-1", since=since)
        never = PROVIDER.find_reply(client, cred, sender=number, to=PROFILE, reference="smc-never", since=since)
        later = PROVIDER.find_reply(client, cred, sender=number, to=PROFILE, reference="smc-find-1",
                                    since=datetime.now(UTC) + timedelta(minutes=1))
    assert PROVIDER.reply_lookup is True
    assert (found, never, later) == (batch_id, None, None)


def test_parse_an_inbound_message(world: SinchWorld) -> None:
    number = world.facts["phone_numbers"][0]
    body = {"type": "mo_text", "id": "01FC66621XXXXX119Z8PMV1QPQ", "from": PROFILE[1:], "to": number[1:],
            "body": "Stop", "received_at": "2026-11-25T10:00:00Z"}
    [message] = PROVIDER.parse(post(world, body), lambda: None)  # Sinch signs nothing: no credentials needed
    assert isinstance(message, InboundMessage)
    assert (message.request_id, message.profile_number, message.inbound_number, message.text, message.vendor) == (
        "01FC66621XXXXX119Z8PMV1QPQ", PROFILE, number, "Stop", "sinch")
    assert message.received_at.isoformat() == "2026-11-25T10:00:00+00:00"


def test_parse_a_delivery_report_on_the_same_webhook(world: SinchWorld) -> None:
    body = {"type": "delivery_report_sms", "batch_id": "01FC66621XXXXX119Z8PMV1QPQ", "total_message_count": 2,
            "statuses": [{"code": 0, "status": "Delivered", "count": 1, "recipients": [PROFILE[1:]]},
                         {"code": 402, "status": "Failed", "count": 1, "recipients": ["14155550124"]}],
            "client_reference": "campaign-42"}
    events = PROVIDER.parse(post(world, body), lambda: None)
    assert all(isinstance(e, FeedbackEvent) for e in events)
    assert [(e.request_id, e.client_reference, e.status, e.status_code, e.recipient) for e in events
            if isinstance(e, FeedbackEvent)] == [
        ("01FC66621XXXXX119Z8PMV1QPQ", "campaign-42", "delivered", "0", PROFILE),
        ("01FC66621XXXXX119Z8PMV1QPQ", "campaign-42", "failed", "402", "+14155550124")]


def test_parse_a_malformed_body(world: SinchWorld) -> None:
    with pytest.raises(PayloadError) as caught:
        PROVIDER.parse(post(world, {"type": "mo_text", "id": "x", "to": "14155550150", "body": "hi"}), lambda: None)
    assert str(caught.value) == 'Sinch inbound: "from" is missing'


def test_simulated_request_parses_back_to_the_same_message(world: SinchWorld) -> None:
    cred = credentials(world)
    request = PROVIDER.simulated_request(cred, webhook(world), profile_number=PROFILE, text="CANCIL")
    assert request.headers == {"Content-Type": "application/json"}
    [message] = PROVIDER.parse(received(request, webhook(world)), lambda: cred)
    assert isinstance(message, InboundMessage)
    assert (message.text, message.profile_number, message.request_id, message.inbound_number) == (
        "CANCIL", PROFILE, request.request_id, world.facts["phone_numbers"][0])
