"""CRUD routes for one resource type, generated from its model: list, get, create, update, delete.

Objects live under `/v1/sandboxes/{sandbox}/{type}`; objects shared by every sandbox (subdomains)
under `/v1/shared/{type}`, where writing counts only with scopes granted on the production sandbox.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from fastapi.responses import JSONResponse

from smschannel.model import ResourceModel
from smschannel.registry.deps import ServicesDep, require_scope
from smschannel.scopes import PRODUCTION

Json = Annotated[dict[str, Any], Body()]


def object_router(model: type[ResourceModel]) -> APIRouter:
    stem = model.stem()
    read = require_scope(model.scope_for("read"), anywhere=model.shared)
    write = require_scope(model.scope_for("write"))
    delete = require_scope(model.scope_for("delete"))
    prefix = f"/v1/shared/{stem}" if model.shared else f"/v1/sandboxes/{{sandbox}}/{stem}"
    router = APIRouter(prefix=prefix, tags=[stem],
                       responses={401: {"description": "no token"}, 403: {"description": "missing scope"}})

    def sandbox_of(sandbox: str | None) -> str:
        return sandbox or PRODUCTION

    @router.get("", dependencies=[read], name="list")
    def list_objects(services: ServicesDep, sandbox: str | None = None) -> dict[str, Any]:
        with services.db.session() as session:
            data = services.list(session, sandbox_of(sandbox), model)
        return {"data": data, "count": len(data)}

    @router.get("/{object_id}", dependencies=[read], name="get")
    def get_object(object_id: str, services: ServicesDep, sandbox: str | None = None) -> dict[str, Any]:
        with services.db.session() as session:
            return services.get(session, sandbox_of(sandbox), model, object_id)

    @router.post("", dependencies=[write], status_code=201, name="create")
    def create_object(services: ServicesDep, body: Json, sandbox: str | None = None) -> dict[str, Any]:
        with services.db.session() as session:
            return services.create(session, sandbox_of(sandbox), model, body)

    @router.patch("/{object_id}", dependencies=[write], name="update")
    def update_object(object_id: str, services: ServicesDep, body: Json, sandbox: str | None = None) -> dict[str, Any]:
        with services.db.session() as session:
            return services.update(session, sandbox_of(sandbox), model, object_id, body)

    @router.delete("/{object_id}", dependencies=[delete], status_code=204, name="delete")
    def delete_object(object_id: str, services: ServicesDep, sandbox: str | None = None) -> Response:
        with services.db.session() as session:
            note = services.delete(session, sandbox_of(sandbox), model, object_id)
        if note:
            return JSONResponse({"deleted": object_id, "note": note})
        return Response(status_code=204)

    return router


__all__ = ["object_router"]
