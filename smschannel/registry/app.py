"""The registry's FastAPI application: `create_app(settings)` only wires routers and handlers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from smschannel.model import RESOURCES
from smschannel.registry.routes import inbound, meta
from smschannel.registry.routes.objects import object_router
from smschannel.registry.service import Refused, Services
from smschannel.registry.settings import RegistrySettings


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: RegistrySettings, *, services: Services | None = None) -> FastAPI:
    app = FastAPI(title="smschannel registry", generate_unique_id_function=_operation_id)
    app.state.services = services or Services.start(settings)
    app.state.requests = 0

    @app.middleware("http")
    async def count_requests(request: Request, call_next):  # type: ignore[no-untyped-def]
        app.state.requests += 1
        return await call_next(request)

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)

    app.include_router(meta.router)
    app.include_router(inbound.router)
    for model in RESOURCES:
        app.include_router(object_router(model))
    return app


__all__ = ["create_app"]
