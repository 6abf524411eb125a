"""The registry's object API over real HTTP: auth and scopes, validation, secrets, activation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from smschannel.errors import RegistryConflict, RegistryError, RegistryForbidden, RegistryNotFound
from smschannel.local import LocalStack
from smschannel.registry import storage
from smschannel.registry_client import RegistryClient
from smschannel.scopes import has_scope


def make_twilio(registry: RegistryClient, facts: dict[str, Any], **over: Any) -> dict[str, Any]:
    tw = facts["vendors"]["twilio"]
    attributes = {"name": "tw", "account_sid": tw["account_sid"], "auth_token_env": "TWILIO_AUTH_TOKEN", **over}
    return registry.create("twilio_credentials", attributes, {"auth_token": tw["auth_token"]})


def make_config(registry: RegistryClient, credentials_id: str, **over: Any) -> dict[str, Any]:
    body = {"name": "cfg", "channel": "sms", "sms_type": "marketing", "credentials_id": credentials_id,
            "sender_number": "+14155550100", **over}
    return registry.create("configuration", body, {})


def test_no_token_is_401_and_a_missing_scope_is_403_naming_it(facts: dict[str, Any], local_stack: LocalStack,
                                                             sandbox: str) -> None:
    url = f"{facts['registry']['url']}/v1/sandboxes/{sandbox}/configuration"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url).json() == {"detail": "missing bearer token: send 'Authorization: Bearer <token>'"}
    assert local_stack.services is not None
    with local_stack.services.db.session() as session:
        token = storage.create_token(session, "settings only", {sandbox: ["sms_settings.read"]})
    answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
    assert answer.json() == {"detail": f"the token lacks the scope channel_configurations.read on sandbox {sandbox}"}


def test_secrets_are_never_returned_and_are_encrypted_at_rest(registry: RegistryClient, facts: dict[str, Any],
                                                             local_stack: LocalStack) -> None:
    made = make_twilio(registry, facts)
    secret = facts["vendors"]["twilio"]["auth_token"]
    for shown in (made, registry.get("twilio_credentials", made["id"]), *registry.list("twilio_credentials")):
        assert secret not in str(shown)
        assert shown["auth_token_fingerprint"].startswith("hmac-sha256:")
        assert "auth_token" not in shown and shown["auth_token_env"] == "TWILIO_AUTH_TOKEN"
    assert local_stack.services is not None
    with local_stack.services.db.session() as session:
        row = session.get(storage.ObjectRow, made["id"])
        assert row is not None and row.sealed is not None
        assert secret.encode() not in row.sealed
        assert local_stack.services.box.open(row.sealed) == {"auth_token": secret}
    database = local_stack.state_dir / "registry.db"
    for path in (database, database.with_name("registry.db-wal")):
        if path.exists():
            assert secret.encode() not in path.read_bytes()


def test_invalid_objects_are_refused_with_one_line_each(registry: RegistryClient) -> None:
    with pytest.raises(RegistryError) as caught:
        registry.create("twilio_credentials", {"name": "tw", "account_sid": "AC1", "inbound_number": "0100"},
                        {"auth_token": "x"})
    assert caught.value.status == 422
    assert str(caught.value).splitlines() == [
        'smschannel_twilio_credentials "tw": account_sid must be "AC" followed by 32 hex digits (a Twilio account '
        'SID), got "AC1"',
        'smschannel_twilio_credentials "tw": inbound_number must be a phone number in E.164 form such as '
        '+14155550100, got "0100"',
    ]
    with pytest.raises(RegistryError, match="unknown attributes colour"):
        registry.create("configuration", {"name": "c", "colour": "red"}, {})


def test_wrong_secret_is_refused_with_the_vendor_code(registry: RegistryClient, facts: dict[str, Any]) -> None:
    tw = facts["vendors"]["twilio"]
    wrong = "badbadbad" * 3
    with pytest.raises(RegistryError) as caught:
        registry.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"]}, {"auth_token": wrong})
    assert caught.value.status == 422
    assert 'smschannel_twilio_credentials "tw": verify connection failed:' in str(caught.value)
    assert "20003" in str(caught.value) and wrong not in str(caught.value)
    assert registry.list("twilio_credentials") == []


def test_names_are_unique_per_sandbox_and_sandboxes_are_apart(registry: RegistryClient, facts: dict[str, Any],
                                                             sandbox: str) -> None:
    made = make_twilio(registry, facts)
    with pytest.raises(RegistryConflict, match=f'"tw": the name is already taken by {made["id"]} in sandbox {sandbox}'):
        make_twilio(registry, facts)
    other = RegistryClient(registry.endpoint, facts["registry"]["token"], sandbox=f"{sandbox}-other")
    try:
        assert other.list("twilio_credentials") == []
        with pytest.raises(RegistryNotFound):
            other.get("twilio_credentials", made["id"])
        assert make_twilio(other, facts)["id"] != made["id"]
    finally:
        other.close()


def test_configuration_activation(registry: RegistryClient, facts: dict[str, Any]) -> None:
    cred = make_twilio(registry, facts)
    active = make_config(registry, cred["id"])
    assert (active["status"], active["status_reason"]) == ("active", "")
    failed = make_config(registry, cred["id"], name="cfg2", sender_number="+14155550177")
    assert failed["status"] == "failed"
    assert failed["status_reason"] == (f"the sender number +14155550177 does not belong to the Twilio account "
                                       f"{facts['vendors']['twilio']['account_sid']}")
    # Through the messaging service only its own numbers count.
    service = make_twilio(registry, facts, name="svc", messaging_service_sid=facts["vendors"]["twilio"]
                          ["messaging_service_sid"])
    assert make_config(registry, service["id"], name="cfg3", sender_number="+14155550101")["status"] == "active"
    assert make_config(registry, service["id"], name="cfg4", sender_number="+14155550100")["status"] == "failed"

    # MMS needs a sender Twilio reports as MMS-capable.
    assert make_config(registry, cred["id"], name="mms", channel="mms")["status"] == "active"
    sms_only = facts["vendors"]["twilio"]["sms_only_number"]
    no_mms = make_config(registry, cred["id"], name="mms2", channel="mms", sender_number=sms_only)
    assert (no_mms["status"], no_mms["status_reason"]) == ("failed", (
        f"the sender number {sms_only} of the Twilio account {facts['vendors']['twilio']['account_sid']} is not "
        "MMS-capable (Twilio says it can do: sms, voice)"))
    with pytest.raises(RegistryError, match="credentials_id: Twilio credentials cannot carry the rcs channel"):
        make_config(registry, cred["id"], name="rcs", channel="rcs")
    with pytest.raises(RegistryError, match="credentials_id: no credentials with id nope"):
        make_config(registry, "nope", name="ghost")

    registry.delete("twilio_credentials", cred["id"])
    shown = registry.get("configuration", active["id"])
    assert shown["status"] == "deactivated" and shown["status_reason"] == f"its credentials {cred['id']} were deleted"


def test_update_keeps_secrets_and_reverifies_when_they_change(registry: RegistryClient,
                                                              facts: dict[str, Any]) -> None:
    made = make_twilio(registry, facts)
    renamed = registry.update("twilio_credentials", made["id"], {"name": "renamed"}, {})
    assert renamed["name"] == "renamed" and renamed["auth_token_fingerprint"] == made["auth_token_fingerprint"]
    assert renamed["verified_at"] == made["verified_at"]
    with pytest.raises(RegistryError, match="verify connection failed"):
        registry.update("twilio_credentials", made["id"], {}, {"auth_token": "f" * 32})
    assert registry.get("twilio_credentials", made["id"])["auth_token_fingerprint"] == made["auth_token_fingerprint"]


def test_production_only_scopes() -> None:
    assert has_scope({"prod": ["sms_subdomains.write"]}, "dev", "sms_subdomains.write")
    assert not has_scope({"dev": ["sms_subdomains.write"]}, "dev", "sms_subdomains.write")
    assert has_scope({"*": ["sms_subdomains.delete"]}, "dev", "sms_subdomains.delete")
    assert not has_scope({"dev": ["sms_settings.write"]}, "prod", "sms_settings.write")


def test_forbidden_is_raised_as_its_own_error(facts: dict[str, Any], local_stack: LocalStack, sandbox: str) -> None:
    assert local_stack.services is not None
    with local_stack.services.db.session() as session:
        token = storage.create_token(session, "nothing", {})
    client = RegistryClient(facts["registry"]["url"], token, sandbox=sandbox)
    try:
        with pytest.raises(RegistryForbidden, match=r"sms_settings\.read"):
            client.list("twilio_credentials")
    finally:
        client.close()
