"""What every emulator shares beyond its vendor API: fault injection, a request journal, and the
admin surface under `/_emulator/` (not part of any vendor's API).

    GET    /_emulator/outbox     {"messages": [...]}: what the emulator "sent"
    GET    /_emulator/requests   {"requests": [{"method", "path", "query"}, ...]}: vendor calls seen
    POST   /_emulator/faults     {"status": 429, "count": 2, "retry_after": "1", "delay": 0, "path": "/v1",
                                  "answer_delay": 0}
    DELETE /_emulator/faults     clear pending faults and the journal

A fault answers the next `count` vendor calls (whose path starts with `path`, if given) with
`status` and the vendor's own error body, after waiting `delay` seconds; with no `status` the call
goes through after the delay (to test timeouts), and with `answer_delay` the vendor acts at once but
answers that much later (a send accepted, its answer slow: a crash meanwhile leaves it unrecorded).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ADMIN_PREFIX = "/_emulator"

ErrorBody = Callable[[int], dict[str, Any]]


@dataclass(frozen=True)
class Fault:
    """What to do to one vendor call: wait `delay` seconds, then answer `status` (None: answer normally)."""

    status: int | None = 503
    retry_after: str | None = None
    delay: float = 0.0
    path: str | None = None
    answer_delay: float = 0.0
    """With no `status`: act on the call at once, then wait this long before answering (a vendor that
    has accepted a message but is slow to say so)."""


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str


class Faults:
    """Pending faults, consumed in order by matching calls. Thread-safe."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault, *, count: int = 1) -> None:
        with self._lock:
            self._pending.extend([fault] * count)

    def take(self, path: str) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self._pending):
                if fault.path is None or path.startswith(fault.path):
                    return self._pending.pop(index)
        return None

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)


class Journal:
    """The vendor calls an emulator received, in order. Thread-safe."""

    def __init__(self) -> None:
        self._entries: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def record(self, entry: RecordedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Control:
    """An emulator's faults and journal, plus how its vendor shapes error bodies."""

    def __init__(self, error_body: ErrorBody) -> None:
        self.faults = Faults()
        self.journal = Journal()
        self.error_body = error_body


class ControlMiddleware:
    """Journal every vendor call and apply pending faults before the vendor routes see it."""

    def __init__(self, app: ASGIApp, *, control: Control) -> None:
        self.app = app
        self.control = control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        self.control.journal.record(
            RecordedRequest(method=scope["method"], path=path, query=scope["query_string"].decode("latin-1"))
        )
        fault = self.control.faults.take(path)
        if fault is not None:
            # Read the whole request first: a vendor that answers slowly has still received the call,
            # and acts on it even when the client has given up waiting.
            receive = await _buffered(receive)
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status is not None:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
                response = JSONResponse(self.control.error_body(fault.status), fault.status, headers=headers)
                await response(scope, receive, send)
                return
            if fault.answer_delay:
                send = _delayed(send, fault.answer_delay)
        await self.app(scope, receive, send)


def _delayed(send: Send, seconds: float) -> Send:
    """A `send` that holds the answer back for `seconds` (the call has been acted on already)."""

    async def delayed(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(seconds)
        await send(message)

    return delayed


async def _buffered(receive: Receive) -> Receive:
    """Read the request body now; return a `receive` that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    replay: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

    async def replayed() -> Message:
        return replay.pop() if replay else await receive()

    return replayed


def admin_routes(control: Control, outbox: Callable[[], list[dict[str, Any]]]) -> list[Route]:
    """The `/_emulator/...` routes of one emulator; `outbox` lists what it has sent, as JSON."""

    async def read_outbox(request: Request) -> Response:
        return JSONResponse({"messages": outbox()})

    async def read_requests(request: Request) -> Response:
        return JSONResponse({"requests": [asdict(e) for e in control.journal.entries()]})

    async def add_fault(request: Request) -> Response:
        try:
            spec = json.loads(await request.body() or b"{}")
            status = spec.get("status", 503)
            fault = Fault(
                status=None if status is None else int(status),
                retry_after=None if spec.get("retry_after") is None else str(spec["retry_after"]),
                delay=float(spec.get("delay", 0.0)),
                path=spec.get("path"),
                answer_delay=float(spec.get("answer_delay", 0.0)),
            )
            count = int(spec.get("count", 1))
        except (ValueError, TypeError, AttributeError) as exc:
            return JSONResponse({"detail": f"invalid fault: {exc}"}, 400)
        control.faults.add(fault, count=count)
        return Response(status_code=204)

    async def clear_faults(request: Request) -> Response:
        control.faults.clear()
        control.journal.clear()
        return Response(status_code=204)

    return [
        Route(f"{ADMIN_PREFIX}/outbox", read_outbox, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/requests", read_requests, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/faults", add_fault, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/faults", clear_faults, methods=["DELETE"]),
    ]
