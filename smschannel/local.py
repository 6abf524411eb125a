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

from smschannel.dns.server import LocalDnsServer
from smschannel.emulators import (
    InfobipState,
    LocalCustomProvider,
    LocalServer,
    SinchConversationState,
    SinchState,
    TwilioState,
    create_infobip_app,
    create_sinch_app,
    create_sinch_conversation_app,
    create_twilio_app,
    seed_infobip,
    seed_sinch,
    seed_sinch_conversation,
    seed_twilio,
)
from smschannel.model.provider_config import VendorEndpoints, endpoint_settings
from smschannel.registry import storage
from smschannel.registry.app import create_app
from smschannel.registry.service import Services
from smschannel.registry.settings import RegistrySettings
from smschannel.scopes import ALL_SCOPES, PRODUCTION

TWILIO_SEED = 1
SINCH_SEED = 2
INFOBIP_SEED = 3
CONVERSATION_SEED = 4
CUSTOM_SEED = 5
DELEGATED_DOMAIN = "links.smschannel.test"
CNAME_TARGET = "cname.smschannel.test"


@dataclass
class LocalStack:
    """The local registry and vendors. `start()` returns the facts written to endpoints.json."""

    state_dir: Path
    registry_port: int = 0
    twilio: TwilioState = field(default_factory=TwilioState)
    sinch: SinchState = field(default_factory=SinchState)
    infobip: InfobipState = field(default_factory=InfobipState)
    conversation: SinchConversationState = field(default_factory=SinchConversationState)
    servers: list[LocalServer] = field(default_factory=list)
    dns: LocalDnsServer | None = None
    custom: LocalCustomProvider | None = None
    services: Services | None = None
    registry_app: Any = None

    def start(self) -> dict[str, Any]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        twilio_seed = seed_twilio(self.twilio, TWILIO_SEED)
        sinch_seed = seed_sinch(self.sinch, SINCH_SEED)
        infobip_seed = seed_infobip(self.infobip, INFOBIP_SEED)
        conversation_seed = seed_sinch_conversation(self.conversation, CONVERSATION_SEED)
        twilio_url = self._serve(create_twilio_app(self.twilio))
        sinch_url = self._serve(create_sinch_app(self.sinch))
        infobip_url = self._serve(create_infobip_app(self.infobip))
        conversation_url = self._serve(create_sinch_conversation_app(self.conversation))
        vendors = VendorEndpoints({"twilio_url": twilio_url, "twilio_messaging_url": twilio_url,
                                   "sinch_url": sinch_url, "sinch_conversation_url": conversation_url})
        self.custom = LocalCustomProvider(tls_dir=self.state_dir / "custom-provider-tls", seed=CUSTOM_SEED)
        custom = self.custom.start()
        bearer = custom["providers"]["bearer"]
        self.dns = LocalDnsServer().start()
        dns_host, dns_port = self.dns.address
        port = self.registry_port or free_port()
        settings = RegistrySettings.in_dir(
            self.state_dir, public_url=f"http://127.0.0.1:{port}", vendors=vendors,
            delegated_domains=(DELEGATED_DOMAIN,), cname_target=CNAME_TARGET,
            dns_nameservers=((dns_host, dns_port),),
            dns_publish=lambda name, target: self.publish_cname(name, target),
            dns_remove=lambda name: self.remove_cname(name),
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
            "vendors": {
                "twilio": {"url": twilio_url, **twilio_seed},
                "sinch": {"url": sinch_url, **sinch_seed},
                "infobip": {"url": infobip_url, "base_url": infobip_url, **infobip_seed},
                "sinch_conversation": {"url": conversation_url, **conversation_seed},
                "custom": custom,
            },
            "provider": provider,
            "env": {
                "SMSCHANNEL_ENDPOINT": registry.url,
                "SMSCHANNEL_TOKEN": token,
                "SMSCHANNEL_SANDBOX": PRODUCTION,
                **{s.env: vendors[s.name] for s in endpoint_settings() if s.env and s.name in vendors},
                "TWILIO_ACCOUNT_SID": twilio_seed["account_sid"],
                "TWILIO_AUTH_TOKEN": twilio_seed["auth_token"],
                "TWILIO_NUMBER": twilio_seed["phone_numbers"][0],
                "SINCH_SERVICE_PLAN_ID": sinch_seed["service_plan_id"],
                "SINCH_API_TOKEN": sinch_seed["api_token"],
                "SINCH_NUMBER": sinch_seed["phone_numbers"][0],
                "INFOBIP_BASE_URL": infobip_url,
                "INFOBIP_API_KEY": infobip_seed["api_key"],
                "INFOBIP_NUMBER": infobip_seed["phone_numbers"][0],
                "SINCH_PROJECT_ID": conversation_seed["project_id"],
                "SINCH_MMS_APP_ID": conversation_seed["mms_app_id"],
                "SINCH_RCS_APP_ID": conversation_seed["rcs_app_id"],
                "SINCH_MMS_API_TOKEN": conversation_seed["api_token"],
                "SINCH_RCS_API_TOKEN": conversation_seed["api_token"],
                "SINCH_SMS_API_TOKEN": sinch_seed["api_token"],
                "CUSTOM_PROVIDER_URL": str(bearer["provider_url"]),
                "CUSTOM_VERIFY_URL": str(bearer["verify_url"]),
                "CUSTOM_APP_ID": str(bearer["provider_app_id"]),
                "CUSTOM_API_TOKEN": str(bearer["api_token"]),
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
        """Publish a CNAME in the local DNS, as a person would at their DNS host (the demo does this)."""
        assert self.dns is not None
        self.dns.publish(name, "CNAME", target)

    def remove_cname(self, name: str) -> None:
        assert self.dns is not None
        self.dns.remove(name, "CNAME")

    def _serve(self, app: Any) -> str:
        server = LocalServer(app).start()
        self.servers.append(server)
        return server.url

    def stop(self) -> None:
        from smschannel.registry.replies import CLIENTS

        CLIENTS.close()
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
        if self.dns is not None:
            self.dns.stop()
            self.dns = None
        if self.custom is not None:
            self.custom.stop()
            self.custom = None
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
