"""Tokens (list, revoke, expiry) and the master key (rotated and retired while the registry runs:
secrets still open, fingerprints unchanged, replies still sent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from typer.testing import CliRunner

from smschannel.cli import app
from smschannel.local import LocalStack
from smschannel.registry import storage
from smschannel.registry.crypto import PIN, read_ring
from smschannel.registry.settings import ReplySettings
from tests.registry.outbox_support import own_registry, sinch_webhook, wait_drained


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_tokens_are_listed_revoked_and_expire(runner: CliRunner, tmp_path: Path, facts: dict[str, Any]) -> None:
    with own_registry(tmp_path, facts, replies=ReplySettings(), sender=False) as registry:
        database = registry.settings.database
        made = runner.invoke(app, ["token", "create", "ci", "--scope", "sms_settings.read", "--sandbox", "prod",
                                   "--database", database])
        assert made.exit_code == 0, made.output
        ci = made.output.strip()
        brief = runner.invoke(app, ["token", "create", "brief", "--scope", "sms_settings.read", "--database",
                                    database, "--expires-in-days", "0.001"])
        assert brief.exit_code == 0, brief.output
        whoami = f"{registry.url}/v1/whoami"
        assert httpx.get(whoami, headers={"Authorization": f"Bearer {ci}"}).json()["name"] == "ci"

        listed = runner.invoke(app, ["token", "list", "--database", database, "--json"])
        tokens = {t["name"]: t for t in json.loads(listed.output)["data"]}
        assert tokens["ci"]["status"] == "active" and tokens["ci"]["expires_at"] is None
        assert tokens["ci"]["grants"] == {"prod": ["sms_settings.read"]}
        assert tokens["brief"]["expires_at"] is not None
        assert ci not in listed.output  # only the hash is kept

        revoked = runner.invoke(app, ["token", "revoke", "ci", "--database", database])
        assert revoked.output.strip() == f"revoked {tokens['ci']['id']} (ci)"
        answer = httpx.get(whoami, headers={"Authorization": f"Bearer {ci}"})
        assert (answer.status_code, answer.json()["detail"]) == (401, "unknown or revoked token")
        shown = runner.invoke(app, ["token", "list", "--database", database]).output
        assert f"{tokens['ci']['id']}  revoked  ci" in shown

        with registry.services.db.session() as session:  # a token past its expiry is refused
            row = session.get(storage.TokenRow, tokens["brief"]["id"])
            assert row is not None
            row.expires_at = storage.utcnow()
        listed = json.loads(runner.invoke(app, ["token", "list", "--database", database, "--json"]).output)
        assert {t["name"]: t["status"] for t in listed["data"]}["brief"] == "expired"

        missing = runner.invoke(app, ["token", "revoke", "nobody", "--database", database])
        assert (missing.exit_code, missing.output.strip()) == (
            1, "Error: no token with the ID or name 'nobody': `smschannel token list` shows them")
        runner.invoke(app, ["token", "create", "twin", "--scope", "consent.read", "--database", database])
        runner.invoke(app, ["token", "create", "twin", "--scope", "consent.read", "--database", database])
        twins = runner.invoke(app, ["token", "revoke", "twin", "--database", database])
        assert twins.exit_code == 1 and twins.output.startswith("Error: 2 tokens are named 'twin' (tok_")


def test_the_master_key_rotates_while_the_registry_runs(runner: CliRunner, tmp_path: Path, facts: dict[str, Any],
                                                        local_stack: LocalStack) -> None:
    with own_registry(tmp_path, facts, replies=ReplySettings(poll=0.05)) as registry:
        client = registry.client()
        webhook = sinch_webhook(client, facts)
        cred_id = webhook["credentials_id"]
        fingerprint = client.get("sinch_credentials", cred_id)["api_token_fingerprint"]
        key_file, database = registry.settings.key_file, registry.settings.database
        old_key = read_ring(key_file).keys[0]

        def reply_goes_out(text: str) -> None:
            outcome = client.raw("POST", f"/v1/sandboxes/prod/webhook/{webhook['id']}/simulate",
                                 json={"from": "+14155557900", "text": text})
            assert outcome["reply_status"].startswith("sent: "), outcome

        reply_goes_out("HELP")
        rotated = runner.invoke(app, ["key", "rotate", "--key-file", str(key_file), "--database", database])
        assert rotated.exit_code == 0, rotated.output
        assert "1 stored secrets sealed with it" in rotated.output
        ring = read_ring(key_file)
        assert len(ring.keys) == 2 and ring.keys[1] == old_key and key_file.read_text().startswith(PIN)
        reply_goes_out("STOP")  # the running registry opens secrets sealed with a key it had not read
        retired = runner.invoke(app, ["key", "retire", "--key-file", str(key_file), "--database", database])
        assert retired.exit_code == 0, retired.output
        assert "1 older keys removed" in retired.output
        assert read_ring(key_file).keys == ring.keys[:1]
        reply_goes_out("START")
        assert client.get("sinch_credentials", cred_id)["api_token_fingerprint"] == fingerprint
        wait_drained(registry.services)
        with registry.services.db.session() as session:
            sealed = session.scalars(select(storage.ObjectRow.sealed).where(storage.ObjectRow.id == cred_id)).one()
        assert sealed is not None
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(sealed)  # the retired key opens nothing any more
        trail = client.raw("GET", "/v1/sandboxes/prod/audit")["data"]
        assert [e["action"] for e in trail if e["object_type"] == "master_key"] == ["rotate", "retire"]
