"""The `provider "smschannel"` block: where the registry is, the token, the sandbox, local vendors.

Its `vendor_endpoint` settings are the one list of vendor API addresses: the provider block, the
registry's environment (`RegistrySettings.from_env`) and the SMS providers (`VendorEndpoints`) all
read them from here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from smschannel.model.base import AttributeSpec, ResourceModel, attribute_specs
from smschannel.model.fields import attr
from smschannel.model.types import HttpsUrl, Text
from smschannel.scopes import PRODUCTION


class ProviderConfigModel(ResourceModel):
    """Settings of the smschannel provider. Each may come from an environment variable instead."""

    type_name: ClassVar[str] = "smschannel"
    title: ClassVar[str] = "provider smschannel"
    scope: ClassVar[str] = ""

    endpoint: HttpsUrl | None = attr(
        "The registry's address, e.g. `https://smschannel.example.com`. Read from `SMSCHANNEL_ENDPOINT` "
        "when unset; required one way or the other.",
        default=None, env="SMSCHANNEL_ENDPOINT", example="http://127.0.0.1:8600",
    )
    token: Text | None = attr(
        "The registry API token. Read from `SMSCHANNEL_TOKEN` when unset (recommended: the token then "
        "stays out of the configuration). Its scopes are checked when Terraform plans.",
        default=None, sensitive=True, env="SMSCHANNEL_TOKEN",
    )
    sandbox: Text | None = attr(
        "The sandbox the objects live in. Read from `SMSCHANNEL_SANDBOX` when unset; when both are "
        "unset, `prod`.",
        default=None, env="SMSCHANNEL_SANDBOX", example=PRODUCTION,
    )
    twilio_url: HttpsUrl | None = attr(
        "The Twilio REST API's address, for local vendors. Read from `SMSCHANNEL_TWILIO_URL` when unset; "
        "when both are unset, `https://api.twilio.com`.",
        default=None, env="SMSCHANNEL_TWILIO_URL", vendor_endpoint=True,
    )
    twilio_messaging_url: HttpsUrl | None = attr(
        "The Twilio Messaging API's address, for local vendors. Read from `SMSCHANNEL_TWILIO_MESSAGING_URL` "
        "when unset; when both are unset, `twilio_url` if set, else `https://messaging.twilio.com`.",
        default=None, env="SMSCHANNEL_TWILIO_MESSAGING_URL", vendor_endpoint=True,
    )
    sinch_conversation_url: HttpsUrl | None = attr(
        "The Sinch Conversation API's address (MMS and RCS), for local vendors; it replaces every regional "
        "address. Read from `SMSCHANNEL_SINCH_CONVERSATION_URL` when unset; when both are unset, the "
        "region's own address.",
        default=None, env="SMSCHANNEL_SINCH_CONVERSATION_URL", vendor_endpoint=True,
    )
    sinch_url: HttpsUrl | None = attr(
        "The Sinch SMS API's address, for local vendors; it replaces every regional address. Read from "
        "`SMSCHANNEL_SINCH_URL` when unset; when both are unset, the region's own address.",
        default=None, env="SMSCHANNEL_SINCH_URL", vendor_endpoint=True,
    )



def endpoint_settings() -> tuple[AttributeSpec, ...]:
    """The provider settings that hold a vendor API's address, each with its environment variable."""
    return tuple(s for s in attribute_specs(ProviderConfigModel) if s.vendor_endpoint)


class VendorEndpoints(Mapping[str, str]):
    """Where vendors' APIs are, by setting name (`twilio_url`, ...); a setting not in it means the
    vendor's real address. (Infobip and custom providers are addressed by their credentials' own
    `base_url` / `provider_url`.)"""

    def __init__(self, urls: Mapping[str, str | None] | None = None) -> None:
        known = {s.name for s in endpoint_settings()}
        unknown = sorted(set(urls or {}) - known)
        if unknown:
            raise ValueError(f"{unknown[0]} is not a vendor endpoint setting; they are {', '.join(sorted(known))}")
        self._urls = {k: v for k, v in (urls or {}).items() if v}

    @classmethod
    def resolve(cls, values: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> VendorEndpoints:
        """Each setting from `values`, else from its environment variable."""
        env = os.environ if environ is None else environ
        return cls({s.name: values.get(s.name) or (env.get(s.env) if s.env else None) for s in endpoint_settings()})

    def __getitem__(self, name: str) -> str:
        return self._urls[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._urls)

    def __len__(self) -> int:
        return len(self._urls)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._urls.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VendorEndpoints) and self._urls == other._urls

    def __repr__(self) -> str:
        return f"VendorEndpoints({self._urls!r})"


__all__ = ["ProviderConfigModel", "VendorEndpoints", "endpoint_settings"]
