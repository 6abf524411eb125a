"""A local custom SMS provider that checks every `auth_type` the way a real provider does.

Each application of the state is reached under its name (the seeded ones are named after their
auth type: `/api_key/...`, `/basic/...`, `/bearer/...`, `/oauth2/...`, `/jwt/...`, `/mac/...`,
`/none/...`, and `/mtls/...`, which answers only over the mutual-TLS server):

    POST /{name}/messages      any JSON object (Content-Type application/json) -> 202 {"id", "status"}
    GET  /{name}/verify        -> 200 {"status": "ok", "app_id", "auth_type"}: the verify_url
    POST /{name}/oauth/token   oauth2 apps: client credentials as JSON or a form
                               {"grant_type": "client_credentials", "client_id": <app id>,
                                "client_secret": <api_token>} -> {"access_token", "token_type", "expires_in"}
    POST /_emulator/oauth/expire   expire every issued token now -> {"expired": n}
    plus the shared /_emulator/outbox, /requests and /faults (see `_control`).

What each auth type must present (the scheme `smschannel.providers.custom.auth` documents,
checked here independently of the client's code):

    api_key  X-API-Key equal to the app's api_token                       401 invalid_api_key
    basic    Authorization: Basic base64(app_id:api_token)                 401 invalid_credentials
    bearer   Authorization: Bearer <api_token>                             401 invalid_token
    oauth2   Authorization: Bearer <a token this app issued, not expired>  401 invalid_token / expired_token,
                                                                           403 for another app's token
    jwt      Authorization: Bearer <JWT>: alg HS256 only, signature with   401 invalid_token / expired_token,
             api_token, exp in the future, iat not in the future (60 s     403 when a required claim differs
             leeway), exp - iat <= 3600 s, the app's required claims
    mac      X-Timestamp within 300 s, X-Nonce never seen in that window,  401 invalid_signature /
             X-Signature = HMAC-SHA256(api_secret, canonical string) in    stale_timestamp / replayed_nonce
             the app's mac_hash_format, X-App-Id (if sent) = app_id
    none     nothing
    mtls     apps with mtls=True: only over the HTTPS server that requires a client certificate signed by
             its CA (the TLS handshake fails without one); over plain HTTP they answer 403.

The app served by the mutual-TLS server is `create_custom_provider_app(state, mtls=True)`: every
request that reaches it presented a valid client certificate (uvicorn refused the others), and
outbox records say so (`"mtls": true`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ._control import ADMIN_PREFIX, ControlMiddleware, admin_routes
from .custom_provider_state import (
    JWT_LEEWAY_SECONDS,
    MAX_JWT_LIFETIME_SECONDS,
    CustomAppRecord,
    CustomMessageRecord,
    CustomProviderState,
    VerifyCall,
    custom_error_body,
)

# Request headers that carry a credential: kept out of the outbox.
_SECRET_HEADERS = frozenset({"authorization", "x-api-key"})


class Refused(Exception):
    """An authentication failure, answered as `status` with the provider's error body."""

    def __init__(self, status: int, code: str, message: str, *, challenge: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.challenge = challenge

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": self.challenge} if self.challenge else None
        return JSONResponse(custom_error_body(self.status, code=self.code, message=self.message), self.status, headers)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(custom_error_body(status, code=code, message=message), status)


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _bearer(request: Request, realm: str) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused(401, "invalid_token", "A Bearer token is required", challenge=f'Bearer realm="{realm}"')
    return token.strip()


def _check_basic(app: CustomAppRecord, request: Request) -> None:
    challenge = f'Basic realm="{app.name}"'
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise Refused(401, "invalid_credentials", "Basic credentials are required", challenge=challenge)
    try:
        user, sep, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Refused(401, "invalid_credentials", "Malformed Basic credentials", challenge=challenge) from None
    if (
        not sep
        or not hmac.compare_digest(user.encode(), app.app_id.encode())
        or not hmac.compare_digest(password.encode(), (app.api_token or "").encode())
    ):
        raise Refused(401, "invalid_credentials", "Invalid application ID or API token", challenge=challenge)


def _check_jwt(app: CustomAppRecord, token: str, now: float) -> dict[str, Any]:
    def refuse(message: str, code: str = "invalid_token") -> Refused:
        return Refused(401, code, message, challenge=f'Bearer realm="{app.name}", error="{code}"')

    parts = token.split(".")
    if len(parts) != 3:
        raise refuse("The token is not a compact JWT")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
        signature = _b64url_decode(parts[2])
    except (ValueError, binascii.Error):
        raise refuse("The token is not a compact JWT") from None
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise refuse("The token must be signed with HS256")
    expected = hmac.new((app.api_token or "").encode(), f"{parts[0]}.{parts[1]}".encode("ascii"), hashlib.sha256)
    if not hmac.compare_digest(signature, expected.digest()):
        raise refuse("The token signature does not verify")
    if not isinstance(claims, dict):
        raise refuse("The token claims are not a JSON object")
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int) or isinstance(iat, bool) or isinstance(exp, bool):
        raise refuse("The token must carry numeric iat and exp claims")
    if exp <= now:
        raise refuse("The token has expired", "expired_token")
    if iat > now + JWT_LEEWAY_SECONDS:
        raise refuse("The token was issued in the future")
    if exp - iat > MAX_JWT_LIFETIME_SECONDS:
        raise refuse(f"The token lives longer than {MAX_JWT_LIFETIME_SECONDS} s")
    for name, wanted in app.jwt_claims.items():
        if claims.get(name) != wanted:
            raise Refused(403, "invalid_claims", f"The token's {name} claim is not the one this application expects")
    return claims


def _canonical_path(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode("ascii")
    query: bytes = request.scope.get("query_string", b"")
    return raw.decode("ascii") + ("?" + query.decode("ascii") if query else "")


def _check_mac(app: CustomAppRecord, request: Request, body: bytes, state: CustomProviderState) -> None:
    headers = request.headers
    timestamp, nonce, signature = (headers.get(h) for h in ("x-timestamp", "x-nonce", "x-signature"))
    if not timestamp or not nonce or not signature:
        raise Refused(401, "invalid_signature", "X-Timestamp, X-Nonce and X-Signature are required")
    app_id = headers.get("x-app-id")
    if app_id is not None and not hmac.compare_digest(app_id.encode(), app.app_id.encode()):
        raise Refused(401, "invalid_signature", "Unknown X-App-Id")
    if not timestamp.isdigit() or abs(int(timestamp) - state.clock()) > state.mac_window:
        raise Refused(401, "stale_timestamp", f"X-Timestamp must be within {state.mac_window:.0f} s of the server time")
    canonical = "\n".join(
        (request.method.upper(), _canonical_path(request), timestamp, nonce, hashlib.sha256(body).hexdigest())
    )
    digest = hmac.new((app.api_secret or "").encode(), canonical.encode(), hashlib.sha256).digest()
    expected = digest.hex() if app.mac_hash_format == "hex" else base64.b64encode(digest).decode("ascii")
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        raise Refused(401, "invalid_signature", "The request signature does not verify")
    if not state.use_nonce(nonce):
        raise Refused(401, "replayed_nonce", "This X-Nonce was already used")


def create_custom_provider_app(state: CustomProviderState, *, mtls: bool = False) -> ASGIApp:
    """The local custom provider as an ASGI app serving `state`.

    `mtls=True` for the app behind the HTTPS server that requires client certificates.
    """

    def app_for(request: Request) -> CustomAppRecord:
        app = state.apps.get(request.path_params["name"])
        if app is None:
            raise Refused(404, "not_found", f"No application at {request.url.path}")
        if app.mtls and not mtls:
            raise Refused(403, "client_certificate_required", "This application requires a TLS client certificate")
        return app

    def authenticate(app: CustomAppRecord, request: Request, body: bytes) -> dict[str, Any] | None:
        """Check the request's credentials; return the JWT claims for jwt apps."""
        auth_type = app.auth_type
        if auth_type == "api_key":
            key = request.headers.get("x-api-key")
            if key is None or not hmac.compare_digest(key.encode(), (app.api_token or "").encode()):
                raise Refused(401, "invalid_api_key", "Invalid API key")
        elif auth_type == "basic":
            _check_basic(app, request)
        elif auth_type == "bearer":
            token = _bearer(request, app.name)
            if not hmac.compare_digest(token.encode(), (app.api_token or "").encode()):
                raise Refused(401, "invalid_token", "Invalid token", challenge=f'Bearer realm="{app.name}"')
        elif auth_type == "oauth2":
            issued = state.find_token(_bearer(request, app.name))
            if issued is None:
                raise Refused(401, "invalid_token", "Unknown access token", challenge='Bearer error="invalid_token"')
            if issued.expires_at <= state.clock():
                raise Refused(
                    401, "expired_token", "The access token expired", challenge='Bearer error="invalid_token"'
                )
            if issued.app != app.name:
                raise Refused(403, "insufficient_scope", "The access token was issued to another application")
        elif auth_type == "jwt":
            return _check_jwt(app, _bearer(request, app.name), state.clock())
        elif auth_type == "mac":
            _check_mac(app, request, body, state)
        return None

    async def send_message(request: Request) -> Response:
        body = await request.body()
        try:
            app = app_for(request)
            claims = authenticate(app, request, body)
        except Refused as refused:
            return refused.response()
        content_type = request.headers.get("content-type", "")
        media, _, params = content_type.partition(";")
        if media.strip().lower() != "application/json" or (params and "utf-8" not in params.lower()):
            return _error(415, "unsupported_media_type", f"Content-Type must be application/json, got {content_type!r}")
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _error(400, "invalid_json", "The request body is not valid UTF-8 JSON")
        if not isinstance(payload, dict):
            return _error(400, "invalid_json", "The request body must be a JSON object")
        record = CustomMessageRecord(
            id=state.new_id("msg-"),
            app=app.name,
            auth_type=app.auth_type,
            mtls=mtls,
            body=payload,
            headers={k: v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS},
            jwt_claims=claims,
            received_at=state.clock(),
        )
        state.record_message(record)
        return JSONResponse({"id": record.id, "status": "accepted"}, 202)

    async def verify(request: Request) -> Response:
        try:
            app = app_for(request)
            authenticate(app, request, await request.body())
        except Refused as refused:
            return refused.response()
        state.record_verify(VerifyCall(app=app.name, auth_type=app.auth_type, mtls=mtls))
        return JSONResponse({"status": "ok", "app_id": app.app_id, "auth_type": app.auth_type})

    async def issue_token(request: Request) -> Response:
        try:
            app = app_for(request)
        except Refused as refused:
            return refused.response()
        if app.auth_type != "oauth2":
            return _error(404, "not_found", f"No token endpoint at {request.url.path}")
        fields: dict[str, Any]
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            fields = dict(await request.form())
        else:
            try:
                fields = json.loads(await request.body())
            except ValueError:
                return _error(400, "invalid_request", "The token request is not JSON")
            if not isinstance(fields, dict):
                return _error(400, "invalid_request", "The token request must be a JSON object")
        if fields.get("grant_type") != "client_credentials":
            return JSONResponse(
                {"error": "unsupported_grant_type", "error_description": "grant_type must be client_credentials"}, 400
            )
        client_id, client_secret = str(fields.get("client_id", "")), str(fields.get("client_secret", ""))
        if not (
            hmac.compare_digest(client_id.encode(), app.app_id.encode())
            and hmac.compare_digest(client_secret.encode(), (app.api_token or "").encode())
        ):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                401,
                headers={"WWW-Authenticate": f'Basic realm="{app.name}"'},
            )
        token = state.issue_token(app)
        return JSONResponse(
            {"access_token": token.value, "token_type": "Bearer", "expires_in": app.token_lifetime},
            headers={"Cache-Control": "no-store"},
        )

    async def expire_tokens(request: Request) -> Response:
        return JSONResponse({"expired": state.expire_tokens()})

    async def on_http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        return _error(status, "not_found" if status == 404 else "method_not_allowed", HTTPStatus(status).phrase)

    routes = [
        Route("/{name}/messages", send_message, methods=["POST"]),
        Route("/{name}/verify", verify, methods=["GET"]),
        Route("/{name}/oauth/token", issue_token, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/oauth/expire", expire_tokens, methods=["POST"]),
        *admin_routes(state.control, state.outbox_json),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(ControlMiddleware, control=state.control)],
        exception_handlers={404: on_http_error, 405: on_http_error},
    )
