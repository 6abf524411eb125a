"""Test helpers for the custom provider: the local provider on loopback (plain and mutual TLS) and
clients configured from its seeded facts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from smschannel.emulators.custom_provider_state import CustomProviderFacts, CustomProviderSeed, CustomProviderState
from smschannel.emulators.custom_provider_tls import CustomProviderPki, LocalCustomProvider
from smschannel.providers.custom.client import CustomProviderClient, CustomProviderConfig
from tests.providers.support import QUICK, FakeClock

MESSAGE = "Hello from smschannel"
TO, FROM = "+15005550006", "+14155550100"


def config_from(facts: CustomProviderFacts, **overrides: Any) -> CustomProviderConfig:
    """The configuration a person would write from one seeded application's facts."""
    config = CustomProviderConfig(
        provider_name=facts["provider_name"],
        provider_url=facts["provider_url"],
        payload_template=facts["payload_template"],
        auth_type=facts["auth_type"],
        provider_app_id=facts["provider_app_id"],
        mac_hash_format=facts["mac_hash_format"] or "hex",
        oauth_url=facts["oauth_url"],
        oauth_body=facts["oauth_body"],
        jwt_payload=facts["jwt_payload"],
        mtls=facts["mtls"],
        verify_url=facts["verify_url"],
    )
    return dataclasses.replace(config, **overrides)


@dataclass
class CustomWorld:
    state: CustomProviderState
    local: LocalCustomProvider
    pki: CustomProviderPki
    clock: FakeClock | None = None
    clients: list[CustomProviderClient] = field(default_factory=list)

    @property
    def facts(self) -> CustomProviderSeed:
        return self.local.facts

    @property
    def url(self) -> str:
        return self.facts["url"]

    @property
    def mtls_url(self) -> str:
        url = self.facts["mtls_url"]
        assert url is not None
        return url

    def app(self, name: str) -> CustomProviderFacts:
        return self.facts["providers"][name]

    def config(self, name: str, **overrides: Any) -> CustomProviderConfig:
        return config_from(self.app(name), **overrides)

    def client(
        self,
        name: str,
        *,
        config: CustomProviderConfig | None = None,
        api_token: str | None = None,
        api_secret: str | None = None,
        **kwargs: Any,
    ) -> CustomProviderClient:
        """A client of the seeded application `name` (its secrets unless given; the CA and, when
        the configuration says mtls, the client certificate)."""
        facts = self.app(name)
        config = config or self.config(name)
        kwargs.setdefault("backoff", QUICK)
        if config.provider_url.startswith("https://"):
            kwargs.setdefault("ca_pem", self.pki.ca_pem())
        if self.clock is not None:
            kwargs.setdefault("clock", self.clock.clock())
        if config.mtls:
            kwargs.setdefault("client_cert_pem", self.pki.client_cert_pem())
            kwargs.setdefault("client_key_pem", self.pki.client_key_pem())
        client = CustomProviderClient(
            config,
            api_token=facts["api_token"] if api_token is None else api_token,
            api_secret=facts["api_secret"] if api_secret is None else api_secret,
            **kwargs,
        )
        self.clients.append(client)
        return client

    def outbox(self) -> list[dict[str, Any]]:
        return self.state.outbox_json()


def serve_custom(pki: CustomProviderPki) -> Iterator[LocalCustomProvider]:
    """The local custom provider (plain and mutual-TLS servers), for a module's tests to share."""
    with LocalCustomProvider(tls_dir=pki.directory, pki=pki) as local:
        yield local


def custom_world(local: LocalCustomProvider, *, clock: FakeClock | None = None) -> Iterator[CustomWorld]:
    """A fresh start of the shared provider for one test; with `clock`, the provider's clock is the
    fake's wall clock, so tokens, JWTs and MAC timestamps follow the fake time."""
    local.reset()
    if clock is not None:
        local.state.clock = lambda: clock.wall_now
    assert local.pki is not None
    world = CustomWorld(local.state, local, local.pki, clock)
    try:
        yield world
    finally:
        for client in world.clients:
            client.close()
        local.reset()
