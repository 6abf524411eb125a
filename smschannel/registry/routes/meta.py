"""Routes about the caller and the registry: who am I, and the key plans fingerprint secrets with."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from smschannel.registry.deps import CallerDep, ServicesDep

router = APIRouter(prefix="/v1", tags=["meta"])


@router.get("/whoami", name="whoami")
def whoami(caller: CallerDep) -> dict[str, Any]:
    return {"name": caller.name, "grants": {k: list(v) for k, v in caller.grants.items()}}


@router.get("/meta", name="meta")
def meta(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """The fingerprint key: any valid token may read it, so plans can show a rotated secret."""
    from smschannel import __version__

    return {"version": __version__, "fingerprint_key": services.box.fingerprint_key.hex()}


@router.get("/healthz", name="health", include_in_schema=False)
def health() -> dict[str, str]:
    return {"status": "ok"}
