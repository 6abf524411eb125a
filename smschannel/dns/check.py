"""Is an SMS subdomain's CNAME published? One real DNS lookup, through the system resolver or given
nameservers, turned into the subdomain's `status` and a reason a person can act on.

dnspython's resolver is imported on the first check, so importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import dns.name
    import dns.resolver

CnameState = Literal["success", "processing", "failed"]


@dataclass(frozen=True)
class CnameStatus:
    """`status` of the lookup and why: `success` (the CNAME points where it should), `processing`
    (no CNAME to be seen yet), `failed` (a CNAME that points elsewhere)."""

    status: CnameState
    reason: str


def check_cname(
    name: str, expected: str, *, nameservers: list[tuple[str, int]] | None = None, timeout: float = 2.0
) -> CnameStatus:
    """Look up the CNAME of `name` and compare it with `expected` (case-insensitive, final dots
    ignored). `nameservers` are `(ip, port)` pairs tried in order; None uses the system resolver.
    `timeout` bounds the whole lookup, in seconds. Raises ValueError for a name that is not one."""
    import dns.exception
    import dns.rdatatype
    import dns.resolver

    qname = _name(name, "name")
    target = _name(expected, "expected")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout}")
    shown, wanted = _show(qname), _show(target)
    publish = f"publish {shown} CNAME {wanted}"

    try:
        resolver = _resolver(nameservers)
    except dns.resolver.NoResolverConfiguration:
        return CnameStatus("processing", f"cannot look up {shown}: no DNS resolver is configured on this host; "
                                         f"{publish} and configure a resolver")
    resolver.timeout = timeout
    resolver.lifetime = timeout
    try:
        answer = resolver.resolve(qname, dns.rdatatype.CNAME, search=False, raise_on_no_answer=True)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return CnameStatus("processing", f"no CNAME record for {shown} yet: {publish}")
    except dns.exception.Timeout:
        return CnameStatus("processing", f"no CNAME record for {shown} yet (the DNS lookup timed out after "
                                         f"{timeout:g}s): {publish}")
    except dns.resolver.NoNameservers as exc:
        return CnameStatus("processing", f"no CNAME record for {shown} yet (no DNS server answered: "
                                         f"{_server_errors(exc.kwargs.get('errors', []))}): {publish}")
    except dns.exception.DNSException as exc:
        return CnameStatus("processing", f"no CNAME record for {shown} yet (the DNS lookup failed: {exc}): {publish}")

    targets: list[dns.name.Name] = [rdata.target for rdata in answer]
    if any(found == target for found in targets):  # dns.name equality ignores case
        return CnameStatus("success", f"{shown} is a CNAME for {wanted}")
    pointed = ", ".join(sorted(_show(found) for found in targets))
    return CnameStatus("failed", f"{shown} is a CNAME for {pointed}, expected {wanted}")


def _resolver(nameservers: list[tuple[str, int]] | None) -> dns.resolver.Resolver:
    import dns.inet
    import dns.nameserver
    import dns.resolver

    if nameservers is None:
        return dns.resolver.Resolver(configure=True)
    if not nameservers:
        raise ValueError("nameservers is empty: give at least one (ip, port), or None for the system resolver")
    servers: list[str | dns.nameserver.Nameserver] = []
    for host, port in nameservers:
        if not dns.inet.is_address(host):
            raise ValueError(f"nameserver {host!r} is not an IP address")
        if not 0 < port <= 65535:
            raise ValueError(f"nameserver port {port} is not between 1 and 65535")
        servers.append(dns.nameserver.Do53Nameserver(host, port))
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = servers
    resolver.retry_servfail = False
    return resolver


def _name(text: str, what: str) -> dns.name.Name:
    import dns.exception
    import dns.name

    stripped = text.strip()
    if not stripped or stripped == ".":
        raise ValueError(f"{what} must be a domain name, not {text!r}")
    try:
        return dns.name.from_text(stripped)
    except dns.exception.DNSException as exc:
        raise ValueError(f"{what} {text!r} is not a valid domain name: {exc}") from None


def _show(name: dns.name.Name) -> str:
    import dns.exception

    try:
        return name.canonicalize().to_unicode(omit_final_dot=True)
    except dns.exception.DNSException:  # an xn-- label that is not valid punycode
        return name.canonicalize().to_text(omit_final_dot=True)


def _server_errors(errors: list[tuple[Any, ...]]) -> str:
    """dnspython's per-server errors, as `127.0.0.1:5353 answered REFUSED; ...`."""
    texts: list[str] = []
    for error in errors:
        server, _tcp, port, problem = error[:4]
        address = str(server).split(":", 1)[-1].rsplit("@", 1)[0]  # "Do53:127.0.0.1@5353" -> "127.0.0.1"
        where = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        if isinstance(problem, str):
            text = f"{where} answered {problem}"
        else:
            text = f"{where}: {problem or type(problem).__name__}"
        if text not in texts:
            texts.append(text)
    return "; ".join(texts) or "no server to ask"


__all__ = ["CnameState", "CnameStatus", "check_cname"]
