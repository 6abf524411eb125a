"""`smschannel.providers.sinch_conversation.PROVIDER` (Sinch MMS and Sinch RCS credentials) against the
local Sinch Conversation API and the local Sinch (the SMS plan RCS falls back to) over real HTTP on
loopback: every `SmsProvider` method, called directly (no registry, no Terraform)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from smschannel.errors import VendorAuthError
from smschannel.inbound import InboundMessage, PayloadError
from smschannel.model.provider_config import VendorEndpoints
from smschannel.model.sinch_mms_credentials import SinchMmsCredentialsModel, SinchRcsCredentialsModel
from smschannel.providers import Credentials, WebhookRequest, provider_for
from smschannel.providers.sinch_conversation import PROVIDER
from tests.providers.support import SinchWorld, received, run_sinch
from tests.providers.vendor_worlds import SinchConversationWorld, run_sinch_conversation

PROFILE = "+14155550123"
NUMBER = "+14155550150"
URL = "http://127.0.0.1:8600/inbound/tok-conversation"
WRONG = "0badc0de" * 4
MANUAL = "the webhook of the Conversation API app (Sinch dashboard > Conversation API > Apps)"


@dataclass
class Worlds:
    conversation: SinchConversationWorld
    sinch: SinchWorld

    @property
    def endpoints(self) -> VendorEndpoints:
        return VendorEndpoints({"sinch_conversation_url": self.conversation.url, "sinch_url": self.sinch.url})

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for state in (self.conversation.state, self.sinch.state)
                for r in state.control.journal.entries()]

    def clear_calls(self) -> None:
        for state in (self.conversation.state, self.sinch.state):
            state.control.journal.clear()


@pytest.fixture(scope="module")
def worlds() -> Iterator[Worlds]:
    for conversation in run_sinch_conversation():  # each yields once, then stops its server
        for sinch in run_sinch():
            yield Worlds(conversation, sinch)


def mms(worlds: Worlds, *, api_token: str | None = None) -> Credentials:
    facts = worlds.conversation.facts
    return Credentials(SinchMmsCredentialsModel,
                       {"project_id": facts["project_id"], "app_id": facts["mms_app_id"], "region": "us"},
                       {"api_token": facts["api_token"] if api_token is None else api_token}, worlds.endpoints)


def rcs(worlds: Worlds, *, api_token: str | None = None, sms_api_token: str | None = None) -> Credentials:
    facts, sms = worlds.conversation.facts, worlds.sinch.facts
    return Credentials(SinchRcsCredentialsModel,
                       {"project_id": facts["project_id"], "app_id": facts["rcs_app_id"], "region": "us",
                        "service_plan_id": sms["service_plan_id"]},
                       {"api_token": facts["api_token"] if api_token is None else api_token,
                        "sms_api_token": sms["api_token"] if sms_api_token is None else sms_api_token},
                       worlds.endpoints)


def webhook() -> dict[str, str]:
    return {"url": URL, "type": "inbound", "sender_number": NUMBER}


def test_it_is_the_provider_of_sinch_mms_and_rcs_credentials() -> None:
    assert provider_for(SinchMmsCredentialsModel) is PROVIDER
    assert provider_for(SinchRcsCredentialsModel) is PROVIDER
    assert (PROVIDER.name, PROVIDER.label, PROVIDER.manual_wiring, PROVIDER.acknowledgement) == (
        "sinch_conversation", "Sinch Conversation API", MANUAL, None)


def test_verify_mms_reads_the_app_and_rcs_also_the_sms_plan(worlds: Worlds) -> None:
    facts, plan = worlds.conversation.facts, worlds.sinch.facts["service_plan_id"]
    worlds.clear_calls()
    PROVIDER.verify(mms(worlds))
    assert worlds.calls() == [("GET", f"/v1/projects/{facts['project_id']}/apps/{facts['mms_app_id']}")]
    worlds.clear_calls()
    PROVIDER.verify(rcs(worlds))
    assert worlds.calls() == [("GET", f"/v1/projects/{facts['project_id']}/apps/{facts['rcs_app_id']}"),
                              ("GET", f"/xms/v1/{plan}/batches")]


def test_verify_with_a_wrong_conversation_token_keeps_the_api_s_code(worlds: Worlds) -> None:
    facts = worlds.conversation.facts
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.verify(mms(worlds, api_token=WRONG))
    assert str(caught.value) == (
        "Sinch Conversation API rejected the credentials: error UNAUTHENTICATED: Request had invalid credentials. "
        f"[HTTP 401, GET {worlds.conversation.url}/v1/projects/{facts['project_id']}/apps/{facts['mms_app_id']}]")
    assert (caught.value.code, caught.value.status) == ("UNAUTHENTICATED", 401)
    assert WRONG not in str(caught.value)


def test_verify_rcs_with_a_wrong_sms_token_names_the_sms_plan(worlds: Worlds) -> None:
    plan = worlds.sinch.facts["service_plan_id"]
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.verify(rcs(worlds, sms_api_token=WRONG))
    assert str(caught.value) == (f"Sinch rejected the credentials: error unauthorized: Unauthorized "
                                 f"[HTTP 401, GET {worlds.sinch.url}/xms/v1/{plan}/batches]")
    assert (caught.value.vendor, caught.value.code) == ("sinch", "unauthorized")
    assert WRONG not in str(caught.value)


def test_check_sender_verifies_the_credentials(worlds: Worlds) -> None:
    assert PROVIDER.check_sender(rcs(worlds), NUMBER) is None
    assert PROVIDER.check_sender(mms(worlds), "ACME") is None
    with pytest.raises(VendorAuthError) as caught:
        PROVIDER.check_sender(mms(worlds, api_token=WRONG), NUMBER)
    assert caught.value.code == "UNAUTHENTICATED"


def test_wire_is_manual_and_there_is_nothing_to_read_or_undo(worlds: Worlds) -> None:
    worlds.clear_calls()
    wiring = PROVIDER.wire(rcs(worlds), sender=NUMBER, url=URL)
    assert wiring.manual and wiring.undo == {}
    assert wiring.description == f"set by hand: paste {URL} into {MANUAL}"
    assert PROVIDER.read_wiring(rcs(worlds), wiring.undo) is None
    assert PROVIDER.unwire(rcs(worlds), wiring.undo) == ""
    assert worlds.calls() == []


def test_send_reply_lands_in_the_outbox_as_a_conversation_message(worlds: Worlds) -> None:
    cred, facts = rcs(worlds), worlds.conversation.facts
    with PROVIDER.client(cred) as client:
        message_id = PROVIDER.send_reply(client, cred, sender=NUMBER, to=PROFILE, text="You are unsubscribed.",
                                         reference="smc-conv-1")
    sent = worlds.conversation.state.outbox[-1]
    assert (sent["message_id"], sent["project_id"], sent["app_id"]) == (
        message_id, facts["project_id"], facts["rcs_app_id"])
    assert sent["message"] == {"text_message": {"text": "You are unsubscribed."}}
    assert sent["recipient"] == {"identified_by": {"channel_identities": [
        {"channel": "RCS", "identity": PROFILE}, {"channel": "SMS", "identity": PROFILE}]}}
    assert (sent["channel_priority_order"], sent["channel"]) == (["RCS", "SMS"], "RCS")


def test_an_rcs_reply_to_a_phone_without_rcs_falls_back_to_sms_at_sinch(worlds: Worlds) -> None:
    """Sinch switches channels itself: the phone cannot take RCS, so the app's SMS channel carries it."""
    cred = rcs(worlds)
    worlds.conversation.state.no_rcs.add(PROFILE)
    try:
        with PROVIDER.client(cred) as client:
            PROVIDER.send_reply(client, cred, sender=NUMBER, to=PROFILE, reference="smc-test-media", text="Bye.")
    finally:
        worlds.conversation.state.no_rcs.discard(PROFILE)
    assert worlds.conversation.state.outbox[-1]["channel"] == "SMS"


def test_an_rcs_reply_the_conversation_api_refuses_goes_through_the_sms_service_plan(worlds: Worlds) -> None:
    """The app lost its RCS channel: the Conversation API refuses the message (400), so the reply goes as an
    SMS batch through the credentials' own service plan, its media as links."""
    cred, app = rcs(worlds), worlds.conversation.state.apps[worlds.conversation.facts["rcs_app_id"]]
    sent_before = len(worlds.conversation.state.outbox)
    app.channels.remove("RCS")
    try:
        with PROVIDER.client(cred) as client:
            batch_id = PROVIDER.send_reply(client, cred, sender=NUMBER, to=PROFILE,
                                           reference="smc-test-media", text="Bye.",
                                           media=["https://cdn.example.com/bye.png"])
    finally:
        app.channels.insert(0, "RCS")
    assert len(worlds.conversation.state.outbox) == sent_before  # nothing went out on the refused route
    batch = worlds.sinch.state.outbox[-1]
    assert (batch["id"], batch["from"], batch["to"]) == (batch_id, NUMBER, [PROFILE])
    assert batch["body"] == "Bye.\nhttps://cdn.example.com/bye.png"
    assert batch["service_plan_id"] == worlds.sinch.facts["service_plan_id"]


def test_send_reply_over_mms_credentials_uses_the_app_s_mms_channel(worlds: Worlds) -> None:
    """The MMS app has no SMS channel: a reply sent on SMS was refused with `channel SMS is not configured
    for app ...` (a bug: replies over Sinch MMS credentials never went out)."""
    cred, facts = mms(worlds), worlds.conversation.facts
    with PROVIDER.client(cred) as client:
        message_id = PROVIDER.send_reply(client, cred, sender=NUMBER, to=PROFILE, text="Bye.", reference="smc-conv-2")
    sent = worlds.conversation.state.outbox[-1]
    assert (sent["message_id"], sent["app_id"], sent["channel_priority_order"]) == (
        message_id, facts["mms_app_id"], ["MMS"])
    assert sent["message"] == {"text_message": {"text": "Bye."}}


def test_an_mms_reply_with_an_image_sends_the_text_then_the_media(worlds: Worlds) -> None:
    cred = mms(worlds)
    with PROVIDER.client(cred) as client:
        message_id = PROVIDER.send_reply(client, cred, sender=NUMBER, to=PROFILE,
                                         reference="smc-test-media", text="Bye.",
                                         media=["https://cdn.example.com/bye.png"])
    text, image = worlds.conversation.state.outbox[-2:]
    assert text["message"] == {"text_message": {"text": "Bye."}}
    assert image["message"] == {"media_message": {"url": "https://cdn.example.com/bye.png"}}
    assert (image["message_id"], image["channel"]) == (message_id, "MMS")


def test_parse_a_contact_message(worlds: Worlds) -> None:
    body = {"app_id": worlds.conversation.facts["rcs_app_id"], "accepted_time": "2026-11-25T10:00:00Z",
            "message": {"id": "01MSGID", "direction": "TO_APP", "accept_time": "2026-11-25T10:00:01Z",
                        "contact_message": {"text_message": {"text": "STOP"}},
                        "channel_identity": {"channel": "RCS", "identity": PROFILE[1:]}}}
    request = WebhookRequest(json.dumps(body).encode(), {}, "", webhook())
    [message] = PROVIDER.parse(request, lambda: None)
    assert isinstance(message, InboundMessage)
    assert (message.request_id, message.profile_number, message.inbound_number, message.text, message.vendor) == (
        "01MSGID", PROFILE, NUMBER, "STOP", "sinch")
    assert message.received_at.isoformat() == "2026-11-25T10:00:01+00:00"


def test_parse_refuses_a_delivery_event_it_has_no_use_for(worlds: Worlds) -> None:
    """The Conversation API's webhooks carry contact messages only (the app has no feedback webhook)."""
    body = {"app_id": worlds.conversation.facts["rcs_app_id"],
            "message_delivery_report": {"message_id": "01MSGID", "status": "DELIVERED"}}
    with pytest.raises(PayloadError) as caught:
        PROVIDER.parse(WebhookRequest(json.dumps(body).encode(), {}, "", webhook()), lambda: None)
    assert str(caught.value) == 'Sinch Conversation inbound: "message" is missing'


def test_simulated_request_parses_back_to_the_same_message(worlds: Worlds) -> None:
    cred = rcs(worlds)
    request = PROVIDER.simulated_request(cred, webhook(), profile_number=PROFILE, text="UNSUBSCRIBE")
    assert json.loads(request.body)["app_id"] == worlds.conversation.facts["rcs_app_id"]
    [message] = PROVIDER.parse(received(request, webhook()), lambda: cred)
    assert isinstance(message, InboundMessage)
    assert (message.text, message.profile_number, message.request_id, message.inbound_number) == (
        "UNSUBSCRIBE", PROFILE, request.request_id, NUMBER)

