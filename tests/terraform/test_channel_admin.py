"""Configuration lifecycle (`enabled`), sender rules per country and the sandbox's channel settings,
through real Terraform in plain HCL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smschannel.registry_client import RegistryClient
from tests.support import Workspace

HEADER = '''terraform {
  required_providers {
    smschannel = { source = "smschannel/smschannel" }
  }
}
'''


def hcl(facts: dict[str, Any], *, settings: str | None = None, config: str = "") -> str:
    """Twilio credentials, one configuration (`config` adds attributes) and, when given, channel settings."""
    text = HEADER + f'''
resource "smschannel_twilio_credentials" "main" {{
  name           = "main"
  account_sid    = "{facts["vendors"]["twilio"]["account_sid"]}"
  auth_token_env = "TWILIO_AUTH_TOKEN"
}}

resource "smschannel_configuration" "us" {{
  name           = "marketing-us"
  channel        = "sms"
  sms_type       = "marketing"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "+14155550100"
  {config}
}}
'''
    if settings is not None:
        text += f'''
resource "smschannel_channel_settings" "this" {{
  {settings}
}}
'''
    return text


def test_disable_and_reenable_a_configuration(workspace: Workspace, facts: dict[str, Any],
                                              registry: RegistryClient) -> None:
    workspace.write_hcl(hcl(facts))
    workspace.apply()
    made = workspace.state()["smschannel_configuration.us"]
    assert (made["enabled"], made["status"]) == (True, "active")

    workspace.write_hcl(hcl(facts, config="enabled = false"))
    planned = workspace.plan()
    assert planned.code == 2 and "1 to change, 0 to destroy" in planned.output, str(planned)
    assert "~ enabled" in planned.output and "true -> false" in planned.flat
    applied = workspace.apply()
    assert "Warning" not in applied.output  # deactivated on purpose: nothing to warn about
    off = workspace.state()["smschannel_configuration.us"]
    assert off["id"] == made["id"] and off["status"] == "deactivated"
    assert registry.get("configuration", made["id"])["status_reason"].startswith("enabled is false")
    assert workspace.plan().code == 0

    # Removing `enabled` returns it to its default, true, in place.
    workspace.write_hcl(hcl(facts))
    back = workspace.plan()
    assert "1 to change" in back.output and "~ enabled" in back.output and "false -> true" in back.flat, str(back)
    workspace.apply()
    assert workspace.state()["smschannel_configuration.us"]["status"] == "active"


def test_sender_rules_per_country_fail_the_plan(workspace: Workspace, facts: dict[str, Any]) -> None:
    workspace.write_hcl(hcl(facts, config='countries = ["US", "GB"]\n  sender_number = "ACME"')
                        .replace('  sender_number  = "+14155550100"\n', ""))
    result = workspace.plan()
    assert result.code == 1, str(result)
    assert "Error: Invalid countries" in result.output
    assert ('smschannel_configuration "marketing-us": countries: operators in United States (US) do not carry '
            'alphanumeric sender IDs such as "ACME": send there from a long code, toll-free number or short code'
            in result.flat)

    workspace.write_hcl(hcl(facts, config='countries = ["ES"]\n  sender_number = "ACME"')
                        .replace('  sender_number  = "+14155550100"\n', ""))
    warned = workspace.plan()
    assert warned.code == 2, str(warned)
    assert "Warning: Sender ID must be registered" in warned.output
    assert ('smschannel_configuration "marketing-us": sender_number: the alphanumeric sender ID "ACME" reaches '
            "people in Spain (ES) only once registered with the CNMC Alias Registry (Order TDF/149/2025): "
            "operators block unregistered aliases" in warned.flat)


def test_channel_settings_give_the_default_and_destroy_resets_it(
        workspace: Workspace, facts: dict[str, Any], registry: RegistryClient, sandbox: str,
        tmp_path: Path, tf_home: Path, env: dict[str, str]) -> None:
    workspace.write_hcl(hcl(facts, settings='execution_field = "phones.mobile"'))
    workspace.apply()
    state = workspace.state()
    assert state["smschannel_channel_settings.this"]["id"] == sandbox
    config = state["smschannel_configuration.us"]
    assert config["execution_field"] is None
    assert workspace.plan().code == 0
    # Read after the apply, the configuration follows the sandbox's default.
    workspace.run("apply", "-refresh-only", "-auto-approve", "-input=false")
    assert workspace.state()["smschannel_configuration.us"]["effective_execution_field"] == "phones.mobile"

    # A change of the default names the configurations that follow it, and reaches them with the same apply.
    workspace.write_hcl(hcl(facts, settings='execution_field = "phones.sms"'))
    changed = workspace.plan()
    assert changed.code == 2 and "1 to change, 0 to destroy" in changed.output, str(changed)
    assert "Warning: Sandbox default changes" in changed.output
    assert (f"smschannel_channel_settings (sandbox {sandbox}): execution_field phones.mobile -> phones.sms: channel "
            "configurations marketing-us leave execution_field unset and follow it (effective_execution_field)"
            in changed.flat)
    workspace.apply()
    assert registry.get("configuration", config["id"])["effective_execution_field"] == "phones.sms"
    assert workspace.plan().code == 0

    # A configuration's own value wins; the plan of a configuration change shows the value in use as unknown.
    workspace.write_hcl(hcl(facts, settings='execution_field = "phones.sms"', config='execution_field = "crm.sms"'))
    own = workspace.plan()
    assert '+ execution_field           = "crm.sms"' in own.output and \
        "~ effective_execution_field = \"phones.sms\" -> (known after apply)" in own.output, str(own)
    workspace.apply()
    assert workspace.state()["smschannel_configuration.us"]["effective_execution_field"] == "crm.sms"

    # A second declaration in another configuration is refused; importing by the sandbox's name works.
    other = Workspace(tmp_path / "other", tf_home, env)
    other.root.mkdir()
    other.write_hcl(HEADER + 'resource "smschannel_channel_settings" "again" {\n  execution_field = "x"\n}\n')
    refused = other.run("apply", "-input=false", "-auto-approve")
    assert refused.code == 1
    assert (f"smschannel_channel_settings: the channel settings of sandbox {sandbox} are already declared; import "
            f"them (the import ID is the sandbox's name: {sandbox}) instead of declaring them twice" in refused.flat)
    other.write_hcl(HEADER + 'resource "smschannel_channel_settings" "again" {\n  execution_field = "phones.sms"\n}\n')
    imported = other.run("import", "smschannel_channel_settings.again", sandbox)
    assert imported.code == 0, str(imported)
    assert other.plan().code == 0
    wrong = other.run("import", "smschannel_channel_settings.again", "prod")
    assert wrong.code == 1 and f"no channel settings with id prod in sandbox {sandbox}" in wrong.flat

    # Destroy resets the sandbox to the defaults, and the configurations that follow them change with it.
    workspace.write_hcl(hcl(facts))
    workspace.apply()
    assert registry.get("channel_settings", sandbox)["execution_field"] == "mobilePhone.number"
    assert registry.get("configuration", config["id"])["effective_execution_field"] == "mobilePhone.number"
