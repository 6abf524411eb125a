"""RFC 2136 dynamic updates signed with TSIG, against a real Knot DNS server started on loopback by the
tests, and against the local server of `smschannel up` (which takes them the same way)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from smschannel.dns.check import check_cname
from smschannel.dns.server import LocalDnsServer
from smschannel.dns.update import DnsUpdateError, DnsUpdater, DnsUpdateSettings, TsigKey, parse_server
from tests.knot import KnotServer

ZONE = "links.example.test"


@pytest.fixture(scope="module")
def knot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnotServer]:
    with KnotServer(tmp_path_factory.mktemp("knot"), zones=[ZONE]) as server:
        yield server


def test_publish_replace_and_remove_at_knot(knot: KnotServer) -> None:
    updater = DnsUpdater(knot.address, knot.key)
    name = f"go.{ZONE}"
    updater.publish_cname(name, "go-links-example-test.cname.example.net", zone=ZONE)
    assert knot.lookup(name) == ["go-links-example-test.cname.example.net."]
    status = check_cname(name, "go-links-example-test.cname.example.net", nameservers=[knot.address], timeout=2)
    assert status.status == "success"
    updater.publish_cname(name, "elsewhere.example.net", zone=ZONE)  # a CNAME replaces what the name held
    assert knot.lookup(name) == ["elsewhere.example.net."]
    updater.remove_cname(name, zone=ZONE)
    assert knot.lookup(name) == []
    updater.remove_cname(name, zone=ZONE)  # nothing left to remove is fine (a retried destroy)
    assert "DDNS, finished" in knot.log()


def test_refusals_name_the_server_and_the_key_never_the_secret(knot: KnotServer) -> None:
    where = f"the DNS server 127.0.0.1:{knot.port}"
    with pytest.raises(DnsUpdateError) as caught:
        DnsUpdater(knot.address, knot.other_key).publish_cname(f"x.{ZONE}", "t.example.net", zone=ZONE)
    assert str(caught.value) == (
        f"cannot publish the CNAME x.{ZONE} -> t.example.net: {where} rejected the TSIG signature of key "
        "someone-else. (PeerBadKey): check the key's name, secret and algorithm, and that the server lets it "
        "update the zone")
    wrong = TsigKey(knot.key.name, base64.b64encode(b"w" * 32).decode())
    with pytest.raises(DnsUpdateError, match=r"rejected the TSIG signature of key smschannel-update\. "
                                             r"\(PeerBadSignature\)") as caught:
        DnsUpdater(knot.address, wrong).publish_cname(f"x.{ZONE}", "t.example.net", zone=ZONE)
    assert knot.key.secret not in str(caught.value) and wrong.secret not in str(caught.value)
    with pytest.raises(DnsUpdateError) as caught:
        DnsUpdater(knot.address, knot.key).publish_cname("x.other.test", "t.example.net", zone="other.test")
    assert str(caught.value) == (f"cannot publish the CNAME x.other.test -> t.example.net: {where} refused it "
                                 "without signing its answer: it does not serve the zone other.test., or does not "
                                 "know the key smschannel-update.")
    with pytest.raises(DnsUpdateError, match=r"^x\.example\.net is not in the zone links\.example\.test$"):
        DnsUpdater(knot.address, knot.key).publish_cname("x.example.net", "t.example.net", zone=ZONE)
    assert knot.lookup(f"x.{ZONE}") == []


def test_a_server_that_does_not_answer(tmp_path: Path) -> None:
    with KnotServer(tmp_path, zones=[ZONE]) as stopped:
        address, key = stopped.address, stopped.key
    with pytest.raises(DnsUpdateError, match=rf"^cannot remove the CNAME go\.{ZONE}: the DNS server "
                                             rf"127\.0\.0\.1:{address[1]} did not answer"):
        DnsUpdater(address, key, timeout=1).remove_cname(f"go.{ZONE}", zone=ZONE)


def test_the_local_server_takes_signed_updates_and_refuses_others() -> None:
    key = TsigKey("local.", base64.b64encode(b"k" * 32).decode())
    with LocalDnsServer(keys={key.name: key.secret}) as server:
        DnsUpdater(server.address, key).publish_cname("go.links.smschannel.test", "t.example.net",
                                                      zone="links.smschannel.test")
        assert [(r.name, r.rtype, r.value) for r in server.records()] == [
            ("go.links.smschannel.test", "CNAME", "t.example.net")]
        stranger = TsigKey("stranger.", key.secret)
        with pytest.raises(DnsUpdateError, match="refused it without signing its answer"):
            DnsUpdater(server.address, stranger).remove_cname("go.links.smschannel.test", zone="links.smschannel.test")
        DnsUpdater(server.address, key).remove_cname("go.links.smschannel.test", zone="links.smschannel.test")
        assert server.records() == []
    with LocalDnsServer() as keyless, pytest.raises(DnsUpdateError, match="refused it without signing its answer"):
        DnsUpdater(keyless.address, key).publish_cname("a.example.test", "t.example.net", zone="example.test")


def test_serve_settings_from_the_environment(tmp_path: Path) -> None:
    secret = base64.b64encode(b"s" * 32).decode()
    assert DnsUpdateSettings.from_env({}) is None
    updater = DnsUpdateSettings.from_env({"SMSCHANNEL_DNS_UPDATE_SERVER": "192.0.2.53",
                                          "SMSCHANNEL_DNS_TSIG_KEY_NAME": "smschannel.",
                                          "SMSCHANNEL_DNS_TSIG_SECRET": secret})
    assert updater is not None and updater.server == ("192.0.2.53", 53) and updater.key.algorithm == "hmac-sha256"
    assert secret not in repr(updater)
    (tmp_path / "tsig.secret").write_text(secret + "\n")
    from_file = DnsUpdateSettings.from_env({"SMSCHANNEL_DNS_UPDATE_SERVER": "[::1]:5353",
                                            "SMSCHANNEL_DNS_TSIG_KEY_NAME": "smschannel.",
                                            "SMSCHANNEL_DNS_TSIG_SECRET_FILE": str(tmp_path / "tsig.secret"),
                                            "SMSCHANNEL_DNS_TSIG_ALGORITHM": "hmac-sha512"})
    assert from_file is not None and from_file.server == ("::1", 5353) and from_file.key.secret == secret
    for env, message in [
        ({"SMSCHANNEL_DNS_UPDATE_SERVER": "ns:53"}, "SMSCHANNEL_DNS_UPDATE_SERVER is set, so "
                                                    "SMSCHANNEL_DNS_TSIG_KEY_NAME is required (updates are signed "
                                                    "with TSIG)"),
        ({"SMSCHANNEL_DNS_UPDATE_SERVER": "ns:53", "SMSCHANNEL_DNS_TSIG_KEY_NAME": "k."},
         "set one of SMSCHANNEL_DNS_TSIG_SECRET and SMSCHANNEL_DNS_TSIG_SECRET_FILE"),
        ({"SMSCHANNEL_DNS_UPDATE_SERVER": "ns:53", "SMSCHANNEL_DNS_TSIG_KEY_NAME": "k.",
          "SMSCHANNEL_DNS_TSIG_SECRET": "not base64!"}, "the secret of TSIG key k. is not base64"),
        ({"SMSCHANNEL_DNS_UPDATE_SERVER": "ns:53", "SMSCHANNEL_DNS_TSIG_KEY_NAME": "k.",
          "SMSCHANNEL_DNS_TSIG_SECRET": secret, "SMSCHANNEL_DNS_TSIG_ALGORITHM": "md5"},
         "TSIG algorithm must be one of hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1, got 'md5'"),
    ]:
        with pytest.raises(DnsUpdateError) as caught:
            DnsUpdateSettings.from_env(env)
        assert str(caught.value) == message
    with pytest.raises(DnsUpdateError, match="must be host:port, got 'ns:99999'"):
        parse_server("ns:99999")
