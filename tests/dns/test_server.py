"""The local DNS server, queried over real UDP and TCP on loopback."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import dns.flags
import dns.message
import dns.nameserver
import dns.opcode
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
import pytest

from smschannel.dns.server import DnsRecord, LocalDnsServer


def ask(server: LocalDnsServer, name: str, rtype: str, *, tcp: bool = False, edns: bool = True) -> dns.message.Message:
    query = dns.message.make_query(name, rtype, use_edns=0 if edns else False)
    host, port = server.address
    if tcp:
        return dns.query.tcp(query, host, port=port, timeout=2)
    return dns.query.udp(query, host, port=port, timeout=2)


def answers(response: dns.message.Message) -> list[str]:
    return [f"{rrset.name} {rrset.ttl} {dns.rdatatype.to_text(rrset.rdtype)} {rdata}"
            for rrset in response.answer for rdata in rrset]


def rcode(response: dns.message.Message) -> str:
    return dns.rcode.to_text(response.rcode())


def resolver_for(server: LocalDnsServer) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [dns.nameserver.Do53Nameserver(*server.address)]
    resolver.lifetime = 2
    return resolver


def test_publish_cname_a_and_txt_then_look_them_up(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    dns_server.publish("host.example.net", "A", "192.0.2.7", ttl=30)
    dns_server.publish("example.net", "TXT", "v=spf1 -all")

    cname = ask(dns_server, "links.example.com", "CNAME")
    assert rcode(cname) == "NOERROR"
    assert cname.flags & dns.flags.AA
    assert answers(cname) == ["links.example.com. 60 CNAME sms.example.net."]
    assert answers(ask(dns_server, "host.example.net", "A")) == ["host.example.net. 30 A 192.0.2.7"]
    assert answers(ask(dns_server, "example.net", "TXT")) == ['example.net. 60 TXT "v=spf1 -all"']


def test_names_and_cname_targets_ignore_case_and_the_final_dot(dns_server: LocalDnsServer) -> None:
    record = dns_server.publish("Links.EXAMPLE.com.", "cname", "SMS.Example.NET.")

    assert record == DnsRecord("links.example.com", "CNAME", "sms.example.net", 60)
    assert answers(ask(dns_server, "LINKS.example.COM", "CNAME")) == ["LINKS.example.COM. 60 CNAME sms.example.net."]


def test_records_lists_a_sorted_snapshot(dns_server: LocalDnsServer) -> None:
    assert dns_server.records() == []
    dns_server.publish("b.example.com", "TXT", "hello world")
    dns_server.publish("a.example.com", "AAAA", "2001:DB8::1")
    dns_server.publish("a.example.org", "A", "192.0.2.1", ttl=5)

    assert dns_server.records() == [
        DnsRecord("a.example.com", "AAAA", "2001:db8::1", 60),
        DnsRecord("a.example.org", "A", "192.0.2.1", 5),
        DnsRecord("b.example.com", "TXT", "hello world", 60),
    ]


def test_publish_replaces_and_remove_deletes(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "CNAME", "old.example.net")
    dns_server.publish("links.example.com", "CNAME", "new.example.net")
    assert answers(ask(dns_server, "links.example.com", "CNAME")) == ["links.example.com. 60 CNAME new.example.net."]

    assert dns_server.remove("LINKS.example.com.", "CNAME") is True
    assert dns_server.remove("links.example.com", "CNAME") is False
    assert dns_server.records() == []
    assert rcode(ask(dns_server, "links.example.com", "CNAME")) == "NXDOMAIN"


def test_unknown_names_get_nxdomain_with_the_zone_soa(dns_server: LocalDnsServer) -> None:
    response = ask(dns_server, "nothing.example.com", "CNAME")

    assert rcode(response) == "NXDOMAIN"
    assert response.flags & dns.flags.AA
    assert response.answer == []
    assert [rrset.to_text() for rrset in response.authority] == [
        ". 60 IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 60"
    ]


def test_a_name_with_other_types_or_only_children_has_no_data_rather_than_nxdomain(
    dns_server: LocalDnsServer,
) -> None:
    dns_server.publish("deep.links.example.com", "A", "192.0.2.1")

    for name, rtype in (("deep.links.example.com", "CNAME"), ("links.example.com", "A")):
        response = ask(dns_server, name, rtype)
        assert (rcode(response), response.answer, len(response.authority)) == ("NOERROR", [], 1), name


def test_zones_limit_what_is_answered_and_published() -> None:
    with LocalDnsServer(zones=["Example.com."]) as server:
        assert server.zones == ("example.com.",)
        server.publish("links.example.com", "CNAME", "sms.example.net")

        outside = ask(server, "links.example.org", "CNAME")
        assert rcode(outside) == "REFUSED"
        assert not outside.flags & dns.flags.AA
        missing = ask(server, "other.example.com", "CNAME")
        assert rcode(missing) == "NXDOMAIN"
        assert [rrset.name.to_text() for rrset in missing.authority] == ["example.com."]
        assert answers(ask(server, "example.com", "SOA")) == [
            "example.com. 60 SOA localhost. hostmaster.localhost. 1 3600 600 86400 60"
        ]
        with pytest.raises(ValueError, match=r"^links\.example\.org is outside the zones this DNS server serves: "
                                             r"example\.com\.$"):
            server.publish("links.example.org", "CNAME", "sms.example.net")


def test_an_a_query_follows_the_servers_own_cnames(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    dns_server.publish("sms.example.net", "A", "192.0.2.9")

    assert answers(ask(dns_server, "links.example.com", "A")) == [
        "links.example.com. 60 CNAME sms.example.net.",
        "sms.example.net. 60 A 192.0.2.9",
    ]
    assert [str(rdata) for rdata in resolver_for(dns_server).resolve("links.example.com", "A")] == ["192.0.2.9"]


def test_a_cname_loop_is_answered_not_followed_forever(dns_server: LocalDnsServer) -> None:
    dns_server.publish("a.example.com", "CNAME", "b.example.com")
    dns_server.publish("b.example.com", "CNAME", "a.example.com")

    assert answers(ask(dns_server, "a.example.com", "A")) == [
        "a.example.com. 60 CNAME b.example.com.",
        "b.example.com. 60 CNAME a.example.com.",
    ]


def test_a_cname_cannot_share_its_name(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "TXT", "x")
    with pytest.raises(ValueError, match=r"^links\.example\.com already has TXT: a CNAME cannot share its name with "
                                         r"other records; remove them first$"):
        dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    dns_server.remove("links.example.com", "TXT")
    dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    with pytest.raises(ValueError, match="already has CNAME"):
        dns_server.publish("links.example.com", "A", "192.0.2.1")


@pytest.mark.parametrize(
    ("name", "rtype", "value", "ttl", "message"),
    [
        ("x.example.com", "MX", "10 mail.example.com", 60, r"record type 'MX' is not supported: use one of A, AAAA, "
                                                          r"CNAME, TXT"),
        ("x.example.com", "A", "not-an-ip", 60, r"'not-an-ip' is not a valid A value"),
        ("x.example.com", "A", "192.0.2.1", -1, r"TTL -1 is not between 0 and 2147483647"),
        ("*.example.com", "A", "192.0.2.1", 60, r"wildcard names are not supported"),
        ("bad..example.com", "A", "192.0.2.1", 60, r"'bad\.\.example\.com' is not a valid DNS name"),
        ("  ", "A", "192.0.2.1", 60, r"a DNS name cannot be empty"),
    ],
)
def test_publish_refuses_what_it_cannot_serve(
    dns_server: LocalDnsServer, name: str, rtype: str, value: str, ttl: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        dns_server.publish(name, rtype, value, ttl)
    assert dns_server.records() == []


def test_tcp_answers_and_udp_truncates_what_does_not_fit(dns_server: LocalDnsServer) -> None:
    text = "x" * 700  # two character-strings, more than 512 bytes
    dns_server.publish("big.example.com", "TXT", text)

    truncated = ask(dns_server, "big.example.com", "TXT", edns=False)
    assert truncated.flags & dns.flags.TC
    assert truncated.answer == []
    full = ask(dns_server, "big.example.com", "TXT", tcp=True, edns=False)
    assert not full.flags & dns.flags.TC
    assert [b"".join(rdata.strings) for rrset in full.answer for rdata in rrset] == [text.encode()]
    # the resolver retries over TCP by itself
    resolver = resolver_for(dns_server)
    resolver.use_edns(False)
    assert [b"".join(rdata.strings) for rdata in resolver.resolve("big.example.com", "TXT")] == [text.encode()]


def test_several_queries_on_one_tcp_connection(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    with socket.create_connection(dns_server.address, timeout=2) as conn:
        for query_id in (1, 2, 3):
            query = dns.message.make_query("links.example.com", "CNAME", id=query_id)
            dns.query.send_tcp(conn, query)
            response, _ = dns.query.receive_tcp(conn, expiration=None)
            assert (response.id, answers(response)) == (query_id, ["links.example.com. 60 CNAME sms.example.net."])


def test_unsupported_requests_get_an_error_code(dns_server: LocalDnsServer) -> None:
    assert rcode(ask(dns_server, "example.com", "AXFR", tcp=True)) == "NOTIMP"
    notify = dns.message.make_query("example.com", "SOA")
    notify.set_opcode(dns.opcode.NOTIFY)
    assert rcode(dns.query.udp(notify, dns_server.address[0], port=dns_server.address[1], timeout=2)) == "NOTIMP"
    chaos = dns.message.make_query("version.bind", "TXT", "CH")
    assert rcode(dns.query.udp(chaos, dns_server.address[0], port=dns_server.address[1], timeout=2)) == "REFUSED"


def test_garbage_gets_formerr_or_nothing_and_the_server_carries_on(dns_server: LocalDnsServer) -> None:
    dns_server.publish("links.example.com", "CNAME", "sms.example.net")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.sendto(b"\x12\x34" + b"\x01\x00" + b"\x00\x05" + b"\x00" * 6 + b"junk", dns_server.address)
        wire, _ = sock.recvfrom(512)
        response = dns.message.from_wire(wire)
        assert (response.id, rcode(response), bool(response.flags & dns.flags.QR)) == (0x1234, "FORMERR", True)

        sock.sendto(b"\x00", dns_server.address)  # too short to answer
        reply = dns.message.make_response(dns.message.make_query("links.example.com", "A"))
        sock.sendto(reply.to_wire(), dns_server.address)  # a response: never answered, so no loops
        sock.settimeout(0.2)
        with pytest.raises(TimeoutError):
            sock.recvfrom(512)

    assert answers(ask(dns_server, "links.example.com", "CNAME")) == ["links.example.com. 60 CNAME sms.example.net."]


def test_concurrent_queries_while_records_change(dns_server: LocalDnsServer) -> None:
    names = [f"n{i}.example.com" for i in range(8)]
    for i, name in enumerate(names):
        dns_server.publish(name, "CNAME", f"t{i}.example.net")
    done = threading.Event()

    def churn() -> int:
        count = 0
        while not done.is_set():
            dns_server.publish("churn.example.com", "A", f"192.0.2.{count % 250 + 1}")
            dns_server.remove("churn.example.com", "A")
            count += 1
            time.sleep(0.001)  # change often, without starving the server thread of the GIL
        return count

    def lookups(worker: int) -> list[str]:
        resolver = resolver_for(dns_server)
        seen = []
        for round_ in range(25):
            name = names[(worker + round_) % len(names)]
            seen.append(str(resolver.resolve(name, "CNAME")[0].target))
        return seen

    with ThreadPoolExecutor(max_workers=17) as pool:
        churner = pool.submit(churn)
        results = list(pool.map(lookups, range(16)))
        done.set()
        assert churner.result() > 0

    for worker, seen in enumerate(results):
        assert seen == [f"t{(worker + round_) % len(names)}.example.net." for round_ in range(25)]


def test_lifecycle_is_clean() -> None:
    server = LocalDnsServer()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.address
    server.start()
    host, port = server.address
    with pytest.raises(RuntimeError, match="already running"):
        server.start()
    assert any(thread.name == f"local-dns-{port}" for thread in threading.enumerate())
    with socket.create_connection((host, port), timeout=2) as idle:
        dns.query.send_tcp(idle, dns.message.make_query("example.com", "SOA"))
        dns.query.receive_tcp(idle, expiration=None)  # the connection is open on both sides
        server.stop()
        server.stop()  # twice is fine
        assert idle.recv(1) == b""  # the server closed its end

    assert not server.running
    assert not any(thread.name == f"local-dns-{port}" for thread in threading.enumerate())
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.address
    # both sockets are released: the port can be bound again, UDP and TCP
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, socket.socket() as tcp:
        udp.bind((host, port))
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        tcp.bind((host, port))


def test_a_fixed_port_and_a_restart_keep_the_records() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = LocalDnsServer(port=port)
    server.publish("links.example.com", "CNAME", "sms.example.net")
    with server:
        assert server.address == ("127.0.0.1", port)
    with server:
        assert answers(ask(server, "links.example.com", "CNAME")) == ["links.example.com. 60 CNAME sms.example.net."]
    with pytest.raises(ValueError, match="needs at least one zone"):
        LocalDnsServer(zones=[])
