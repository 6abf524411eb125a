"""The registry's settings: one object, read from arguments or `SMSCHANNEL_REGISTRY_*` variables."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from smschannel.model.provider_config import VendorEndpoints


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
    dns_publish: Callable[[str, str], None] | None = None
    """Publishes a CNAME (name, target) in a delegated domain; None when smschannel does not host them."""
    dns_remove: Callable[[str], None] | None = None

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
        )


__all__ = ["RegistrySettings"]
