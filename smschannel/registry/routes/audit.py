"""The audit trail, read with its own scope (`audit.read`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from smschannel.registry import audit
from smschannel.registry.deps import ServicesDep, require_scope

router = APIRouter(tags=["audit"])


@router.get("/v1/sandboxes/{sandbox}/audit", name="audit", dependencies=[require_scope("audit.read")])
def read_audit(sandbox: str, services: ServicesDep,
               object_id: Annotated[str | None, Query(max_length=200)] = None,
               after: Annotated[int, Query(ge=0, le=2**62, description="Entries after this ID (a cursor).")] = 0,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """Every change to the sandbox (and to the objects every sandbox shares), oldest first: who, what
    (before and after; secrets only as fingerprints), when, and from which run and change reference."""
    with services.db.session() as session:
        data = audit.entries(session, sandbox, object_id=object_id, after_id=after, limit=limit)
    return {"data": data, "count": len(data), "next": data[-1]["id"] if len(data) == limit else None}


__all__ = ["router"]
