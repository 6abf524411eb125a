"""The whole lifecycle through real Terraform and the registry over HTTP: create, no-change plan,
update in place, replace, deletion outside Terraform, import, secret rotation, destroy."""

from __future__ import annotations

from typing import Any

from smschannel.model import RESOURCES
from smschannel.model.base import defaults
from smschannel.registry_client import RegistryClient
from tests.support import Workspace
from tests.terraform.stacks import configuration, full, twilio


def registry_is_empty(registry: RegistryClient) -> bool:
    """No object stored: nothing listed, and a sandbox's settings (always listed) back at their defaults."""
    return all(registry.list(m.stem()) == [] for m in RESOURCES if not m.per_sandbox) and all(
        {k: v for k, v in o.items() if k in defaults(m)} == defaults(m)
        for m in RESOURCES if m.per_sandbox for o in registry.list(m.stem()))


def test_create_then_plan_shows_no_changes(workspace: Workspace, facts: dict[str, Any],
                                           registry: RegistryClient) -> None:
    workspace.write_json(full(facts))
    applied = workspace.apply()
    assert "Apply complete! Resources: 4 added, 0 changed, 0 destroyed." in applied.output

    again = workspace.plan()
    assert again.code == 0, str(again)
    assert "No changes." in again.output

    state = workspace.state()
    marketing = state["smschannel_configuration.marketing"]
    assert marketing["status"] == "active" and marketing["status_reason"] == ""
    # Unset, the execution field follows the sandbox's default, shown as the value in use.
    assert (marketing["execution_field"], marketing["effective_execution_field"]) == (None, "mobilePhone.number")
    assert state["smschannel_sinch_credentials.main"]["region"] == "us"
    stored = {o["id"]: o for o in registry.list("configuration")}
    assert stored[marketing["id"]]["sender_number"] == "+14155550100"
    assert state["smschannel_twilio_credentials.main"]["verified_at"]


def test_update_in_place_and_return_to_default(workspace: Workspace, facts: dict[str, Any],
                                              registry: RegistryClient) -> None:
    workspace.write_json(full(facts))
    workspace.apply()
    before = workspace.state()["smschannel_configuration.marketing"]["id"]

    workspace.write_json(full(facts, description="Spring sale", execution_field="phone"))
    planned = workspace.plan()
    assert planned.code == 2, str(planned)
    assert "1 to change, 0 to destroy" in planned.output
    workspace.apply()
    after = workspace.state()["smschannel_configuration.marketing"]
    assert after["id"] == before and after["description"] == "Spring sale"
    assert registry.get("configuration", before)["execution_field"] == "phone"

    # Removing the execution field returns the configuration to the sandbox's default.
    workspace.write_json(full(facts, description="Spring sale"))
    planned = workspace.plan()
    assert "1 to change" in planned.output and '- execution_field           = "phone" -> null' in planned.output, \
        str(planned)
    workspace.apply()
    assert registry.get("configuration", before)["effective_execution_field"] == "mobilePhone.number"


def test_name_change_replaces(workspace: Workspace, facts: dict[str, Any], registry: RegistryClient) -> None:
    workspace.write_json(full(facts))
    workspace.apply()
    old = workspace.state()["smschannel_configuration.marketing"]["id"]

    workspace.write_json(full(facts, name="marketing-renamed"))
    planned = workspace.plan()
    assert "must be replaced" in planned.output and "# forces replacement" in planned.output
    assert "1 to add, 0 to change, 1 to destroy" in planned.output
    workspace.apply()
    new = workspace.state()["smschannel_configuration.marketing"]["id"]
    assert new != old
    ids = {o["id"] for o in registry.list("configuration")}
    assert new in ids and old not in ids


def test_deleted_outside_terraform_is_recreated(workspace: Workspace, facts: dict[str, Any],
                                               registry: RegistryClient) -> None:
    workspace.write_json(full(facts))
    workspace.apply()
    gone = workspace.state()["smschannel_configuration.marketing"]["id"]
    registry.delete("configuration", gone)

    planned = workspace.plan()
    assert planned.code == 2, str(planned)
    assert "smschannel_configuration.marketing will be created" in planned.output
    assert "1 to add, 0 to change, 0 to destroy" in planned.output
    workspace.apply()
    assert workspace.state()["smschannel_configuration.marketing"]["id"] != gone


def test_import_by_id(workspace: Workspace, facts: dict[str, Any], registry: RegistryClient) -> None:
    tw = facts["vendors"]["twilio"]
    made = registry.create("twilio_credentials", {"name": "twilio-main", "account_sid": tw["account_sid"],
                                                  "auth_token_env": "TWILIO_AUTH_TOKEN"},
                           {"auth_token": tw["auth_token"]})
    workspace.write_json({"smschannel_twilio_credentials": {"main": twilio(facts)}})
    imported = workspace.run("import", "-input=false", "smschannel_twilio_credentials.main", made["id"])
    assert imported.code == 0, str(imported)
    assert "Import successful!" in imported.output
    planned = workspace.plan()
    assert planned.code == 0, str(planned)  # the fingerprint matches: nothing to change

    workspace.write_json({"smschannel_twilio_credentials": {"main": twilio(facts),
                                                            "other": twilio(facts, name="other")}})
    missing = workspace.run("import", "-input=false", "smschannel_twilio_credentials.other", "twicre_nope")
    assert missing.code == 1
    assert (f"{missing.flat}".count(f"smschannel_twilio_credentials: no Twilio credentials with id twicre_nope in "
                                    f"sandbox {registry.sandbox}. The import ID is the object's id in the registry.")
            == 1), missing.flat


def test_rotating_the_secret_behind_env_shows_an_update(workspace: Workspace, facts: dict[str, Any],
                                                       local_stack: Any) -> None:
    workspace.write_json({"smschannel_twilio_credentials": {"main": twilio(facts)}})
    workspace.apply()
    first = workspace.state()["smschannel_twilio_credentials.main"]

    # The account's token is rotated at Twilio; the pipeline's variable follows.
    account = local_stack.vendors.twilio.accounts[facts["vendors"]["twilio"]["account_sid"]]
    old_token, account.auth_token = account.auth_token, "0" * 32
    try:
        rotated = {"TWILIO_AUTH_TOKEN": "0" * 32}
        planned = workspace.plan(env=rotated)
        assert planned.code == 2, str(planned)
        assert "~ auth_token_fingerprint" in planned.output and "1 to change" in planned.output
        workspace.apply(env=rotated)
        second = workspace.state()["smschannel_twilio_credentials.main"]
        assert second["auth_token_fingerprint"] != first["auth_token_fingerprint"]
        assert second["verified_at"] >= first["verified_at"]
        assert workspace.plan(env=rotated).code == 0
    finally:
        account.auth_token = old_token


def test_destroy_leaves_the_registry_empty(workspace: Workspace, facts: dict[str, Any],
                                          registry: RegistryClient) -> None:
    workspace.write_json(full(facts))
    workspace.apply()
    assert not registry_is_empty(registry)
    destroyed = workspace.destroy()
    assert "Destroy complete! Resources: 4 destroyed." in destroyed.output
    assert registry_is_empty(registry)


def test_plain_hcl_with_terraform_starting_the_provider(tmp_path: Any, tf_home: Any, env: dict[str, str],
                                                       facts: dict[str, Any], registry: RegistryClient) -> None:
    """What a plain terraform user does: HCL, the provider from the filesystem mirror, a real lock file."""
    workspace = Workspace(tmp_path, tf_home, env, managed=True)
    tw = facts["vendors"]["twilio"]
    workspace.write_hcl(f'''
terraform {{
  required_providers {{
    smschannel = {{ source = "smschannel/smschannel" }}
  }}
}}

provider "smschannel" {{
  sandbox = "{env["SMSCHANNEL_SANDBOX"]}"
}}

resource "smschannel_twilio_credentials" "main" {{
  name           = "twilio-hcl"
  account_sid    = "{tw["account_sid"]}"
  auth_token_env = "TWILIO_AUTH_TOKEN"
}}

resource "smschannel_configuration" "main" {{
  name           = "hcl-config"
  channel        = "sms"
  sms_type       = "transactional"
  credentials_id = smschannel_twilio_credentials.main.id
  sender_number  = "{tw["messaging_service_numbers"][0]}"
}}
''')
    workspace.apply()
    lock = (tmp_path / ".terraform.lock.hcl").read_text()
    assert 'provider "registry.terraform.io/smschannel/smschannel"' in lock and "h1:" in lock
    assert workspace.plan().code == 0
    assert [o["name"] for o in registry.list("configuration")] == ["hcl-config"]
    workspace.destroy()
    assert registry_is_empty(registry)


def test_configuration_whose_sender_is_not_the_accounts_fails_with_a_reason(
        workspace: Workspace, facts: dict[str, Any]) -> None:
    workspace.write_json({"smschannel_twilio_credentials": {"main": twilio(facts)},
                          "smschannel_configuration": {"main": configuration(sender_number="+14155550199")}})
    applied = workspace.apply()
    assert "Warning: Channel configuration is failed" in applied.output
    assert "the sender number +14155550199 does not belong to the Twilio account" in applied.flat
    assert workspace.state()["smschannel_configuration.main"]["status"] == "failed"
