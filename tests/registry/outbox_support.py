"""Helpers for the outbox tests: a registry of the test's own (its reply settings, its database) on the
session's local vendors, webhooks with a reply for every keyword, and vendor-shaped inbound posts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from smschannel.emulators import LocalServer
from smschannel.model.provider_config import VendorEndpoints
from smschannel.providers.twilio import twilio_signature
from smschannel.registry import storage
from smschannel.registry.app import create_app
from smschannel.registry.service import Services
from smschannel.registry.settings import RegistrySettings, ReplySettings
from smschannel.registry_client import RegistryClient
from smschannel.scopes import ALL_SCOPES

RULES = {
    "opt_out": {"keywords": ["STOP"], "reply": "You are unsubscribed."},
    "opt_in": {"keywords": ["START"], "reply": "Welcome back."},
    "help": {"keywords": ["HELP"], "reply": "Acme: reply STOP to end."},
    "default_reply": "Acme here: reply HELP for help.",
}
REPLIES = {"STOP": "You are unsubscribed.", "START": "Welcome back.", "HELP": "Acme: reply STOP to end."}


class ServeProcess:
    """`smschannel serve` as a child process on a fixed port, killed and started again on demand."""

    def __init__(self, state: Path, facts: dict[str, Any], *, database: str, name: str = "serve") -> None:
        from smschannel.local import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = database
        self.key_file = state / "registry.key"
        self.log = (state / f"{name}.log").open("ab")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SMSCHANNEL_")},
            **{k: v for k, v in facts["env"].items() if k.startswith("SMSCHANNEL_") and k.endswith("_URL")},
            "SMSCHANNEL_REGISTRY_PUBLIC_URL": self.url,
            "SMSCHANNEL_REPLY_STALE_AFTER": "1.5", "SMSCHANNEL_REPLY_POLL": "0.1",
            "SMSCHANNEL_REPLY_RETRY_INITIAL": "0.2", "SMSCHANNEL_REPLY_RETRY_MAX": "1",
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "smschannel.cli", "serve", "--database", self.database, "--key-file",
             str(self.key_file), "--port", str(self.port)], env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/v1/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, "the registry exited at start (see serve.log)"
            time.sleep(0.05)
        raise AssertionError("the registry did not become ready within 60 s")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def vendor_endpoints(facts: dict[str, Any]) -> VendorEndpoints:
    return VendorEndpoints({k: v for k, v in facts["provider"].items() if k not in ("endpoint", "token", "sandbox")})


@dataclass
class OwnRegistry:
    url: str
    token: str
    services: Services
    settings: RegistrySettings
    clients: list[RegistryClient] = field(default_factory=list)

    def client(self, sandbox: str = "prod") -> RegistryClient:
        """A client of this registry (closed when the registry stops)."""
        made = RegistryClient(self.url, self.token, sandbox=sandbox)
        self.clients.append(made)
        return made


@contextmanager
def own_registry(state: Path, facts: dict[str, Any], *, replies: ReplySettings, sender: bool = True,
                 database: str | None = None) -> Iterator[OwnRegistry]:
    """A registry with its own database (SQLite in `state`, or `database`) and reply settings."""
    from smschannel.local import free_port

    state.mkdir(parents=True, exist_ok=True)
    port = free_port()
    key_file = Path(database).with_suffix(".key") if database and "://" not in database else state / "registry.key"
    settings = RegistrySettings(database=database or str(state / "registry.db"), key_file=key_file,
                                public_url=f"http://127.0.0.1:{port}", vendors=vendor_endpoints(facts),
                                replies=replies)
    services = Services.start(settings)
    with services.db.session() as session:
        token = storage.create_token(session, "outbox test", {"*": list(ALL_SCOPES)})
    try:
        with LocalServer(create_app(settings, services=services, sender=sender), port=port) as server:
            own = OwnRegistry(server.url, token, services, settings)
            try:
                yield own
            finally:
                for made in own.clients:
                    made.close()
    finally:
        services.db.dispose()


def twilio_webhook(registry: RegistryClient, facts: dict[str, Any], name: str = "tw") -> dict[str, Any]:
    tw = facts["vendors"]["twilio"]
    cred = registry.create("twilio_credentials", {"name": name, "account_sid": tw["account_sid"],
                                                  "auth_token_env": "TWILIO_AUTH_TOKEN"},
                           {"auth_token": tw["auth_token"]})
    return registry.create("webhook", {"name": f"{name}-in", "vendor": "twilio", "credentials_id": cred["id"],
                                       "sender_number": tw["phone_numbers"][0], **RULES}, {})


def sinch_webhook(registry: RegistryClient, facts: dict[str, Any], name: str = "si") -> dict[str, Any]:
    si = facts["vendors"]["sinch"]
    cred = registry.create("sinch_credentials", {"name": name, "service_plan_id": si["service_plan_id"],
                                                 "api_token_env": "SINCH_API_TOKEN"}, {"api_token": si["api_token"]})
    return registry.create("webhook", {"name": f"{name}-in", "vendor": "sinch", "credentials_id": cred["id"],
                                       "sender_number": si["phone_numbers"][0], **RULES}, {})


def twilio_request(facts: dict[str, Any], url: str, *, profile: str, text: str, request_id: str,
                   to: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers Twilio posts for one message (signed for `url`)."""
    params = {"MessageSid": request_id, "AccountSid": facts["vendors"]["twilio"]["account_sid"], "From": profile,
              "To": to, "Body": text, "NumMedia": "0"}
    signature = twilio_signature(facts["vendors"]["twilio"]["auth_token"], url, params)
    return urlencode(params).encode(), {"Content-Type": "application/x-www-form-urlencoded",
                                        "X-Twilio-Signature": signature}


def sinch_request(*, profile: str, text: str, request_id: str, to: str) -> tuple[bytes, dict[str, str]]:
    import json

    body = {"type": "mo_text", "id": request_id, "from": profile[1:], "to": to[1:], "body": text,
            "received_at": "2026-11-25T10:00:00Z"}
    return json.dumps(body).encode(), {"Content-Type": "application/json"}


def post(url: str, request: tuple[bytes, dict[str, str]], *, timeout: float = 10.0) -> httpx.Response:
    body, headers = request
    return httpx.post(url, content=body, headers=headers, timeout=timeout)


def fault(vendor_url: str, **spec: Any) -> None:
    httpx.post(f"{vendor_url}/_emulator/faults", json=spec).raise_for_status()


def clear_faults(vendor_url: str) -> None:
    httpx.delete(f"{vendor_url}/_emulator/faults").raise_for_status()


def wait_drained(services: Services, *, timeout: float = 60.0) -> None:
    """Until no reply is pending or being sent (raises after `timeout`)."""
    from smschannel.registry.outbox import backlog

    deadline = time.monotonic() + timeout
    while True:
        with services.db.session() as session:
            left = backlog(session)
        if left.pending + left.sending == 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the outbox still holds {left} after {timeout} s")
        time.sleep(0.05)
