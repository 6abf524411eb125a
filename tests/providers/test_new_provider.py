"""A new SMS provider is one folder, its model, its emulator and one registration line: Echo SMS
(`tests/providers/echo/`, unknown to `smschannel/`) runs end to end through the registry, the CLI and
Terraform."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from smschannel.cli import app
from smschannel.emulators import LocalServer
from smschannel.local import free_port
from smschannel.model import RESOURCES, register, unregister
from smschannel.providers import Credentials, load_extensions, provider_for
from smschannel.registry import storage
from smschannel.registry.app import create_app
from smschannel.registry.service import Services
from smschannel.registry.settings import RegistrySettings
from smschannel.registry_client import RegistryClient
from smschannel.scopes import ALL_SCOPES
from tests.providers.echo.emulator import EchoState, create_echo_app
from tests.support import Workspace

ROOT = Path(__file__).resolve().parents[2]
NUMBER = "+14155550188"
PROFILE = "+14155550123"
BEFORE = "https://before.example/hook"


@dataclass
class EchoWorld:
    state: EchoState
    echo_url: str
    registry_url: str
    token: str
    model: Any

    def env(self) -> dict[str, str]:
        return {"SMSCHANNEL_ENDPOINT": self.registry_url, "SMSCHANNEL_TOKEN": self.token,
                "SMSCHANNEL_SANDBOX": "prod", "SMSCHANNEL_PROVIDERS": "tests.providers.echo.registration",
                "PYTHONPATH": str(ROOT), "ECHO_API_KEY": self.state.api_key}


@pytest.fixture
def echo(tmp_path: Path) -> Iterator[EchoWorld]:
    """Echo registered (the one line), its emulator and a registry of its own on loopback; unregistered
    after, so the other tests see only the built-in resource types."""
    from tests.providers.echo.model import EchoCredentialsModel as model

    load_extensions({"SMSCHANNEL_PROVIDERS": "tests.providers.echo.registration"})
    register(model)  # the module registered it when first imported; a second test imports nothing new
    state = EchoState()
    port = free_port()
    settings = RegistrySettings.in_dir(tmp_path / "registry", public_url=f"http://127.0.0.1:{port}")
    services = Services.start(settings)
    with services.db.session() as session:
        token = storage.create_token(session, "echo test", {"*": list(ALL_SCOPES)})
    with LocalServer(create_echo_app(state)) as emulator, \
            LocalServer(create_app(settings, services=services), port=port) as registry:
        yield EchoWorld(state, emulator.url, registry.url, token, model)
    services.db.dispose()
    unregister(model)
    assert model not in RESOURCES


def test_echo_through_the_registry_and_the_cli(echo: EchoWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = RegistryClient(echo.registry_url, echo.token)
    cred = registry.create("echo_credentials", {"name": "echo", "base_url": echo.echo_url,
                                                "api_key_env": "ECHO_API_KEY"}, {"api_key": echo.state.api_key})
    assert cred["verified_at"] and cred["api_key_fingerprint"].startswith("hmac-sha256:")
    webhook = registry.create("webhook", {"name": "echo-in", "vendor": "echo", "credentials_id": cred["id"],
                                          "sender_number": NUMBER,
                                          "opt_out": {"keywords": ["STOP"], "reply": "Bye from Echo."}}, {})
    assert webhook["wired_to"] == f"the webhook of Echo number {NUMBER}"
    assert echo.state.numbers[NUMBER] == webhook["url"]
    config = registry.create("configuration", {"name": "echo-cfg", "channel": "sms", "sms_type": "marketing",
                                               "credentials_id": cred["id"], "sender_number": NUMBER}, {})
    assert (config["status"], config["status_reason"]) == ("active", "")

    for name, value in echo.env().items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["inbound", "simulate", "--webhook", "echo-in", "--from", PROFILE, "STOP"])
    assert result.exit_code == 0, result.output
    assert "opt_out" in result.output and "Bye from Echo." in result.output
    assert echo.state.outbox == [{"id": "echo-msg-1", "from": NUMBER, "to": PROFILE, "text": "Bye from Echo."}]

    unsigned = httpx.post(webhook["url"], json={"id": "x", "from": PROFILE, "to": NUMBER, "text": "STOP"})
    assert (unsigned.status_code, unsigned.json()["detail"]) == (403, "invalid X-Echo-Signature")

    provider = provider_for(echo.model)
    credentials = Credentials(echo.model, cred, {"api_key": echo.state.api_key})
    assert provider.read_wiring(credentials, {"number": NUMBER}) == webhook["url"]
    assert registry.delete("webhook", webhook["id"]) == f"restored the webhook of Echo number {NUMBER} to {BEFORE}"
    assert echo.state.numbers[NUMBER] == BEFORE
    registry.close()


def test_echo_through_terraform(echo: EchoWorld, tmp_path: Path, tf_home: Path) -> None:
    workspace = Workspace(tmp_path / "tf", tf_home, echo.env())
    (tmp_path / "tf").mkdir()
    cred_id = "${smschannel_echo_credentials.main.id}"
    workspace.write_json({
        "smschannel_echo_credentials": {"main": {"name": "echo", "base_url": echo.echo_url,
                                                 "api_key_env": "ECHO_API_KEY"}},
        "smschannel_webhook": {"in": {"name": "echo-in", "vendor": "echo", "credentials_id": cred_id,
                                      "sender_number": NUMBER}},
        "smschannel_configuration": {"cfg": {"name": "echo-cfg", "channel": "sms", "sms_type": "marketing",
                                             "credentials_id": cred_id, "sender_number": NUMBER}},
    })
    workspace.apply()
    state = workspace.state()
    assert state["smschannel_configuration.cfg"]["status"] == "active"
    assert echo.state.numbers[NUMBER] == state["smschannel_webhook.in"]["url"]
    assert workspace.plan().code == 0  # nothing left to change
    workspace.destroy()
    assert echo.state.numbers[NUMBER] == BEFORE
