"""Publishing and removing the CNAME records of delegated SMS subdomains at the operator's authoritative
DNS server, with RFC 2136 dynamic updates signed with TSIG (RFC 8945).

    updater = DnsUpdater(server=("192.0.2.53", 53), key=TsigKey("smschannel.", secret_b64))
    updater.publish_cname("go.links.example.com", "go-links-example-com.cname.example.net",
                          zone="links.example.com")
    updater.remove_cname("go.links.example.com", zone="links.example.com")

Each update goes over TCP to the primary server of the zone. Publishing replaces whatever the name held
(a CNAME cannot share its name), removing deletes every record of the name; both are idempotent, so a
retried apply does no harm. A refusal (the key is not allowed to update the zone, the zone is not
served there, the signature is wrong) raises `DnsUpdateError` naming the server's answer, never the
secret.

`smschannel serve` reads the settings from the environment (`DnsUpdateSettings.from_env`):

| variable | what |
| --- | --- |
| `SMSCHANNEL_DNS_UPDATE_SERVER` | `host:port` of the authoritative server taking the updates (port 53 if left out) |
| `SMSCHANNEL_DNS_TSIG_KEY_NAME` | the TSIG key's name, as the server knows it |
| `SMSCHANNEL_DNS_TSIG_SECRET` or `SMSCHANNEL_DNS_TSIG_SECRET_FILE` | the key's secret (base64), or a file holding it |
| `SMSCHANNEL_DNS_TSIG_ALGORITHM` | `hmac-sha256` (default), `hmac-sha384`, `hmac-sha512` or `hmac-sha1` |
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import dns.exception
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring
import dns.update

from smschannel.errors import SmschannelError

ALGORITHMS = ("hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha1")
DEFAULT_TTL = 300


class DnsUpdateError(SmschannelError):
    """The DNS server refused an update, or could not be reached."""


@dataclass(frozen=True)
class TsigKey:
    """A TSIG key: its name, its secret (base64, as `keymgr -t` / `tsig-keygen` print it) and algorithm."""

    name: str
    secret: str = field(repr=False)
    algorithm: str = "hmac-sha256"

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise DnsUpdateError(f"TSIG algorithm must be one of {', '.join(ALGORITHMS)}, got {self.algorithm!r}")
        try:
            base64.b64decode(self.secret, validate=True)
        except (binascii.Error, ValueError):
            raise DnsUpdateError(f"the secret of TSIG key {self.name} is not base64") from None


@dataclass(frozen=True)
class DnsUpdater:
    """Sends signed dynamic updates to one authoritative server."""

    server: tuple[str, int]
    key: TsigKey
    timeout: float = 5.0
    ttl: int = DEFAULT_TTL

    def publish_cname(self, name: str, target: str, *, zone: str) -> None:
        """Make `name` a CNAME to `target` in `zone`, replacing what `name` held."""
        update = self._message(zone)
        update.delete(self._relative(name, zone))
        update.add(self._relative(name, zone), self.ttl, dns.rdatatype.CNAME, _absolute(target))
        self._send(update, f"publish the CNAME {name} -> {target}")

    def remove_cname(self, name: str, *, zone: str) -> None:
        """Remove every record of `name` in `zone` (nothing to remove is fine)."""
        update = self._message(zone)
        update.delete(self._relative(name, zone))
        self._send(update, f"remove the CNAME {name}")

    # ------------------------------------------------------------------ internals
    def _message(self, zone: str) -> dns.update.UpdateMessage:
        keyring = dns.tsigkeyring.from_text({self.key.name: self.key.secret})
        return dns.update.UpdateMessage(dns.name.from_text(zone), keyring=keyring,
                                        keyname=dns.name.from_text(self.key.name),
                                        keyalgorithm=dns.name.from_text(self.key.algorithm))

    @staticmethod
    def _relative(name: str, zone: str) -> dns.name.Name:
        absolute, origin = dns.name.from_text(name), dns.name.from_text(zone)
        if not absolute.is_subdomain(origin):
            raise DnsUpdateError(f"{name} is not in the zone {zone}")
        return absolute.relativize(origin)

    def _send(self, update: dns.update.UpdateMessage, what: str) -> None:
        host, port = self.server
        where = f"the DNS server {host}:{port}"
        try:
            answer = dns.query.tcp(update, host, port=port, timeout=self.timeout)
        except dns.tsig.PeerError as exc:
            raise DnsUpdateError(f"cannot {what}: {where} rejected the TSIG signature of key {self.key.name} "
                                 f"({type(exc).__name__}): check the key's name, secret and algorithm, and that "
                                 "the server lets it update the zone") from None
        except dns.exception.FormError as exc:
            if "requires a TSIG" not in str(exc):
                raise DnsUpdateError(f"cannot {what}: {where} sent a malformed answer ({exc})") from None
            raise DnsUpdateError(f"cannot {what}: {where} refused it without signing its answer: it does not "
                                 f"serve the zone {update.origin}, or does not know the key {self.key.name}") from None
        except (OSError, dns.exception.DNSException) as exc:
            raise DnsUpdateError(f"cannot {what}: {where} did not answer ({exc or type(exc).__name__})") from None
        rcode = answer.rcode()
        if rcode != dns.rcode.NOERROR:
            hint = {dns.rcode.NOTAUTH: f"the key {self.key.name} may not update this zone there, or the zone is "
                                       "not served there",
                    dns.rcode.REFUSED: f"the server does not allow updates of this zone with the key {self.key.name}",
                    dns.rcode.NOTZONE: "the name is not in the zone"}.get(rcode, "")
            raise DnsUpdateError(f"cannot {what}: {where} answered {dns.rcode.to_text(rcode)}"
                                 + (f" ({hint})" if hint else ""))


def _absolute(name: str) -> str:
    return name if name.endswith(".") else name + "."


@dataclass(frozen=True)
class DnsUpdateSettings:
    """Where delegated records are published, read from `SMSCHANNEL_DNS_*` variables."""

    @staticmethod
    def from_env(environ: Mapping[str, str] | None = None) -> DnsUpdater | None:
        """The updater the variables describe, or None when `SMSCHANNEL_DNS_UPDATE_SERVER` is unset."""
        env = os.environ if environ is None else environ
        server = env.get("SMSCHANNEL_DNS_UPDATE_SERVER", "")
        if not server:
            return None
        host, port = parse_server(server)
        name = env.get("SMSCHANNEL_DNS_TSIG_KEY_NAME", "")
        secret = env.get("SMSCHANNEL_DNS_TSIG_SECRET", "")
        secret_file = env.get("SMSCHANNEL_DNS_TSIG_SECRET_FILE", "")
        if not name:
            raise DnsUpdateError("SMSCHANNEL_DNS_UPDATE_SERVER is set, so SMSCHANNEL_DNS_TSIG_KEY_NAME is required "
                                 "(updates are signed with TSIG)")
        if bool(secret) == bool(secret_file):
            raise DnsUpdateError("set one of SMSCHANNEL_DNS_TSIG_SECRET and SMSCHANNEL_DNS_TSIG_SECRET_FILE")
        if secret_file:
            try:
                secret = Path(secret_file).read_text().strip()
            except OSError as exc:
                raise DnsUpdateError(f"SMSCHANNEL_DNS_TSIG_SECRET_FILE {secret_file}: {exc.strerror}") from None
        key = TsigKey(name, secret, env.get("SMSCHANNEL_DNS_TSIG_ALGORITHM", "") or "hmac-sha256")
        return DnsUpdater((host, port), key)


def parse_server(text: str) -> tuple[str, int]:
    """`host:port` (or `host`, port 53; `[v6]:port` for IPv6) as (host, port)."""
    host, port = text, "53"
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":") or "53"
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise DnsUpdateError(f"SMSCHANNEL_DNS_UPDATE_SERVER must be host:port, got {text!r}")
    return host, int(port)


__all__ = ["ALGORITHMS", "DnsUpdateError", "DnsUpdateSettings", "DnsUpdater", "TsigKey", "parse_server"]
