"""Infobip, Sinch MMS/RCS and custom-provider credentials through real Terraform: verification against
the local vendors (success and the vendor's own error), custom auth seen by the local provider,
secrets from files, Infobip wiring applied and undone, channels each credential can carry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smschannel.local import LocalStack
from smschannel.registry_client import RegistryClient
from tests.support import Workspace
from tests.terraform.stacks import configuration, twilio


def infobip(facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    ib = facts["vendors"]["infobip"]
    return {"name": "infobip-main", "base_url": ib["base_url"], "api_key_env": "INFOBIP_API_KEY", **over}


def mms(facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    cv = facts["vendors"]["sinch_conversation"]
    return {"name": "mms", "project_id": cv["project_id"], "app_id": cv["mms_app_id"],
            "api_token_env": "SINCH_MMS_API_TOKEN", **over}


def rcs(facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    cv, si = facts["vendors"]["sinch_conversation"], facts["vendors"]["sinch"]
    return {"name": "rcs", "project_id": cv["project_id"], "app_id": cv["rcs_app_id"],
            "api_token_env": "SINCH_RCS_API_TOKEN", "service_plan_id": si["service_plan_id"],
            "sms_api_token_env": "SINCH_SMS_API_TOKEN", "rate_limit_rps": 5, **over}


def custom(facts: dict[str, Any], kind: str, **over: Any) -> dict[str, Any]:
    seeded = facts["vendors"]["custom"]["providers"][kind]
    body = {"name": f"custom-{kind}", "provider_name": seeded["provider_name"], "auth_type": seeded["auth_type"],
            "provider_url": seeded["provider_url"], "verify_url": seeded["verify_url"],
            "payload_template": seeded["payload_template"], **over}
    for key in ("provider_app_id", "mac_hash_format", "oauth_url", "oauth_body", "jwt_payload"):
        if seeded.get(key):
            body.setdefault(key, seeded[key])
    return body


def test_infobip_lifecycle_and_wiring(workspace: Workspace, facts: dict[str, Any], local_stack: LocalStack,
                                      registry: RegistryClient) -> None:
    number = facts["vendors"]["infobip"]["phone_numbers"][1]
    resources = {
        "smschannel_infobip_credentials": {"main": infobip(facts, validity_period_hours=12)},
        "smschannel_webhook": {"in": {"name": "ib-in", "vendor": "infobip", "sender_number": number,
                                      "credentials_id": "${smschannel_infobip_credentials.main.id}"}},
        "smschannel_configuration": {"eu": configuration("smschannel_infobip_credentials.main", name="eu",
                                                         sender_number=number)},
    }
    workspace.write_json(resources)
    workspace.apply()
    state = workspace.state()
    assert state["smschannel_configuration.eu"]["status"] == "active"
    hook = state["smschannel_webhook.in"]
    assert hook["wired_to"].startswith("Infobip inbound message configuration") and number in hook["wired_to"]
    forwards = [(c.forwarding or {}).get("url") for c in local_stack.vendors.infobip.configurations.values()
                if c.number == number]
    assert forwards == [hook["url"]]
    assert workspace.plan().code == 0

    resources["smschannel_infobip_credentials"]["main"]["validity_period_hours"] = 48
    workspace.write_json(resources)
    planned = workspace.plan()
    assert "1 to change" in planned.output
    workspace.apply()
    destroyed = workspace.destroy()
    assert "deleted Infobip inbound message configuration" in destroyed.flat
    assert not [c for c in local_stack.vendors.infobip.configurations.values() if c.number == number]
    assert registry.list("infobip_credentials") == []


def test_infobip_wrong_key_is_refused_with_infobips_code(workspace: Workspace, facts: dict[str, Any]) -> None:
    workspace.write_json({"smschannel_infobip_credentials": {"main": infobip(facts)}})
    result = workspace.plan(env={"INFOBIP_API_KEY": "not-the-key"})
    assert result.code == 1
    assert "Error: Infobip credentials: verify connection failed" in result.flat
    assert "UNAUTHORIZED" in result.flat and "not-the-key" not in result.flat


def test_sinch_mms_and_rcs_carry_their_channels(workspace: Workspace, facts: dict[str, Any],
                                               registry: RegistryClient) -> None:
    sender = facts["vendors"]["sinch"]["phone_numbers"][0]
    workspace.write_json({
        "smschannel_sinch_mms_credentials": {"main": mms(facts)},
        "smschannel_sinch_rcs_credentials": {"main": rcs(facts)},
        "smschannel_configuration": {
            "pictures": configuration("smschannel_sinch_mms_credentials.main", name="pictures", channel="mms",
                                      sender_number=sender),
            "rich": configuration("smschannel_sinch_rcs_credentials.main", name="rich", channel="rcs",
                                  sender_number=sender)},
    })
    workspace.apply()
    assert sorted(c["status"] for c in registry.list("configuration")) == ["active", "active"]
    assert workspace.plan().code == 0

    # MMS credentials cannot carry SMS: refused at plan, with who can.
    workspace.write_json({
        "smschannel_sinch_mms_credentials": {"main": mms(facts)},
        "smschannel_sinch_rcs_credentials": {"main": rcs(facts)},
        "smschannel_configuration": {
            "pictures": configuration("smschannel_sinch_mms_credentials.main", name="pictures", channel="sms",
                                      sender_number=sender),
            "rich": configuration("smschannel_sinch_rcs_credentials.main", name="rich", channel="rcs",
                                  sender_number=sender)},
    })
    result = workspace.plan()
    assert result.code == 1
    assert ('smschannel_configuration "pictures": credentials_id: Sinch MMS credentials cannot carry the sms channel '
            "(SMS needs") in result.flat


def test_rcs_checks_both_of_its_tokens(workspace: Workspace, facts: dict[str, Any]) -> None:
    workspace.write_json({"smschannel_sinch_rcs_credentials": {"main": rcs(facts)}})
    result = workspace.plan(env={"SINCH_SMS_API_TOKEN": "0" * 32})
    assert result.code == 1
    assert "Error: Sinch RCS credentials: verify connection failed" in result.flat
    result = workspace.plan(env={"SINCH_RCS_API_TOKEN": "0" * 32})
    assert result.code == 1 and "UNAUTHENTICATED" in result.flat


@pytest.mark.parametrize("kind", ["api_key", "basic", "bearer", "oauth2", "jwt", "mac", "none"])
def test_custom_provider_auth_types_verify_against_the_local_provider(
        workspace: Workspace, facts: dict[str, Any], local_stack: LocalStack, kind: str) -> None:
    seeded = facts["vendors"]["custom"]["providers"][kind]
    env = {"CUSTOM_TOKEN": seeded["api_token"] or "", "CUSTOM_SECRET": seeded["api_secret"] or ""}
    body = custom(facts, kind)
    if seeded["api_token"]:
        body["api_token_env"] = "CUSTOM_TOKEN"
    if seeded["api_secret"]:
        body["api_secret_env"] = "CUSTOM_SECRET"
    assert local_stack.vendors.custom is not None
    calls = len(local_stack.vendors.custom.state.verify_calls)
    workspace.write_json({"smschannel_custom_credentials": {"main": body}})
    workspace.apply(env=env)
    seen = local_stack.vendors.custom.state.verify_calls[calls:]
    assert seen and all(c.auth_type == kind for c in seen)  # the local provider checked the auth it got
    assert workspace.plan(env=env).code == 0
    if seeded["api_token"]:
        wrong = workspace.plan(env={**env, "CUSTOM_TOKEN": "wrong-token-value"})
        assert wrong.code == 1 and "custom provider credentials: verify connection failed" in wrong.flat
        assert "wrong-token-value" not in wrong.flat


def test_custom_provider_over_mutual_tls_with_certificates_from_files(
        workspace: Workspace, facts: dict[str, Any], local_stack: LocalStack, registry: RegistryClient,
        tmp_path: Path) -> None:
    seeded = facts["vendors"]["custom"]["providers"]["mtls"]
    body = custom(facts, "mtls", mtls=True, client_cert_file=seeded["client_cert_file"],
                  client_key_file=seeded["client_key_file"], ca_cert_file=seeded["ca_cert_file"])
    workspace.write_json({"smschannel_custom_credentials": {"main": body}})
    workspace.apply()
    made = workspace.state()["smschannel_custom_credentials.main"]
    assert made["client_key_fingerprint"].startswith("hmac-sha256:")
    key_text = Path(seeded["client_key_file"]).read_text()
    assert key_text not in workspace.files_text()  # the key stays in its file, out of the state

    body_without_key = {k: v for k, v in body.items() if k != "client_key_file"}
    workspace.write_json({"smschannel_custom_credentials": {"main": body_without_key}})
    result = workspace.plan()
    assert result.code == 1
    assert "mtls is true but no client certificate and private key were given" in result.flat

    missing_file = {**body, "client_key_file": str(tmp_path / "nope")}
    workspace.write_json({"smschannel_custom_credentials": {"main": missing_file}})
    result = workspace.plan()
    assert result.code == 1
    assert f"Error: Unreadable file {tmp_path / 'nope'}" in result.flat


def test_custom_provider_rules_at_plan(workspace: Workspace, facts: dict[str, Any]) -> None:
    body = custom(facts, "bearer", api_token_env="CUSTOM_TOKEN", payload_template='{"to": "{{toNumber}}"}',
                  headers={"Content-Type": "text/plain"})
    workspace.write_json({"smschannel_custom_credentials": {"main": body}})
    result = workspace.plan(env={"CUSTOM_TOKEN": "x"})
    assert result.code == 1
    assert ('smschannel_custom_credentials "custom-bearer": payload_template must contain {{fromNumber}} and '
            "{{message}}") in result.flat
    assert ('smschannel_custom_credentials "custom-bearer": headers cannot set Content-Type: smschannel always sends '
            "application/json; charset=utf-8") in result.flat


def test_alphanumeric_sender_on_credentials_with_an_inbound_webhook_warns(workspace: Workspace,
                                                                         facts: dict[str, Any]) -> None:
    workspace.write_json({
        "smschannel_twilio_credentials": {"main": twilio(facts)},
        "smschannel_webhook": {"in": {"name": "in", "vendor": "twilio", "sender_number": "+14155550100",
                                      "credentials_id": "${smschannel_twilio_credentials.main.id}"}},
    })
    workspace.apply()
    workspace.write_json({
        "smschannel_twilio_credentials": {"main": twilio(facts)},
        "smschannel_webhook": {"in": {"name": "in", "vendor": "twilio", "sender_number": "+14155550100",
                                      "credentials_id": "${smschannel_twilio_credentials.main.id}"}},
        "smschannel_configuration": {"alpha": configuration(name="alpha", sender_number="ACME")},
    })
    planned = workspace.plan()
    assert planned.code == 2
    assert "Warning: Alphanumeric sender cannot receive replies" in planned.flat
    assert ('smschannel_configuration "alpha": sender_number ACME is alphanumeric, so people cannot answer STOP to '
            'it, although webhook "in" applies keyword rules for these credentials') in planned.flat
