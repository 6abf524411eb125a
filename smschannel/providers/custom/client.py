"""A custom SMS provider: any HTTP API that takes one JSON POST per message.

A credential is described by a `CustomProviderConfig` (the non-secret attributes of
`smschannel_custom_credentials`); its secrets go to `CustomProviderClient` on their own:

    config = CustomProviderConfig(
        provider_name="Acme SMS", provider_url="https://sms.acme.example/v1/messages",
        auth_type="bearer", payload_template='{"to": "{{toNumber}}", "from": "{{fromNumber}}",'
        ' "text": "{{message}}", "authOption": "bearer"}',
        verify_url="https://sms.acme.example/v1/account")
    with CustomProviderClient(config, api_token=os.environ["ACME_TOKEN"]) as acme:
        acme.verify()
        acme.send("+15005550006", from_="+14155550100", message="Hello")

`send` renders `payload_template` (placeholders and escaping: `custom_rules`) and POSTs it to
`provider_url`; `verify` GETs `verify_url` with the same authentication (or, when `verify_url` is
unset, checks nothing and says so). How each `auth_type` authenticates, including the MAC
canonical string, the JWT claims, the OAuth2 token cache and mutual TLS, is documented in
`custom_auth`. In short:

    api_key  X-API-Key: <api_token>
    basic    Authorization: Basic base64(<provider_app_id>:<api_token>)
    bearer   Authorization: Bearer <api_token>
    oauth2   POST oauth_url with oauth_body, then Authorization: Bearer <access_token>
    jwt      Authorization: Bearer <HS256 JWT signed with api_token>
    mac      X-App-Id, X-Timestamp, X-Nonce, X-Signature = HMAC-SHA256(api_secret, canonical string)
    none     nothing;   mtls (with any of them): the client certificate is presented over TLS

Every request carries `Content-Type: application/json; charset=utf-8` and the configured
`headers`. Calls are paced (`rate_limit_rps`), retried and translated into the `VendorError` tree
by the shared `_http` layer (`vendor="custom"`, messages naming `provider_name`); a provider that
refuses the TLS handshake for want of a client certificate raises `VendorAuthError`. No secret ever
appears in a message, a log line or a repr.

Imported by the Terraform provider: stdlib and httpx only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from smschannel.errors import VendorAuthError, VendorError, VendorUnavailable
from smschannel.model.custom_rules import (
    API_KEY_HEADER,
    AUTH_TYPES,
    CONTENT_TYPE,
    DEFAULT_OAUTH_BODY,
    JWT_LIFETIME_SECONDS,
    MAC_APP_ID_HEADER,
    MAC_HASH_FORMATS,
    MAC_NONCE_HEADER,
    MAC_SIGNATURE_HEADER,
    MAC_TIMESTAMP_HEADER,
    CustomProviderConfig,
    check_auth_type,
    check_client_certificate,
    check_headers,
    check_jwt_payload,
    check_mac_hash_format,
    check_oauth_body,
    check_payload_template,
    check_rate_limit_rps,
    check_required,
    fill,
    parse_template,
    render_payload,
    required_secrets,
    validate_custom_config,
)
from smschannel.providers.custom.auth import (
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    CustomAuth,
    JwtAuth,
    MacAuth,
    OAuth2Auth,
    TokenCache,
    mtls_ssl_context,
)
from smschannel.providers.http import (
    DEFAULT_BACKOFF,
    SYSTEM_CLOCK,
    Backoff,
    Clock,
    VendorClient,
    VendorFault,
    VendorProfile,
    VendorSession,
)

_T = TypeVar("_T")

DEFAULT_TOKEN_LIFETIME = 300.0
"""How long an OAuth2 access token is reused when the token endpoint does not say (`expires_in`)."""

_MESSAGE_ID_KEYS = ("id", "message_id", "messageId", "sid", "uuid")
_TEXT_KEYS = ("message", "error_description", "detail", "text", "title", "description")


def _decode_error(response: httpx.Response) -> VendorFault | None:
    """The usual JSON error shapes: {"code"|"error": ..., "message"|"error_description"|"detail": ...},
    also nested as {"error": {"code": ..., "message": ...}}."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict):
        body, error = {**body, **error}, None
    code = body.get("code", error if isinstance(error, str) else None)
    message = next((body[k] for k in _TEXT_KEYS if isinstance(body.get(k), str) and body[k]), "")
    if code is None and not message:
        return None
    return VendorFault(code=None if code is None else str(code), message=message)


def custom_profile(provider_name: str, *, what: str = "") -> VendorProfile:
    """The VendorProfile of a custom provider: `vendor="custom"`, messages naming `provider_name`."""
    label = provider_name.strip() or "the custom provider"
    return VendorProfile(name="custom", label=f"{label} {what}".rstrip(), decode_error=_decode_error)


@dataclass(frozen=True)
class CustomSendResult:
    """The provider's answer to one message: its status, the message ID if it gave one, its JSON body."""

    status: int
    message_id: str | None
    body: Any


@dataclass(frozen=True)
class CustomVerifyResult:
    """What `verify()` did: `checked` is False (and `url` None) when `verify_url` is unset."""

    checked: bool
    url: str | None
    status: int | None
    detail: str


_TLS_REFUSALS = ("CERTIFICATE_REQUIRED", "HANDSHAKE_FAILURE", "BAD_CERTIFICATE", "UNKNOWN_CA", "CERTIFICATE_UNKNOWN")
_TLS_DROPS = ("SERVER DISCONNECTED WITHOUT SENDING A RESPONSE", "UNEXPECTED_EOF", "EOF OCCURRED IN VIOLATION")


def _chain(exc: BaseException) -> list[str]:
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts.append(str(current).upper())
        current = current.__cause__ or current.__context__
    return texts


def _tls_refused(exc: BaseException) -> bool:
    """Whether the server refused the TLS handshake with an alert about the client certificate."""
    return any(f"ALERT_{m}" in text or f"ALERT {m}" in text for text in _chain(exc) for m in _TLS_REFUSALS)


def _tls_dropped(exc: BaseException) -> bool:
    """Whether the server closed the connection without a word, as some servers do on a missing certificate."""
    return any(marker in text for text in _chain(exc) for marker in _TLS_DROPS)


def _expires_in(value: Any) -> float:
    if isinstance(value, bool):
        return DEFAULT_TOKEN_LIFETIME
    if isinstance(value, int | float) and value > 0:
        return float(value)
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return float(value)
    return DEFAULT_TOKEN_LIFETIME


class CustomProviderClient(VendorClient):
    """One custom provider credential. Use as a context manager, or call `close()`.

    `api_token`, `api_secret`: the secrets (which ones `config.auth_type` needs: `required_secrets`).
    `client_cert_pem`, `client_key_pem`: the client certificate and its unencrypted key, PEM text,
    presented when `config.mtls` is true. `ca_pem`: extra CA certificates (PEM) to trust for the
    provider's server certificate (a private CA, a local provider). `transport` replaces the HTTP
    transport (tests); it then owns TLS, so give it `mtls_ssl_context(...)` yourself. `timeout`,
    `retries`, `backoff` and `clock` are as for `TwilioClient`.

    Raises ValueError, listing every broken rule (never a secret), when the configuration is invalid.
    """

    def __init__(
        self,
        config: CustomProviderConfig,
        *,
        api_token: str | None = None,
        api_secret: str | None = None,
        client_cert_pem: str | None = None,
        client_key_pem: str | None = None,
        ca_pem: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: Backoff = DEFAULT_BACKOFF,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        has_certificate = bool(client_cert_pem and client_key_pem)
        problems = [
            p.message
            for p in validate_custom_config(
                config,
                has_api_token=bool(api_token),
                has_api_secret=bool(api_secret),
                has_client_certificate=has_certificate,
            )
        ]
        if config.mtls and client_cert_pem and client_key_pem:
            shape = check_client_certificate(client_cert_pem, client_key_pem)
            if shape:
                problems.append(shape)
        if problems:
            raise ValueError(f"invalid custom provider {config.provider_name!r}: " + "; ".join(problems))
        self.config = config
        self._api_token = api_token or ""
        self._api_secret = api_secret or ""
        self._clock = clock
        secrets = (self._api_token, self._api_secret)
        self.tokens: TokenCache | None = None

        own_transports = transport is None and (config.mtls or ca_pem is not None)
        context = (
            mtls_ssl_context(
                client_cert_pem=client_cert_pem if config.mtls else None,
                client_key_pem=client_key_pem if config.mtls else None,
                ca_pem=ca_pem,
            )
            if own_transports
            else None
        )

        def new_transport() -> httpx.BaseTransport | None:
            return httpx.HTTPTransport(verify=context) if context is not None else transport

        self._token_session: VendorSession | None = None
        if config.auth_type == "oauth2":
            self._token_session = VendorSession(
                custom_profile(config.provider_name, what="(OAuth2 token endpoint)"),
                auth=None,
                secrets=secrets,
                transport=new_transport(),
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                clock=clock,
                headers={"Content-Type": CONTENT_TYPE},
            )
            self.tokens = TokenCache(self._fetch_token, clock=clock)
        self._session = VendorSession(
            custom_profile(config.provider_name),
            auth=self._auth(),
            secrets=secrets,
            transport=new_transport(),
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            rate_limit_rps=config.rate_limit_rps,
            clock=clock,
            headers={**config.headers, "Content-Type": CONTENT_TYPE},
        )

    def _auth(self) -> CustomAuth:
        config, token = self.config, self._api_token
        if config.auth_type == "api_key":
            return ApiKeyAuth(token)
        if config.auth_type == "basic":
            return BasicAuth(config.provider_app_id or "", token)
        if config.auth_type == "bearer":
            return BearerAuth(token)
        if config.auth_type == "oauth2":
            assert self.tokens is not None
            return OAuth2Auth(self.tokens)
        if config.auth_type == "jwt":
            claims = parse_template(config.jwt_payload or "{}", attribute="jwt_payload")
            claims = fill(claims, {"appId": config.provider_app_id or ""})
            return JwtAuth(token, claims=claims, clock=self._clock)
        if config.auth_type == "mac":
            return MacAuth(
                self._api_secret, app_id=config.provider_app_id, hash_format=config.mac_hash_format, clock=self._clock
            )
        return CustomAuth()

    def __repr__(self) -> str:
        config = self.config
        shown = ", ".join(f"{name}='***'" for name in required_secrets(config))
        return (
            f"CustomProviderClient(provider_name={config.provider_name!r}, auth_type={config.auth_type!r},"
            f" provider_url={config.provider_url!r}, mtls={config.mtls}{', ' + shown if shown else ''})"
        )

    def close(self) -> None:
        super().close()
        if self._token_session is not None:
            self._token_session.close()

    # -- OAuth2 ----------------------------------------------------------------------------------

    def _fetch_token(self) -> tuple[str, float]:
        config, session = self.config, self._token_session
        assert session is not None and config.oauth_url is not None
        body = fill(
            parse_template(config.oauth_body or DEFAULT_OAUTH_BODY, attribute="oauth_body"),
            {"apiToken": self._api_token, "apiSecret": self._api_secret, "appId": config.provider_app_id or ""},
        )
        url = config.oauth_url
        data = self._tls_checked(url, lambda: session.json("POST", url, json=body, idempotent=True))
        label = session.profile.label
        where = f"POST {httpx.URL(url).path}"
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise VendorUnavailable(f"{label} answered {where} without an access_token", vendor="custom")
        token_type = data.get("token_type")
        if isinstance(token_type, str) and token_type.lower() != "bearer":
            raise VendorError(
                f"{label} answered {where} with a {token_type!r} token; smschannel sends only Bearer tokens",
                vendor="custom",
            )
        return token, _expires_in(data.get("expires_in"))

    # -- calls -----------------------------------------------------------------------------------

    def _tls_checked(self, url: str, call: Callable[[], _T]) -> _T:
        """Run `call`; explain TLS refusals: a client-certificate alert is a VendorAuthError."""
        try:
            return call()
        except VendorUnavailable as exc:
            label = custom_profile(self.config.provider_name).label
            if self.config.mtls:
                hint = "check that it trusts the client certificate (its CA, its validity)"
            else:
                hint = "if it requires a client certificate, set mtls and give the client certificate and key"
            if _tls_refused(exc):
                raise VendorAuthError(
                    f"{label} refused the TLS handshake over the client certificate: {hint} [{exc}]",
                    vendor="custom",
                    code="tls_client_certificate",
                ) from exc
            if httpx.URL(url).scheme == "https" and _tls_dropped(exc):
                raise VendorUnavailable(
                    f"{exc}; {label} closed the TLS connection without answering: {hint}",
                    vendor=exc.vendor,
                    code=exc.code,
                    status=exc.status,
                ) from exc
            raise

    def payload(self, to: str, *, from_: str, message: str) -> dict[str, Any]:
        """The JSON object `send` POSTs for this message (the rendered `payload_template`)."""
        return render_payload(
            self.config.payload_template, to=to, from_=from_, message=message, app_id=self.config.provider_app_id
        )

    def send(self, to: str, *, from_: str, message: str) -> CustomSendResult:
        """POST one message to `provider_url`. Never retried blindly (only when the provider did not act)."""
        body = self.payload(to, from_=from_, message=message)
        url = self.config.provider_url
        response = self._tls_checked(url, lambda: self._session.request("POST", url, json=body))
        try:
            answer: Any = response.json() if response.content else None
        except ValueError:
            answer = None
        message_id = None
        if isinstance(answer, dict):
            found = next((answer[k] for k in _MESSAGE_ID_KEYS if isinstance(answer.get(k), str | int)), None)
            message_id = None if found is None or isinstance(found, bool) else str(found)
        return CustomSendResult(status=response.status_code, message_id=message_id, body=answer)

    def verify(self) -> CustomVerifyResult:
        """GET `verify_url` with the credential's authentication (the *verify connection* check).

        When `verify_url` is unset nothing is called: the result has `checked=False` and says so.
        """
        url = self.config.verify_url
        if not url:
            return CustomVerifyResult(
                checked=False,
                url=None,
                status=None,
                detail=f"verify_url is not set: the credentials of {self.config.provider_name} were not checked",
            )
        response = self._tls_checked(url, lambda: self._session.request("GET", url))
        return CustomVerifyResult(
            checked=True, url=url, status=response.status_code, detail=f"GET {url} answered {response.status_code}"
        )


def _read_pem(attribute: str, path: str) -> str:
    try:
        with open(path, encoding="utf-8") as source:
            return source.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ValueError(f"{attribute}: cannot read {path}: {reason}") from None


def client_from_attributes(
    attributes: Mapping[str, Any], secrets: Mapping[str, str], **kwargs: Any
) -> CustomProviderClient:
    """A client from an `smschannel_custom_credentials`' attributes (as the provider and registry hold
    them; None for unset) and its resolved secrets.

    `secrets` may hold `api_token`, `api_secret`, and the client certificate, its key and a CA to
    trust as PEM text under `client_cert`, `client_key` and `ca_cert` (the provider reads them from
    their `_env` variables or `_file` paths); without them, the attributes `client_cert_file`,
    `client_key_file` and `ca_cert_file` name PEM files to read. `kwargs` go to `CustomProviderClient`.
    """

    def text(name: str) -> str | None:
        value = attributes.get(name)
        return None if value is None else str(value)

    config = CustomProviderConfig(
        provider_name=str(attributes.get("provider_name") or ""),
        provider_url=str(attributes.get("provider_url") or ""),
        payload_template=str(attributes.get("payload_template") or ""),
        auth_type=text("auth_type") or "none",
        provider_app_id=text("provider_app_id"),
        mac_hash_format=text("mac_hash_format") or "hex",
        oauth_url=text("oauth_url"),
        oauth_body=text("oauth_body"),
        jwt_payload=text("jwt_payload"),
        mtls=bool(attributes.get("mtls")),
        headers={str(k): str(v) for k, v in (attributes.get("headers") or {}).items()},
        rate_limit_rps=float(attributes.get("rate_limit_rps") or 0.0),
        verify_url=text("verify_url"),
    )
    cert, key = secrets.get("client_cert"), secrets.get("client_key")
    if config.mtls:
        cert_file, key_file = text("client_cert_file"), text("client_key_file")
        cert = cert or (_read_pem("client_cert_file", cert_file) if cert_file else None)
        key = key or (_read_pem("client_key_file", key_file) if key_file else None)
    ca_file = text("ca_cert_file")
    if secrets.get("ca_cert") and "ca_pem" not in kwargs:
        kwargs["ca_pem"] = secrets["ca_cert"]
    elif ca_file and "ca_pem" not in kwargs:
        kwargs["ca_pem"] = _read_pem("ca_cert_file", ca_file)
    return CustomProviderClient(
        config,
        api_token=secrets.get("api_token"),
        api_secret=secrets.get("api_secret"),
        client_cert_pem=cert,
        client_key_pem=key,
        **kwargs,
    )


__all__ = [
    "API_KEY_HEADER",
    "AUTH_TYPES",
    "CONTENT_TYPE",
    "DEFAULT_OAUTH_BODY",
    "DEFAULT_TOKEN_LIFETIME",
    "JWT_LIFETIME_SECONDS",
    "MAC_APP_ID_HEADER",
    "MAC_HASH_FORMATS",
    "MAC_NONCE_HEADER",
    "MAC_SIGNATURE_HEADER",
    "MAC_TIMESTAMP_HEADER",
    "CustomProviderClient",
    "CustomProviderConfig",
    "CustomSendResult",
    "CustomVerifyResult",
    "check_auth_type",
    "check_client_certificate",
    "check_headers",
    "check_jwt_payload",
    "check_mac_hash_format",
    "check_oauth_body",
    "check_payload_template",
    "check_rate_limit_rps",
    "check_required",
    "client_from_attributes",
    "custom_profile",
    "mtls_ssl_context",
    "render_payload",
    "required_secrets",
    "validate_custom_config",
]
