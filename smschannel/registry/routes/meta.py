"""Routes about the caller and the registry: who am I, and the key plans fingerprint secrets with."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from smschannel.registry.deps import CallerDep, ServicesDep
from smschannel.registry.metrics import CONTENT_TYPE

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
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", name="ready", include_in_schema=False)
def ready(services: ServicesDep) -> JSONResponse:
    """Readiness: 503 while the database cannot be reached (a load balancer then sends no traffic here)."""
    try:
        with services.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        reason = (str(cause).splitlines() or [type(cause).__name__])[0][:200]
        return JSONResponse({"status": "unavailable", "detail": f"the database cannot be reached: {reason}"}, 503)
    return JSONResponse({"status": "ready"})


metrics_router = APIRouter(tags=["meta"])


@metrics_router.get("/metrics", name="metrics", include_in_schema=False)
def metrics(services: ServicesDep) -> Response:
    """Prometheus metrics: inbound requests and decisions, the outbox, replies by vendor, latency."""
    return Response(services.metrics.render(), media_type=CONTENT_TYPE)
