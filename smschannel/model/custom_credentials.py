"""`smschannel_custom_credentials`: any HTTP SMS provider, described by its URL, auth and payload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from smschannel.errors import Problem
from smschannel.model.base import Rule
from smschannel.model.credentials import CredentialsModel
from smschannel.model.fields import attr, secret
from smschannel.model.secrets import SecretRef
from smschannel.model.types import HttpsUrl, Text

AUTH_TYPES = ("api_key", "basic", "bearer", "oauth2", "jwt", "mac", "none")
Rps = Annotated[int, Field(strict=True, ge=0, le=10000)]


def _given(values: Mapping[str, Any], field: str) -> bool:
    ref = SecretRef.of(values, field)
    return ref.given


def _provider_rules(values: Mapping[str, Any]) -> list[Problem]:
    """Every rule of the provider's settings, from the rules the custom client itself enforces."""
    from smschannel.model.custom_rules import CustomProviderConfig, validate_custom_config

    if not isinstance(values.get("payload_template"), str) or not isinstance(values.get("provider_url"), str):
        return []  # required: reported by the per-attribute checks
    config = CustomProviderConfig(
        provider_name=str(values.get("provider_name") or ""), provider_url=values["provider_url"],
        payload_template=values["payload_template"], auth_type=str(values.get("auth_type") or "none"),
        provider_app_id=values.get("provider_app_id"), mac_hash_format=str(values.get("mac_hash_format") or "hex"),
        oauth_url=values.get("oauth_url"), oauth_body=values.get("oauth_body"),
        jwt_payload=values.get("jwt_payload"), mtls=bool(values.get("mtls")),
        headers=dict(values.get("headers") or {}), rate_limit_rps=float(values.get("rate_limit_rps") or 0),
        verify_url=values.get("verify_url"),
    )
    return validate_custom_config(
        config, has_api_token=_given(values, "api_token"), has_api_secret=_given(values, "api_secret"),
        has_client_certificate=_given(values, "client_cert") and _given(values, "client_key"))


class CustomCredentialsModel(CredentialsModel):
    """Any HTTP SMS provider: where messages are posted, how the request authenticates (API key, basic,
    bearer, OAuth 2 client credentials, JWT, MAC, optionally mutual TLS), and the JSON payload. When
    `verify_url` is set, it is called with the same authentication when the credentials are created and
    whenever a secret or the URL changes."""

    type_name: ClassVar[str] = "smschannel_custom_credentials"
    title: ClassVar[str] = "custom provider credentials"
    vendor: ClassVar[str] = "custom"
    provider: ClassVar[str] = "smschannel.providers.custom"
    needs_payload_mapping: ClassVar[bool] = True
    id_prefix: ClassVar[str] = "custcred"
    channels: ClassVar[frozenset[str]] = frozenset({"sms", "mms", "rcs"})
    verified_fields: ClassVar[tuple[str, ...]] = ("provider_url", "verify_url", "auth_type", "oauth_url",
                                                  "provider_app_id")
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule(("payload_template", "provider_url", "auth_type", "provider_app_id", "mac_hash_format", "oauth_url",
              "oauth_body", "jwt_payload", "mtls", "headers", "rate_limit_rps", "verify_url", "api_token",
              "api_token_env", "api_secret", "api_secret_env", "client_cert", "client_cert_env", "client_cert_file",
              "client_key", "client_key_env", "client_key_file"), _provider_rules),
    )

    provider_name: Text = attr("The provider's name, used in messages and logs.", example="Acme SMS")
    provider_app_id: Text | None = attr(
        "The application or account ID the provider gave you: the user name of `basic` auth, `{{appId}}` in "
        "templates, and the `X-App-Id` header of `mac` auth. When unset, none.", default=None)
    provider_url: HttpsUrl = attr(
        "Where messages are posted (https://; http:// only for loopback).",
        example="https://api.acme-sms.example/v1/messages")
    auth_type: Literal["api_key", "basic", "bearer", "oauth2", "jwt", "mac", "none"] = attr(
        "How requests authenticate: `api_key` (`X-API-Key` header), `basic` (`provider_app_id` and "
        "`api_token`), `bearer` (`api_token`), `oauth2` (client credentials from `oauth_url`), `jwt` (HS256 "
        "signed with `api_token`), `mac` (HMAC-SHA256 of the request with `api_secret`) or `none`.",
        example="bearer")
    api_token: SecretRef | None = secret(
        "The provider's API token or key (for `api_key`, `basic`, `bearer`, `jwt`, and `{{apiToken}}` in "
        "`oauth_body`).", example_env="CUSTOM_API_TOKEN", required=False)
    api_secret: SecretRef | None = secret(
        "The secret that signs `mac` requests (and `{{apiSecret}}` in `oauth_body`).",
        example_env="CUSTOM_API_SECRET", required=False)
    mac_hash_format: Literal["hex", "base64"] = attr(
        "`mac` auth: how the signature is encoded, `hex` or `base64`. When unset, `hex`.", default="hex")
    oauth_url: HttpsUrl | None = attr("`oauth2` auth: the token endpoint.", default=None)
    oauth_body: Text | None = attr(
        "`oauth2` auth: the JSON body of the token request, with `{{apiToken}}`, `{{apiSecret}}` and "
        "`{{appId}}` placeholders (so the secrets stay out of it). When unset, a client-credentials grant "
        "with `provider_app_id` and `api_token`.", default=None)
    jwt_payload: Text | None = attr(
        "`jwt` auth: the JSON claims to sign (`{{appId}}` allowed); `iat` and `exp` are added. When unset, "
        "no other claims.", default=None)
    mtls: bool = attr(
        "Whether requests present a client certificate (mutual TLS), given in `client_cert_*` and "
        "`client_key_*`. Works with any `auth_type`. When unset, false.", default=False)
    client_cert: SecretRef | None = secret(
        "The client certificate (PEM) for mutual TLS.", example_env="CUSTOM_CLIENT_CERT", required=False, file=True)
    client_key: SecretRef | None = secret(
        "The client certificate's private key (PEM, not encrypted) for mutual TLS.",
        example_env="CUSTOM_CLIENT_KEY", required=False, file=True)
    ca_cert: SecretRef | None = secret(
        "A CA certificate (PEM) to trust for the provider's TLS, for a private provider. When unset, the "
        "system's CAs.", example_env="CUSTOM_CA_CERT", required=False, file=True)
    headers: dict[str, str] | None = attr(
        "Extra request headers. `Content-Type: application/json; charset=utf-8` is always sent and cannot be "
        "replaced. When unset, none.", default=None)
    payload_template: Text = attr(
        "The JSON body of a message, with `{{toNumber}}`, `{{fromNumber}}` and `{{message}}` placeholders "
        "(required) and `{{appId}}`; it needs an `authOption` key when `auth_type` is `basic` or `bearer`. "
        "Values are JSON-escaped, so no message can break it.",
        example='{"to": "{{toNumber}}", "from": "{{fromNumber}}", "text": "{{message}}", "authOption": "bearer"}')
    rate_limit_rps: Rps = attr(
        "The most messages per second smschannel sends with these credentials; 0 means unlimited. When unset, 0.",
        default=0)
    verify_url: HttpsUrl | None = attr(
        "A read-only URL called with the same authentication to verify the credentials. When unset, "
        "the credentials are not checked.", default=None)


__all__ = ["AUTH_TYPES", "CustomCredentialsModel"]
