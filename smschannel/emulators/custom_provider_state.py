"""The local custom provider's data: applications (one per auth type by default), the OAuth2
tokens it issued, the MAC nonces it has seen, and the outbox of accepted messages.

`seed_custom_providers(state, seed, url=..., mtls_url=..., pki=...)` adds one application per
`auth_type` (plus one that requires mutual TLS) and returns, per application, the attributes of an
`smschannel_custom_credentials` that reaches it, so `smschannel up` can list them.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypedDict

from smschannel.model.custom_rules import AUTH_TYPES, DEFAULT_OAUTH_BODY

from ._control import Control

if TYPE_CHECKING:
    from .custom_provider_tls import CustomProviderPki

MAC_WINDOW_SECONDS = 300.0
"""How far an `X-Timestamp` may be from the local provider's clock, and how long it remembers a nonce."""

MAX_JWT_LIFETIME_SECONDS = 3600
"""The local provider refuses a JWT whose `exp` is more than this after its `iat`."""

JWT_LEEWAY_SECONDS = 60
"""How far in the future a JWT's `iat` may be (clock skew)."""


def custom_error_body(status: int, *, code: str | None = None, message: str | None = None) -> dict[str, Any]:
    """The local provider's error body: {"error": "invalid_api_key", "message": "..."}."""
    phrase = HTTPStatus(status).phrase
    return {"error": code or phrase.lower().replace(" ", "_").replace("-", "_"), "message": message or phrase}


@dataclass
class CustomAppRecord:
    """One application of the local provider, reached at `/{name}/messages` and `/{name}/verify`.

    `jwt_claims` are claims a JWT must carry (403 otherwise); `mtls` apps answer only over the
    mutual-TLS server (403 on the plain one); `token_lifetime` is the `expires_in` of OAuth2 tokens.
    """

    name: str
    auth_type: str
    app_id: str
    api_token: str | None = None
    api_secret: str | None = None
    mac_hash_format: str = "hex"
    mtls: bool = False
    token_lifetime: int = 3600
    jwt_claims: dict[str, Any] = field(default_factory=dict)


@dataclass
class IssuedToken:
    value: str
    app: str
    expires_at: float


@dataclass
class CustomMessageRecord:
    """An accepted message: the parsed JSON body and how the request authenticated."""

    id: str
    app: str
    auth_type: str
    mtls: bool
    body: Any
    headers: dict[str, str]
    jwt_claims: dict[str, Any] | None
    received_at: float

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "app": self.app,
            "auth_type": self.auth_type,
            "mtls": self.mtls,
            "body": self.body,
            "headers": dict(self.headers),
            "jwt_claims": self.jwt_claims,
            "received_at": self.received_at,
        }


@dataclass(frozen=True)
class VerifyCall:
    app: str
    auth_type: str
    mtls: bool


class CustomProviderState:
    """Everything the local custom provider knows. Mutate through the methods (they take the lock).

    `clock` is the wall clock (seconds since the epoch) used for token expiry, JWT times and MAC
    timestamps; tests pass a fake one.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        mac_window: float = MAC_WINDOW_SECONDS,
    ) -> None:
        self.apps: dict[str, CustomAppRecord] = {}
        self.outbox: list[CustomMessageRecord] = []
        self.tokens: dict[str, IssuedToken] = {}
        self.token_requests: list[str] = []  # app names, one per token issued
        self.verify_calls: list[VerifyCall] = []
        self.clock = clock
        self._clock = clock
        self.mac_window = mac_window
        self.lock = threading.RLock()
        self.control = Control(custom_error_body)
        self._nonces: dict[str, float] = {}
        self._rng = random.Random(f"custom-runtime-{seed}")  # apart from the seed_custom_providers() values

    def reset(self) -> None:
        """Forget everything (applications, tokens, nonces, outbox, faults, journal); restore the clock."""
        with self.lock:
            self.apps.clear()
            self.outbox.clear()
            self.tokens.clear()
            self.token_requests.clear()
            self.verify_calls.clear()
            self._nonces.clear()
            self.clock = self._clock
            self.control.faults.clear()
            self.control.journal.clear()

    def new_id(self, prefix: str, rng: random.Random | None = None) -> str:
        return prefix + (rng or self._rng).getrandbits(128).to_bytes(16, "big").hex()

    def add_app(
        self,
        name: str,
        *,
        auth_type: str,
        app_id: str | None = None,
        api_token: str | None = None,
        api_secret: str | None = None,
        mac_hash_format: str = "hex",
        mtls: bool = False,
        token_lifetime: int = 3600,
        jwt_claims: dict[str, Any] | None = None,
    ) -> CustomAppRecord:
        if auth_type not in AUTH_TYPES:
            raise ValueError(f"auth_type must be one of {', '.join(AUTH_TYPES)}, got {auth_type!r}")
        with self.lock:
            record = CustomAppRecord(
                name=name,
                auth_type=auth_type,
                app_id=app_id or self.new_id("app-")[:16],
                api_token=api_token,
                api_secret=api_secret,
                mac_hash_format=mac_hash_format,
                mtls=mtls,
                token_lifetime=token_lifetime,
                jwt_claims=dict(jwt_claims or {}),
            )
            self.apps[name] = record
            return record

    # -- OAuth2 ----------------------------------------------------------------------------------

    def issue_token(self, app: CustomAppRecord) -> IssuedToken:
        with self.lock:
            token = IssuedToken(self.new_id("at-"), app.name, self.clock() + app.token_lifetime)
            self.tokens[token.value] = token
            self.token_requests.append(app.name)
            return token

    def find_token(self, value: str) -> IssuedToken | None:
        with self.lock:
            return self.tokens.get(value)

    def expire_tokens(self, app: str | None = None) -> int:
        """Make every issued token (of `app`, or of every app) expired now; return how many."""
        with self.lock:
            now, count = self.clock(), 0
            for token in self.tokens.values():
                if (app is None or token.app == app) and token.expires_at > now:
                    token.expires_at = now
                    count += 1
            return count

    # -- MAC -------------------------------------------------------------------------------------

    def use_nonce(self, nonce: str) -> bool:
        """Remember `nonce`; False when it was already used inside the window (a replay)."""
        with self.lock:
            now = self.clock()
            for seen, at in list(self._nonces.items()):
                if at < now - self.mac_window:
                    del self._nonces[seen]
            if nonce in self._nonces:
                return False
            self._nonces[nonce] = now
            return True

    # -- outbox ----------------------------------------------------------------------------------

    def record_message(self, message: CustomMessageRecord) -> None:
        with self.lock:
            self.outbox.append(message)

    def record_verify(self, call: VerifyCall) -> None:
        with self.lock:
            self.verify_calls.append(call)

    def outbox_json(self) -> list[dict[str, Any]]:
        with self.lock:
            return [m.as_json() for m in self.outbox]


class CustomProviderFacts(TypedDict):
    """The attributes of an `smschannel_custom_credentials` that reaches one seeded application
    (secrets included: a person exports them as the `*_env` variables). None: not used."""

    provider_name: str
    auth_type: str
    mtls: bool
    provider_app_id: str
    provider_url: str
    verify_url: str
    payload_template: str
    api_token: str | None
    api_secret: str | None
    mac_hash_format: str | None
    oauth_url: str | None
    oauth_body: str | None
    jwt_payload: str | None
    client_cert_file: str | None
    client_key_file: str | None
    ca_cert_file: str | None


class CustomProviderSeed(TypedDict):
    """The local custom provider: its two addresses, the CA of its HTTPS server, and per
    application (`api_key`, `basic`, `bearer`, `oauth2`, `jwt`, `mac`, `none`, `mtls`) its facts."""

    url: str
    mtls_url: str | None
    ca_cert_file: str | None
    providers: dict[str, CustomProviderFacts]


SEED_PROVIDER_NAME = "Local SMS"
SEED_JWT_AUDIENCE = "local-sms"


def payload_template_for(auth_type: str) -> str:
    """The seeded template: {"to", "from", "text"} (+ "authOption" for basic and bearer)."""
    template = {"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}"}
    if auth_type in ("basic", "bearer"):
        template["authOption"] = auth_type
    return json.dumps(template)


def seed_custom_providers(
    state: CustomProviderState,
    seed: int | random.Random = 0,
    *,
    url: str,
    mtls_url: str | None = None,
    pki: CustomProviderPki | None = None,
) -> CustomProviderSeed:
    """Add one application per auth type (and an `mtls` one when `mtls_url` and `pki` are given)
    and describe each. `url` is the plain server's address, `mtls_url` the mutual-TLS server's.
    The same `seed` always gives the same IDs and secrets."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    url = url.rstrip("/")
    providers: dict[str, CustomProviderFacts] = {}
    names = list(AUTH_TYPES) + (["mtls"] if mtls_url and pki else [])
    for name in names:
        auth_type = "none" if name == "mtls" else name
        app_id = state.new_id("app-", rng)[:20]
        token = state.new_id("", rng) if auth_type in ("api_key", "basic", "bearer", "oauth2", "jwt") else None
        secret = state.new_id("", rng) if auth_type == "mac" else None
        claims = {"iss": app_id, "aud": SEED_JWT_AUDIENCE} if auth_type == "jwt" else None
        state.add_app(
            name,
            auth_type=auth_type,
            app_id=app_id,
            api_token=token,
            api_secret=secret,
            mtls=name == "mtls",
            jwt_claims=claims,
        )
        base = (mtls_url or url).rstrip("/") if name == "mtls" else url
        providers[name] = CustomProviderFacts(
            provider_name=SEED_PROVIDER_NAME,
            auth_type=auth_type,
            mtls=name == "mtls",
            provider_app_id=app_id,
            provider_url=f"{base}/{name}/messages",
            verify_url=f"{base}/{name}/verify",
            payload_template=payload_template_for(auth_type),
            api_token=token,
            api_secret=secret,
            mac_hash_format="hex" if auth_type == "mac" else None,
            oauth_url=f"{base}/{name}/oauth/token" if auth_type == "oauth2" else None,
            oauth_body=DEFAULT_OAUTH_BODY if auth_type == "oauth2" else None,
            jwt_payload=json.dumps({"iss": "{{appId}}", "aud": SEED_JWT_AUDIENCE}) if auth_type == "jwt" else None,
            client_cert_file=str(pki.client_cert) if name == "mtls" and pki else None,
            client_key_file=str(pki.client_key) if name == "mtls" and pki else None,
            ca_cert_file=str(pki.ca_cert) if name == "mtls" and pki else None,
        )
    return CustomProviderSeed(
        url=url,
        mtls_url=mtls_url.rstrip("/") if mtls_url else None,
        ca_cert_file=str(pki.ca_cert) if pki else None,
        providers=providers,
    )
