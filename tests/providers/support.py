"""Test helpers: a fake clock, a recording transport, and running emulators with their clients."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from smschannel.emulators import (
    LocalServer,
    SinchSeed,
    SinchState,
    TwilioSeed,
    TwilioState,
    create_sinch_app,
    create_twilio_app,
    seed_sinch,
    seed_twilio,
)
from smschannel.providers import VendorRequest, WebhookRequest
from smschannel.providers.http import Backoff, Clock
from smschannel.providers.sinch import SinchClient
from smschannel.providers.twilio import TwilioClient


class FakeClock:
    """Time that only moves when something sleeps; records every sleep. Jitter is always 0."""

    def __init__(self, *, monotonic: float = 1000.0, wall: float = 1_700_000_000.0) -> None:
        self.now = monotonic
        self.wall_now = wall
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds
            self.wall_now += seconds

    def clock(self) -> Clock:
        return Clock(
            monotonic=lambda: self.now, wall=lambda: self.wall_now, sleep=self.sleep, jitter=lambda: 0.0
        )


class RecordingTransport(httpx.BaseTransport):
    """Wraps a transport and keeps every (request, response) pair, bodies read."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        response = self.inner.handle_request(request)
        response.read()
        self.exchanges.append((request, response))
        return response

    def close(self) -> None:
        self.inner.close()


def received(request: VendorRequest, webhook: Mapping[str, Any], *, query: str = "") -> WebhookRequest:
    """A request built by `SmsProvider.simulated_request` as the registry receives it at `webhook`'s URL
    (header names in lower case)."""
    return WebhookRequest(request.body, {k.lower(): v for k, v in request.headers.items()}, query, webhook)


# Backoff that keeps real waits tiny when a test does not pass a fake clock.
QUICK = Backoff(initial=0.01, maximum=0.02, retry_after_max=30.0)


@dataclass
class TwilioWorld:
    state: TwilioState
    facts: TwilioSeed
    server: LocalServer
    clients: list[TwilioClient] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, *, auth_token: str | None = None, **kwargs: Any) -> TwilioClient:
        kwargs.setdefault("backoff", QUICK)
        client = TwilioClient(
            self.facts["account_sid"],
            self.facts["auth_token"] if auth_token is None else auth_token,
            base_url=self.url,
            messaging_base_url=self.url,
            **kwargs,
        )
        self.clients.append(client)
        return client


@dataclass
class SinchWorld:
    state: SinchState
    facts: SinchSeed
    server: LocalServer
    clients: list[SinchClient] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, *, api_token: str | None = None, **kwargs: Any) -> SinchClient:
        kwargs.setdefault("backoff", QUICK)
        client = SinchClient(
            self.facts["service_plan_id"],
            self.facts["api_token"] if api_token is None else api_token,
            base_url=self.url,
            **kwargs,
        )
        self.clients.append(client)
        return client


def run_twilio(seed: int = 0) -> Iterator[TwilioWorld]:
    state = TwilioState(seed=seed)
    facts = seed_twilio(state, seed)
    with LocalServer(create_twilio_app(state)) as server:
        world = TwilioWorld(state, facts, server)
        try:
            yield world
        finally:
            for client in world.clients:
                client.close()


def run_sinch(seed: int = 0) -> Iterator[SinchWorld]:
    state = SinchState(seed=seed)
    facts = seed_sinch(state, seed)
    with LocalServer(create_sinch_app(state)) as server:
        world = SinchWorld(state, facts, server)
        try:
            yield world
        finally:
            for client in world.clients:
                client.close()
