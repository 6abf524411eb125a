"""The local Infobip and Sinch Conversation API running on loopback, with clients pointed at them.

Test modules declare their own fixtures from `run_infobip()` / `run_sinch_conversation()` (as
tests/vendors/conftest.py does for Twilio and Sinch).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from smschannel.emulators import (
    InfobipSeed,
    InfobipState,
    LocalServer,
    SinchConversationSeed,
    SinchConversationState,
    create_infobip_app,
    create_sinch_conversation_app,
    seed_infobip,
    seed_sinch_conversation,
)
from smschannel.providers.infobip import InfobipClient
from smschannel.providers.sinch_conversation import SinchConversationClient
from tests.providers.support import QUICK


@dataclass
class InfobipWorld:
    state: InfobipState
    facts: InfobipSeed
    server: LocalServer
    clients: list[InfobipClient] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, *, api_key: str | None = None, **kwargs: Any) -> InfobipClient:
        kwargs.setdefault("backoff", QUICK)
        client = InfobipClient(self.url, self.facts["api_key"] if api_key is None else api_key, **kwargs)
        self.clients.append(client)
        return client


@dataclass
class SinchConversationWorld:
    state: SinchConversationState
    facts: SinchConversationSeed
    server: LocalServer
    clients: list[SinchConversationClient] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def client(
        self, *, app_id: str | None = None, api_token: str | None = None, **kwargs: Any
    ) -> SinchConversationClient:
        kwargs.setdefault("backoff", QUICK)
        client = SinchConversationClient(
            self.facts["project_id"],
            self.facts["rcs_app_id"] if app_id is None else app_id,
            self.facts["api_token"] if api_token is None else api_token,
            base_url=self.url,
            **kwargs,
        )
        self.clients.append(client)
        return client


def run_infobip(seed: int = 0) -> Iterator[InfobipWorld]:
    state = InfobipState(seed=seed)
    facts = seed_infobip(state, seed)
    with LocalServer(create_infobip_app(state)) as server:
        world = InfobipWorld(state, facts, server)
        try:
            yield world
        finally:
            for client in world.clients:
                client.close()


def run_sinch_conversation(seed: int = 0) -> Iterator[SinchConversationWorld]:
    state = SinchConversationState(seed=seed)
    facts = seed_sinch_conversation(state, seed)
    with LocalServer(create_sinch_conversation_app(state)) as server:
        world = SinchConversationWorld(state, facts, server)
        try:
            yield world
        finally:
            for client in world.clients:
                client.close()
