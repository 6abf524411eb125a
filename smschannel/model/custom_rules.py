"""A custom SMS provider's configuration, its JSON templates and the rules they must follow.

The model (its validation rule table), the provider and the registry call the `check_*` helpers
and `validate_custom_config`; each returns messages that start with the attribute name and never
quote a secret. This module itself uses only the stdlib.

Templates
---------
`payload_template`, `oauth_body` and `jwt_payload` are JSON text holding placeholders. A
placeholder is `{{name}}`: two braces, a name from the list below (case-sensitive, no spaces), two
braces. Placeholders are recognised **only inside JSON string values**, never in keys, numbers or
outside strings:

    payload_template   {{toNumber}} {{fromNumber}} {{message}} {{appId}}
    oauth_body         {{apiToken}} {{apiSecret}} {{appId}}
    jwt_payload        {{appId}}

`{{appId}}` is `provider_app_id`, `{{apiToken}}`/`{{apiSecret}}` the secrets `api_token` and
`api_secret` (so a token request can carry them while the configuration holds only placeholders).

Rendering parses the template as JSON first, replaces the placeholders inside each string value
in one pass (a value that itself contains `{{...}}`, such as a message quoting `{{message}}`, is
inserted literally and never expanded again), and serialises the result with `json.dumps`. The
JSON encoder escapes what needs escaping (quotes, backslashes, control characters such as
newlines) and keeps every other character, emoji included, as UTF-8, so no message can break the
JSON or inject keys. A string that is exactly one placeholder, `"{{toNumber}}"`, becomes exactly
that value; values are always JSON strings (a number such as `+15005550006` stays a string).

When `auth_type` is basic or bearer the template must also have a top-level `"authOption"` key
(the provider reads it to pick its authentication); its value is sent as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from smschannel.errors import Problem

AUTH_TYPES = ("api_key", "basic", "bearer", "oauth2", "jwt", "mac", "none")
MAC_HASH_FORMATS = ("hex", "base64")

CONTENT_TYPE = "application/json; charset=utf-8"
"""The Content-Type of every request smschannel sends to a custom provider; `headers` cannot change it."""

API_KEY_HEADER = "X-API-Key"
MAC_APP_ID_HEADER = "X-App-Id"
MAC_TIMESTAMP_HEADER = "X-Timestamp"
MAC_NONCE_HEADER = "X-Nonce"
MAC_SIGNATURE_HEADER = "X-Signature"

JWT_LIFETIME_SECONDS = 300
"""How long a JWT smschannel signs is valid: `exp` = `iat` + 300 s (a new token signs each request)."""

PAYLOAD_PLACEHOLDERS = ("toNumber", "fromNumber", "message", "appId")
REQUIRED_PAYLOAD_PLACEHOLDERS = ("toNumber", "fromNumber", "message")
OAUTH_PLACEHOLDERS = ("apiToken", "apiSecret", "appId")
JWT_PLACEHOLDERS = ("appId",)

DEFAULT_OAUTH_BODY = '{"grant_type": "client_credentials", "client_id": "{{appId}}", "client_secret": "{{apiToken}}"}'
"""The token request body when `oauth_body` is unset: OAuth 2.0 client credentials, as JSON."""

# auth_type -> the request headers smschannel sets for it (a `headers` entry may not set them).
AUTH_HEADERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "api_key": (API_KEY_HEADER,),
        "basic": ("Authorization",),
        "bearer": ("Authorization",),
        "oauth2": ("Authorization",),
        "jwt": ("Authorization",),
        "mac": (MAC_APP_ID_HEADER, MAC_TIMESTAMP_HEADER, MAC_NONCE_HEADER, MAC_SIGNATURE_HEADER),
        "none": (),
    }
)
# Headers the HTTP layer computes for every request.
_COMPUTED_HEADERS = ("Content-Length", "Host", "Transfer-Encoding", "Connection")

PLACEHOLDER = re.compile(r"\{\{([A-Za-z][A-Za-z0-9_]*)\}\}")
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 token
_SECRET_KEYS = frozenset({"client_secret", "password"})


@dataclass(frozen=True, kw_only=True)
class CustomProviderConfig:
    """The non-secret attributes of a custom provider credential (`smschannel_custom_credentials`).

    The secrets (`api_token`, `api_secret`, the client certificate's private key) are never part of
    it: they go to `CustomProviderClient` separately, so no repr, diff or message can show them.
    `headers` is copied into a read-only mapping.
    """

    provider_name: str
    provider_url: str
    payload_template: str
    auth_type: str = "none"
    provider_app_id: str | None = None
    mac_hash_format: str = "hex"
    oauth_url: str | None = None
    oauth_body: str | None = None
    jwt_payload: str | None = None
    mtls: bool = False
    headers: Mapping[str, str] = field(default_factory=dict, hash=False)
    rate_limit_rps: float = 0.0
    verify_url: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))


# -- rendering ---------------------------------------------------------------------------------


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not JSON")


def parse_template(text: str, *, attribute: str) -> Any:
    """The JSON value of a template; ValueError("<attribute> is not valid JSON: ...") when it is not."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except _NotJson as exc:
        raise ValueError(f"{attribute} is not valid JSON: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{attribute} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except TypeError:
        raise ValueError(f"{attribute} must be JSON text") from None


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _keys(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)


def placeholders(node: Any) -> list[str]:
    """The placeholder names used in the string values of a parsed template, in order of appearance."""
    found: list[str] = []
    for text in _strings(node):
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) not in found:
                found.append(match.group(1))
    return found


def fill(node: Any, values: Mapping[str, str]) -> Any:
    """A copy of a parsed template with the placeholders of `values` replaced in every string value.

    One pass per string: text coming from `values` is never scanned again. Names not in `values`
    are left as they are.
    """
    if isinstance(node, str):
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), node)
    if isinstance(node, list):
        return [fill(item, values) for item in node]
    if isinstance(node, dict):
        return {key: fill(value, values) for key, value in node.items()}
    return node


def _unicode(value: str, what: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} is not valid Unicode text (it holds a lone surrogate)") from None
    return value


def render_payload(
    payload_template: str, *, to: str, from_: str, message: str, app_id: str | None = None
) -> dict[str, Any]:
    """The JSON object to POST: `payload_template` with `{{toNumber}}`, `{{fromNumber}}`,
    `{{message}}` and `{{appId}}` filled in (see the module docstring for the exact rules)."""
    template = parse_template(payload_template, attribute="payload_template")
    if not isinstance(template, dict):
        raise ValueError(f"payload_template must be a JSON object, got {_json_kind(template)}")
    values = {
        "toNumber": _unicode(to, "to"),
        "fromNumber": _unicode(from_, "from_"),
        "message": _unicode(message, "message"),
        "appId": app_id or "",
    }
    rendered: dict[str, Any] = fill(template, values)
    return rendered


def render_body(payload: Any) -> bytes:
    """How a rendered template goes on the wire: compact JSON, UTF-8 (what httpx sends for `json=`)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


# -- validation: each check returns a message that starts with the attribute, or None ----------


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a JSON array"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool):
        return "a JSON boolean"
    if value is None:
        return "JSON null"
    return "a JSON number"


def _names(names: tuple[str, ...]) -> str:
    shown = [f"{{{{{n}}}}}" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _and(names: list[str]) -> str:
    shown = [f"{{{{{n}}}}}" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _object_template(
    text: str, *, attribute: str, allowed: tuple[str, ...]
) -> tuple[dict[str, Any] | None, str | None]:
    try:
        node = parse_template(text, attribute=attribute)
    except ValueError as exc:
        return None, str(exc)
    if not isinstance(node, dict):
        return None, f"{attribute} must be a JSON object, got {_json_kind(node)}"
    for key in _keys(node):
        match = PLACEHOLDER.search(key)
        if match:
            return None, f"{attribute} cannot use placeholders in keys, found {match.group(0)} in the key {key!r}"
    for name in placeholders(node):
        if name not in allowed:
            return None, f"{attribute} has an unknown placeholder {{{{{name}}}}}; use {_names(allowed)}"
    return node, None


def check_auth_type(auth_type: str) -> str | None:
    if auth_type not in AUTH_TYPES:
        return f"auth_type must be one of {', '.join(AUTH_TYPES)}, got {auth_type!r}"
    return None


def check_mac_hash_format(mac_hash_format: str) -> str | None:
    if mac_hash_format not in MAC_HASH_FORMATS:
        return f"mac_hash_format must be one of {', '.join(MAC_HASH_FORMATS)}, got {mac_hash_format!r}"
    return None


def check_rate_limit_rps(rate_limit_rps: float) -> str | None:
    if rate_limit_rps < 0:
        return f"rate_limit_rps must be 0 (unlimited) or more, got {rate_limit_rps:g}"
    return None


def check_payload_template(payload_template: str, *, auth_type: str) -> str | None:
    """JSON object; `{{toNumber}}`, `{{fromNumber}}`, `{{message}}` in string values; only known
    placeholders; a top-level `"authOption"` key when `auth_type` is basic or bearer."""
    node, problem = _object_template(payload_template, attribute="payload_template", allowed=PAYLOAD_PLACEHOLDERS)
    if node is None:
        return problem
    used = placeholders(node)
    missing = [name for name in REQUIRED_PAYLOAD_PLACEHOLDERS if name not in used]
    if missing:
        return f"payload_template must contain {_and(missing)}"
    if auth_type in ("basic", "bearer") and "authOption" not in node:
        return f'payload_template must have an "authOption" key when auth_type is {auth_type}'
    return None


def check_oauth_body(oauth_body: str) -> str | None:
    """JSON object with only `{{apiToken}}`, `{{apiSecret}}`, `{{appId}}` placeholders, and no
    literal `client_secret` or `password` (they belong in `api_token`/`api_secret`)."""
    node, problem = _object_template(oauth_body, attribute="oauth_body", allowed=OAUTH_PLACEHOLDERS)
    if node is None:
        return problem
    for key, value in _pairs(node):
        if key.lower() in _SECRET_KEYS and isinstance(value, str) and value and not PLACEHOLDER.search(value):
            return (
                f'oauth_body must not hold the secret "{key}" itself: write "{{{{apiToken}}}}" (or'
                ' "{{apiSecret}}") there and give the secret as api_token_env (or api_secret_env)'
            )
    return None


def _pairs(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _pairs(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _pairs(value)


def check_jwt_payload(jwt_payload: str) -> str | None:
    """JSON object of claims, `{{appId}}` the only placeholder; `iat` and `exp` are smschannel's."""
    node, problem = _object_template(jwt_payload, attribute="jwt_payload", allowed=JWT_PLACEHOLDERS)
    if node is None:
        return problem
    for claim in ("iat", "exp"):
        if claim in node:
            return (
                f"jwt_payload cannot set {claim}: smschannel sets iat and exp on every token it signs"
                f" (lifetime {JWT_LIFETIME_SECONDS} s)"
            )
    return None


def check_headers(headers: Mapping[str, str], *, auth_type: str) -> str | None:
    """Valid names and values; not Content-Type, not what the HTTP layer computes, not the auth headers."""
    reserved = {name.lower(): name for name in AUTH_HEADERS.get(auth_type, ())}
    computed = {name.lower(): name for name in _COMPUTED_HEADERS}
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            return f"headers has an invalid header name {name!r}: use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~"
        if not isinstance(value, str) or any(c in value for c in "\r\n\0"):
            return f"headers[{name!r}] must be text on one line (no line breaks)"
        lower = name.lower()
        if lower == "content-type":
            return f"headers cannot set Content-Type: smschannel always sends {CONTENT_TYPE}"
        if lower in computed:
            return f"headers cannot set {computed[lower]}: it is computed for every request"
        if lower in reserved:
            return f"headers cannot set {reserved[lower]}: auth_type {auth_type} sets it"
    return None


def check_client_certificate(cert_pem: str, key_pem: str) -> str | None:
    """The shape of a client certificate and key (PEM text); never quotes them."""
    if "-----BEGIN CERTIFICATE-----" not in cert_pem:
        return "mtls needs a PEM client certificate (-----BEGIN CERTIFICATE-----); the one given is not"
    if not re.search(r"-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----", key_pem):
        return (
            "mtls needs a PEM private key (-----BEGIN PRIVATE KEY-----) for the client certificate;"
            " the one given is not"
        )
    if "-----BEGIN ENCRYPTED PRIVATE KEY-----" in key_pem or "Proc-Type: 4,ENCRYPTED" in key_pem:
        return "mtls needs the client private key unencrypted; the one given is protected by a passphrase"
    return None


def _oauth_placeholders(config: CustomProviderConfig) -> list[str]:
    try:
        return placeholders(parse_template(config.oauth_body or DEFAULT_OAUTH_BODY, attribute="oauth_body"))
    except ValueError:  # check_oauth_body reports it
        return []


def required_secrets(config: CustomProviderConfig) -> tuple[str, ...]:
    """The secret attributes a configuration needs (`api_token`, `api_secret`), by auth type and oauth_body."""
    auth_type = config.auth_type
    if auth_type in ("api_key", "basic", "bearer", "jwt"):
        return ("api_token",)
    if auth_type == "mac":
        return ("api_secret",)
    if auth_type == "oauth2":
        used = _oauth_placeholders(config)
        pairs = (("apiToken", "api_token"), ("apiSecret", "api_secret"))
        return tuple(secret for name, secret in pairs if name in used)
    return ()


def check_required(
    config: CustomProviderConfig, *, has_api_token: bool, has_api_secret: bool, has_client_certificate: bool
) -> list[Problem]:
    """What the auth type (and mtls) needs but is missing: one Problem per missing attribute."""
    auth_type = config.auth_type
    problems: list[Problem] = []
    given = {"api_token": has_api_token, "api_secret": has_api_secret}
    for secret in required_secrets(config):
        if not given[secret]:
            why = f"auth_type is {auth_type}"
            if auth_type == "oauth2":
                placeholder = "{{apiToken}}" if secret == "api_token" else "{{apiSecret}}"
                source = "oauth_body" if config.oauth_body else "the default oauth_body"
                why = f"{source} uses {placeholder}"
            problems.append(Problem(secret, f"{secret} is required when {why} (set {secret}_env or {secret})"))
    if not config.provider_app_id:
        if auth_type == "basic":
            problems.append(Problem("provider_app_id", "provider_app_id is required when auth_type is basic"))
        elif auth_type == "oauth2" and "appId" in _oauth_placeholders(config):
            source = "oauth_body" if config.oauth_body else "the default oauth_body"
            problems.append(Problem("provider_app_id", f"provider_app_id is required when {source} uses {{{{appId}}}}"))
    if auth_type == "oauth2" and not config.oauth_url:
        problems.append(Problem("oauth_url", "oauth_url is required when auth_type is oauth2"))
    if config.mtls and not has_client_certificate:
        problems.append(Problem("mtls", "mtls is true but no client certificate and private key were given"))
    return problems


def validate_custom_config(
    config: CustomProviderConfig,
    *,
    has_api_token: bool,
    has_api_secret: bool,
    has_client_certificate: bool,
) -> list[Problem]:
    """Every rule of a custom provider configuration; an empty list when it is valid."""
    checks: list[tuple[str, Callable[[], str | None]]] = [
        ("auth_type", lambda: check_auth_type(config.auth_type)),
        ("payload_template", lambda: check_payload_template(config.payload_template, auth_type=config.auth_type)),
        ("headers", lambda: check_headers(config.headers, auth_type=config.auth_type)),
        ("rate_limit_rps", lambda: check_rate_limit_rps(config.rate_limit_rps)),
    ]
    if config.auth_type == "mac":
        checks.append(("mac_hash_format", lambda: check_mac_hash_format(config.mac_hash_format)))
    if config.auth_type == "oauth2" and config.oauth_body is not None:
        body = config.oauth_body
        checks.append(("oauth_body", lambda: check_oauth_body(body)))
    if config.auth_type == "jwt" and config.jwt_payload is not None:
        claims = config.jwt_payload
        checks.append(("jwt_payload", lambda: check_jwt_payload(claims)))
    problems = [Problem(attribute, message) for attribute, check in checks if (message := check()) is not None]
    if config.auth_type in AUTH_TYPES:
        problems.extend(
            check_required(
                config,
                has_api_token=has_api_token,
                has_api_secret=has_api_secret,
                has_client_certificate=has_client_certificate,
            )
        )
    return problems


__all__ = [
    "API_KEY_HEADER",
    "AUTH_HEADERS",
    "AUTH_TYPES",
    "CONTENT_TYPE",
    "DEFAULT_OAUTH_BODY",
    "JWT_LIFETIME_SECONDS",
    "JWT_PLACEHOLDERS",
    "MAC_APP_ID_HEADER",
    "MAC_HASH_FORMATS",
    "MAC_NONCE_HEADER",
    "MAC_SIGNATURE_HEADER",
    "MAC_TIMESTAMP_HEADER",
    "OAUTH_PLACEHOLDERS",
    "PAYLOAD_PLACEHOLDERS",
    "PLACEHOLDER",
    "REQUIRED_PAYLOAD_PLACEHOLDERS",
    "CustomProviderConfig",
    "check_auth_type",
    "check_client_certificate",
    "check_headers",
    "check_jwt_payload",
    "check_mac_hash_format",
    "check_oauth_body",
    "check_payload_template",
    "check_rate_limit_rps",
    "check_required",
    "fill",
    "parse_template",
    "placeholders",
    "render_body",
    "render_payload",
    "required_secrets",
    "validate_custom_config",
]
