"""The registry's settings: one object, read from arguments or `SMSCHANNEL_REGISTRY_*` variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from smschannel.errors import SmschannelError
from smschannel.model.provider_config import VendorEndpoints

if TYPE_CHECKING:
    from smschannel.dns.update import DnsUpdater


@dataclass(frozen=True)
class ReplySettings:
    """How the outbox sender delivers keyword replies (`SMSCHANNEL_REPLY_*` variables).

    A failed send is tried again after `retry_initial` seconds, doubling up to `retry_max` (longer when
    the vendor's `Retry-After` asks), until the reply is `max_age` seconds old: then it is marked
    expired. `workers` sends run at once per registry process. A process whose heartbeat is older than
    `stale_after` seconds is taken for dead: the replies it was sending are taken over, looked up at the
    vendor where it can tell, else sent again.
    """

    max_age: float = 86400.0
    retry_initial: float = 1.0
    retry_max: float = 300.0
    workers: int = 4
    stale_after: float = 15.0
    poll: float = 0.25

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ReplySettings:
        def number(name: str, default: float) -> float:
            raw = env.get(f"SMSCHANNEL_REPLY_{name}")
            if raw is None or raw == "":
                return default
            try:
                value = float(raw)
            except ValueError:
                raise SmschannelError(f"SMSCHANNEL_REPLY_{name} must be a number of seconds, got {raw!r}") from None
            if value <= 0:
                raise SmschannelError(f"SMSCHANNEL_REPLY_{name} must be more than 0, got {raw!r}")
            return value

        return cls(max_age=number("MAX_AGE", cls.max_age), retry_initial=number("RETRY_INITIAL", cls.retry_initial),
                   retry_max=number("RETRY_MAX", cls.retry_max), workers=int(number("WORKERS", cls.workers)),
                   stale_after=number("STALE_AFTER", cls.stale_after), poll=number("POLL", cls.poll))


@dataclass(frozen=True)
class RegistrySettings:
    """Where the registry keeps its data and how it reaches the vendors.

    `database`: a SQLite file path or an SQLAlchemy URL (`postgresql+psycopg://...`).
    `key_file`: the master key (secrets encryption and fingerprints); created on first start.
    `public_url`: the address vendors call for inbound messages (webhook `url`s start with it).
    """

    database: str
    key_file: Path
    public_url: str = "http://127.0.0.1:8600"
    vendors: VendorEndpoints = field(default_factory=VendorEndpoints)
    delegated_domains: tuple[str, ...] = ()
    """Parent domains delegated to smschannel: delegated subdomains live under them."""
    cname_target: str = "cname.smschannel.invalid"
    """Subdomains' CNAME records point to `<label>.<cname_target>`."""
    dns_nameservers: tuple[tuple[str, int], ...] | None = None
    """The resolver that checks CNAME records; None means the system's."""
    dns_update: DnsUpdater | None = None
    """Publishes and removes the CNAME records of delegated subdomains at the authoritative DNS server of
    the delegated domains (RFC 2136, signed with TSIG); None when smschannel does not publish them."""
    replies: ReplySettings = field(default_factory=lambda: ReplySettings())

    @property
    def database_url(self) -> str:
        if "://" in self.database:
            return self.database
        return f"sqlite:///{Path(self.database).resolve()}"

    @classmethod
    def in_dir(cls, state_dir: Path, **kwargs: object) -> RegistrySettings:
        """Settings that keep everything in one folder (SQLite database and key file)."""
        state_dir.mkdir(parents=True, exist_ok=True)
        return cls(database=str(state_dir / "registry.db"), key_file=state_dir / "registry.key", **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, *, database: str | None = None, key_file: str | None = None,
                 public_url: str | None = None) -> RegistrySettings:
        """The settings of `smschannel serve`, from `SMSCHANNEL_*` variables (see the README's table)."""
        from smschannel.dns.update import DnsUpdateSettings

        env = os.environ
        nameserver = env.get("SMSCHANNEL_DNS_NAMESERVER", "")  # host:port
        host, _, port = nameserver.rpartition(":")
        return cls(
            database=database or env.get("SMSCHANNEL_REGISTRY_DATABASE", "registry.db"),
            key_file=Path(key_file or env.get("SMSCHANNEL_REGISTRY_KEY_FILE", "registry.key")),
            public_url=(public_url or env.get("SMSCHANNEL_REGISTRY_PUBLIC_URL") or "http://127.0.0.1:8600").rstrip("/"),
            vendors=VendorEndpoints.resolve({}, env),
            delegated_domains=tuple(d for d in env.get("SMSCHANNEL_DELEGATED_DOMAINS", "").split(",") if d),
            cname_target=env.get("SMSCHANNEL_CNAME_TARGET", "cname.smschannel.invalid"),
            dns_nameservers=((host, int(port)),) if nameserver else None,
            dns_update=DnsUpdateSettings.from_env(env),
            replies=ReplySettings.from_env(env),
        )


__all__ = ["RegistrySettings", "ReplySettings"]
