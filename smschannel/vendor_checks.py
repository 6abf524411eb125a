"""The checks smschannel makes against vendors, shared by the provider (at plan) and the registry.

- `verify_credentials`: the verify-connection step, a cheap read-only call that proves the account
  and secret work (Twilio: fetch the account; Sinch: list the service plan's batches).
- `check_sender`: whether a configuration's sender may send over the credentials (Twilio: the number
  belongs to the account or to its messaging service).

Vendor clients are imported only when a check runs, so the provider starts fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smschannel.errors import VendorError


@dataclass(frozen=True)
class VendorEndpoints:
    """Where each vendor's API is; None means the vendor's real address."""

    twilio: str | None = None
    twilio_messaging: str | None = None
    sinch: str | None = None


def verify_credentials(
    vendor: str, attributes: Mapping[str, Any], secrets: Mapping[str, str], endpoints: VendorEndpoints
) -> None:
    """Raise a `VendorError` (the vendor's own code and message, never the secret) unless they work."""
    if vendor == "twilio":
        from smschannel.providers.vendors.twilio import TwilioClient

        with _twilio(attributes, secrets, endpoints, TwilioClient) as client:
            client.verify()
    elif vendor == "sinch":
        from smschannel.providers.vendors.sinch import SinchClient

        with _sinch(attributes, secrets, endpoints, SinchClient) as sinch:
            sinch.verify()
    else:  # pragma: no cover - every credentials model names a vendor handled above
        raise VendorError(f"no verify-connection step for vendor {vendor}", vendor=vendor)


def check_sender(
    vendor: str,
    attributes: Mapping[str, Any],
    secrets: Mapping[str, str],
    sender: str,
    endpoints: VendorEndpoints,
) -> str | None:
    """Why `sender` cannot send over these credentials, or None when it can (or the vendor can't tell)."""
    if vendor == "twilio":
        from smschannel.model.types import is_alphanumeric_sender
        from smschannel.providers.vendors.twilio import TwilioClient

        service = attributes.get("messaging_service_sid")
        with _twilio(attributes, secrets, endpoints, TwilioClient) as client:
            if is_alphanumeric_sender(sender) or client.owns_sender(sender, messaging_service_sid=service):
                return None
        where = f"the messaging service {service}" if service else f"the Twilio account {attributes['account_sid']}"
        return f"the sender number {sender} does not belong to {where}"
    if vendor == "sinch":
        from smschannel.providers.vendors.sinch import SinchClient

        with _sinch(attributes, secrets, endpoints, SinchClient) as sinch:
            sinch.verify()
        return None
    return None


def _twilio(attributes: Mapping[str, Any], secrets: Mapping[str, str], endpoints: VendorEndpoints, cls: Any) -> Any:
    kwargs: dict[str, Any] = {}
    if endpoints.twilio:
        kwargs["base_url"] = endpoints.twilio
    if endpoints.twilio_messaging or endpoints.twilio:
        kwargs["messaging_base_url"] = endpoints.twilio_messaging or endpoints.twilio
    return cls(attributes["account_sid"], secrets["auth_token"], **kwargs)


def _sinch(attributes: Mapping[str, Any], secrets: Mapping[str, str], endpoints: VendorEndpoints, cls: Any) -> Any:
    return cls(
        attributes["service_plan_id"],
        secrets["api_token"],
        region=attributes.get("region") or "us",
        base_url=endpoints.sinch,
    )


__all__ = ["VendorEndpoints", "check_sender", "verify_credentials"]
