"""Delegated SMS subdomains published for real: the registry sends RFC 2136 updates signed with TSIG to a
Knot DNS server the tests start on loopback, through the registry's API, through `smschannel serve`
configured by its environment variables, and through Terraform; records go when the subdomain goes."""

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

from smschannel.dns.update import DnsUpdater
from smschannel.emulators import LocalServer
from smschannel.errors import RegistryError
from smschannel.local import free_port
from smschannel.registry import storage
from smschannel.registry.app import create_app
from smschannel.registry.service import Services
from smschannel.registry.settings import RegistrySettings
from smschannel.registry_client import RegistryClient
from smschannel.scopes import ALL_SCOPES
from tests.knot import KnotServer
from tests.support import Workspace

ZONE = "links.example.test"
TARGET = "cname.sms.example.net"
HEADER = 'terraform {\n  required_providers {\n    smschannel = { source = "smschannel/smschannel" }\n  }\n}\n'


@pytest.fixture(scope="module")
def knot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnotServer]:
    with KnotServer(tmp_path_factory.mktemp("knot"), zones=[ZONE]) as server:
        yield server


class Registry:
    """A registry in this process, publishing delegated records with `dns_update`."""

    def __init__(self, folder: Path, dns_update: DnsUpdater, nameserver: tuple[str, int]) -> None:
        settings = RegistrySettings.in_dir(folder, delegated_domains=(ZONE,), cname_target=TARGET,
                                           dns_nameservers=(nameserver,), dns_update=dns_update)
        self.services = Services.start(settings)
        with self.services.db.session() as session:
            token = storage.create_token(session, "dns test", {"*": list(ALL_SCOPES)})
        self.server = LocalServer(create_app(settings, services=self.services)).start()
        self.client = RegistryClient(self.server.url, token, sandbox="prod")

    def stop(self) -> None:
        self.client.close()
        self.server.stop()
        self.services.db.dispose()


def test_the_registry_publishes_and_removes_the_record(tmp_path: Path, knot: KnotServer) -> None:
    registry = Registry(tmp_path / "registry", DnsUpdater(knot.address, knot.key), knot.address)
    client = registry.client
    try:
        made = client.create("subdomain", {"mode": "delegated", "prefix": "go", "parent_domain": ZONE}, {})
        assert (made["fqdn"], made["cname_value"]) == (f"go.{ZONE}", f"go-links-example-test.{TARGET}")
        assert knot.lookup(f"go.{ZONE}") == [f"go-links-example-test.{TARGET}."]
        assert (made["status"], made["status_reason"]) == ("success", "")  # looked up at the server itself
        custom = client.create("subdomain", {"mode": "custom", "domain": f"own.{ZONE}"}, {})
        assert knot.lookup(f"own.{ZONE}") == [] and custom["status"] == "processing"  # the person publishes it

        client.delete("subdomain", made["id"])
        assert knot.lookup(f"go.{ZONE}") == []
    finally:
        registry.stop()


def test_a_refused_or_unreachable_server_fails_the_change_and_keeps_nothing_half_done(
        tmp_path: Path, knot: KnotServer) -> None:
    registry = Registry(tmp_path / "first", DnsUpdater(knot.address, knot.other_key), knot.address)
    client = registry.client
    try:
        with pytest.raises(RegistryError) as caught:
            client.create("subdomain", {"mode": "delegated", "prefix": "no", "parent_domain": ZONE}, {})
        assert caught.value.status == 502
        assert str(caught.value) == (
            f'smschannel_subdomain "no.{ZONE}": cannot publish the CNAME no.{ZONE} -> no-links-example-test.{TARGET}: '
            f"the DNS server 127.0.0.1:{knot.port} rejected the TSIG signature of key someone-else. (PeerBadKey): "
            "check the key's name, secret and algorithm, and that the server lets it update the zone")
        assert knot.other_key.secret not in str(caught.value)
        assert client.list("subdomain") == []
    finally:
        registry.stop()

    # A server that went away: the delete is refused and the subdomain kept, so its record is not orphaned.
    with KnotServer(tmp_path / "short-lived", zones=[ZONE]) as short:
        registry = Registry(tmp_path / "second", DnsUpdater(short.address, short.key, timeout=1), short.address)
        client = registry.client
        made = client.create("subdomain", {"mode": "delegated", "prefix": "gone", "parent_domain": ZONE}, {})
    try:
        with pytest.raises(RegistryError) as caught:
            client.delete("subdomain", made["id"])
        assert caught.value.status == 502
        assert str(caught.value).startswith(f'smschannel_subdomain "gone.{ZONE}": cannot remove the CNAME gone.{ZONE}: '
                                            f"the DNS server 127.0.0.1:{short.port} did not answer")
        assert str(caught.value).endswith("; the subdomain is kept, delete it again once the DNS server takes updates")
        assert [s["id"] for s in client.list("subdomain")] == [made["id"]]
    finally:
        registry.stop()


@pytest.fixture
def serve(tmp_path: Path, knot: KnotServer) -> Iterator[dict[str, str]]:
    """`smschannel serve` as an operator runs it, configured by the documented variables."""
    secret_file = tmp_path / "tsig.secret"
    secret_file.write_text(knot.key.secret)
    port = free_port()
    database = str(tmp_path / "registry.db")
    env = {**os.environ, "SMSCHANNEL_DELEGATED_DOMAINS": ZONE, "SMSCHANNEL_CNAME_TARGET": TARGET,
           "SMSCHANNEL_DNS_NAMESERVER": f"127.0.0.1:{knot.port}",
           "SMSCHANNEL_DNS_UPDATE_SERVER": f"127.0.0.1:{knot.port}",
           "SMSCHANNEL_DNS_TSIG_KEY_NAME": knot.key.name, "SMSCHANNEL_DNS_TSIG_SECRET_FILE": str(secret_file)}
    smschannel = [sys.executable, "-m", "smschannel.cli"]
    token = subprocess.run([*smschannel, "token", "create", "ci", "--database", database,
                            *[a for s in ALL_SCOPES for a in ("--scope", s)]],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    process = subprocess.Popen([*smschannel, "serve", "--database", database, "--key-file",
                                str(tmp_path / "registry.key"), "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/v1/whoami", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    said = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    raise RuntimeError(f"smschannel serve did not start: {said}") from None
                time.sleep(0.1)
        yield {"SMSCHANNEL_ENDPOINT": url, "SMSCHANNEL_TOKEN": token, "SMSCHANNEL_SANDBOX": "prod"}
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def test_serve_publishes_through_terraform_and_destroy_removes(
        serve: dict[str, str], knot: KnotServer, tmp_path: Path, tf_home: Path) -> None:
    workspace = Workspace(tmp_path / "tf", tf_home, serve)
    workspace.root.mkdir()
    workspace.write_hcl(HEADER + f'resource "smschannel_subdomain" "go" {{\n  mode          = "delegated"\n'
                                 f'  prefix        = "promo"\n  parent_domain = "{ZONE}"\n}}\n')
    applied = workspace.apply()
    assert "Warning" not in applied.output
    state: dict[str, Any] = workspace.state()["smschannel_subdomain.go"]
    assert (state["status"], state["cname_value"]) == ("success", f"promo-links-example-test.{TARGET}")
    assert knot.lookup(f"promo.{ZONE}") == [f"promo-links-example-test.{TARGET}."]
    assert workspace.plan().code == 0
    workspace.destroy()
    assert knot.lookup(f"promo.{ZONE}") == []
