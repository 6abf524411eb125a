"""Credentials settings that do what they say: Sinch's `override_url` on the batches smschannel sends, an
`inbound_number` checked against the vendor and routing the messages sent to it to its own sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from smschannel.errors import RegistryError
from smschannel.local import LocalStack
from smschannel.registry_client import RegistryClient
from tests.support import settled

PROFILE = "+14155550123"
REPORTS = "https://reports.example.com/sinch"


def sinch_credentials(registry: RegistryClient, facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    si = facts["vendors"]["sinch"]
    return registry.create("sinch_credentials", {"name": "si", "service_plan_id": si["service_plan_id"],
                                                 "api_token_env": "SINCH_API_TOKEN", **over},
                           {"api_token": si["api_token"]})


def sinch_webhook(registry: RegistryClient, credentials_id: str, sender: str) -> dict[str, Any]:
    return registry.create("webhook", {"name": "in", "vendor": "sinch", "credentials_id": credentials_id,
                                       "sender_number": sender,
                                       "opt_out": {"keywords": ["STOP"], "reply": "You are unsubscribed."}}, {})


def sinch_mo(webhook: dict[str, Any], to: str, request_id: str, text: str = "STOP") -> httpx.Response:
    body = {"type": "mo_text", "id": request_id, "from": PROFILE.lstrip("+"), "to": to.lstrip("+"), "body": text,
            "received_at": "2026-11-29T10:00:00.000Z", "operator_id": "00000"}
    return httpx.post(webhook["url"], content=json.dumps(body), headers={"Content-Type": "application/json"})


def history(registry: RegistryClient) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = registry.raw(
        "GET", f"/v1/sandboxes/{registry.sandbox}/consent/history", params={"profile_number": PROFILE})["data"]
    return data


def test_sinch_override_url_receives_the_delivery_reports_of_replies(registry: RegistryClient, facts: dict[str, Any],
                                                                     local_stack: LocalStack) -> None:
    sender = facts["vendors"]["sinch"]["phone_numbers"][0]
    cred = sinch_credentials(registry, facts, override_url=REPORTS)
    webhook = sinch_webhook(registry, cred["id"], sender)
    assert webhook["wired_to"].endswith(f"(for inbound messages: the delivery reports of the replies smschannel sends "
                                        f"go to the credentials' override_url {REPORTS})")
    before = len(local_stack.vendors.sinch.outbox)
    assert sinch_mo(webhook, sender, "01OVERRIDE00000000000000001").status_code == 200
    settled(registry, PROFILE)
    [batch] = local_stack.vendors.sinch.outbox[before:]
    assert (batch["body"], batch["to"], batch["from"]) == ("You are unsubscribed.", [PROFILE], sender)
    assert (batch["callback_url"], batch["delivery_report"]) == (REPORTS, "per_recipient")

    plain = sinch_credentials(registry, facts, name="plain")
    registry.update("webhook", webhook["id"], {"credentials_id": plain["id"]}, {})
    sinch_mo(webhook, sender, "01OVERRIDE00000000000000002")
    settled(registry, PROFILE)
    assert "callback_url" not in local_stack.vendors.sinch.outbox[-1]  # the dashboard's URL applies


def test_an_inbound_number_must_belong_to_the_account(registry: RegistryClient, facts: dict[str, Any]) -> None:
    tw = facts["vendors"]["twilio"]
    with pytest.raises(RegistryError) as caught:
        registry.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"],
                                               "auth_token_env": "TWILIO_AUTH_TOKEN", "inbound_number": "+14155550177"},
                        {"auth_token": tw["auth_token"]})
    assert caught.value.status == 422
    assert str(caught.value) == (f'smschannel_twilio_credentials "tw": inbound_number: the sender number +14155550177 '
                                 f'does not belong to the Twilio account {tw["account_sid"]}')
    made = registry.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"],
                                                  "auth_token_env": "TWILIO_AUTH_TOKEN",
                                                  "inbound_number": tw["phone_numbers"][1]},
                           {"auth_token": tw["auth_token"]})
    with pytest.raises(RegistryError, match=r'^smschannel_twilio_credentials "tw": inbound_number: the sender number '
                                            r"\+14155550199 does not belong"):
        registry.update("twilio_credentials", made["id"], {"inbound_number": "+14155550199"}, {})
    ib = facts["vendors"]["infobip"]
    with pytest.raises(RegistryError, match=r"inbound_number: the sender number \+14155550177 does not belong to the "
                                            "Infobip account"):
        registry.create("infobip_credentials", {"name": "ib", "base_url": ib["base_url"], "api_key_env": "K",
                                                "inbound_number": "+14155550177"}, {"api_key": ib["api_key"]})


@pytest.fixture
def second(registry: RegistryClient, facts: dict[str, Any]) -> Iterator[RegistryClient]:
    client = RegistryClient(registry.endpoint, facts["registry"]["token"], sandbox=f"{registry.sandbox}-b")
    yield client
    client.close()


def test_one_sinch_callback_url_serves_each_sandbox_its_inbound_number(
        registry: RegistryClient, second: RegistryClient, facts: dict[str, Any], local_stack: LocalStack) -> None:
    """One service plan, used in two sandboxes, each with its own inbound number: Sinch calls the one URL set in
    its dashboard (sandbox a's webhook); each message lands in the sandbox of the number it was sent to."""
    number_a, number_b = facts["vendors"]["sinch"]["phone_numbers"][0], "+14155550151"
    webhook_a = sinch_webhook(registry, sinch_credentials(registry, facts, inbound_number=number_a)["id"], number_a)
    webhook_b = sinch_webhook(second, sinch_credentials(second, facts, inbound_number=number_b)["id"], number_b)
    before = len(local_stack.vendors.sinch.outbox)

    assert sinch_mo(webhook_a, number_b, "01ROUTED000000000000000001").status_code == 200
    assert history(registry) == []
    [routed] = settled(second, PROFILE)
    assert (routed["request_id"], routed["webhook_id"], routed["sender_number"]) == (
        "01ROUTED000000000000000001", webhook_b["id"], number_b)
    assert local_stack.vendors.sinch.outbox[before]["from"] == number_b  # the reply comes from b's number

    assert sinch_mo(webhook_a, number_a, "01ROUTED000000000000000002").status_code == 200
    assert [e["request_id"] for e in history(registry)] == ["01ROUTED000000000000000002"]
    # A number no credentials claim stays with the webhook the vendor called.
    assert sinch_mo(webhook_a, "+14155550159", "01ROUTED000000000000000003").status_code == 200
    assert [e["request_id"] for e in history(registry)][-1] == "01ROUTED000000000000000003"


def test_another_account_s_inbound_number_does_not_capture_messages(
        registry: RegistryClient, second: RegistryClient, facts: dict[str, Any], local_stack: LocalStack) -> None:
    """Routing stays inside one vendor account: credentials of another service plan claiming the number get
    nothing from this plan's callbacks."""
    other_plan = local_stack.vendors.sinch.add_plan(numbers=["+14155550152"])
    number_a = facts["vendors"]["sinch"]["phone_numbers"][0]
    webhook_a = sinch_webhook(registry, sinch_credentials(registry, facts, inbound_number=number_a)["id"], number_a)
    other = second.create("sinch_credentials", {"name": "other", "service_plan_id": other_plan.id,
                                                "api_token_env": "T", "inbound_number": "+14155550152"},
                          {"api_token": other_plan.api_token})
    sinch_webhook(second, other["id"], "+14155550152")
    assert sinch_mo(webhook_a, "+14155550152", "01FOREIGN00000000000000001").status_code == 200
    assert [e["request_id"] for e in history(registry)] == ["01FOREIGN00000000000000001"]
    assert history(second) == []
