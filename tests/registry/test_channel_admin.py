"""Channel configurations' lifecycle, sender rules per country and the sandbox's channel settings, through
the registry's HTTP API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from smschannel.errors import RegistryConflict, RegistryError, RegistryNotFound
from smschannel.local import LocalStack
from smschannel.registry.kinds.configurations import DISABLED
from smschannel.registry_client import RegistryClient
from tests.registry.test_objects import make_config, make_twilio


def make_infobip(registry: RegistryClient, facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    ib = facts["vendors"]["infobip"]
    attributes = {"name": "ib", "base_url": ib["base_url"], "api_key_env": "INFOBIP_API_KEY", **over}
    return registry.create("infobip_credentials", attributes, {"api_key": ib["api_key"]})


def test_disabling_deactivates_without_destroying_and_enabling_rechecks(
        registry: RegistryClient, facts: dict[str, Any], local_stack: LocalStack) -> None:
    cred = make_twilio(registry, facts)
    made = make_config(registry, cred["id"])
    assert (made["status"], made["enabled"]) == ("active", True)

    journal = local_stack.vendors.twilio.control.journal
    calls_before = len(journal.entries())
    off = registry.update("configuration", made["id"], {"enabled": False}, {})
    assert off["id"] == made["id"]
    assert (off["status"], off["status_reason"]) == ("deactivated", DISABLED)
    assert len(journal.entries()) == calls_before  # a deactivated sender is not checked at the vendor
    assert registry.get("configuration", made["id"])["status"] == "deactivated"

    on = registry.update("configuration", made["id"], {"enabled": True}, {})
    assert (on["status"], on["status_reason"]) == ("active", "")
    assert len(journal.entries()) > calls_before  # reactivation asked the vendor again

    # A sender that stopped belonging to the account fails on reactivation, with the reason.
    registry.update("configuration", made["id"], {"enabled": False, "sender_number": "+14155550177"}, {})
    again = registry.update("configuration", made["id"], {"enabled": True}, {})
    assert again["status"] == "failed" and "+14155550177 does not belong to the Twilio account" in \
        again["status_reason"]


def test_sender_rules_per_country_are_refused_with_one_line_each(registry: RegistryClient,
                                                                facts: dict[str, Any]) -> None:
    cred = make_twilio(registry, facts)
    with pytest.raises(RegistryError) as caught:
        make_config(registry, cred["id"], name="alpha", sender_number="ACME", countries=["GB", "US", "BR"])
    assert caught.value.status == 422
    assert str(caught.value).splitlines() == [
        'smschannel_configuration "alpha": countries: operators in United States (US) do not carry alphanumeric '
        'sender IDs such as "ACME": send there from a long code, toll-free number or short code',
        'smschannel_configuration "alpha": countries: operators in Brazil (BR) do not carry alphanumeric sender '
        'IDs such as "ACME": send there from a long code, toll-free number or short code',
    ]
    with pytest.raises(RegistryError) as caught:
        make_config(registry, cred["id"], name="short", sender_number="12345", countries=["US", "CA"])
    assert str(caught.value) == ('smschannel_configuration "short": sender_number: the short code 12345 reaches the '
                                 'subscribers of one country only, but countries lists US, CA: declare one '
                                 'configuration per country')
    with pytest.raises(RegistryError) as caught:
        make_config(registry, cred["id"], name="foreign", sender_number="+447911123456", countries=["CA"])
    assert str(caught.value) == ('smschannel_configuration "foreign": sender_number: operators in Canada (CA) accept '
                                 'only domestic long codes (+1), got +447911123456')
    with pytest.raises(RegistryError) as caught:
        make_config(registry, cred["id"], name="code", countries=["us"])
    assert str(caught.value) == ('smschannel_configuration "code": countries must be ISO 3166-1 alpha-2 country '
                                 'codes such as US or FR, got "us" (use "US")')
    # A US long code to the US and Canada (one calling code), and an alphanumeric ID where it is allowed.
    assert make_config(registry, cred["id"], name="nanp", countries=["US", "CA"])["countries"] == ["US", "CA"]
    assert make_config(registry, cred["id"], name="eu", sender_number="ACME", countries=["GB", "DE"])["status"] \
        == "active"


def test_india_needs_the_dlt_ids_on_infobip_credentials(registry: RegistryClient, facts: dict[str, Any]) -> None:
    bare = make_infobip(registry, facts)
    with pytest.raises(RegistryError) as caught:
        make_config(registry, bare["id"], name="india", sender_number="ACMEIN", countries=["IN"])
    assert str(caught.value) == (
        'smschannel_configuration "india": countries: sending to IN needs the sender\'s registration, but '
        'smschannel_infobip_credentials "ib" has no principal_entity_id and no content_template_id: set them on '
        'the credentials')
    registered = make_infobip(registry, facts, name="ib-dlt", principal_entity_id="1201159100000000001",
                              content_template_id="1207161500000000001")
    made = make_config(registry, registered["id"], name="india", sender_number="ACMEIN", countries=["IN"])
    assert made["countries"] == ["IN"]


def test_channel_settings_are_one_per_sandbox_with_defaults_until_declared(
        registry: RegistryClient, facts: dict[str, Any], sandbox: str) -> None:
    listed = registry.list("channel_settings")
    assert [{k: o[k] for k in ("id", "execution_field")} for o in listed] == [
        {"id": sandbox, "execution_field": "mobilePhone.number"}]
    assert registry.get("channel_settings", sandbox)["execution_field"] == "mobilePhone.number"
    with pytest.raises(RegistryNotFound, match=f"no channel settings with id prod in sandbox {sandbox} "
                                               r"\(their id is the sandbox's name\)"):
        registry.get("channel_settings", "prod")

    cred = make_twilio(registry, facts)
    follower = make_config(registry, cred["id"], name="follower")
    assert (follower["execution_field"], follower["effective_execution_field"]) == (None, "mobilePhone.number")
    own = make_config(registry, cred["id"], name="own", execution_field="crm.sms")
    assert own["effective_execution_field"] == "crm.sms"

    declared = registry.create("channel_settings", {"execution_field": "phones.mobile"}, {})
    assert declared["id"] == sandbox and declared["execution_field"] == "phones.mobile"
    with pytest.raises(RegistryConflict) as caught:
        registry.create("channel_settings", {"execution_field": "other"}, {})
    assert str(caught.value) == (f"smschannel_channel_settings: the channel settings of sandbox {sandbox} are already "
                                 f"declared; import them (the import ID is the sandbox's name: {sandbox}) instead of "
                                 "declaring them twice")

    # A configuration that leaves execution_field unset follows the sandbox's default, on every read.
    effective = {c["name"]: c["effective_execution_field"] for c in registry.list("configuration")}
    assert effective == {"follower": "phones.mobile", "own": "crm.sms"}
    assert registry.get("configuration", follower["id"])["effective_execution_field"] == "phones.mobile"
    assert make_config(registry, cred["id"], name="new")["effective_execution_field"] == "phones.mobile"

    # Delete resets to the defaults; an update of undeclared settings stores them.
    assert registry.delete("channel_settings", sandbox) == ""
    assert registry.get("channel_settings", sandbox)["execution_field"] == "mobilePhone.number"
    assert registry.get("configuration", follower["id"])["effective_execution_field"] == "mobilePhone.number"
    updated = registry.update("channel_settings", sandbox, {"execution_field": "phones.work"}, {})
    assert updated["execution_field"] == "phones.work"
    assert registry.get("channel_settings", sandbox)["execution_field"] == "phones.work"
    # Setting the configuration's own value, then unsetting it, returns it to the sandbox's default.
    assert registry.update("configuration", follower["id"], {"execution_field": "x.y"}, {})[
        "effective_execution_field"] == "x.y"
    assert registry.update("configuration", follower["id"], {"execution_field": None}, {})[
        "effective_execution_field"] == "phones.work"


def test_channel_settings_of_other_sandboxes_stay_apart(registry: RegistryClient, facts: dict[str, Any],
                                                        sandbox: str) -> None:
    registry.create("channel_settings", {"execution_field": "phones.mobile"}, {})
    other = RegistryClient(registry.endpoint, facts["registry"]["token"], sandbox=f"{sandbox}-other")
    try:
        assert other.get("channel_settings", f"{sandbox}-other")["execution_field"] == "mobilePhone.number"
        with pytest.raises(RegistryNotFound):
            other.get("channel_settings", sandbox)
    finally:
        other.close()
    url = f"{registry.endpoint}/v1/sandboxes/{sandbox}/channel_settings/{sandbox}"
    assert httpx.get(url).status_code == 401
