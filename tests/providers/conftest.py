from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.providers.support import FakeClock, SinchWorld, TwilioWorld, run_sinch, run_twilio

_ENVIRONMENT = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)


@pytest.fixture(autouse=True)
def no_proxy_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy or TLS setting of the machine may route loopback calls elsewhere (tests/conftest.py's
    `clean_environ` strips the smschannel and secret variables)."""
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def twilio() -> Iterator[TwilioWorld]:
    yield from run_twilio()


@pytest.fixture
def sinch() -> Iterator[SinchWorld]:
    yield from run_sinch()
