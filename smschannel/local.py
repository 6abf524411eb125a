"""`smschannel up`: a local registry (SQLite) and local vendors on loopback, for trying it out, the
demo and the tests. When ready it writes `endpoints.json` in the state folder: the URLs, a token
with every scope, the seeded vendor accounts, the variables to export, and a `provider` object that
can be pasted into a `provider "smschannel"` block as it is."""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smschannel.dns.server import LocalDnsServer
from smschannel.dns.update import DnsUpdater, TsigKey
from smschannel.emulators import LocalServer, LocalVendors
from smschannel.model.provider_config import VendorEndpoints, endpoint_settings
from smschannel.registry import storage
from smschannel.registry.app import create_app
from smschannel.registry.service import Services
from smschannel.registry.settings import RegistrySettings
from smschannel.scopes import ALL_SCOPES, PRODUCTION

DELEGATED_DOMAIN = "links.smschannel.test"
CNAME_TARGET = "cname.smschannel.test"
TSIG_KEY_NAME = "smschannel-up."


@dataclass
class LocalStack:
    """The local registry and vendors. `start()` returns the facts written to endpoints.json."""

    state_dir: Path
    registry_port: int = 0
    vendors: LocalVendors = field(init=False)
    servers: list[LocalServer] = field(default_factory=list)
    dns: LocalDnsServer | None = None
    services: Services | None = None
    registry_app: Any = None

    def __post_init__(self) -> None:
        self.vendors = LocalVendors(self.state_dir)

    def start(self) -> dict[str, Any]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        local = self.vendors.start()
        vendors = VendorEndpoints(local.endpoints)
        key = TsigKey(TSIG_KEY_NAME, base64.b64encode(secrets.token_bytes(32)).decode())
        self.dns = LocalDnsServer(keys={key.name: key.secret}).start()
        dns_host, dns_port = self.dns.address
        port = self.registry_port or free_port()
        settings = RegistrySettings.in_dir(
            self.state_dir, public_url=f"http://127.0.0.1:{port}", vendors=vendors,
            delegated_domains=(DELEGATED_DOMAIN,), cname_target=CNAME_TARGET,
            dns_nameservers=((dns_host, dns_port),),
            dns_update=DnsUpdater((dns_host, dns_port), key),  # RFC 2136 + TSIG, as against a real server
        )
        self.services = Services.start(settings)
        with self.services.db.session() as session:
            token = storage.create_token(session, "smschannel up (every scope)", {"*": list(ALL_SCOPES)})
        self.registry_app = create_app(settings, services=self.services)
        registry = LocalServer(self.registry_app, port=port).start()
        self.servers.append(registry)
        provider = {"endpoint": registry.url, "token": token, "sandbox": PRODUCTION, **vendors}
        facts: dict[str, Any] = {
            "registry": {"url": registry.url, "token": token, "database": str(settings.database)},
            "dns": {"nameserver": f"{dns_host}:{dns_port}", "delegated_domains": [DELEGATED_DOMAIN],
                    "cname_target": CNAME_TARGET},
            "vendors": local.vendors,
            "provider": provider,
            "env": {
                "SMSCHANNEL_ENDPOINT": registry.url,
                "SMSCHANNEL_TOKEN": token,
                "SMSCHANNEL_SANDBOX": PRODUCTION,
                **{s.env: vendors[s.name] for s in endpoint_settings() if s.env and s.name in vendors},
                **local.env,
            },
        }
        path = self.state_dir / "endpoints.json"
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds tokens
        with os.fdopen(fd, "w") as out:
            json.dump(facts, out, indent=2)
        tmp.replace(path)  # appears whole, so a reader never sees half of it
        return facts

    def publish_cname(self, name: str, target: str) -> None:
        """Publish a CNAME in the local DNS, as a person would at their DNS host for a custom subdomain (the
        demo does this)."""
        assert self.dns is not None
        self.dns.publish(name, "CNAME", target)

    def stop(self) -> None:
        from smschannel.registry.replies import CLIENTS

        CLIENTS.close()
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
        self.vendors.stop()
        if self.dns is not None:
            self.dns.stop()
            self.dns = None
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
        for name, vendor in facts["vendors"].items():
            announce(f"local {name:<18} {vendor['url']}")
        announce(f"ready: {state_dir / 'endpoints.json'} (Ctrl-C to stop)")
        stop.wait()
    finally:
        stack.stop()


__all__ = ["LocalStack", "run_until_interrupted"]
