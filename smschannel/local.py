"""`smschannel up`: a local registry (SQLite) and local vendors on loopback, for trying it out, the
demo and the tests. When ready it writes `endpoints.json` in the state folder: the URLs, a token
with every scope, the seeded vendor accounts, the variables to export, and a `provider` object that
can be pasted into a `provider "smschannel"` block as it is."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smschannel.emulators import (
    LocalServer,
    SinchState,
    TwilioState,
    create_sinch_app,
    create_twilio_app,
    seed_sinch,
    seed_twilio,
)
from smschannel.registry import storage
from smschannel.registry.app import create_app
from smschannel.registry.service import Services
from smschannel.registry.settings import RegistrySettings
from smschannel.scopes import ALL_SCOPES
from smschannel.vendor_checks import VendorEndpoints

TWILIO_SEED = 1
SINCH_SEED = 2


@dataclass
class LocalStack:
    """The local registry and vendors. `start()` returns the facts written to endpoints.json."""

    state_dir: Path
    registry_port: int = 0
    twilio: TwilioState = field(default_factory=TwilioState)
    sinch: SinchState = field(default_factory=SinchState)
    servers: list[LocalServer] = field(default_factory=list)
    services: Services | None = None
    registry_app: Any = None

    def start(self) -> dict[str, Any]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        twilio_seed = seed_twilio(self.twilio, TWILIO_SEED)
        sinch_seed = seed_sinch(self.sinch, SINCH_SEED)
        twilio_url = self._serve(create_twilio_app(self.twilio))
        sinch_url = self._serve(create_sinch_app(self.sinch))
        vendors = VendorEndpoints(twilio=twilio_url, twilio_messaging=twilio_url, sinch=sinch_url)
        port = self.registry_port or free_port()
        settings = RegistrySettings.in_dir(self.state_dir, public_url=f"http://127.0.0.1:{port}", vendors=vendors)
        self.services = Services.start(settings)
        with self.services.db.session() as session:
            token = storage.create_token(session, "smschannel up (every scope)", {"*": list(ALL_SCOPES)})
        self.registry_app = create_app(settings, services=self.services)
        registry = LocalServer(self.registry_app, port=port).start()
        self.servers.append(registry)
        provider = {"endpoint": registry.url, "token": token, "sandbox": "prod",
                    "twilio_url": twilio_url, "twilio_messaging_url": twilio_url, "sinch_url": sinch_url}
        facts: dict[str, Any] = {
            "registry": {"url": registry.url, "token": token, "database": str(settings.database)},
            "vendors": {
                "twilio": {"url": twilio_url, **twilio_seed},
                "sinch": {"url": sinch_url, **sinch_seed},
            },
            "provider": provider,
            "env": {
                "SMSCHANNEL_ENDPOINT": registry.url,
                "SMSCHANNEL_TOKEN": token,
                "SMSCHANNEL_SANDBOX": "prod",
                "SMSCHANNEL_TWILIO_URL": twilio_url,
                "SMSCHANNEL_TWILIO_MESSAGING_URL": twilio_url,
                "SMSCHANNEL_SINCH_URL": sinch_url,
                "TWILIO_ACCOUNT_SID": twilio_seed["account_sid"],
                "TWILIO_AUTH_TOKEN": twilio_seed["auth_token"],
                "TWILIO_NUMBER": twilio_seed["phone_numbers"][0],
                "SINCH_SERVICE_PLAN_ID": sinch_seed["service_plan_id"],
                "SINCH_API_TOKEN": sinch_seed["api_token"],
                "SINCH_NUMBER": sinch_seed["phone_numbers"][0],
            },
        }
        path = self.state_dir / "endpoints.json"
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds tokens
        with os.fdopen(fd, "w") as out:
            json.dump(facts, out, indent=2)
        tmp.replace(path)  # appears whole, so a reader never sees half of it
        return facts

    def _serve(self, app: Any) -> str:
        server = LocalServer(app).start()
        self.servers.append(server)
        return server.url

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
        if self.services is not None:
            self.services.db.dispose()
        (self.state_dir / "endpoints.json").unlink(missing_ok=True)

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port() -> int:
    """A free loopback port, so the registry knows its own URL (webhook URLs start with it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run_until_interrupted(state_dir: Path, *, registry_port: int = 0, announce: Callable[[str], None]) -> None:
    stack = LocalStack(state_dir, registry_port=registry_port)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        facts = stack.start()
        announce(f"registry      {facts['registry']['url']}")
        announce(f"local Twilio  {facts['vendors']['twilio']['url']}")
        announce(f"local Sinch   {facts['vendors']['sinch']['url']}")
        announce(f"ready: {state_dir / 'endpoints.json'} (Ctrl-C to stop)")
        stop.wait()
    finally:
        stack.stop()


__all__ = ["LocalStack", "run_until_interrupted"]
