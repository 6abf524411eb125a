"""The registry's settings: one object, read from arguments or `SMSCHANNEL_REGISTRY_*` variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from smschannel.vendor_checks import VendorEndpoints


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

    @property
    def database_url(self) -> str:
        if "://" in self.database:
            return self.database
        return f"sqlite:///{Path(self.database).resolve()}"

    @classmethod
    def in_dir(cls, state_dir: Path, *, public_url: str = "http://127.0.0.1:8600",
               vendors: VendorEndpoints | None = None) -> RegistrySettings:
        """Settings that keep everything in one folder (SQLite database and key file)."""
        state_dir.mkdir(parents=True, exist_ok=True)
        return cls(
            database=str(state_dir / "registry.db"),
            key_file=state_dir / "registry.key",
            public_url=public_url,
            vendors=vendors or VendorEndpoints(),
        )

    @classmethod
    def from_env(cls, *, database: str | None = None, key_file: str | None = None) -> RegistrySettings:
        env = os.environ
        return cls(
            database=database or env.get("SMSCHANNEL_REGISTRY_DATABASE", "registry.db"),
            key_file=Path(key_file or env.get("SMSCHANNEL_REGISTRY_KEY_FILE", "registry.key")),
            public_url=env.get("SMSCHANNEL_REGISTRY_PUBLIC_URL", "http://127.0.0.1:8600"),
            vendors=VendorEndpoints(
                twilio=env.get("SMSCHANNEL_TWILIO_URL") or None,
                twilio_messaging=env.get("SMSCHANNEL_TWILIO_MESSAGING_URL") or None,
                sinch=env.get("SMSCHANNEL_SINCH_URL") or None,
            ),
        )


__all__ = ["RegistrySettings"]
