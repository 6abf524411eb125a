"""`smschannel inbound simulate`: find the webhook by name and ask the registry to post a message to it
as its vendor would (the registry holds the secrets a vendor's signature needs)."""

from __future__ import annotations

import os
from typing import Any

from smschannel.errors import SmschannelError
from smschannel.registry_client import RegistryClient
from smschannel.scopes import PRODUCTION


def client_from_env() -> RegistryClient:
    endpoint = os.environ.get("SMSCHANNEL_ENDPOINT")
    if not endpoint:
        raise SmschannelError("SMSCHANNEL_ENDPOINT is not set: it names the registry (and SMSCHANNEL_TOKEN its token)")
    return RegistryClient(endpoint, os.environ.get("SMSCHANNEL_TOKEN"),
                          sandbox=os.environ.get("SMSCHANNEL_SANDBOX") or PRODUCTION)


def simulate(webhook: str, profile_number: str, text: str, *, client: RegistryClient | None = None) -> dict[str, Any]:
    registry = client or client_from_env()
    try:
        hooks = registry.list("webhook")
        found = [w for w in hooks if webhook in (w["name"], w["id"])]
        if not found:
            names = ", ".join(sorted(w["name"] for w in hooks)) or "none"
            raise SmschannelError(f"no webhook named {webhook} in sandbox {registry.sandbox} (webhooks: {names})")
        result: dict[str, Any] = registry.raw(
            "POST", f"/v1/sandboxes/{registry.sandbox}/webhook/{found[0]['id']}/simulate",
            json={"from": profile_number, "text": text})
        return result
    finally:
        if client is None:
            registry.close()


__all__ = ["client_from_env", "simulate"]
