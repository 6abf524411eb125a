"""Replies with media (MMS) from the keyword rules, through the registry to the local vendors' outboxes, and
the refusals when the webhook's credentials cannot send them."""

from __future__ import annotations

from typing import Any

import pytest

from smschannel.errors import RegistryError
from smschannel.local import LocalStack
from smschannel.registry_client import RegistryClient
from tests.support import settled

PROFILE = "+14155550123"
IMAGES = ["https://cdn.example.com/stop.png", "https://cdn.example.com/logo.png"]


def simulate(registry: RegistryClient, webhook: dict[str, Any], text: str) -> dict[str, Any]:
    result: dict[str, Any] = registry.raw("POST", f"/v1/sandboxes/{registry.sandbox}/webhook/{webhook['id']}/simulate",
                                          json={"from": PROFILE, "text": text})
    return result


def credentials(registry: RegistryClient, facts: dict[str, Any], stem: str) -> dict[str, Any]:
    vendors = facts["vendors"]
    if stem == "twilio_credentials":
        return registry.create(stem, {"name": "tw", "account_sid": vendors["twilio"]["account_sid"],
                                      "auth_token_env": "TWILIO_AUTH_TOKEN"},
                               {"auth_token": vendors["twilio"]["auth_token"]})
    if stem == "infobip_credentials":
        return registry.create(stem, {"name": "ib", "base_url": vendors["infobip"]["base_url"],
                                      "api_key_env": "INFOBIP_API_KEY", "callback_data": "acme"},
                               {"api_key": vendors["infobip"]["api_key"]})
    return registry.create(stem, {"name": "si", "service_plan_id": vendors["sinch"]["service_plan_id"],
                                  "api_token_env": "SINCH_API_TOKEN"}, {"api_token": vendors["sinch"]["api_token"]})


def test_a_twilio_reply_carries_its_images(registry: RegistryClient, facts: dict[str, Any],
                                           local_stack: LocalStack) -> None:
    cred = credentials(registry, facts, "twilio_credentials")
    webhook = registry.create("webhook", {
        "name": "in", "vendor": "twilio", "credentials_id": cred["id"],
        "sender_number": facts["vendors"]["twilio"]["phone_numbers"][0],
        "opt_out": {"keywords": ["STOP"], "reply": "You are unsubscribed.", "media": IMAGES},
        "help": {"keywords": ["HELP"], "reply": "Reply STOP to end."}}, {})
    assert webhook["reply_info"]["opt_out"] == "GSM-7, 1 segment, MMS with 2 images"
    outbox = local_stack.vendors.twilio.outbox
    before = len(outbox)
    simulate(registry, webhook, "STOP")
    simulate(registry, webhook, "HELP")
    replies = [e["reply_status"] for e in settled(registry, PROFILE)]
    assert replies[0].startswith("sent: MM") and replies[1].startswith("sent: SM"), replies
    stop, help_ = sorted(outbox[before:], key=lambda m: m.body != "You are unsubscribed.")
    assert (stop.body, stop.media_urls, stop.to) == ("You are unsubscribed.", IMAGES, PROFILE)
    assert (help_.body, help_.media_urls) == ("Reply STOP to end.", [])


def test_an_infobip_reply_goes_as_an_mms_through_the_messages_api(registry: RegistryClient, facts: dict[str, Any],
                                                                  local_stack: LocalStack) -> None:
    cred = credentials(registry, facts, "infobip_credentials")
    sender = facts["vendors"]["infobip"]["phone_numbers"][0]  # MMS-capable
    webhook = registry.create("webhook", {
        "name": "in", "vendor": "infobip", "credentials_id": cred["id"], "sender_number": sender,
        "opt_out": {"keywords": ["STOP"], "reply": "Bye.", "media": IMAGES[:1]}}, {})
    before = len(local_stack.vendors.infobip.outbox)
    simulate(registry, webhook, "STOP")
    assert settled(registry, PROFILE)[-1]["reply_status"].startswith("sent: ")
    [sent] = local_stack.vendors.infobip.outbox[before:]
    assert (sent["channel"], sent["sender"], sent["to"]) == ("MMS", sender.lstrip("+"), PROFILE.lstrip("+"))
    assert (sent["text"], sent["media_url"], sent["webhooks"]) == ("Bye.", IMAGES[0], {"callbackData": "acme"})


@pytest.mark.parametrize(("stem", "media", "message"), [
    ("sinch_credentials", IMAGES[:1],
     "opt_out.media: Sinch credentials send text replies only; images need Infobip credentials or Sinch MMS "
     "credentials or Sinch RCS credentials or Twilio credentials"),
    ("infobip_credentials", IMAGES, "opt_out.media: Infobip credentials send at most 1 image per reply, got 2"),
])
def test_media_the_credentials_cannot_send_are_refused(registry: RegistryClient, facts: dict[str, Any], stem: str,
                                                       media: list[str], message: str) -> None:
    cred = credentials(registry, facts, stem)
    vendor = {"sinch_credentials": "sinch", "infobip_credentials": "infobip"}[stem]
    with pytest.raises(RegistryError) as caught:
        registry.create("webhook", {"name": "in", "vendor": vendor, "credentials_id": cred["id"],
                                    "sender_number": "+14155550150",
                                    "opt_out": {"keywords": ["STOP"], "reply": "Bye.", "media": media}}, {})
    assert caught.value.status == 422
    assert str(caught.value) == f'smschannel_webhook "in": {message}'
