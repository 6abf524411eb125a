"""`smschannel_webhook` through real Terraform: keyword blocks, reply segments in the plan, vendor
wiring applied and undone, warnings where the vendor has no API, validation."""

from __future__ import annotations

from typing import Any

import pytest

from smschannel.local import LocalStack
from smschannel.registry_client import RegistryClient
from tests.support import Workspace
from tests.terraform.stacks import sinch, twilio

TWILIO_REF = "${smschannel_twilio_credentials.main.id}"


def webhook(**over: Any) -> dict[str, Any]:
    return {"name": "inbound-us", "vendor": "twilio", "credentials_id": TWILIO_REF, "sender_number": "+14155550100",
            "opt_out": {"keywords": ["STOP", "QUIT"], "reply": "You are unsubscribed. Reply START to resume."},
            "help": {"keywords": ["HELP"], "reply": "Acme alerts: reply STOP to end."},
            "fuzzy_opt_out": True, "fuzzy_auto_reply": "Did you mean to unsubscribe? Reply YES to confirm.",
            **over}


def number(stack: LocalStack, phone: str) -> Any:
    return next(n for n in stack.vendors.twilio.numbers.values() if n.phone_number == phone)


def test_twilio_webhook_lifecycle_wires_and_restores_the_number(
        workspace: Workspace, facts: dict[str, Any], local_stack: LocalStack, registry: RegistryClient) -> None:
    target = number(local_stack, "+14155550100")
    target.sms_url = "https://old.example.com/sms"
    workspace.write_json({"smschannel_twilio_credentials": {"main": twilio(facts)},
                          "smschannel_webhook": {"main": webhook()}})
    planned = workspace.plan()
    assert planned.code == 2, str(planned)
    assert '+ "opt_out" = "GSM-7, 1 segment"' in planned.flat
    assert '+ "fuzzy_auto_reply" = "GSM-7, 1 segment"' in planned.flat
    workspace.apply()
    state = workspace.state()["smschannel_webhook.main"]
    assert state["url"].startswith(facts["registry"]["url"] + "/inbound/")
    assert target.sms_url == state["url"]
    assert state["wired_to"].startswith("the SmsUrl of Twilio number +14155550100")
    assert workspace.plan().code == 0

    # Keywords change in place: same object, same URL.
    workspace.write_json({"smschannel_twilio_credentials": {"main": twilio(facts)},
                          "smschannel_webhook": {"main": webhook(opt_out={"keywords": ["STOP", "ARRET"]})}})
    planned = workspace.plan()
    assert "1 to change" in planned.output, str(planned)
    workspace.apply()
    again = workspace.state()["smschannel_webhook.main"]
    assert again["id"] == state["id"] and again["url"] == state["url"]
    assert registry.get("webhook", state["id"])["opt_out"] == {"keywords": ["STOP", "ARRET"], "reply": None,
                                                               "media": None}

    imported = Workspace(workspace.root.parent / "imported", workspace.tf.home, workspace.env)
    imported.root.mkdir()
    imported.write_json({"smschannel_webhook": {"main": webhook(credentials_id=state["credentials_id"],
                                                                opt_out={"keywords": ["STOP", "ARRET"]})}})
    assert imported.run("import", "-input=false", "smschannel_webhook.main", state["id"]).code == 0
    assert imported.plan().code == 0

    destroyed = workspace.destroy()
    assert "restored the SmsUrl of Twilio number" in destroyed.flat and "https://old.example.com/sms" in destroyed.flat
    assert target.sms_url == "https://old.example.com/sms"


def test_messaging_service_wiring(workspace: Workspace, facts: dict[str, Any], local_stack: LocalStack) -> None:
    service_sid = facts["vendors"]["twilio"]["messaging_service_sid"]
    workspace.write_json({
        "smschannel_twilio_credentials": {"main": twilio(facts, messaging_service_sid=service_sid)},
        "smschannel_webhook": {"main": webhook(sender_number="+14155550101")}})
    workspace.apply()
    url = workspace.state()["smschannel_webhook.main"]["url"]
    assert local_stack.vendors.twilio.services[service_sid].inbound_request_url == url
    workspace.destroy()
    assert local_stack.vendors.twilio.services[service_sid].inbound_request_url in (None, "")


def test_sinch_has_no_api_so_the_plan_says_what_to_paste(workspace: Workspace, facts: dict[str, Any]) -> None:
    workspace.write_json({"smschannel_sinch_credentials": {"main": sinch(facts)}, "smschannel_webhook": {"main": {
        "name": "sinch-in", "vendor": "sinch", "credentials_id": "${smschannel_sinch_credentials.main.id}",
        "sender_number": facts["vendors"]["sinch"]["phone_numbers"][0]}}})
    planned = workspace.plan()
    assert "Warning: Webhook URL to set by hand" in planned.output
    assert ('smschannel_webhook "sinch-in": sinch has no API for it: after apply, paste this webhook\'s url into '
            "the callback URL of the Sinch service plan") in planned.flat
    applied = workspace.apply()
    url = workspace.state()["smschannel_webhook.main"]["url"]
    assert f"set by hand: paste {url} into the callback URL of the Sinch service plan" in applied.flat


@pytest.mark.parametrize(
    ("over", "summary", "line"),
    [
        ({"opt_in": {"keywords": ["Stop!"]}}, "Error: Invalid opt_in.keywords",
         'smschannel_webhook "inbound-us": opt_in.keywords: STOP is already an opt_out keyword; a keyword may sit in '
         "one category only"),
        ({"opt_out": None, "custom": {"keywords": ["quit"]}}, "Error: Invalid custom.keywords",
         'smschannel_webhook "inbound-us": custom.keywords: QUIT is already an opt_out keyword (opt_out keeps its '
         "default keywords because it is not declared); a keyword may sit in one category only"),
        ({"default_reply": "€" * 800}, "Error: Invalid default_reply",
         'smschannel_webhook "inbound-us": default_reply must fit in 10 SMS segments, got GSM-7, 11 segments '
         "(800 characters)"),
        ({"fuzzy_auto_reply": None}, "Error: Invalid fuzzy_auto_reply",
         'smschannel_webhook "inbound-us": fuzzy_auto_reply is required when fuzzy_opt_out is true'),
        ({"sender_number": "ACME"}, "Error: Invalid sender_number",
         'smschannel_webhook "inbound-us": sender_number must be an E.164 number (starting with +) or a short code '
         'of 5-6 digits, got "ACME"'),
        ({"payload_mapping": {"message": "text"}}, "Error: Invalid payload_mapping",
         'smschannel_webhook "inbound-us": payload_mapping is for the custom vendor only: twilio sends its own format'),
    ],
    ids=["keyword-twice", "keyword-in-a-default", "reply-too-long", "fuzzy-without-question", "alphanumeric",
         "mapping-not-custom"],
)
def test_invalid_webhooks(workspace: Workspace, facts: dict[str, Any], over: dict[str, Any], summary: str,
                          line: str) -> None:
    body = {k: v for k, v in webhook(**over).items() if v is not None}
    workspace.write_json({"smschannel_twilio_credentials": {"main": twilio(facts)},
                          "smschannel_webhook": {"main": body}})
    result = workspace.plan()
    assert result.code == 1, str(result)
    assert summary in result.flat
    assert line in result.flat


def test_credentials_of_another_vendor(workspace: Workspace, facts: dict[str, Any], registry: RegistryClient) -> None:
    tw = facts["vendors"]["twilio"]
    made = registry.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"],
                                                  "auth_token_env": "TWILIO_AUTH_TOKEN"},
                           {"auth_token": tw["auth_token"]})
    workspace.write_json({"smschannel_webhook": {"main": webhook(vendor="sinch", credentials_id=made["id"],
                                                                 fuzzy_opt_out=None)}})
    result = workspace.plan()
    assert result.code == 1
    assert ('smschannel_webhook "inbound-us": credentials_id: Twilio credentials belong to vendor twilio, but '
            'vendor = "sinch"') in result.flat


def spanish_hcl(facts: dict[str, Any], *, locale: str = "es", extra: str = "") -> str:
    return f'''
terraform {{
  required_providers {{
    smschannel = {{ source = "smschannel/smschannel" }}
  }}
}}

resource "smschannel_twilio_credentials" "main" {{
  name           = "twilio-main"
  account_sid    = "{facts["vendors"]["twilio"]["account_sid"]}"
  auth_token_env = "TWILIO_AUTH_TOKEN"
}}

resource "smschannel_webhook" "es" {{
  name           = "inbound-es"
  vendor         = "twilio"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "{facts["vendors"]["twilio"]["phone_numbers"][0]}"
  locale         = "{locale}"

  opt_out {{
    keywords = ["STOP", "BAJA"]
    reply    = "Ya no recibirás nuestros SMS."
  }}
  {extra}
  fuzzy_opt_out    = true
  fuzzy_auto_reply = "¿Quieres dejar de recibir nuestros SMS? Responde SI."
}}
'''


def test_locale_in_plain_hcl_sets_the_language_the_registry_decides_in(
        workspace: Workspace, facts: dict[str, Any], registry: RegistryClient, local_stack: LocalStack) -> None:
    from tests.e2e.test_inbound import PROFILE, twilio_post

    workspace.write_hcl(spanish_hcl(facts))
    planned = workspace.plan()
    assert '+ locale                       = "es"' in planned.output, str(planned)
    workspace.apply()
    assert workspace.plan().code == 0
    state = workspace.state()["smschannel_webhook.es"]
    webhook = registry.get("webhook", state["id"])
    sent = len(local_stack.vendors.twilio.outbox)
    for index, text in enumerate(["Dame de baja por favor", "Sí", "alta", "Algo más?"]):
        assert twilio_post(facts, webhook, text, f"SM{index + 300:032d}").status_code == 200
    history = registry.raw("GET", f"/v1/sandboxes/{registry.sandbox}/consent/history",
                           params={"profile_number": PROFILE})["data"]
    assert [(e["text"], e["action"], e["keyword"]) for e in history] == [
        ("Dame de baja por favor", "fuzzy_prompt", "BAJA"), ("Sí", "opt_out", "SI"), ("alta", "opt_in", "ALTA"),
        ("Algo más?", "none", None)]
    assert [m.body for m in local_stack.vendors.twilio.outbox[sent:] if m.to == PROFILE] == [
        "¿Quieres dejar de recibir nuestros SMS? Responde SI.", "Ya no recibirás nuestros SMS."]

    workspace.write_hcl(spanish_hcl(facts, locale="pt"))
    planned = workspace.plan()
    assert '~ locale                       = "es" -> "pt"' in planned.output, str(planned)
    assert "1 to change" in planned.output
    workspace.apply()
    assert registry.get("webhook", state["id"])["locale"] == "pt"
    workspace.destroy()


@pytest.mark.parametrize(("locale", "extra", "summary", "line"), [
    ("xx", "", "Error: Invalid locale",
     'smschannel_webhook "inbound-es": locale must be one of en, fr, es, de, pt or it, got "xx"'),
    ("es", 'custom {\n    keywords = ["Alta"]\n  }', "Error: Invalid custom.keywords",
     'smschannel_webhook "inbound-es": custom.keywords: ALTA is already an opt_in keyword (opt_in keeps its default '
     'keywords of locale "es" because it is not declared); a keyword may sit in one category only'),
], ids=["unknown-locale", "locale-default-twice"])
def test_invalid_locale_in_plain_hcl(workspace: Workspace, facts: dict[str, Any], locale: str, extra: str,
                                     summary: str, line: str) -> None:
    workspace.write_hcl(spanish_hcl(facts, locale=locale, extra=extra))
    result = workspace.plan()
    assert result.code == 1, str(result)
    assert summary in result.flat
    assert line in result.flat
