"""A local Echo SMS API: one account, its numbers and their webhooks, and an outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class EchoState:
    api_key: str = "echo-key-0123456789"
    numbers: dict[str, str] = field(default_factory=lambda: {"+14155550188": "https://before.example/hook"})
    outbox: list[dict[str, Any]] = field(default_factory=list)


def create_echo_app(state: EchoState) -> Starlette:
    def authorized(request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {state.api_key}"

    def refused() -> JSONResponse:
        return JSONResponse({"error": "unauthorized", "message": "unknown API key"}, status_code=401)

    async def account(request: Request) -> JSONResponse:
        return JSONResponse({"numbers": sorted(state.numbers)}) if authorized(request) else refused()

    async def number(request: Request) -> JSONResponse:
        if not authorized(request):
            return refused()
        found = request.path_params["number"]
        if found not in state.numbers:
            return JSONResponse({"error": "not_found", "message": f"no number {found}"}, status_code=404)
        if request.method == "PUT":
            state.numbers[found] = (await request.json())["webhook"]
        return JSONResponse({"number": found, "webhook": state.numbers[found]})

    async def messages(request: Request) -> JSONResponse:
        if not authorized(request):
            return refused()
        message = {"id": f"echo-msg-{len(state.outbox) + 1}", **(await request.json())}
        state.outbox.append(message)
        return JSONResponse(message, status_code=201)

    return Starlette(routes=[Route("/account", account), Route("/numbers/{number}", number, methods=["GET", "PUT"]),
                             Route("/messages", messages, methods=["POST"])])


__all__ = ["EchoState", "create_echo_app"]
