"""A local Sinch Conversation API answering the calls smschannel makes for Sinch MMS and RCS.

    GET  /v1/projects/{project_id}/apps/{app_id}     the app (channel credentials without secrets)
    POST /v1/projects/{project_id}/messages:send      {"app_id", "recipient", "message", ...}
                                                      -> {"accepted_time", "message_id"}
    POST /oauth2/token                                Basic key_id:key_secret, grant_type=client_credentials
                                                      -> {"access_token", "expires_in", "scope", "token_type"}

The token endpoint stands in for auth.sinch.com, so the official `sinch` SDK (which gets its token with
the project's access key) drives the emulator too (tests/emulators/test_vendor_sdks.py). A message goes
out on the first channel of its `channel_priority_order` the recipient can take: a number in
`state.no_rcs` cannot take RCS, so Sinch's fallback to the next channel (SMS) shows in the outbox
(`channel`), and with no channel left the message is accepted but fails (`channel` is null), as Sinch
reports in a later delivery report.

Auth is `Authorization: Bearer <api_token>` of the project: no or an unknown token answers 401
`UNAUTHENTICATED`, the token of another project 403 `PERMISSION_DENIED`, an app outside the project
404 `NOT_FOUND`, all in the API's `{"error": {"code", "message", "status", "details"}}` shape. Shapes
follow tests/contracts/sinch_conversation.handwritten.json (written from Sinch's public reference).
One app serves every region: point `SinchConversationClient(base_url=...)` at the emulator.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from datetime import UTC, datetime
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
from .sinch_conversation_state import (
    SinchConversationAppRecord,
    SinchConversationProjectRecord,
    SinchConversationState,
    iso_time,
    sinch_conversation_error_body,
)

MESSAGE_KINDS = ("text_message", "media_message")  # what the emulator can "deliver"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(sinch_conversation_error_body(status, message=message), status)


def _app_json(app: SinchConversationAppRecord) -> dict[str, Any]:
    """The app as the API answers it; the channels' own secrets are never echoed ("***")."""
    credentials: list[dict[str, Any]] = []
    for ordinal, channel in enumerate(app.channels):
        credential: dict[str, Any] = {"channel": channel}
        if channel == "MMS":
            credential["mms_credentials"] = {"account_id": f"mms-{app.id[-8:].lower()}", "api_key": "***"}
        else:
            credential["static_bearer"] = {
                "claimed_identity": f"{channel.lower()}-{app.id[-8:].lower()}",
                "token": "***",
            }
        credential["state"] = {"status": "ACTIVE", "description": ""}
        credential["channel_known_id"] = ""
        credential["credential_ordinal_number"] = ordinal
        credentials.append(credential)
    return {
        "id": app.id,
        "display_name": app.display_name,
        "channel_credentials": credentials,
        "conversation_metadata_report_view": "NONE",
        "rate_limits": {"inbound": 100, "outbound": 20, "webhooks": 100},
        "retention_policy": {"retention_type": "MESSAGE_EXPIRE_POLICY", "ttl_days": 180},
        "dispatch_retention_policy": {"retention_type": "MESSAGE_EXPIRE_POLICY", "ttl_days": 0},
        "processing_mode": app.processing_mode,
        "smart_conversation": {"enabled": False},
    }


def create_sinch_conversation_app(state: SinchConversationState) -> ASGIApp:
    """The local Sinch Conversation API as an ASGI app serving `state`."""

    def authenticate(request: Request) -> SinchConversationProjectRecord | JSONResponse:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return _error(401, "Request had invalid credentials.")
        with state.lock:
            holder = next(
                (p for p in state.projects.values() if hmac.compare_digest(p.api_token.encode(), token.encode())),
                None,
            )
        if holder is None:
            return _error(401, "Request had invalid credentials.")
        project_id = request.path_params["project_id"]
        if holder.id != project_id:
            return _error(403, f"Project {project_id} is not accessible with these credentials")
        return holder

    def app_of(project: SinchConversationProjectRecord, app_id: str) -> SinchConversationAppRecord | JSONResponse:
        app = state.apps.get(app_id)
        if app is None or app.project_id != project.id:
            return _error(404, f"App {app_id} not found in project {project.id}")
        return app

    async def get_app(request: Request) -> Response:
        project = authenticate(request)
        if isinstance(project, Response):
            return project
        app = app_of(project, request.path_params["app_id"])
        return app if isinstance(app, Response) else JSONResponse(_app_json(app))

    async def send_message(request: Request) -> Response:
        project = authenticate(request)
        if isinstance(project, Response):
            return project
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, "Invalid JSON in request body")
        if not isinstance(body, dict):
            return _error(400, "The request body must be a JSON object")
        app_id = body.get("app_id")
        if not isinstance(app_id, str) or not app_id:
            return _error(400, "Invalid argument: app_id is required")
        app = app_of(project, app_id)
        if isinstance(app, Response):
            return app
        recipient = body.get("recipient")
        identities: list[Any] = []
        if isinstance(recipient, dict) and isinstance(recipient.get("identified_by"), dict):
            listed = recipient["identified_by"].get("channel_identities")
            identities = listed if isinstance(listed, list) else []
        contact = recipient.get("contact_id") if isinstance(recipient, dict) else None
        if not identities and not (isinstance(contact, str) and contact):
            return _error(400, "Invalid argument: recipient needs contact_id or identified_by.channel_identities")
        for identity in identities:
            if not isinstance(identity, dict) or not identity.get("identity") or not identity.get("channel"):
                return _error(400, "Invalid argument: each channel identity needs channel and identity")
        priority = body.get("channel_priority_order") or [i["channel"] for i in identities]
        if not isinstance(priority, list):
            return _error(400, "Invalid argument: channel_priority_order must be a list of channels")
        missing = [c for c in priority if c not in app.channels]
        if missing:
            return _error(400, f"Invalid argument: channel {missing[0]} is not configured for app {app.id}")
        message = body.get("message")
        kinds = [k for k in MESSAGE_KINDS if isinstance(message, dict) and isinstance(message.get(k), dict)]
        if len(kinds) != 1:
            return _error(400, "Invalid argument: message needs exactly one of text_message or media_message")
        content = message[kinds[0]] if isinstance(message, dict) else {}
        field = "text" if kinds[0] == "text_message" else "url"
        if not isinstance(content.get(field), str) or not content[field]:
            return _error(400, f"Invalid argument: message.{kinds[0]}.{field} is required")
        accepted = iso_time(datetime.now(UTC))
        message_id = state.new_message_id()
        with state.lock:
            numbers = {str(i["identity"]).lstrip("+") for i in identities}
            reachable = [c for c in priority if not (c == "RCS" and numbers & {n.lstrip("+") for n in state.no_rcs})]
            state.outbox.append(
                {
                    "message_id": message_id,
                    "accepted_time": accepted,
                    "project_id": project.id,
                    "app_id": app.id,
                    "recipient": recipient,
                    "channel_priority_order": priority,
                    "message": message,
                    "channel": reachable[0] if reachable else None,
                }
            )
        return JSONResponse({"accepted_time": accepted, "message_id": message_id})

    async def token(request: Request) -> Response:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            key_id, _, key_secret = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            key_id, key_secret = "", ""
        form = await request.form()
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type",
                                 "error_description": "grant_type must be client_credentials"}, 400)
        with state.lock:
            project = next((p for p in state.projects.values()
                            if scheme.lower() == "basic" and p.key_id == key_id
                            and hmac.compare_digest(p.key_secret.encode(), key_secret.encode())), None)
        if project is None:
            return JSONResponse({"error": "invalid_client", "error_description": "Client authentication failed"}, 401)
        return JSONResponse({"access_token": project.api_token, "expires_in": 3599, "scope": "",
                             "token_type": "bearer"})

    async def on_http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        return _error(status, f"{HTTPStatus(status).phrase}: {request.method} {request.url.path}")

    routes = [
        Route("/v1/projects/{project_id}/apps/{app_id}", get_app, methods=["GET"]),
        Route("/v1/projects/{project_id}/messages:send", send_message, methods=["POST"]),
        Route("/oauth2/token", token, methods=["POST"]),
        *admin_routes(state.control, state.outbox_json),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(ControlMiddleware, control=state.control)],
        exception_handlers={404: on_http_error, 405: on_http_error},
    )
