"""Input limits every request meets before a route sees it: a body of at most `MAX_BODY_BYTES`, and JSON
nested at most `MAX_JSON_DEPTH` levels (a deeper document would exhaust Python's recursion while being
parsed). Limits per attribute are the models' and the routes' own."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1_000_000
MAX_JSON_DEPTH = 32


def json_depth(body: bytes) -> int:
    """How deeply a JSON document nests arrays and objects (brackets inside strings do not count)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot nest deeper than the brackets it has
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def problem(body: bytes, content_type: str) -> tuple[int, str] | None:
    """Why a request body is refused (status and one line), or None."""
    if len(body) > MAX_BODY_BYTES:
        return 413, f"the request body is larger than {MAX_BODY_BYTES} bytes"
    if "json" not in content_type:
        return None
    if json_depth(body) > MAX_JSON_DEPTH:
        return 400, f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels"
    return None


class LimitsMiddleware:
    """Reads each request body once (refusing it past the size limit without reading on) and checks it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await _refuse(send, 413, f"the request body is larger than {MAX_BODY_BYTES} bytes")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refused = problem(body, headers.get("content-type", ""))
        if refused is not None:
            await _refuse(send, *refused)
            return
        replay: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

        async def replayed() -> Message:
            return replay.pop() if replay else await receive()

        await self.app(scope, replayed, send)


async def _refuse(send: Send, status: int, detail: str) -> None:
    payload = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})


__all__ = ["MAX_BODY_BYTES", "MAX_JSON_DEPTH", "LimitsMiddleware", "json_depth", "problem"]
