"""CRUD routes for one resource type, generated from its model: list, get, create, update, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from smschannel.model import ResourceModel
from smschannel.registry import storage
from smschannel.registry.deps import ServicesDep, require_scope
from smschannel.registry.service import public


def object_router(model: type[ResourceModel]) -> APIRouter:
    stem = model.stem()
    read = require_scope(f"{model.scope}.read")
    write = require_scope(f"{model.scope}.write")
    router = APIRouter(prefix=f"/v1/sandboxes/{{sandbox}}/{stem}", tags=[stem],
                       responses={401: {"description": "no token"}, 403: {"description": "missing scope"}})

    @router.get("", dependencies=[read], name="list")
    def list_objects(sandbox: str, services: ServicesDep) -> dict[str, Any]:
        with services.db.session() as session:
            data = [public(row) for row in storage.list_objects(session, sandbox, stem)]
        return {"data": data, "count": len(data)}

    @router.get("/{object_id}", dependencies=[read], name="get")
    def get_object(sandbox: str, object_id: str, services: ServicesDep) -> dict[str, Any]:
        with services.db.session() as session:
            return public(services.get_row(session, sandbox, model, object_id))

    @router.post("", dependencies=[write], status_code=201, name="create")
    def create_object(sandbox: str, services: ServicesDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        with services.db.session() as session:
            return services.create(session, sandbox, model, body)

    @router.patch("/{object_id}", dependencies=[write], name="update")
    def update_object(
        sandbox: str, object_id: str, services: ServicesDep, body: Annotated[dict[str, Any], Body()]
    ) -> dict[str, Any]:
        with services.db.session() as session:
            return services.update(session, sandbox, model, object_id, body)

    @router.delete("/{object_id}", dependencies=[write], status_code=204, name="delete")
    def delete_object(sandbox: str, object_id: str, services: ServicesDep) -> Response:
        with services.db.session() as session:
            services.delete(session, sandbox, model, object_id)
        return Response(status_code=204)

    return router


__all__ = ["object_router"]
