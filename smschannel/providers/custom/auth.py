"""How smschannel authenticates to a custom provider: one `httpx.Auth` per `auth_type`, the OAuth2
token cache, HS256 JWT signing, the MAC signature and the mutual-TLS context.

Every auth flow first sets `Content-Type: application/json; charset=utf-8`, after the configured
`headers`, so nothing can remove or change it. The schemes (constants in `custom_rules`):

    api_key  X-API-Key: <api_token>
    basic    Authorization: Basic base64(<provider_app_id>:<api_token>)      (UTF-8, RFC 7617)
    bearer   Authorization: Bearer <api_token>
    oauth2   Authorization: Bearer <access_token>, from the token cache (a 401 refreshes it once)
    jwt      Authorization: Bearer <HS256 JWT signed with api_token>, a new one per request
    mac      X-App-Id, X-Timestamp, X-Nonce, X-Signature (below)
    none     nothing

MAC. The canonical string is five lines joined by "\\n" (no trailing newline):

    <METHOD>                     upper case, e.g. POST
    <path-and-query>             as sent on the request line, e.g. /v1/messages?x=1
    <timestamp>                  Unix time in whole seconds, as in X-Timestamp
    <nonce>                      32 lowercase hex digits, random per request, as in X-Nonce
    <body-sha256>                lowercase hex SHA-256 of the body bytes (of b"" for a GET)

`X-Signature` is HMAC-SHA256(key = api_secret as UTF-8, message = canonical string as UTF-8),
written as lowercase hex (`mac_hash_format = "hex"`) or standard padded base64 (`"base64"`).
`X-App-Id` carries `provider_app_id` when it is set. A provider checks the signature, refuses a
timestamp outside its window (the local provider: 300 s) and a nonce it has already seen.

JWT. Header `{"alg": "HS256", "typ": "JWT"}`; claims = `jwt_payload` (with `{{appId}}` filled in)
plus `iat` = now and `exp` = now + 300 s; signature HMAC-SHA256 with api_token (UTF-8) as key over
`base64url(header) "." base64url(claims)`, every part base64url without padding (RFC 7515/7519).

OAuth2 (client credentials). The token request is `POST oauth_url` with `oauth_body` (JSON; the
placeholders `{{apiToken}}`, `{{apiSecret}}` and `{{appId}}` filled in; by default
`{"grant_type": "client_credentials", "client_id": "{{appId}}", "client_secret": "{{apiToken}}"}`).
The answer must hold `access_token`; `expires_in` (seconds, default 300 when absent) sets how long
the token is reused: until `min(30 s, expires_in / 10)` before it expires. A 401 from the provider
discards the token, fetches a new one and sends the request once more.

mTLS. The client certificate and key (PEM text) are loaded into an `ssl.SSLContext`. The stdlib
loads certificates only from files: on Linux the PEM goes to an anonymous in-memory file
(`memfd_create`) that never touches a disk; elsewhere to a private (0600) temporary file that is
deleted at once.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import ssl
import tempfile
import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from smschannel.model.custom_rules import (
    API_KEY_HEADER,
    CONTENT_TYPE,
    JWT_LIFETIME_SECONDS,
    MAC_APP_ID_HEADER,
    MAC_HASH_FORMATS,
    MAC_NONCE_HEADER,
    MAC_SIGNATURE_HEADER,
    MAC_TIMESTAMP_HEADER,
)
from smschannel.providers.http import SYSTEM_CLOCK, Clock


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_jwt_hs256(claims: Mapping[str, Any], key: str) -> str:
    """A compact HS256 JWT of `claims`, signed with `key` (UTF-8)."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(dict(claims), separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(key.encode("utf-8"), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def mac_canonical_string(*, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The text a MAC signature covers (see the module docstring)."""
    return "\n".join((method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()))


def mac_signature(canonical: str, *, secret: str, hash_format: str) -> str:
    """HMAC-SHA256 of `canonical` with `secret`, as lowercase hex or padded base64."""
    if hash_format not in MAC_HASH_FORMATS:
        raise ValueError(f"mac_hash_format must be one of {', '.join(MAC_HASH_FORMATS)}, got {hash_format!r}")
    digest = hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).digest()
    return digest.hex() if hash_format == "hex" else base64.b64encode(digest).decode("ascii")


class CustomAuth(httpx.Auth):
    """Base of the custom provider auth flows: sets the Content-Type, then `apply()`; never shows secrets."""

    requires_request_body = True
    scheme = "none"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Content-Type"] = CONTENT_TYPE
        self.apply(request)
        yield request

    def apply(self, request: httpx.Request) -> None:
        """Add this scheme's headers to `request` (none for auth_type none)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(scheme={self.scheme!r}, secrets='***')"


class ApiKeyAuth(CustomAuth):
    scheme = "api_key"

    def __init__(self, api_token: str) -> None:
        self._token = api_token

    def apply(self, request: httpx.Request) -> None:
        request.headers[API_KEY_HEADER] = self._token


class BasicAuth(CustomAuth):
    scheme = "basic"

    def __init__(self, app_id: str, api_token: str) -> None:
        self._header = "Basic " + base64.b64encode(f"{app_id}:{api_token}".encode()).decode("ascii")

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = self._header


class BearerAuth(CustomAuth):
    scheme = "bearer"

    def __init__(self, api_token: str) -> None:
        self._header = f"Bearer {api_token}"

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = self._header


class JwtAuth(CustomAuth):
    """A fresh HS256 JWT per request: `claims` + `iat` + `exp` (`lifetime` seconds later)."""

    scheme = "jwt"

    def __init__(
        self,
        api_token: str,
        *,
        claims: Mapping[str, Any],
        clock: Clock = SYSTEM_CLOCK,
        lifetime: int = JWT_LIFETIME_SECONDS,
    ) -> None:
        self._key = api_token
        self._claims = dict(claims)
        self._clock = clock
        self._lifetime = lifetime

    def token(self) -> str:
        now = int(self._clock.wall())
        return sign_jwt_hs256({**self._claims, "iat": now, "exp": now + self._lifetime}, self._key)

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self.token()}"


class MacAuth(CustomAuth):
    """HMAC-SHA256 request signature (see the module docstring)."""

    scheme = "mac"

    def __init__(
        self,
        api_secret: str,
        *,
        app_id: str | None,
        hash_format: str = "hex",
        clock: Clock = SYSTEM_CLOCK,
        nonce: Callable[[], str] = lambda: secrets.token_hex(16),
    ) -> None:
        if hash_format not in MAC_HASH_FORMATS:
            raise ValueError(f"mac_hash_format must be one of {', '.join(MAC_HASH_FORMATS)}, got {hash_format!r}")
        self._secret = api_secret
        self._app_id = app_id
        self._format = hash_format
        self._clock = clock
        self._nonce = nonce

    def apply(self, request: httpx.Request) -> None:
        timestamp, nonce = str(int(self._clock.wall())), self._nonce()
        canonical = mac_canonical_string(
            method=request.method,
            path=request.url.raw_path.decode("ascii"),
            timestamp=timestamp,
            nonce=nonce,
            body=request.content,
        )
        if self._app_id:
            request.headers[MAC_APP_ID_HEADER] = self._app_id
        request.headers[MAC_TIMESTAMP_HEADER] = timestamp
        request.headers[MAC_NONCE_HEADER] = nonce
        request.headers[MAC_SIGNATURE_HEADER] = mac_signature(canonical, secret=self._secret, hash_format=self._format)


@dataclass(frozen=True)
class AccessToken:
    """An OAuth2 access token and when (on the monotonic clock) smschannel stops reusing it."""

    value: str
    refresh_at: float

    def __repr__(self) -> str:
        return f"AccessToken(value='***', refresh_at={self.refresh_at})"


TokenFetcher = Callable[[], tuple[str, float]]
"""Fetch a new access token: returns (access_token, expires_in seconds)."""


def refresh_margin(expires_in: float) -> float:
    """How long before expiry a token is replaced: a tenth of its lifetime, at most 30 s."""
    return min(30.0, expires_in / 10)


class TokenCache:
    """One OAuth2 access token, fetched when missing or about to expire. Thread-safe: concurrent
    callers wait for one fetch instead of each fetching a token."""

    def __init__(self, fetch: TokenFetcher, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._fetch = fetch
        self._clock = clock
        self._token: AccessToken | None = None
        self._lock = threading.Lock()
        self.fetches = 0

    def get(self) -> str:
        with self._lock:
            token = self._token
            if token is None or self._clock.monotonic() >= token.refresh_at:
                value, expires_in = self._fetch()
                self.fetches += 1
                token = AccessToken(value, self._clock.monotonic() + expires_in - refresh_margin(expires_in))
                self._token = token
            return token.value

    def invalidate(self, value: str) -> None:
        """Forget the token `value` (if it is still the cached one: another thread may have refreshed it)."""
        with self._lock:
            if self._token is not None and hmac.compare_digest(self._token.value, value):
                self._token = None

    def __repr__(self) -> str:
        return f"TokenCache(token={'***' if self._token else None}, fetches={self.fetches})"


class OAuth2Auth(CustomAuth):
    """`Authorization: Bearer <access token>`; on a 401 the token is refreshed and the request sent once more."""

    scheme = "oauth2"

    def __init__(self, tokens: TokenCache) -> None:
        self.tokens = tokens

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Content-Type"] = CONTENT_TYPE
        token = self.tokens.get()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self.tokens.invalidate(token)
            request.headers["Authorization"] = f"Bearer {self.tokens.get()}"
            yield request


# -- mutual TLS --------------------------------------------------------------------------------


def _refuse_passphrase() -> str:
    raise ValueError("the client private key is encrypted; give it without a passphrase")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _load_chain(context: ssl.SSLContext, pem: bytes) -> None:
    memfd_create: Callable[[str, int], int] | None = getattr(os, "memfd_create", None)
    fd = -1
    if memfd_create is not None:
        with contextlib.suppress(OSError):
            fd = memfd_create("smschannel-client-certificate", getattr(os, "MFD_CLOEXEC", 0))
    if fd >= 0:
        try:
            _write_all(fd, pem)
            path = f"/proc/self/fd/{fd}"
            if os.path.exists(path):
                context.load_cert_chain(path, password=_refuse_passphrase)
                return
        finally:
            os.close(fd)
    fd, path = tempfile.mkstemp(prefix="smschannel-", suffix=".pem")  # mode 0600, only this user
    try:
        try:
            _write_all(fd, pem)
        finally:
            os.close(fd)
        context.load_cert_chain(path, password=_refuse_passphrase)
    finally:
        os.unlink(path)


def mtls_ssl_context(
    *, client_cert_pem: str | None = None, client_key_pem: str | None = None, ca_pem: str | None = None
) -> ssl.SSLContext:
    """The TLS context for a custom provider: the usual trust store (httpx's: certifi, or
    SSL_CERT_FILE/SSL_CERT_DIR), plus `ca_pem` when given, presenting the client certificate
    when given. Raises ValueError (never quoting the PEM) when they cannot be loaded."""
    context = httpx.create_ssl_context()
    if ca_pem:
        try:
            context.load_verify_locations(cadata=ca_pem)
        except (ssl.SSLError, ValueError):
            raise ValueError("the CA certificate for the custom provider is not a valid PEM certificate") from None
    if client_cert_pem or client_key_pem:
        if not (client_cert_pem and client_key_pem):
            raise ValueError("mtls needs both the client certificate and its private key")
        pem = (client_cert_pem.strip() + "\n" + client_key_pem.strip() + "\n").encode("utf-8")
        try:
            _load_chain(context, pem)
        except ssl.SSLError:
            raise ValueError(
                "the client certificate and private key could not be loaded: they must be PEM text,"
                " the key unencrypted and matching the certificate"
            ) from None
    return context


__all__ = [
    "AccessToken",
    "ApiKeyAuth",
    "BasicAuth",
    "BearerAuth",
    "CustomAuth",
    "JwtAuth",
    "MacAuth",
    "OAuth2Auth",
    "TokenCache",
    "TokenFetcher",
    "b64url",
    "mac_canonical_string",
    "mac_signature",
    "mtls_ssl_context",
    "refresh_margin",
    "sign_jwt_hs256",
]
