"""A tiny authoritative DNS server on loopback, for `smschannel up`, the demo and the tests.

It answers from an in-memory table that the local stack fills in-process (`publish` / `remove`;
the registry and this server share one process), so a published SMS subdomain CNAME resolves and
the subdomain reaches `success` through a real DNS lookup.

    with LocalDnsServer() as server:
        server.publish("links.example.com", "CNAME", "sms.example.net")
        check_cname("links.example.com", "sms.example.net", nameservers=[server.address])

It serves UDP and TCP on the same port, from one background thread. It is authoritative for its
`zones` (the root by default, so every name): a name it has no records for gets NXDOMAIN; a name
outside its zones gets REFUSED. Each zone has a synthetic SOA, sent with negative answers.

Given TSIG keys (`keys={"name.": base64_secret}`), it also takes RFC 2136 dynamic updates signed with one
of them, as an operator's authoritative server does: the registry of `smschannel up` publishes delegated
records through the same `smschannel.dns.update.DnsUpdater` it uses against a real server. An unsigned
update is REFUSED, a wrong signature NOTAUTH.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.rrset
import dns.tsig
import dns.tsigkeyring
import dns.update

SUPPORTED_TYPES: tuple[str, ...] = ("A", "AAAA", "CNAME", "TXT")
"""The record types `publish` accepts."""

MAX_CNAME_CHAIN = 8
"""How many of its own CNAMEs the server follows in one answer."""

TCP_IDLE_SECONDS = 10.0
"""A TCP connection with nothing to say for this long is closed."""

MAX_TCP_CONNECTIONS = 64

_SOA_TTL = 60
_log = logging.getLogger(__name__)
_BIND_ATTEMPTS = 20


@dataclass(frozen=True, order=True)
class DnsRecord:
    """One published record: `name` lower-case without the final dot; `value` as published
    (a CNAME target lower-case without the final dot, an address in canonical form, TXT as text)."""

    name: str
    rtype: str
    value: str
    ttl: int


@dataclass
class _Entry:
    record: DnsRecord
    rrset: dns.rrset.RRset


@dataclass
class _TcpConnection:
    sock: socket.socket
    inbox: bytearray = field(default_factory=bytearray)
    outbox: bytearray = field(default_factory=bytearray)
    last_active: float = field(default_factory=time.monotonic)


class LocalDnsServer:
    """An authoritative DNS server on `host` (an IP address), UDP and TCP on one port (0: any free)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, zones: Iterable[str] = (".",),
                 keys: Mapping[str, str] | None = None) -> None:
        if not 0 <= port <= 65535:
            raise ValueError(f"port {port} is not between 0 and 65535")
        self._host = host
        self._port = port
        self._zones: dict[dns.name.Name, dns.rrset.RRset] = {}
        for zone in zones:
            origin = _parse_name(zone).canonicalize()
            self._zones[origin] = dns.rrset.from_text(
                origin, _SOA_TTL, "IN", "SOA", "localhost. hostmaster.localhost. 1 3600 600 86400 60"
            )
        if not self._zones:
            raise ValueError("a DNS server needs at least one zone ('.' serves every name)")
        self._keyring = dns.tsigkeyring.from_text(dict(keys)) if keys else None
        self._lock = threading.Lock()
        self._records: dict[dns.name.Name, dict[dns.rdatatype.RdataType, _Entry]] = {}
        self._thread: threading.Thread | None = None
        self._selector: selectors.BaseSelector | None = None
        self._udp: socket.socket | None = None
        self._tcp: socket.socket | None = None
        self._wake_reader: socket.socket | None = None
        self._wake_writer: socket.socket | None = None
        self._connections: dict[socket.socket, _TcpConnection] = {}
        self._stopping = threading.Event()
        self._address: tuple[str, int] | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def address(self) -> tuple[str, int]:
        """`(host, port)` the server answers on, UDP and TCP; only while it runs."""
        if self._address is None:
            raise RuntimeError("the DNS server is not running: call start() first")
        return self._address

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones served, as absolute names (`"."` is the root)."""
        return tuple(sorted(zone.to_text() for zone in self._zones))

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> LocalDnsServer:
        if self._thread is not None:
            raise RuntimeError("the DNS server is already running")
        udp, tcp = self._bind()
        wake_reader, wake_writer = socket.socketpair()
        selector = selectors.DefaultSelector()
        try:
            for sock in (udp, tcp, wake_reader):
                sock.setblocking(False)
            selector.register(udp, selectors.EVENT_READ, self._on_udp)
            selector.register(tcp, selectors.EVENT_READ, self._on_accept)
            selector.register(wake_reader, selectors.EVENT_READ, self._on_wake)
        except BaseException:
            selector.close()
            for sock in (udp, tcp, wake_reader, wake_writer):
                sock.close()
            raise
        self._udp, self._tcp, self._selector = udp, tcp, selector
        self._wake_reader, self._wake_writer = wake_reader, wake_writer
        bound = udp.getsockname()
        self._address = (str(bound[0]), int(bound[1]))
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name=f"local-dns-{self._address[1]}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and close every socket; waits for the server thread. Safe to call twice."""
        thread = self._thread
        if thread is None:
            return
        self._stopping.set()
        if self._wake_writer is not None:
            with contextlib.suppress(OSError):
                self._wake_writer.send(b"\0")
        thread.join()
        self._thread = None
        self._address = None

    def __enter__(self) -> LocalDnsServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- records -----------------------------------------------------------------------------

    def publish(self, name: str, rtype: str, value: str, ttl: int = 60) -> DnsRecord:
        """Publish `name rtype value`, replacing what `name` had for `rtype`. A CNAME cannot share its
        name with other records (as in real DNS). TXT `value` is plain text, not zone-file syntax."""
        qname = self._in_zone(_parse_name(name))
        rdtype = _parse_type(rtype)
        if not 0 <= ttl <= 2**31 - 1:
            raise ValueError(f"TTL {ttl} is not between 0 and 2147483647")
        shown_name = _show(qname)
        rdata, shown_value = _parse_value(rdtype, value)
        rrset = dns.rrset.RRset(qname, dns.rdataclass.IN, rdtype)
        rrset.add(rdata, ttl)
        record = DnsRecord(shown_name, dns.rdatatype.to_text(rdtype), shown_value, ttl)
        with self._lock:
            node = self._records.get(qname, {})
            others = sorted(dns.rdatatype.to_text(t) for t in node if t != rdtype)
            if others and (rdtype == dns.rdatatype.CNAME or dns.rdatatype.CNAME in node):
                raise ValueError(
                    f"{shown_name} already has {', '.join(others)}: a CNAME cannot share its name with other "
                    f"records; remove them first"
                )
            self._records.setdefault(qname, {})[rdtype] = _Entry(record, rrset)
        return record

    def remove(self, name: str, rtype: str) -> bool:
        """Remove `name`'s `rtype` record; False when there was none."""
        qname = _parse_name(name).canonicalize()
        rdtype = _parse_type(rtype)
        with self._lock:
            node = self._records.get(qname)
            if node is None or node.pop(rdtype, None) is None:
                return False
            if not node:
                del self._records[qname]
            return True

    def records(self) -> list[DnsRecord]:
        """Every published record, sorted by name then type."""
        with self._lock:
            return sorted(entry.record for node in self._records.values() for entry in node.values())

    # -- answering ---------------------------------------------------------------------------

    def _answer(self, wire: bytes, *, udp: bool) -> bytes | None:
        """The wire response to the wire query `wire`; None for something that must not be answered
        (a response, or garbage without a query header). Over UDP, an answer bigger than the client
        can take (512 bytes without EDNS) is truncated and flagged TC, so the client retries over TCP."""
        try:
            query = dns.message.from_wire(wire, keyring=self._keyring or False)
        except (dns.message.UnknownTSIGKey, dns.tsig.BadSignature, dns.tsig.BadTime):
            return _refusal(wire, dns.rcode.NOTAUTH)  # signed, but not by a key of ours
        except Exception:  # any malformed packet: FORMERR when the header allows it
            return _form_error(wire)
        if query.flags & dns.flags.QR:
            return None
        response = dns.message.make_response(query)
        if isinstance(query, dns.update.UpdateMessage):
            self._update(query, response)
        else:
            self._fill(query, response)
        max_size = (max(512, query.payload) if query.edns >= 0 else 512) if udp else 65535
        return response.to_wire(max_size=max_size, prefer_truncation=True)

    def _fill(self, query: dns.message.Message, response: dns.message.Message) -> None:
        if query.opcode() != dns.opcode.QUERY:
            response.set_rcode(dns.rcode.NOTIMP)
            return
        if len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return
        question = query.question[0]
        qname, qtype = question.name.canonicalize(), question.rdtype
        if question.rdclass != dns.rdataclass.IN:
            response.set_rcode(dns.rcode.REFUSED)
            return
        if dns.rdatatype.is_metatype(qtype) and qtype != dns.rdatatype.ANY:
            response.set_rcode(dns.rcode.NOTIMP)  # AXFR, IXFR, ...
            return
        zone = self._zone_of(qname)
        if zone is None:
            response.set_rcode(dns.rcode.REFUSED)
            return
        response.flags |= dns.flags.AA
        seen: set[dns.name.Name] = set()
        name = qname
        with self._lock:
            while True:
                seen.add(name)
                rrsets = self._lookup(name, qtype)
                if rrsets is None:  # no such name (the last of a chain, as RFC 6604 says)
                    response.set_rcode(dns.rcode.NXDOMAIN)
                    response.authority.append(self._zones[self._zone_of(name) or zone])
                    return
                response.answer.extend(rrsets)
                if not rrsets:  # the name exists, without that type
                    response.authority.append(self._zones[self._zone_of(name) or zone])
                    return
                last = rrsets[-1]
                if last.rdtype != dns.rdatatype.CNAME or qtype in (dns.rdatatype.CNAME, dns.rdatatype.ANY):
                    return
                target: dns.name.Name = last[0].target.canonicalize()
                if target in seen or len(seen) > MAX_CNAME_CHAIN or self._zone_of(target) is None:
                    return  # a loop, a long chain, or a target elsewhere: the resolver carries on
                name = target

    def _update(self, update: dns.update.UpdateMessage, response: dns.message.Message) -> None:
        """Apply an RFC 2136 update signed with one of our keys: delete a name's records (class ANY or NONE)
        or add records (class IN; a CNAME replaces what the name held). Prerequisites are not supported."""
        if self._keyring is None or not update.had_tsig:
            response.set_rcode(dns.rcode.REFUSED)
            return
        if len(update.zone) != 1 or self._zone_of(update.zone[0].name.canonicalize()) is None:
            response.set_rcode(dns.rcode.NOTAUTH)
            return
        if update.prerequisite:
            response.set_rcode(dns.rcode.NOTIMP)
            return
        zone = update.zone[0].name.canonicalize()
        for rrset in update.update:
            name = rrset.name.canonicalize()
            if not name.is_subdomain(zone):
                response.set_rcode(dns.rcode.NOTZONE)
                return
        for rrset in update.update:
            name = rrset.name.canonicalize()
            if rrset.deleting in (dns.rdataclass.ANY, dns.rdataclass.NONE):  # dnspython keeps class IN here
                with self._lock:
                    node = self._records.get(name, {})
                    for rdtype in list(node) if rrset.rdtype == dns.rdatatype.ANY else [rrset.rdtype]:
                        node.pop(rdtype, None)
                    if not node:
                        self._records.pop(name, None)
                continue
            for rdata in rrset:
                try:
                    self.publish(_show(name), dns.rdatatype.to_text(rrset.rdtype), rdata.to_text(), rrset.ttl)
                except ValueError:
                    response.set_rcode(dns.rcode.REFUSED)
                    return

    def _lookup(self, name: dns.name.Name, qtype: dns.rdatatype.RdataType) -> list[dns.rrset.RRset] | None:
        """The rrsets answering `qtype` at `name` (a CNAME when that is what it has), [] for a name that
        exists without them, None for no such name. Called with the lock held."""
        node = self._records.get(name, {})
        available = {rdtype: entry.rrset for rdtype, entry in node.items()}
        if name in self._zones:
            available[dns.rdatatype.SOA] = self._zones[name]
        if not available:
            return [] if self._has_descendant(name) else None
        if qtype == dns.rdatatype.ANY:
            return [available[rdtype] for rdtype in sorted(available)]
        for rdtype in (qtype, dns.rdatatype.CNAME):
            if rdtype in available:
                return [available[rdtype]]
        return []

    def _has_descendant(self, name: dns.name.Name) -> bool:
        """An empty non-terminal exists (NOERROR, no data) rather than not at all (NXDOMAIN)."""
        return any(other != name and other.is_subdomain(name) for other in (*self._records, *self._zones))

    def _zone_of(self, name: dns.name.Name) -> dns.name.Name | None:
        matches = [zone for zone in self._zones if name.is_subdomain(zone)]
        return max(matches, key=len, default=None)

    def _in_zone(self, name: dns.name.Name) -> dns.name.Name:
        name = name.canonicalize()
        if self._zone_of(name) is None:
            raise ValueError(f"{_show(name)} is outside the zones this DNS server serves: {', '.join(self.zones)}")
        return name

    # -- the server thread -------------------------------------------------------------------

    def _bind(self) -> tuple[socket.socket, socket.socket]:
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        attempts = _BIND_ATTEMPTS if self._port == 0 else 1
        for attempt in range(attempts):
            udp = socket.socket(family, socket.SOCK_DGRAM)
            tcp = socket.socket(family, socket.SOCK_STREAM)
            try:
                udp.bind((self._host, self._port))
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                tcp.bind((self._host, udp.getsockname()[1]))  # the same port for both, as DNS expects
                tcp.listen(16)
                return udp, tcp
            except OSError as exc:
                udp.close()
                tcp.close()
                if exc.errno != errno.EADDRINUSE or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _serve(self) -> None:
        selector = self._selector
        assert selector is not None
        try:
            while not self._stopping.is_set():
                for key, mask in selector.select(timeout=1.0):
                    handler: Callable[[socket.socket, int], None] = key.data
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    try:
                        handler(sock, mask)
                    except Exception:  # one bad exchange must not stop the server
                        _log.exception("local DNS server: error handling a request")
                self._close_idle()
        finally:
            for conn in list(self._connections):
                self._close_connection(conn)
            selector.close()
            for own in (self._udp, self._tcp, self._wake_reader, self._wake_writer):
                if own is not None:
                    own.close()
            self._udp = self._tcp = self._wake_reader = self._wake_writer = None
            self._selector = None

    def _on_wake(self, sock: socket.socket, mask: int) -> None:
        with contextlib.suppress(OSError):
            sock.recv(64)

    def _on_udp(self, sock: socket.socket, mask: int) -> None:
        for _ in range(64):  # drain a burst, then let the others have a turn
            try:
                wire, peer = sock.recvfrom(65535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # e.g. an ICMP error reported for an earlier reply
                continue
            response = self._answer(wire, udp=True)
            if response is not None:
                with contextlib.suppress(OSError):
                    sock.sendto(response, peer)

    def _on_accept(self, sock: socket.socket, mask: int) -> None:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        selector = self._selector
        if selector is None or len(self._connections) >= MAX_TCP_CONNECTIONS:
            conn.close()
            return
        conn.setblocking(False)
        self._connections[conn] = _TcpConnection(conn)
        selector.register(conn, selectors.EVENT_READ, self._on_tcp)

    def _on_tcp(self, sock: socket.socket, mask: int) -> None:
        state = self._connections.get(sock)
        if state is None:
            return
        state.last_active = time.monotonic()
        if mask & selectors.EVENT_READ:
            try:
                data = sock.recv(65537)
            except (BlockingIOError, InterruptedError):
                data = None
            except OSError:
                data = b""
            if data == b"":
                self._close_connection(sock)
                return
            if data:
                state.inbox += data
            while len(state.inbox) >= 2:
                size = int.from_bytes(state.inbox[:2], "big")
                if len(state.inbox) < 2 + size:
                    break
                wire = bytes(state.inbox[2 : 2 + size])
                del state.inbox[: 2 + size]
                response = self._answer(wire, udp=False)
                if response is not None:
                    state.outbox += len(response).to_bytes(2, "big") + response
        if state.outbox:
            try:
                sent = sock.send(state.outbox)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError:
                self._close_connection(sock)
                return
            del state.outbox[:sent]
        if self._selector is not None:
            events = selectors.EVENT_READ | (selectors.EVENT_WRITE if state.outbox else 0)
            self._selector.modify(sock, events, self._on_tcp)

    def _close_idle(self) -> None:
        deadline = time.monotonic() - TCP_IDLE_SECONDS
        for sock, state in list(self._connections.items()):
            if state.last_active < deadline:
                self._close_connection(sock)

    def _close_connection(self, sock: socket.socket) -> None:
        self._connections.pop(sock, None)
        if self._selector is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
        sock.close()


def _parse_name(name: str) -> dns.name.Name:
    text = name.strip()
    if not text:
        raise ValueError("a DNS name cannot be empty")
    try:
        parsed = dns.name.from_text(text)
    except dns.exception.DNSException as exc:
        raise ValueError(f"{name!r} is not a valid DNS name: {exc}") from None
    if parsed.is_wild():
        raise ValueError(f"{name!r}: wildcard names are not supported")
    return parsed


def _parse_type(rtype: str) -> dns.rdatatype.RdataType:
    text = rtype.strip().upper()
    if text not in SUPPORTED_TYPES:
        raise ValueError(f"record type {rtype!r} is not supported: use one of {', '.join(SUPPORTED_TYPES)}")
    return dns.rdatatype.from_text(text)


def _parse_value(rdtype: dns.rdatatype.RdataType, value: str) -> tuple[dns.rdata.Rdata, str]:
    if rdtype == dns.rdatatype.TXT:
        data = value.encode()
        chunks = [data[i : i + 255] for i in range(0, len(data), 255)] or [b""]
        return dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT, chunks), value
    try:
        rdata = dns.rdata.from_text(dns.rdataclass.IN, rdtype, value.strip(), origin=dns.name.root, relativize=False)
    except dns.exception.DNSException as exc:
        raise ValueError(f"{value!r} is not a valid {dns.rdatatype.to_text(rdtype)} value: {exc}") from None
    if rdtype == dns.rdatatype.CNAME:
        target: dns.name.Name = rdata.target.canonicalize()  # type: ignore[attr-defined]
        return rdata.replace(target=target), _show(target)
    return rdata, rdata.to_text()


def _show(name: dns.name.Name) -> str:
    return name.canonicalize().to_text(omit_final_dot=True) or "."


def _refusal(wire: bytes, rcode: dns.rcode.Rcode) -> bytes | None:
    """An unsigned answer with `rcode`, for a request we cannot verify."""
    if len(wire) < 12 or wire[2] & 0x80:
        return None
    response = dns.message.Message(id=int.from_bytes(wire[:2], "big"))
    response.flags = dns.flags.QR
    response.set_opcode(dns.opcode.from_flags(int.from_bytes(wire[2:4], "big")))
    response.set_rcode(rcode)
    return response.to_wire()


def _form_error(wire: bytes) -> bytes | None:
    """FORMERR for a query dnspython cannot parse, when its header at least says it is a query."""
    if len(wire) < 12 or wire[2] & 0x80:
        return None
    response = dns.message.Message(id=int.from_bytes(wire[:2], "big"))
    response.flags = dns.flags.QR
    response.set_rcode(dns.rcode.FORMERR)
    return response.to_wire()


__all__ = ["MAX_CNAME_CHAIN", "SUPPORTED_TYPES", "DnsRecord", "LocalDnsServer"]
