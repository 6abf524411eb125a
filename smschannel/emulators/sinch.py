"""A local Sinch SMS API (XMS v1) answering the calls smschannel makes.

    GET  /xms/v1/{service_plan_id}/batches   (page, page_size, from, start_date):
                                             {"page", "page_size", "count", "batches"}
    POST /xms/v1/{service_plan_id}/batches   {"from", "to", "body", "callback_url", ...} -> 201 and the batch
    GET  /xms/v1/{service_plan_id}/batches/{batch_id}   the batch (404 when the plan has none of that ID)

Auth is `Authorization: Bearer <token>` of the service plan; a wrong token or an unknown plan
answers 401 with Sinch's error shape `{"code": ..., "text": ...}`. Shapes follow
tests/contracts/sinch_sms.subset.json; tests/emulators/test_vendor_sdks.py drives it with the official
`sinch` SDK. One app serves every region: the region only picks the host, so point
`SinchClient(base_url=...)` at the emulator.
"""

from __future__ import annotations

import hmac
import json
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ._control import ControlMiddleware, admin_routes
from .sinch_state import SinchServicePlan, SinchState, iso_time, sinch_error_body


def _error(status: int, code: str, text: str) -> JSONResponse:
    return JSONResponse(sinch_error_body(status, code=code, text=text), status)


def _int(value: str | None, default: int) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return None


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def create_sinch_app(state: SinchState) -> ASGIApp:
    """The local Sinch SMS API as an ASGI app serving `state`."""

    def authenticate(request: Request) -> SinchServicePlan | JSONResponse:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        plan = state.plans.get(request.path_params["plan"])
        if (
            scheme.lower() != "bearer"
            or plan is None
            or not hmac.compare_digest(plan.api_token, token.strip())
        ):
            return _error(401, "unauthorized", "Unauthorized")
        return plan

    async def list_batches(request: Request) -> Response:
        plan = authenticate(request)
        if isinstance(plan, Response):
            return plan
        page = _int(request.query_params.get("page"), 0)
        size = _int(request.query_params.get("page_size"), 30)
        if page is None or page < 0 or size is None or not 1 <= size <= 100:
            return _error(
                400, "syntax_invalid_parameter_format", "page must be 0 or more, page_size 1 to 100"
            )
        batches = list(reversed(state.batches(plan.id)))
        # Sinch's filters: `from` (the sender) and `start_date` (ISO-8601; Sinch's default is 24 hours ago).
        sender = request.query_params.get("from")
        if sender:
            batches = [b for b in batches if b.get("from") == sender]
        start = _when(request.query_params.get("start_date"))
        if request.query_params.get("start_date") and start is None:
            return _error(400, "syntax_invalid_parameter_format", "start_date must be an ISO-8601 date-time")
        since = start or datetime.now(UTC) - timedelta(hours=24)
        batches = [b for b in batches if (_when(b["created_at"]) or since) >= since]
        chunk = batches[page * size : (page + 1) * size]
        return JSONResponse({"page": page, "page_size": len(chunk), "count": len(batches), "batches": chunk})

    async def send_batch(request: Request) -> Response:
        plan = authenticate(request)
        if isinstance(plan, Response):
            return plan
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, "syntax_invalid_json", "The JSON of the request body is invalid")
        if not isinstance(body, dict):
            return _error(400, "syntax_invalid_json", "The request body must be a JSON object")
        to, text = body.get("to"), body.get("body")
        if not isinstance(to, list) or not to or not all(isinstance(r, str) and r for r in to):
            return _error(
                400, "syntax_constraint_violation", "to must hold 1 to 1000 phone numbers or group IDs"
            )
        if not isinstance(text, str):
            return _error(400, "syntax_constraint_violation", "body is required")
        now = datetime.now(UTC)
        batch: dict[str, Any] = {
            "id": state.new_batch_id(),
            "to": to,
            "from": body.get("from") or (plan.numbers[0] if plan.numbers else ""),
            "canceled": False,
            "body": text,
            "type": body.get("type", "mt_text"),
            "created_at": iso_time(now),
            "modified_at": iso_time(now),
            "delivery_report": body.get("delivery_report", "none"),
            "expire_at": iso_time(now + timedelta(days=3)),
            "flash_message": bool(body.get("flash_message", False)),
        }
        for optional in ("client_reference", "callback_url"):
            if isinstance(body.get(optional), str):
                batch[optional] = body[optional]
        with state.lock:
            state.outbox.append({**batch, "service_plan_id": plan.id})
        return JSONResponse(batch, 201)

    async def get_batch(request: Request) -> Response:
        plan = authenticate(request)
        if isinstance(plan, Response):
            return plan
        wanted = request.path_params["batch_id"]
        found = next((b for b in state.batches(plan.id) if b["id"] == wanted), None)
        if found is None:
            return _error(404, "not_found", f"Batch {wanted} could not be found")
        return JSONResponse(found)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        return _error(
            status, "not_found" if status == 404 else "method_not_allowed", HTTPStatus(status).phrase
        )

    routes = [
        Route("/xms/v1/{plan}/batches", list_batches, methods=["GET"]),
        Route("/xms/v1/{plan}/batches", send_batch, methods=["POST"]),
        Route("/xms/v1/{plan}/batches/{batch_id}", get_batch, methods=["GET"]),
        *admin_routes(state.control, state.outbox_json),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(ControlMiddleware, control=state.control)],
        exception_handlers={404: on_http_error, 405: on_http_error},
    )
