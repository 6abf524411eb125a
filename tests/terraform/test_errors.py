"""Every refused input through real Terraform, with the exact line a person sees."""

from __future__ import annotations

from typing import Any

import pytest

from smschannel.local import LocalStack
from smschannel.registry import storage
from tests.support import Workspace
from tests.terraform.stacks import configuration, twilio

TW = "smschannel_twilio_credentials"


def plan_fails(workspace: Workspace, resources: dict[str, Any], **kw: Any) -> str:
    workspace.write_json(resources)
    result = workspace.plan(**kw)
    assert result.code == 1, str(result)
    return result.flat


@pytest.mark.parametrize(
    ("resources", "summary", "line"),
    [
        (
            {"smschannel_configuration": {"c": configuration(credentials="x", credentials_id="cred_1",
                                                             sender_number="4155550100")}},
            "Error: Invalid sender_number",
            'smschannel_configuration "marketing-us": sender_number must be an E.164 number (starting with +), '
            'a short code of 5-6 digits or an alphanumeric sender ID of 1-11 characters, got "4155550100" '
            "(10 digits)",
        ),
        (
            {TW: {"main": {"name": "t", "account_sid": "AC12", "auth_token_env": "TWILIO_AUTH_TOKEN",
                           "inbound_number": "+1 415 555 0100"}}},
            "Error: Invalid account_sid",
            'smschannel_twilio_credentials "t": account_sid must be "AC" followed by 32 hex digits '
            '(a Twilio account SID), got "AC12"',
        ),
        (
            {TW: {"main": {"name": "t", "account_sid": "AC" + "0" * 32, "auth_token_env": "TWILIO_AUTH_TOKEN",
                           "inbound_number": "4155550100"}}},
            "Error: Invalid inbound_number",
            'smschannel_twilio_credentials "t": inbound_number must be a phone number in E.164 form such as '
            '+14155550100, got "4155550100"',
        ),
        (
            {TW: {"main": {"name": "t", "account_sid": "AC" + "0" * 32, "auth_token_env": "TWILIO_AUTH_TOKEN",
                           "auth_token": "literal"}}},
            "Error: Invalid auth_token",
            'smschannel_twilio_credentials "t": set only one of auth_token and auth_token_env (auth_token_env '
            "is recommended: the secret then stays out of the configuration, the plan and the state)",
        ),
        (
            {TW: {"main": {"name": "t", "account_sid": "AC" + "0" * 32}}},
            "Error: Invalid auth_token",
            'smschannel_twilio_credentials "t": auth_token_env (recommended) or auth_token is required',
        ),
        (
            {"smschannel_sinch_credentials": {"main": {"name": "s", "service_plan_id": "0" * 32,
                                                       "api_token_env": "SINCH_API_TOKEN", "region": "asia"}}},
            "Error: Invalid region",
            'smschannel_sinch_credentials "s": region must be one of us, eu, au, br or ca, got "asia"',
        ),
    ],
    ids=["sender-not-e164", "account-sid", "inbound-not-e164", "both-secrets", "no-secret", "region"],
)
def test_invalid_input_is_refused_at_plan(workspace: Workspace, resources: dict[str, Any], summary: str,
                                          line: str) -> None:
    output = plan_fails(workspace, resources)
    assert summary in output
    assert line in output


def test_env_naming_an_unset_variable(workspace: Workspace, facts: dict[str, Any]) -> None:
    output = plan_fails(workspace, {TW: {"main": twilio(facts, auth_token_env="NOT_SET_ANYWHERE")}})
    assert "Error: Unset environment variable NOT_SET_ANYWHERE" in output
    assert ('smschannel_twilio_credentials "twilio-main": auth_token_env names NOT_SET_ANYWHERE, which is not set '
            "in the environment Terraform runs in; set it, or give the secret another way") in output


def test_wrong_vendor_secret_shows_the_vendor_code_not_the_secret(workspace: Workspace,
                                                                  facts: dict[str, Any]) -> None:
    wrong = "d0d0cafe" * 4
    output = plan_fails(workspace, {TW: {"main": twilio(facts)}}, env={"TWILIO_AUTH_TOKEN": wrong})
    assert "Error: Twilio credentials: verify connection failed" in output
    assert 'smschannel_twilio_credentials "twilio-main": ' in output and "20003" in output
    assert wrong not in output

    output = plan_fails(workspace, {"smschannel_sinch_credentials": {"main": {
        "name": "s", "service_plan_id": facts["vendors"]["sinch"]["service_plan_id"],
        "api_token_env": "SINCH_API_TOKEN"}}}, env={"SINCH_API_TOKEN": wrong})
    assert "Error: Sinch credentials: verify connection failed" in output and "401" in output
    assert wrong not in output


def test_missing_token(workspace: Workspace, facts: dict[str, Any]) -> None:
    output = plan_fails(workspace, {TW: {"main": twilio(facts)}}, env={"SMSCHANNEL_TOKEN": ""})
    assert "missing bearer token: send 'Authorization: Bearer <token>'" in output


def test_unknown_token(workspace: Workspace, facts: dict[str, Any]) -> None:
    output = plan_fails(workspace, {TW: {"main": twilio(facts)}}, env={"SMSCHANNEL_TOKEN": "smc_not_a_token"})
    assert "unknown or revoked token" in output


def token_with(local_stack: LocalStack, grants: dict[str, list[str]]) -> str:
    assert local_stack.services is not None
    with local_stack.services.db.session() as session:
        return storage.create_token(session, "under-scoped", grants)


def test_under_scoped_token_fails_the_plan_naming_the_scope(workspace: Workspace, facts: dict[str, Any],
                                                           local_stack: LocalStack, sandbox: str) -> None:
    reader = token_with(local_stack, {sandbox: ["sms_settings.read", "channel_configurations.read"]})
    output = plan_fails(workspace, {TW: {"main": twilio(facts)}}, env={"SMSCHANNEL_TOKEN": reader})
    assert "Error: Missing permission sms_settings.write" in output
    assert (f'smschannel_twilio_credentials "twilio-main": the token lacks the scope sms_settings.write on sandbox '
            f"{sandbox}, so this change cannot be applied with it") in output

    other_sandbox = token_with(local_stack, {"elsewhere": ["sms_settings.read", "sms_settings.write"]})
    output = plan_fails(workspace, {TW: {"main": twilio(facts)}}, env={"SMSCHANNEL_TOKEN": other_sandbox})
    assert f"the token lacks the scope sms_settings.write on sandbox {sandbox}" in output


def test_destroy_needs_the_write_scope_at_plan(workspace: Workspace, facts: dict[str, Any],
                                               local_stack: LocalStack, sandbox: str) -> None:
    workspace.write_json({TW: {"main": twilio(facts)}})
    workspace.apply()
    reader = token_with(local_stack, {sandbox: ["sms_settings.read"]})
    result = workspace.run("plan", "-destroy", "-input=false", env={"SMSCHANNEL_TOKEN": reader})
    assert result.code == 1, str(result)
    assert "Error: Missing permission sms_settings.write" in result.flat


def test_registry_unreachable(workspace: Workspace, facts: dict[str, Any]) -> None:
    output = plan_fails(workspace, {TW: {"main": twilio(facts)}}, env={"SMSCHANNEL_ENDPOINT": "http://127.0.0.1:9"})
    assert "cannot reach the smschannel registry at http://127.0.0.1:9" in output


def test_missing_endpoint(workspace: Workspace, facts: dict[str, Any]) -> None:
    output = plan_fails(workspace, {TW: {"main": twilio(facts)}}, env={"SMSCHANNEL_ENDPOINT": ""})
    assert ('provider "smschannel": endpoint is required: set it in the provider block or in SMSCHANNEL_ENDPOINT'
            in output)


def test_configuration_on_credentials_that_do_not_exist(workspace: Workspace) -> None:
    output = plan_fails(workspace, {"smschannel_configuration": {"c": configuration(credentials_id="twicre_gone")}})
    assert "Error: Unknown credentials" in output
    assert 'smschannel_configuration "marketing-us": credentials_id: no credentials with id twicre_gone' in output
