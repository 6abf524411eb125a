"""Scopes a token may carry, and which scope an action on an object type needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

ALL_SCOPES = (
    "sms_settings.read",
    "sms_settings.write",
    "channel_configurations.read",
    "channel_configurations.write",
    "sms_subdomains.read",
    "sms_subdomains.write",
    "sms_subdomains.delete",
    "consent.read",
    "audit.read",
)
PRODUCTION = "prod"
PRODUCTION_ONLY = frozenset({"sms_subdomains.write", "sms_subdomains.delete"})
"""Scopes that count only when granted on the production sandbox."""

Grants = Mapping[str, Sequence[str]]
"""Scopes per sandbox name; the key `*` grants on every sandbox."""


def has_scope(grants: Grants, sandbox: str, scope: str) -> bool:
    where = PRODUCTION if scope in PRODUCTION_ONLY else sandbox
    return scope in grants.get(where, ()) or scope in grants.get("*", ())


def needed(family: str, action: str) -> str:
    """`needed("sms_settings", "write")` -> `sms_settings.write`."""
    return f"{family}.{action}"


def missing_scope_message(scope: str, sandbox: str) -> str:
    where = PRODUCTION if scope in PRODUCTION_ONLY else sandbox
    extra = " (this scope counts only when granted on the production sandbox)" if scope in PRODUCTION_ONLY else ""
    return f"the token lacks the scope {scope} on sandbox {where}{extra}"


__all__ = ["ALL_SCOPES", "PRODUCTION", "PRODUCTION_ONLY", "Grants", "has_scope", "missing_scope_message", "needed"]
