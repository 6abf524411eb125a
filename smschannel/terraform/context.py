"""What one provider process knows during a Terraform run: its settings, the registry client and the
caches that make reads bulk (one list call per object type), fetched lazily and thread-safely."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from smschannel.errors import RegistryNotFound
from smschannel.model.base import attribute_specs
from smschannel.model.provider_config import ProviderConfigModel, VendorEndpoints
from smschannel.registry_client import RegistryClient
from smschannel.scopes import PRODUCTION

T = TypeVar("T")


@dataclass(frozen=True)
class ProviderSettings:
    endpoint: str
    token: str | None
    sandbox: str
    vendors: VendorEndpoints

    @classmethod
    def resolve(cls, config: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> ProviderSettings:
        """Each setting from the provider block, else from its `SMSCHANNEL_*` variable."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in attribute_specs(ProviderConfigModel):
            value = config.get(spec.name)
            if value is None and spec.env:
                value = env.get(spec.env) or None
            values[spec.name] = value
        return cls(
            endpoint=values["endpoint"] or "",
            token=values["token"],
            sandbox=values["sandbox"] or PRODUCTION,
            vendors=VendorEndpoints.resolve(values, env),
        )


@dataclass
class ProviderContext:
    """Per-run state. `reset()` on every ConfigureProvider (a reattached provider serves many runs)."""

    settings: ProviderSettings
    _registry: RegistryClient | None = None
    _lists: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _stem_locks: dict[str, threading.Lock] = field(default_factory=dict)

    @property
    def registry(self) -> RegistryClient:
        with self._lock:
            if self._registry is None:
                self._registry = RegistryClient(self.settings.endpoint, self.settings.token,
                                                sandbox=self.settings.sandbox)
            return self._registry

    def objects(self, stem: str) -> dict[str, dict[str, Any]]:
        """Every object of one type in the sandbox, by ID: one list call per type per run."""
        with self._lock:
            lock = self._stem_locks.setdefault(stem, threading.Lock())
        with lock:
            if stem not in self._lists:
                self._lists[stem] = {o["id"]: o for o in self.registry.list(stem)}
            return self._lists[stem]

    def lookup(self, stem: str, object_id: str) -> dict[str, Any] | None:
        """One object by ID: from the bulk list when it is there, else asked for directly (a list
        fetched while the object was being created in the same run may not hold it yet)."""
        found = self.objects(stem).get(object_id)
        if found is not None:
            return found
        try:
            found = self.registry.get(stem, object_id)
        except RegistryNotFound:
            return None
        self.remember(stem, found)
        return found

    def remember(self, stem: str, obj: dict[str, Any] | None, object_id: str | None = None) -> None:
        """Keep the cache true after a write (None forgets a deleted object)."""
        with self._lock:
            cached = self._lists.get(stem)
            if cached is None:
                return
            if obj is None:
                cached.pop(object_id or "", None)
            else:
                cached[obj["id"]] = obj

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """Compute once per run (the fingerprint key, the token's grants, a vendor verification)."""
        with self._lock:
            if key in self._memo:
                value: T = self._memo[key]
                return value
        value = compute()
        with self._lock:
            self._memo[key] = value
        return value

    def fingerprint_key(self) -> bytes:
        return self.memo("fingerprint_key", self.registry.fingerprint_key)

    def grants(self) -> dict[str, list[str]]:
        grants: dict[str, list[str]] = self.memo("grants", lambda: self.registry.whoami()["grants"])
        return grants


__all__ = ["ProviderContext", "ProviderSettings"]
