"""`check_cname` against the local DNS server (and silent or closed ports) on loopback only."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import dns.resolver
import pytest

from smschannel.dns.check import CnameStatus, check_cname
from smschannel.dns.server import LocalDnsServer


@pytest.fixture
def silent() -> Iterator[tuple[str, int]]:
    """A bound UDP port that never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()
        yield host, port


@pytest.fixture
def closed_port() -> tuple[str, int]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()
    return host, port


@pytest.mark.parametrize(
    ("published", "name", "expected"),
    [
        ("sms.example.net", "links.example.com", "sms.example.net"),
        ("SMS.Example.NET.", "Links.Example.COM.", "sms.example.net"),
        ("sms.example.net", "links.example.com", "SMS.EXAMPLE.NET."),
    ],
)
def test_success_when_the_cname_points_where_expected(
    dns_server: LocalDnsServer, published: str, name: str, expected: str
) -> None:
    dns_server.publish("links.example.com", "CNAME", published)

    status = check_cname(name, expected, nameservers=[dns_server.address])

    assert status == CnameStatus("success", f"{name.lower().rstrip('.')} is a CNAME for sms.example.net")


def test_processing_when_the_name_does_not_exist(dns_server: LocalDnsServer) -> None:
    assert check_cname("links.example.com", "sms.example.net.", nameservers=[dns_server.address]) == CnameStatus(
        "processing", "no CNAME record for links.example.com yet: publish links.example.com CNAME sms.example.net"
    )


def test_processing_when_the_name_has_no_cname(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "A", "192.0.2.1")

    assert check_cname("links.example.com", "sms.example.net", nameservers=[dns_server.address]) == CnameStatus(
        "processing", "no CNAME record for links.example.com yet: publish links.example.com CNAME sms.example.net"
    )


def test_failed_when_the_cname_points_elsewhere(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "CNAME", "other.example.org")

    assert check_cname("links.example.com", "sms.example.net", nameservers=[dns_server.address]) == CnameStatus(
        "failed", "links.example.com is a CNAME for other.example.org, expected sms.example.net"
    )


def test_status_follows_publish_and_remove(dns_server: LocalDnsServer) -> None:
    def status() -> str:
        return check_cname("links.example.com", "sms.example.net", nameservers=[dns_server.address]).status

    assert status() == "processing"
    dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    assert status() == "success"
    dns_server.publish("links.example.com", "CNAME", "typo.example.net")
    assert status() == "failed"
    dns_server.remove("links.example.com", "CNAME")
    assert status() == "processing"


def test_processing_when_the_nameserver_never_answers(silent: tuple[str, int]) -> None:
    started = time.monotonic()
    status = check_cname("links.example.com", "sms.example.net", nameservers=[silent], timeout=0.3)

    assert time.monotonic() - started < 1.5
    assert status == CnameStatus(
        "processing",
        "no CNAME record for links.example.com yet (the DNS lookup timed out after 0.3s): "
        "publish links.example.com CNAME sms.example.net",
    )


def test_processing_when_the_nameserver_port_is_closed(closed_port: tuple[str, int]) -> None:
    started = time.monotonic()
    status = check_cname("links.example.com", "sms.example.net", nameservers=[closed_port], timeout=0.3)

    assert time.monotonic() - started < 1.5
    assert status.status == "processing"
    assert status.reason.startswith("no CNAME record for links.example.com yet (")
    assert status.reason.endswith("): publish links.example.com CNAME sms.example.net")


def test_processing_when_the_nameserver_refuses() -> None:
    with LocalDnsServer(zones=["example.org"]) as server:
        host, port = server.address
        status = check_cname("links.example.com", "sms.example.net", nameservers=[server.address])

    assert status == CnameStatus(
        "processing",
        f"no CNAME record for links.example.com yet (no DNS server answered: {host}:{port} answered REFUSED): "
        "publish links.example.com CNAME sms.example.net",
    )


def test_nameservers_are_tried_in_turn(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    with LocalDnsServer(zones=["example.org"]) as refusing:
        status = check_cname("links.example.com", "sms.example.net", nameservers=[refusing.address, dns_server.address])

    assert status == CnameStatus("success", "links.example.com is a CNAME for sms.example.net")


def test_no_system_resolver_configuration_is_processing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_configuration(self: dns.resolver.Resolver, filename: object = None) -> None:
        raise dns.resolver.NoResolverConfiguration

    monkeypatch.setattr(dns.resolver.Resolver, "read_resolv_conf", no_configuration)

    assert check_cname("links.example.com", "sms.example.net") == CnameStatus(
        "processing",
        "cannot look up links.example.com: no DNS resolver is configured on this host; "
        "publish links.example.com CNAME sms.example.net and configure a resolver",
    )


@pytest.mark.parametrize(
    ("name", "expected", "nameservers", "timeout", "message"),
    [
        ("links.example.com", "sms.example.net", [], 1.0, r"nameservers is empty"),
        ("links.example.com", "sms.example.net", [("localhost", 53)], 1.0, r"nameserver 'localhost' is not an IP"),
        ("links.example.com", "sms.example.net", [("127.0.0.1", 0)], 1.0, r"nameserver port 0 is not between"),
        ("links..example.com", "sms.example.net", [("127.0.0.1", 53)], 1.0, r"name 'links\.\.example\.com' is not"),
        ("links.example.com", "", [("127.0.0.1", 53)], 1.0, r"expected must be a domain name, not ''"),
        ("links.example.com", "sms.example.net", [("127.0.0.1", 53)], 0.0, r"timeout must be positive"),
    ],
)
def test_mistakes_in_the_arguments_raise(
    name: str, expected: str, nameservers: list[tuple[str, int]], timeout: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check_cname(name, expected, nameservers=nameservers, timeout=timeout)


def test_importing_the_check_does_not_load_the_resolver() -> None:
    code = "import sys, smschannel.dns.check; print(sorted(m for m in sys.modules if m.startswith('dns')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)

    assert result.stdout.strip() == "[]"
