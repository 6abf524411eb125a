"""`smschannel serve`: the webhook URLs and the vendor wiring follow the port it listens on, or the public
URL it is given (flag or SMSCHANNEL_REGISTRY_PUBLIC_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smschannel.local import LocalStack, free_port
from smschannel.registry import storage
from smschannel.registry_client import RegistryClient


def serve(tmp_path: Path, env: dict[str, str], *args: str) -> Iterator[tuple[str, str]]:
    """Start `smschannel serve` on a free port with its own database; yield (its URL, a token)."""
    database = str(tmp_path / "registry.db")
    db = storage.Database(f"sqlite:///{database}")
    with db.session() as session:
        token = storage.create_token(session, "ci", {"*": ["sms_settings.write", "sms_settings.read"]})
    db.dispose()
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "smschannel.cli", "serve", "--database", database, "--key-file",
                                str(tmp_path / "registry.key"), "--port", str(port), *args],
                               env={**os.environ, **env}, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/v1/whoami", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, "smschannel serve stopped"
                time.sleep(0.2)
        yield url, token
    finally:
        process.terminate()
        process.wait(timeout=20)
        assert process.stderr is not None
        process.stderr.close()


def vendor_env(facts: dict[str, Any]) -> dict[str, str]:
    """Where the registry reaches the local vendors (the same variables `smschannel up` exports)."""
    return {k: v for k, v in facts["env"].items() if k.startswith("SMSCHANNEL_") and k.endswith("_URL")}


def wire_a_webhook(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    client = RegistryClient(url, token, sandbox="prod")
    try:
        tw = facts["vendors"]["twilio"]
        made = client.create("twilio_credentials", {"name": "tw", "account_sid": tw["account_sid"],
                                                    "auth_token_env": "TWILIO_AUTH_TOKEN"},
                             {"auth_token": tw["auth_token"]})
        return client.create("webhook", {"name": "inbound", "vendor": "twilio", "credentials_id": made["id"],
                                          "sender_number": tw["phone_numbers"][1]}, {})
    finally:
        client.close()


@pytest.mark.slow  # three registry processes
@pytest.mark.parametrize("how", ["port", "flag", "environment"])
def test_webhook_urls_and_wiring_use_the_public_url(how: str, tmp_path: Path, facts: dict[str, Any],
                                                    local_stack: LocalStack) -> None:
    env = vendor_env(facts)
    args: tuple[str, ...] = ()
    if how == "flag":
        args = ("--public-url", "https://sms.example.com/")
    if how == "environment":
        env["SMSCHANNEL_REGISTRY_PUBLIC_URL"] = "https://hooks.example.org"
    for url, token in serve(tmp_path, env, *args):
        webhook = wire_a_webhook(url, token, facts)
        public = {"port": url, "flag": "https://sms.example.com", "environment": "https://hooks.example.org"}[how]
        assert webhook["url"].startswith(f"{public}/inbound/")
        number = next(n for n in local_stack.vendors.twilio.numbers.values()
                      if n.phone_number == facts["vendors"]["twilio"]["phone_numbers"][1])
        assert number.sms_url == webhook["url"]  # Twilio's SmsUrl points at the same address
