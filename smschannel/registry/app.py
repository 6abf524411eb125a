"""The registry's FastAPI application: `create_app(settings)` only wires routers, handlers, the metrics
and the outbox sender (started and stopped with the app)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from smschannel.model import RESOURCES
from smschannel.registry import bodies, outbox
from smschannel.registry.limits import LimitsMiddleware
from smschannel.registry.metrics import Metrics
from smschannel.registry.routes import audit, inbound, meta
from smschannel.registry.routes.objects import object_router
from smschannel.registry.service import Refused, Services
from smschannel.registry.settings import RegistrySettings


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def _count(app: FastAPI) -> None:
    app.state.requests += 1


class _Measured:
    """Counts requests and observes their latency by route template (a plain ASGI middleware: cheaper
    than `@app.middleware`)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, count: Callable[[], None]) -> None:
        self.app = app
        self.metrics = metrics
        self.count = count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.count()
        start = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            template = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.latency.labels(scope["method"], template).observe(time.perf_counter() - start)


def create_app(settings: RegistrySettings, *, services: Services | None = None, sender: bool = True) -> FastAPI:
    """The registry. `sender=False` leaves the outbox to other processes (tests of the outbox itself)."""
    running = services or Services.start(settings)

    def backlog() -> outbox.Backlog:
        with running.db.session() as session:
            return outbox.backlog(session)

    running.metrics.watch_outbox(backlog)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        delivering = outbox.Sender(running, settings=settings.replies, on_outcome=running.metrics.reply_outcome)
        if sender:
            delivering.start()
            running.reply_queued = delivering.wake
        app.state.sender = delivering
        try:
            yield
        finally:
            if sender:
                delivering.stop()

    app = FastAPI(title="smschannel registry", generate_unique_id_function=_operation_id, lifespan=lifespan)
    app.state.services = running
    app.state.requests = 0

    app.add_middleware(_Measured, metrics=running.metrics, count=lambda: _count(app))

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)

    app.add_middleware(LimitsMiddleware)
    app.include_router(meta.router)
    app.include_router(meta.metrics_router)
    app.include_router(inbound.router)
    app.include_router(audit.router)
    for model in RESOURCES:
        app.include_router(object_router(model))
    bodies.install(app)
    return app


__all__ = ["create_app"]
