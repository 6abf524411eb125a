"""CRUD routes for one resource type, generated from its model: list, get, create, update, delete.

Objects live under `/v1/sandboxes/{sandbox}/{type}`; objects shared by every sandbox (subdomains)
under `/v1/shared/{type}`, where writing counts only with scopes granted on the production sandbox.
Request bodies are documented per type (`bodies.py`, from the model); every change is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from smschannel.model import ResourceModel
from smschannel.registry import audit
from smschannel.registry.bodies import body_ref
from smschannel.registry.deps import Caller, ServicesDep, require_scope
from smschannel.registry.service import where_stored
from smschannel.scopes import PRODUCTION


async def json_body(request: Request) -> Any:
    """The request's JSON (read here, checked by the service, so refusals name the attribute)."""
    try:
        return await request.json()
    except ValueError:
        raise HTTPException(400, "the request body is not JSON") from None


Json = Annotated[Any, Depends(json_body)]


def _request_body(model: type[ResourceModel], use: str) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": body_ref(model, use)}}}}


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

    def author(request: Request, caller: Caller) -> audit.Author:
        return audit.Author.from_headers(caller.name, request.headers)

    @router.get("", dependencies=[read], name="list")
    def list_objects(services: ServicesDep, sandbox: str | None = None) -> dict[str, Any]:
        with services.db.session() as session:
            data = services.list(session, sandbox_of(sandbox), model)
        return {"data": data, "count": len(data)}

    @router.get("/{object_id}", dependencies=[read], name="get")
    def get_object(object_id: str, services: ServicesDep, sandbox: str | None = None) -> dict[str, Any]:
        with services.db.session() as session:
            return services.get(session, sandbox_of(sandbox), model, object_id)

    @router.post("", status_code=201, name="create", openapi_extra=_request_body(model, "create"))
    def create_object(request: Request, services: ServicesDep, body: Json, caller: Caller = write,
                      sandbox: str | None = None) -> dict[str, Any]:
        where = sandbox_of(sandbox)
        with services.db.session() as session:
            created = services.create(session, where, model, body)
            audit.record(session, author(request, caller), sandbox=where_stored(model, where), action="create",
                         object_type=stem, object_id=created["id"], before=None, after=created)
        return created

    @router.patch("/{object_id}", name="update", openapi_extra=_request_body(model, "update"))
    def update_object(request: Request, object_id: str, services: ServicesDep, body: Json,
                      caller: Caller = write, sandbox: str | None = None) -> dict[str, Any]:
        where = sandbox_of(sandbox)
        with services.db.session() as session:
            before = services.peek(session, where, model, object_id)
            updated = services.update(session, where, model, object_id, body)
            if before != updated:
                audit.record(session, author(request, caller), sandbox=where_stored(model, where), action="update",
                             object_type=stem, object_id=object_id, before=before, after=updated)
        return updated

    @router.delete("/{object_id}", status_code=204, name="delete")
    def delete_object(request: Request, object_id: str, services: ServicesDep, caller: Caller = delete,
                      sandbox: str | None = None) -> Response:
        where = sandbox_of(sandbox)
        with services.db.session() as session:
            before = services.peek(session, where, model, object_id)
            note = services.delete(session, where, model, object_id)
            audit.record(session, author(request, caller), sandbox=where_stored(model, where), action="delete",
                         object_type=stem, object_id=object_id, before=before, after=None)
        if note:
            return JSONResponse({"deleted": object_id, "note": note})
        return Response(status_code=204)

    return router


__all__ = ["json_body", "object_router"]
