"""The audit trail: who (the token's name), what (before and after, secrets only as fingerprints), when
and from which run and change reference, for API changes and for consent changes made by inbound
messages; read with its own scope, through the API and `smschannel audit`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from smschannel.change_ref import change_headers, change_ref, run_id
from smschannel.cli import app
from smschannel.registry import storage
from smschannel.registry.settings import ReplySettings
from smschannel.registry_client import RegistryClient
from tests.registry.outbox_support import RULES, own_registry, post, sinch_request, sinch_webhook


def test_every_change_is_audited_with_its_author_run_and_change(tmp_path: Path, facts: dict[str, Any],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMSCHANNEL_RUN_ID", "run-42")
    monkeypatch.setenv("SMSCHANNEL_CHANGE_REF", "https://git.example/acme/sms/pull/7")
    with own_registry(tmp_path, facts, replies=ReplySettings(), sender=False) as registry:
        client = registry.client()
        webhook = sinch_webhook(client, facts)
        cred_id = webhook["credentials_id"]
        client.update("webhook", webhook["id"], {"default_reply": "Hi there."}, {})
        client.delete("webhook", webhook["id"])
        trail = client.raw("GET", "/v1/sandboxes/prod/audit")["data"]
    secret = facts["vendors"]["sinch"]["api_token"]
    assert secret not in json.dumps(trail)
    assert [(e["action"], e["object_type"]) for e in trail] == [
        ("create", "sinch_credentials"), ("create", "webhook"), ("update", "webhook"), ("delete", "webhook")]
    assert all((e["actor"], e["run_id"], e["change_ref"]) == ("outbox test", "run-42",
                                                              "https://git.example/acme/sms/pull/7") for e in trail)
    created, _, updated, deleted = trail
    assert created["object_id"] == cred_id and created["before"] is None
    assert created["after"]["api_token_fingerprint"].startswith("hmac-sha256:")
    assert (updated["before"]["default_reply"], updated["after"]["default_reply"]) == (RULES["default_reply"],
                                                                                     "Hi there.")
    assert deleted["before"]["id"] == webhook["id"] and deleted["after"] is None


def test_consent_changes_by_inbound_messages_are_in_the_trail(tmp_path: Path, facts: dict[str, Any]) -> None:
    with own_registry(tmp_path, facts, replies=ReplySettings(), sender=False) as registry:
        client = registry.client()
        webhook = sinch_webhook(client, facts)
        for index, text in enumerate(["STOP", "STOP", "HELP", "START"]):
            request = sinch_request(profile="+14155557500", text=text, request_id=f"01AUDIT{index}",
                                    to=webhook["sender_number"])
            assert post(webhook["url"], request).status_code == 200
        trail = client.raw("GET", "/v1/sandboxes/prod/audit", params={"object_id": f"{webhook['sender_number']}"
                                                                                   ":+14155557500"})["data"]
    assert [(e["actor"], e["before"], e["after"], e["run_id"]) for e in trail] == [
        ("inbound:si-in", {"status": None}, {"status": "opted_out", "request_id": "01AUDIT0"}, "01AUDIT0"),
        ("inbound:si-in", {"status": "opted_out"}, {"status": "opted_in", "request_id": "01AUDIT3"}, "01AUDIT3")]


def test_the_trail_needs_its_own_scope_and_pages(tmp_path: Path, facts: dict[str, Any]) -> None:
    with own_registry(tmp_path, facts, replies=ReplySettings(), sender=False) as registry:
        sinch_webhook(registry.client(), facts)
        with registry.services.db.session() as session:
            reader = storage.create_token(session, "reader", {"prod": ["sms_settings.read"]})
        answer = httpx.get(f"{registry.url}/v1/sandboxes/prod/audit", headers={"Authorization": f"Bearer {reader}"})
        assert (answer.status_code, answer.json()["detail"]) == (403, "the token lacks the scope audit.read on "
                                                                       "sandbox prod")
        first = registry.client().raw("GET", "/v1/sandboxes/prod/audit", params={"limit": "1"})
        rest = registry.client().raw("GET", "/v1/sandboxes/prod/audit", params={"after": str(first["next"])})
        assert (first["count"], first["next"], rest["count"], rest["next"]) == (1, first["data"][0]["id"], 1, None)
        assert registry.client(sandbox="dev").raw("GET", "/v1/sandboxes/dev/audit")["count"] == 0


def test_smschannel_audit_prints_the_trail(tmp_path: Path, facts: dict[str, Any],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with own_registry(tmp_path, facts, replies=ReplySettings(), sender=False) as registry:
        client = registry.client()
        webhook = sinch_webhook(client, facts)
        client.update("webhook", webhook["id"], {"default_reply": "Hi."}, {})
        monkeypatch.setenv("SMSCHANNEL_ENDPOINT", registry.url)
        monkeypatch.setenv("SMSCHANNEL_TOKEN", registry.token)
        result = CliRunner().invoke(app, ["audit", "--object", webhook["id"]])
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert f"outbox test  create webhook {webhook['id']}  (run_id=run-" in lines[0]
        assert f'          default_reply: "{RULES["default_reply"]}" -> "Hi."' in lines
        as_json = json.loads(CliRunner().invoke(app, ["audit", "--json"]).output)
        assert [e["action"] for e in as_json["data"]] == ["create", "create", "update"]
        monkeypatch.setenv("SMSCHANNEL_TOKEN", "smc_wrong")
        refused = CliRunner().invoke(app, ["audit"])
        assert (refused.exit_code, refused.output.strip()) == (1, "Error: unknown or revoked token")


def test_the_provider_names_its_run_and_change_from_the_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    github = {"GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "99", "GITHUB_RUN_ATTEMPT": "2",
              "GITHUB_REPOSITORY": "acme/sms", "GITHUB_REF": "refs/pull/12/merge", "GITHUB_SHA": "abc123",
              "GITHUB_SERVER_URL": "https://github.com"}
    assert run_id(github) == "github:acme/sms/99/2"
    assert change_ref(github) == "https://github.com/acme/sms/pull/12"
    assert change_ref({**github, "GITHUB_REF": "refs/heads/main"}) == "abc123"
    gitlab = {"CI_PIPELINE_ID": "5", "CI_MERGE_REQUEST_IID": "3", "CI_PROJECT_URL": "https://gitlab.example/a/b",
              "CI_COMMIT_SHA": "def456"}
    assert (run_id(gitlab), change_ref(gitlab)) == ("gitlab:5", "https://gitlab.example/a/b/-/merge_requests/3")
    assert change_ref({"SMSCHANNEL_CHANGE_REF": "PR-1", **gitlab}) == "PR-1"
    assert change_ref({}) is None and run_id({}).startswith("run-")
    assert change_headers({"SMSCHANNEL_RUN_ID": "r", "GIT_COMMIT": "f00"}) == {
        "X-Smschannel-Run-Id": "r", "X-Smschannel-Change-Ref": "f00"}
    monkeypatch.setenv("SMSCHANNEL_CHANGE_REF", "c-1")
    client = RegistryClient("http://127.0.0.1:9", None)
    try:
        assert client._http.headers["X-Smschannel-Change-Ref"] == "c-1"
    finally:
        client.close()
