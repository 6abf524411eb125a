"""The plugin's planning logic without Terraform: `SmschannelPlugin` configured against the session's
registry, and each resource's `plan_change` and `validate` called directly, as Terraform's PlanResourceChange
and ValidateResourceConfig would. The exact diagnostics a person would read are asserted.

tests/terraform/test_errors.py and test_lifecycle.py walk the same rules through real Terraform."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tf.types import Unknown
from tf.utils import Diagnostics

from smschannel.local import LocalStack
from smschannel.registry import storage
from smschannel.registry_client import RegistryClient
from smschannel.terraform.plugin import SmschannelPlugin
from smschannel.terraform.resource import ModelResource

Shown = tuple[str, str, str, list[Any] | None]
WRONG = "0badc0de" * 4
SINCH_BY_HAND = "the callback URL of the Sinch service plan (Sinch dashboard > SMS > Service APIs)"


class Plugins:
    """Plugins configured against the session's registry, as Terraform's ConfigureProvider would."""

    def __init__(self, facts: dict[str, Any], sandbox: str) -> None:
        self.facts = facts
        self.sandbox = sandbox
        self.made: list[SmschannelPlugin] = []

    def configured(self, *, token: str | None = None) -> SmschannelPlugin:
        plugin = SmschannelPlugin()
        diags = Diagnostics()
        plugin.configure_provider(diags, {**self.facts["provider"], "sandbox": self.sandbox,
                                          **({"token": token} if token else {})})
        assert diags.diagnostics == []
        self.made.append(plugin)
        return plugin

    def close(self) -> None:
        for plugin in self.made:
            plugin.context.registry.close()


@pytest.fixture
def plugins(facts: dict[str, Any], sandbox: str) -> Iterator[Plugins]:
    made = Plugins(facts, sandbox)
    yield made
    made.close()


@pytest.fixture
def plugin(plugins: Plugins) -> SmschannelPlugin:
    return plugins.configured()


@pytest.fixture
def secrets(facts: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The vendors' secrets in the environment Terraform runs in, under the names the configurations give."""
    values = {"TWILIO_AUTH_TOKEN": facts["vendors"]["twilio"]["auth_token"],
              "SINCH_API_TOKEN": facts["vendors"]["sinch"]["api_token"]}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def resource(plugin: SmschannelPlugin, stem: str) -> ModelResource:
    found = next(c for c in plugin.get_resources() if c.get_name() == stem)
    made = found(plugin)
    assert isinstance(made, ModelResource)
    return made


def shown(diags: Diagnostics) -> list[Shown]:
    return [(d.severity, d.summary, d.detail, d.path) for d in diags.diagnostics]


def plan(plugin: SmschannelPlugin, stem: str, prior: dict[str, Any] | None,
         config: dict[str, Any] | None) -> tuple[dict[str, Any] | None, list[str], list[Shown]]:
    diags = Diagnostics()
    planned, replace = resource(plugin, stem).plan_change(diags, prior, config)
    return planned, replace, shown(diags)


def token_with(local_stack: LocalStack, grants: dict[str, list[str]]) -> str:
    assert local_stack.services is not None
    with local_stack.services.db.session() as session:
        return storage.create_token(session, "plan test", grants)


def fingerprint(local_stack: LocalStack, secret: str) -> str:
    assert local_stack.services is not None
    return local_stack.services.box.fingerprint(secret)


def twilio_config(facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {"name": "tw", "account_sid": facts["vendors"]["twilio"]["account_sid"],
            "auth_token_env": "TWILIO_AUTH_TOKEN", **over}


def sinch_credentials(registry: RegistryClient, facts: dict[str, Any]) -> dict[str, Any]:
    si = facts["vendors"]["sinch"]
    return registry.create("sinch_credentials", {"name": "si", "service_plan_id": si["service_plan_id"],
                                                 "api_token_env": "SINCH_API_TOKEN"}, {"api_token": si["api_token"]})


def twilio_credentials(registry: RegistryClient, facts: dict[str, Any]) -> dict[str, Any]:
    tw = facts["vendors"]["twilio"]
    return registry.create("twilio_credentials", twilio_config(facts), {"auth_token": tw["auth_token"]})


def configuration_config(credentials_id: str, **over: Any) -> dict[str, Any]:
    return {"name": "cfg", "channel": "sms", "sms_type": "marketing", "credentials_id": credentials_id,
            "sender_number": "+14155550150", **over}


# -- create, no change, update, replace --------------------------------------------------------------------


def test_a_create_plans_defaults_and_leaves_computed_values_unknown(plugin: SmschannelPlugin,
                                                                    registry: RegistryClient,
                                                                    facts: dict[str, Any],
                                                                    secrets: dict[str, str]) -> None:
    cred = sinch_credentials(registry, facts)
    planned, replace, diags = plan(plugin, "configuration", None, configuration_config(cred["id"]))
    assert planned == {"name": "cfg", "description": None, "channel": "sms", "sms_type": "marketing",
                       "credentials_id": cred["id"], "sender_number": "+14155550150", "subdomain_id": None,
                       "execution_field": "mobilePhone.number", "id": Unknown, "status": Unknown,
                       "status_reason": Unknown}
    assert (replace, diags) == ([], [])


def test_a_create_plans_derived_values_it_can_know(plugin: SmschannelPlugin, registry: RegistryClient,
                                                   facts: dict[str, Any], secrets: dict[str, str]) -> None:
    cred = sinch_credentials(registry, facts)
    config = {"name": "in", "vendor": "sinch", "credentials_id": cred["id"], "sender_number": "+14155550150",
              "opt_out": {"keywords": ["STOP"], "reply": "You are unsubscribed. Ça va?"}}
    planned, _, diags = plan(plugin, "webhook", None, config)
    assert planned is not None
    assert (planned["type"], planned["fuzzy_confirm_keywords"], planned["fuzzy_confirm_window_minutes"]) == (
        "inbound", ["YES", "Y"], 60)
    assert planned["reply_info"] == {"opt_out": "GSM-7, 1 segment"}
    assert (planned["id"], planned["url"], planned["wired_to"]) == (Unknown, Unknown, Unknown)
    assert diags == [("warning", "Webhook URL to set by hand",
                      f'smschannel_webhook "in": sinch has no API for it: after apply, paste this webhook\'s url into '
                      f"{SINCH_BY_HAND} (apply prints it, and it is the url attribute)", None)]


def test_a_no_change_plan_keeps_the_prior_computed_values_and_asks_nothing(plugins: Plugins,
                                                                          local_stack: LocalStack,
                                                                          sandbox: str) -> None:
    """Nothing changes, so nothing needs a scope: even a token that may only read plans it cleanly."""
    reader = plugins.configured(token=token_with(local_stack, {sandbox: ["channel_configurations.read"]}))
    config = configuration_config("sincred_0123456789abcdef")  # not even looked up: nothing changes
    prior = {**config, "description": None, "subdomain_id": None, "execution_field": "mobilePhone.number",
             "id": "cfg_0123456789abcdef", "status": "active", "status_reason": ""}
    planned, replace, diags = plan(reader, "configuration", prior, config)
    assert (planned, replace, diags) == (prior, [], [])


def test_an_update_keeps_stable_computed_values_and_forgets_volatile_ones(plugin: SmschannelPlugin,
                                                                         registry: RegistryClient,
                                                                         facts: dict[str, Any]) -> None:
    cred = sinch_credentials(registry, facts)
    config = configuration_config(cred["id"])
    prior = {**config, "description": None, "subdomain_id": None, "execution_field": "mobilePhone.number",
             "id": "cfg_0123456789abcdef", "status": "failed", "status_reason": "was failing"}
    planned, replace, diags = plan(plugin, "configuration", prior, {**config, "description": "Spring sale"})
    assert planned == {**prior, "description": "Spring sale", "status": Unknown, "status_reason": Unknown}
    assert (replace, diags) == ([], [])


def test_a_changed_replace_attribute_is_in_the_replace_list(plugin: SmschannelPlugin, registry: RegistryClient,
                                                            facts: dict[str, Any]) -> None:
    cred = sinch_credentials(registry, facts)
    config = configuration_config(cred["id"])
    prior = {**config, "description": None, "subdomain_id": None, "execution_field": "mobilePhone.number",
             "id": "cfg_0123456789abcdef", "status": "active", "status_reason": ""}
    planned, replace, diags = plan(plugin, "configuration", prior, {**config, "name": "cfg-2", "sms_type":
                                                                    "transactional"})
    assert planned is not None and (planned["name"], planned["id"]) == ("cfg-2", "cfg_0123456789abcdef")
    assert (replace, diags) == (["name"], [])  # sms_type changes in place


# -- secrets -----------------------------------------------------------------------------------------------


def test_an_env_secret_plans_its_fingerprint_and_a_rotated_one_another(plugin: SmschannelPlugin,
                                                                      facts: dict[str, Any],
                                                                      local_stack: LocalStack,
                                                                      secrets: dict[str, str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    token = secrets["TWILIO_AUTH_TOKEN"]
    planned, replace, diags = plan(plugin, "twilio_credentials", None, twilio_config(facts))
    assert planned == {**twilio_config(facts), "auth_token": None, "messaging_service_sid": None,
                       "inbound_number": None, "auth_token_fingerprint": fingerprint(local_stack, token),
                       "id": Unknown, "verified_at": Unknown}
    assert (replace, diags) == ([], [])  # and the plan verified the token against Twilio
    assert token not in str(planned)

    prior = {**planned, "id": "twcred_0123456789abcdef", "verified_at": "2026-01-02T03:04:05Z"}
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", WRONG)
    rotated, replace, diags = plan(plugin, "twilio_credentials", prior, twilio_config(facts))
    assert rotated is not None
    assert rotated["auth_token_fingerprint"] == fingerprint(local_stack, WRONG) != prior["auth_token_fingerprint"]
    assert (rotated["id"], rotated["verified_at"], replace) == ("twcred_0123456789abcdef", Unknown, [])
    sid = facts["vendors"]["twilio"]["account_sid"]
    assert diags == [("error", "Twilio credentials: verify connection failed",
                      'smschannel_twilio_credentials "tw": Twilio rejected the credentials: error 20003: Authenticate '
                      "(see https://www.twilio.com/docs/errors/20003) [HTTP 401, GET "
                      f"{facts['vendors']['twilio']['url']}/2010-04-01/Accounts/{sid}.json]", ["auth_token_env"])]
    assert WRONG not in str(diags)


def test_an_env_secret_that_is_not_set(plugin: SmschannelPlugin, facts: dict[str, Any]) -> None:
    planned, _, diags = plan(plugin, "twilio_credentials", None, twilio_config(facts, auth_token_env="NOT_SET"))
    assert planned is not None and planned["auth_token_fingerprint"] is Unknown
    assert diags == [("error", "Unset environment variable NOT_SET",
                      'smschannel_twilio_credentials "tw": auth_token_env names NOT_SET, which is not set in the '
                      "environment Terraform runs in; set it, or give the secret another way", ["auth_token_env"])]


# -- scopes ------------------------------------------------------------------------------------------------


def test_a_token_without_the_write_scope_fails_the_plan_naming_it(plugins: Plugins, local_stack: LocalStack,
                                                                 facts: dict[str, Any], sandbox: str,
                                                                 secrets: dict[str, str]) -> None:
    reader = plugins.configured(token=token_with(local_stack, {sandbox: ["sms_settings.read"]}))
    planned, _, diags = plan(reader, "twilio_credentials", None, twilio_config(facts))
    assert planned is not None
    assert diags == [("error", "Missing permission sms_settings.write",
                      f'smschannel_twilio_credentials "tw": the token lacks the scope sms_settings.write on sandbox '
                      f"{sandbox}, so this change cannot be applied with it", None)]


def test_a_destroy_needs_the_delete_scope(plugins: Plugins, local_stack: LocalStack, sandbox: str) -> None:
    prior = {"mode": "delegated", "prefix": "go", "parent_domain": "links.smschannel.test", "domain": None,
             "fqdn": "go.links.smschannel.test", "id": "sub_0123456789abcdef"}
    writer = plugins.configured(token=token_with(local_stack, {"prod": ["sms_subdomains.write"]}))
    assert plan(writer, "subdomain", prior, None) == (None, [], [(
        "error", "Missing permission sms_subdomains.delete",
        'smschannel_subdomain "go.links.smschannel.test": the token lacks the scope sms_subdomains.delete on '
        "sandbox prod (this scope counts only when granted on the production sandbox), so this change cannot be "
        "applied with it", None)])
    deleter = plugins.configured(token=token_with(local_stack, {"prod": ["sms_subdomains.delete"]}))
    assert plan(deleter, "subdomain", prior, None) == (None, [], [])


def test_destroying_credentials_needs_the_write_scope(plugins: Plugins, local_stack: LocalStack,
                                                     facts: dict[str, Any], sandbox: str) -> None:
    prior = {**twilio_config(facts), "id": "twcred_0123456789abcdef"}
    reader = plugins.configured(token=token_with(local_stack, {sandbox: ["sms_settings.read"]}))
    _, _, diags = plan(reader, "twilio_credentials", prior, None)
    assert diags == [("error", "Missing permission sms_settings.write",
                      f'smschannel_twilio_credentials "tw": the token lacks the scope sms_settings.write on sandbox '
                      f"{sandbox}, so this change cannot be applied with it", None)]


# -- the hooks' checks -------------------------------------------------------------------------------------


def test_unknown_credentials(plugin: SmschannelPlugin, sandbox: str) -> None:
    _, _, diags = plan(plugin, "configuration", None, configuration_config("sincred_0123456789abcdef"))
    assert diags == [("error", "Unknown credentials",
                      'smschannel_configuration "cfg": credentials_id: no credentials with id sincred_0123456789abcdef '
                      f"in sandbox {sandbox}", ["credentials_id"])]


def test_credentials_not_known_until_apply_are_left_to_the_registry(plugin: SmschannelPlugin) -> None:
    planned, _, diags = plan(plugin, "configuration", None, configuration_config(Unknown))
    assert planned is not None and planned["credentials_id"] is Unknown
    assert diags == []


def test_credentials_of_another_vendor(plugin: SmschannelPlugin, registry: RegistryClient,
                                       facts: dict[str, Any]) -> None:
    cred = sinch_credentials(registry, facts)
    config = {"name": "in", "vendor": "twilio", "credentials_id": cred["id"], "sender_number": "+14155550150"}
    _, _, diags = plan(plugin, "webhook", None, config)
    assert diags == [("error", "Credentials of another vendor",
                      'smschannel_webhook "in": credentials_id: Sinch credentials belong to vendor sinch, but vendor = '
                      '"twilio"', ["credentials_id"])]


def test_a_channel_the_credentials_cannot_carry(plugin: SmschannelPlugin, registry: RegistryClient,
                                                facts: dict[str, Any]) -> None:
    cred = sinch_credentials(registry, facts)
    _, _, diags = plan(plugin, "configuration", None, configuration_config(cred["id"], channel="mms"))
    assert diags == [("error", "Credentials cannot carry the channel",
                      'smschannel_configuration "cfg": credentials_id: Sinch credentials cannot carry the mms channel '
                      "(MMS needs Sinch MMS credentials or custom provider credentials)", ["credentials_id"])]


def test_an_alphanumeric_sender_on_credentials_with_an_inbound_webhook_is_warned(plugins: Plugins,
                                                                                registry: RegistryClient,
                                                                                facts: dict[str, Any]) -> None:
    cred = sinch_credentials(registry, facts)
    config = configuration_config(cred["id"], sender_number="ACME")
    quiet, _, diags = plan(plugins.configured(), "configuration", None, config)
    assert quiet is not None and diags == []  # no inbound webhook on these credentials: nobody to answer
    registry.create("webhook", {"name": "si-in", "vendor": "sinch", "credentials_id": cred["id"],
                                "sender_number": "+14155550150"}, {})
    _, _, diags = plan(plugins.configured(), "configuration", None, config)  # a new run lists the webhooks again
    assert diags == [("warning", "Alphanumeric sender cannot receive replies",
                      'smschannel_configuration "cfg": sender_number ACME is alphanumeric, so people cannot answer '
                      'STOP to it, although webhook "si-in" applies keyword rules for these credentials: give people '
                      "another way to opt out (e.g. a number or a link in the message)", ["sender_number"])]


# -- validate ----------------------------------------------------------------------------------------------


def test_validate_reports_each_broken_rule_at_its_attribute(plugin: SmschannelPlugin) -> None:
    diags = Diagnostics()
    resource(plugin, "twilio_credentials").validate(
        diags, "smschannel_twilio_credentials",
        {"name": "tw", "account_sid": "AC12", "auth_token_env": "TWILIO_AUTH_TOKEN", "inbound_number": "0100"})
    assert shown(diags) == [
        ("error", "Invalid account_sid", 'smschannel_twilio_credentials "tw": account_sid must be "AC" followed by 32 '
                                         'hex digits (a Twilio account SID), got "AC12"', ["account_sid"]),
        ("error", "Invalid inbound_number", 'smschannel_twilio_credentials "tw": inbound_number must be a phone number '
                                            'in E.164 form such as +14155550100, got "0100"', ["inbound_number"])]


def test_validate_skips_values_not_known_yet(plugin: SmschannelPlugin) -> None:
    diags = Diagnostics()
    resource(plugin, "configuration").validate(
        diags, "smschannel_configuration", configuration_config(Unknown, sender_number=Unknown))
    assert shown(diags) == []
    resource(plugin, "configuration").validate(
        diags, "smschannel_configuration", configuration_config(Unknown, sender_number="4155550150"))
    assert shown(diags) == [(
        "error", "Invalid sender_number",
        'smschannel_configuration "cfg": sender_number must be an E.164 number (starting with +), a short code of 5-6 '
        'digits or an alphanumeric sender ID of 1-11 characters, got "4155550150" (10 digits)', ["sender_number"])]
