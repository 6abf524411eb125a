"""A fresh local DNS server on loopback for each test; the system resolver is never used."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smschannel.dns.server import LocalDnsServer


@pytest.fixture
def dns_server() -> Iterator[LocalDnsServer]:
    with LocalDnsServer() as server:
        yield server
