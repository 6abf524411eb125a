"""From a vendor-shaped HTTP request to the stored decision, the consent and the reply in the local
vendor's outbox: every vendor format, retried callbacks, bad signatures, malformed bodies."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from typer.testing import CliRunner

from smschannel.cli import app
from smschannel.errors import RegistryError
from smschannel.local import LocalStack
from smschannel.providers.twilio import twilio_signature
from smschannel.registry import storage
from smschannel.registry_client import RegistryClient
from tests.support import settled

PROFILE = "+14155550123"
RULES = {
    "opt_out": {"keywords": ["STOP", "CANCEL", "END", "QUIT", "UNSUBSCRIBE"], "reply": "You are unsubscribed."},
    "opt_in": {"keywords": ["START", "YES", "UNSTOP"], "reply": "Welcome back."},
    "help": {"keywords": ["HELP", "INFO"], "reply": "Acme: reply STOP to end."},
    "fuzzy_opt_out": True, "fuzzy_auto_reply": "Did you mean to unsubscribe? Reply YES to confirm.",
}


def twilio_webhook(registry: RegistryClient, facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    tw = facts["vendors"]["twilio"]
    cred = registry.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"],
                                                  "auth_token_env": "TWILIO_AUTH_TOKEN"},
                           {"auth_token": tw["auth_token"]})
    return registry.create("webhook", {"name": "in", "vendor": "twilio", "credentials_id": cred["id"],
                                       "sender_number": tw["phone_numbers"][0], **RULES, **over}, {})


def twilio_post(facts: dict[str, Any], webhook: dict[str, Any], text: str, sid: str,
                *, token: str | None = None) -> httpx.Response:
    params = {"MessageSid": sid, "AccountSid": facts["vendors"]["twilio"]["account_sid"], "From": PROFILE,
              "To": webhook["sender_number"], "Body": text, "NumMedia": "0"}
    signature = twilio_signature(token or facts["vendors"]["twilio"]["auth_token"], webhook["url"], params)
    return httpx.post(webhook["url"], content=urlencode(params),
                      headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})


def history(registry: RegistryClient) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = registry.raw(
        "GET", f"/v1/sandboxes/{registry.sandbox}/consent/history", params={"profile_number": PROFILE})["data"]
    return data


def outbox_to(stack: LocalStack, number: str) -> list[str]:
    return [m.body for m in stack.vendors.twilio.outbox if m.to == number]


def test_twilio_stop_fuzzy_confirm_start_help(registry: RegistryClient, facts: dict[str, Any],
                                             local_stack: LocalStack) -> None:
    webhook = twilio_webhook(registry, facts)
    before = len(local_stack.vendors.twilio.outbox)
    steps = [("STOP", "opt_out", "opted_out", "You are unsubscribed."),
             ("start", "opt_in", "opted_in", "Welcome back."),
             ("CANCIL", "fuzzy_prompt", "opted_in", RULES["fuzzy_auto_reply"]),
             ("YES", "opt_out", "opted_out", "You are unsubscribed."),  # confirms the pending opt-out
             ("Help!", "help", "opted_out", "Acme: reply STOP to end."),
             ("what time is it", "none", "opted_out", None)]
    for index, (text, action, consent, reply) in enumerate(steps):
        answer = twilio_post(facts, webhook, text, f"SM{index:032d}")
        assert answer.status_code == 200 and "<Response></Response>" in answer.text
        event = history(registry)[-1]
        assert (event["text"], event["action"], event["reply"]) == (text, action, reply)
        assert event["request_id"] == f"SM{index:032d}"
        current = registry.raw("GET", f"/v1/sandboxes/{registry.sandbox}/consent",
                               params={"profile_number": PROFILE})["data"][0]
        assert current["status"] == consent
    settled(registry, PROFILE)
    sent = [m for m in local_stack.vendors.twilio.outbox[before:]]
    assert [m.body for m in sent] == [r for *_, r in steps if r]
    assert all(m.to == PROFILE and m.from_ == webhook["sender_number"] for m in sent)


def test_a_retried_callback_changes_nothing_and_sends_nothing(registry: RegistryClient, facts: dict[str, Any],
                                                              local_stack: LocalStack) -> None:
    webhook = twilio_webhook(registry, facts)
    sent = len(local_stack.vendors.twilio.outbox)
    assert twilio_post(facts, webhook, "STOP", "SM" + "a" * 32).status_code == 200
    assert twilio_post(facts, webhook, "START", "SM" + "a" * 32).status_code == 200  # same ID: a retry
    assert [e["action"] for e in history(registry)] == ["opt_out"]
    settled(registry, PROFILE)
    assert len(local_stack.vendors.twilio.outbox) == sent + 1


def test_bad_signature_is_403_and_stores_nothing(registry: RegistryClient, facts: dict[str, Any]) -> None:
    webhook = twilio_webhook(registry, facts)
    answer = twilio_post(facts, webhook, "STOP", "SM" + "b" * 32, token="0" * 32)
    assert answer.status_code == 403
    assert answer.json() == {"detail": "invalid X-Twilio-Signature: the request was not signed with the account's "
                                       "auth token for this URL"}
    assert history(registry) == []


def test_unknown_webhook_is_404(facts: dict[str, Any]) -> None:
    answer = httpx.post(f"{facts['registry']['url']}/inbound/not-a-token", content=b"{}")
    assert answer.status_code == 404 and answer.json() == {"detail": "unknown webhook"}


def sinch_webhook(registry: RegistryClient, facts: dict[str, Any]) -> dict[str, Any]:
    si = facts["vendors"]["sinch"]
    cred = registry.create("sinch_credentials", {"name": "si", "service_plan_id": si["service_plan_id"],
                                                 "api_token_env": "SINCH_API_TOKEN"}, {"api_token": si["api_token"]})
    return registry.create("webhook", {"name": "si-in", "vendor": "sinch", "credentials_id": cred["id"],
                                       "sender_number": si["phone_numbers"][0], **RULES}, {})


def test_sinch_inbound_and_delivery_reports_share_one_webhook(registry: RegistryClient, facts: dict[str, Any],
                                                              local_stack: LocalStack) -> None:
    webhook = sinch_webhook(registry, facts)
    mo = {"type": "mo_text", "id": "01FC66621XXXXX119Z8PMV1QPQ", "from": PROFILE[1:],
          "to": webhook["sender_number"][1:], "body": "Stop", "received_at": "2026-11-25T10:00:00Z"}
    answer = httpx.post(webhook["url"], json=mo)
    assert answer.status_code == 200 and answer.json()["outcomes"][0]["action"] == "opt_out"
    settled(registry, PROFILE)
    batch = local_stack.vendors.sinch.outbox[-1]
    assert batch["to"] == [PROFILE] and batch["from"] == webhook["sender_number"]
    assert batch["body"] == "You are unsubscribed."

    report = {"type": "delivery_report_sms", "batch_id": "01FC66621XXXXX119Z8PMV1QPQ", "total_message_count": 1,
              "statuses": [{"code": 0, "status": "Delivered", "count": 1, "recipients": [PROFILE[1:]]}],
              "client_reference": "campaign-42"}
    assert httpx.post(webhook["url"], json=report).status_code == 200
    assert httpx.post(webhook["url"], json=report).json()["new_delivery_reports"] == 0  # a retry
    stored = registry.raw("GET", f"/v1/sandboxes/{registry.sandbox}/deliveries",
                          params={"client_reference": "campaign-42"})["data"]
    assert [(d["status"], d["status_code"], d["recipient"]) for d in stored] == [("delivered", "0", PROFILE)]


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"not json", "Sinch callback: the body is not JSON: Expecting value at line 1 column 1"),
     (json.dumps({"type": "mo_text", "id": "x", "to": "14155550150", "body": "hi"}).encode(),
      'Sinch inbound: "from" is missing')],
)
def test_malformed_bodies_are_400_and_store_nothing(registry: RegistryClient, facts: dict[str, Any], body: bytes,
                                                   message: str) -> None:
    webhook = sinch_webhook(registry, facts)
    answer = httpx.post(webhook["url"], content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(message)
    assert history(registry) == []


def test_consent_needs_its_scope(facts: dict[str, Any], local_stack: LocalStack, sandbox: str) -> None:
    assert local_stack.services is not None
    with local_stack.services.db.session() as session:
        token = storage.create_token(session, "no consent", {sandbox: ["sms_settings.read"]})
    answer = httpx.get(f"{facts['registry']['url']}/v1/sandboxes/{sandbox}/consent",
                       headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
    assert answer.json() == {"detail": f"the token lacks the scope consent.read on sandbox {sandbox}"}


def test_cli_simulate_prints_one_json_object(registry: RegistryClient, facts: dict[str, Any],
                                             env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    twilio_webhook(registry, facts)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    result = runner.invoke(app, ["inbound", "simulate", "--webhook", "in", "--from", PROFILE, "--json", "CANCIL"])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)
    assert outcome["action"] == "fuzzy_prompt" and outcome["reply"] == RULES["fuzzy_auto_reply"]
    assert outcome["consent"] is None and outcome["pending"] == "fuzzy_confirm"
    result = runner.invoke(app, ["inbound", "simulate", "--webhook", "in", "--from", PROFILE, "YES"])
    assert result.exit_code == 0, result.output
    assert "'YES' from +14155550123: opt_out (keyword YES)" in result.output
    assert "consent: opted_out" in result.output
    missing = runner.invoke(app, ["inbound", "simulate", "--webhook", "nope", "--from", PROFILE, "HI"])
    assert missing.exit_code == 1
    assert missing.output.strip() == f"Error: no webhook named nope in sandbox {registry.sandbox} (webhooks: in)"


def test_infobip_results_may_hold_several_messages(registry: RegistryClient, facts: dict[str, Any],
                                                  local_stack: LocalStack) -> None:
    ib = facts["vendors"]["infobip"]
    cred = registry.create("infobip_credentials", {"name": "ib", "base_url": ib["base_url"],
                                                   "api_key_env": "INFOBIP_API_KEY"}, {"api_key": ib["api_key"]})
    webhook = registry.create("webhook", {"name": "ib-in", "vendor": "infobip", "credentials_id": cred["id"],
                                          "sender_number": ib["phone_numbers"][0], **RULES}, {})
    body = {"results": [
        {"messageId": "ib-1", "from": PROFILE[1:], "to": ib["phone_numbers"][0][1:], "text": "STOP",
         "cleanText": "", "keyword": "STOP", "receivedAt": "2026-11-25T10:00:00.000+0000", "smsCount": 1},
        {"messageId": "ib-2", "from": "14155550124", "to": ib["phone_numbers"][0][1:], "text": "HELP",
         "cleanText": "", "keyword": "HELP", "receivedAt": "2026-11-25T10:00:01.000+0000", "smsCount": 1}],
        "messageCount": 2, "pendingMessageCount": 0}
    sent = len(local_stack.vendors.infobip.outbox)
    answer = httpx.post(webhook["url"], json=body)
    assert answer.status_code == 200
    assert [o["action"] for o in answer.json()["outcomes"]] == ["opt_out", "help"]
    settled(registry, PROFILE)
    settled(registry, "+14155550124")
    replies = local_stack.vendors.infobip.outbox[sent:]  # Infobip writes numbers without the plus
    assert sorted((m["sender"], m["to"], m["text"]) for m in replies) == sorted([
        (ib["phone_numbers"][0][1:], PROFILE[1:], "You are unsubscribed."),
        (ib["phone_numbers"][0][1:], "14155550124", "Acme: reply STOP to end.")])


def test_custom_vendor_through_its_payload_mapping(registry: RegistryClient, facts: dict[str, Any],
                                                   local_stack: LocalStack) -> None:
    seeded = facts["vendors"]["custom"]["providers"]["bearer"]
    cred = registry.create("custom_credentials", {
        "name": "acme", "provider_name": seeded["provider_name"], "provider_app_id": seeded["provider_app_id"],
        "provider_url": seeded["provider_url"], "auth_type": "bearer", "api_token_env": "T",
        "payload_template": seeded["payload_template"]}, {"api_token": seeded["api_token"]})
    webhook = registry.create("webhook", {
        "name": "acme-in", "vendor": "custom", "credentials_id": cred["id"], "sender_number": "+14155550180",
        "payload_mapping": {"message": "data.text", "profile_number": "data.sender",
                            "request_id": "data.id", "timestamp": "data.at"}, **RULES}, {})
    assert local_stack.vendors.custom is not None
    before = len(local_stack.vendors.custom.state.outbox)
    body = {"data": {"id": "m-1", "sender": PROFILE, "text": "Stop please", "at": 1764064800}}
    answer = httpx.post(webhook["url"], json=body)
    assert answer.status_code == 200 and answer.json()["outcomes"][0]["action"] == "fuzzy_prompt"
    settled(registry, PROFILE)
    sent = local_stack.vendors.custom.state.outbox[before:]
    assert [(m.auth_type, m.body["to"], m.body["text"]) for m in sent] == [
        ("bearer", PROFILE, RULES["fuzzy_auto_reply"])]
    bad = httpx.post(webhook["url"], json={"data": {"id": "m-2", "text": "hi"}})
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith('Custom inbound: "data.sender" (payload_mapping.profile_number) is missing')


def test_sinch_rcs_messages_arrive_through_the_conversation_api(registry: RegistryClient, facts: dict[str, Any],
                                                                local_stack: LocalStack) -> None:
    cv, si = facts["vendors"]["sinch_conversation"], facts["vendors"]["sinch"]
    cred = registry.create("sinch_rcs_credentials", {
        "name": "rcs", "project_id": cv["project_id"], "app_id": cv["rcs_app_id"], "api_token_env": "A",
        "service_plan_id": si["service_plan_id"], "sms_api_token_env": "B"},
        {"api_token": cv["api_token"], "sms_api_token": si["api_token"]})
    webhook = registry.create("webhook", {"name": "rcs-in", "vendor": "sinch_conversational",
                                          "credentials_id": cred["id"], "sender_number": si["phone_numbers"][0],
                                          **RULES}, {})
    outcome = registry.raw("POST", f"/v1/sandboxes/{registry.sandbox}/webhook/{webhook['id']}/simulate",
                           json={"from": PROFILE, "text": "UNSUBSCRIBE"})
    assert (outcome["action"], outcome["consent"]) == ("opt_out", "opted_out")
    assert outcome["reply_status"].startswith("sent: ")
    outbox = local_stack.vendors.conversation.outbox
    assert outbox and outbox[-1]["message"]["text_message"]["text"] == "You are unsubscribed."


def test_infobip_and_custom_feedback_webhooks_store_reports(registry: RegistryClient, facts: dict[str, Any]) -> None:
    ib = facts["vendors"]["infobip"]
    cred = registry.create("infobip_credentials", {"name": "ib", "base_url": ib["base_url"],
                                                   "api_key_env": "INFOBIP_API_KEY"}, {"api_key": ib["api_key"]})
    webhook = registry.create("webhook", {"name": "ib-dlr", "vendor": "infobip", "type": "feedback",
                                          "credentials_id": cred["id"], "sender_number": ib["phone_numbers"][0]}, {})
    assert webhook["url"].startswith(facts["registry"]["url"] + "/feedback/")
    report = {"results": [{"messageId": "ib-out-1", "to": PROFILE[1:], "callbackData": "order-7",
                           "sentAt": "2026-11-25T10:00:00.000+0000", "doneAt": "2026-11-25T10:00:02.000+0000",
                           "smsCount": 1, "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5,
                                                     "name": "DELIVERED_TO_HANDSET", "description": "delivered"},
                           "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR",
                                     "description": "No Error", "permanent": False}}]}
    assert httpx.post(webhook["url"], json=report).status_code == 200
    stored = registry.raw("GET", f"/v1/sandboxes/{registry.sandbox}/deliveries",
                          params={"client_reference": "order-7"})["data"]
    assert [(d["status"], d["status_code"]) for d in stored] == [("delivered", "DELIVERED_TO_HANDSET")]


FRENCH: dict[str, Any] = {
    "opt_out": {"keywords": ["STOP", "ARRET", "DESABONNER"],
                "reply": "Vous ne recevrez plus nos SMS. Envoyez START pour revenir."},
    "opt_in": None, "help": {"keywords": ["AIDE"], "reply": "Acme : envoyez STOP pour arrêter."},
    "fuzzy_opt_out": True, "fuzzy_auto_reply": "Voulez-vous ne plus recevoir nos SMS ? Répondez OUI.",
    "locale": "fr"}


def test_a_french_webhook_decides_and_replies_in_french(registry: RegistryClient, facts: dict[str, Any],
                                                        local_stack: LocalStack) -> None:
    webhook = twilio_webhook(registry, facts, **FRENCH)
    assert registry.get("webhook", webhook["id"])["locale"] == "fr"
    before = len(local_stack.vendors.twilio.outbox)
    steps = [("Arrêtez de m'envoyer des SMS", "fuzzy_prompt", None, FRENCH["fuzzy_auto_reply"]),
             ("Oui", "opt_out", "opted_out", FRENCH["opt_out"]["reply"]),  # OUI confirms in French, not YES
             ("start", "opt_in", "opted_in", None),  # opt_in not declared: the French defaults, no reply
             ("ARRÊT", "opt_out", "opted_out", FRENCH["opt_out"]["reply"]),  # accents fold: ARRÊT is ARRET
             ("Aide ?", "help", "opted_out", FRENCH["help"]["reply"]),
             ("J'arrive dans 10 minutes", "none", "opted_out", None)]
    for index, (text, action, consent, reply) in enumerate(steps):
        assert twilio_post(facts, webhook, text, f"SM{index + 100:032d}").status_code == 200
        event = history(registry)[-1]
        assert (event["text"], event["action"], event["reply"]) == (text, action, reply)
        current = registry.raw("GET", f"/v1/sandboxes/{registry.sandbox}/consent",
                               params={"profile_number": PROFILE})["data"]
        assert (current[0]["status"] if current else None) == consent
    assert [m.body for m in local_stack.vendors.twilio.outbox[before:]] == [r for *_, r in steps if r]


def test_the_registry_refuses_an_unknown_locale_and_a_default_keyword_twice(registry: RegistryClient,
                                                                           facts: dict[str, Any]) -> None:
    tw = facts["vendors"]["twilio"]
    cred = registry.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"],
                                                  "auth_token_env": "TWILIO_AUTH_TOKEN"},
                           {"auth_token": tw["auth_token"]})
    base = {"name": "in", "vendor": "twilio", "credentials_id": cred["id"], "sender_number": tw["phone_numbers"][0]}
    with pytest.raises(RegistryError) as caught:
        registry.create("webhook", {**base, "locale": "xx"}, {})
    assert caught.value.status == 422
    assert 'locale must be one of en, fr, es, de, pt or it, got "xx"' in str(caught.value)
    with pytest.raises(RegistryError) as caught:
        registry.create("webhook", {**base, "locale": "es", "custom": {"keywords": ["ALTA"]}}, {})
    assert caught.value.status == 422
    assert ('custom.keywords: ALTA is already an opt_in keyword (opt_in keeps its default keywords of locale "es" '
            "because it is not declared); a keyword may sit in one category only") in str(caught.value)
    assert registry.list("webhook") == []
