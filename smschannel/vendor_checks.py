"""The checks smschannel makes against vendors, shared by the provider (at plan) and the registry.

- `verify_credentials`: the verify-connection step, a cheap read-only call that proves the account
  and secret work (Twilio: fetch the account; Sinch: list the service plan's batches; Sinch MMS/RCS:
  read the Conversation API app, and for RCS the SMS fallback plan too; Infobip: the account
  balance; custom: the optional `verify_url`).
- `check_sender`: whether a configuration's sender may send over the credentials (Twilio: the number
  belongs to the account or to its messaging service; Infobip: the number belongs to the account).

Vendor clients are imported only when a check runs, so the provider starts fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smschannel.errors import VendorError


@dataclass(frozen=True)
class VendorEndpoints:
    """Where each vendor's API is; None means the vendor's real address. (Infobip and custom providers
    are addressed by their credentials' own `base_url` / `provider_url`.)"""

    twilio: str | None = None
    twilio_messaging: str | None = None
    sinch: str | None = None
    sinch_conversation: str | None = None


def verify_credentials(vendor: str, attributes: Mapping[str, Any], secrets: Mapping[str, str],
                       endpoints: VendorEndpoints, *, kind: str = "") -> None:
    """Raise a `VendorError` (the vendor's own code and message, never the secret) unless they work."""
    if vendor == "twilio":
        with twilio_client(attributes, secrets, endpoints) as client:
            client.verify()
    elif vendor == "sinch":
        with sinch_client(attributes, secrets["api_token"], endpoints) as sinch:
            sinch.verify()
    elif vendor == "sinch_conversational":
        with conversation_client(attributes, secrets, endpoints) as conversation:
            conversation.verify()
        if kind == "sinch_rcs_credentials":
            with sinch_client(attributes, secrets["sms_api_token"], endpoints) as sinch:
                sinch.verify()
    elif vendor == "infobip":
        with infobip_client(attributes, secrets) as infobip:
            infobip.verify()
    elif vendor == "custom":
        with custom_client(attributes, secrets) as custom:
            custom.verify()
    else:  # pragma: no cover - every credentials model names a vendor handled above
        raise VendorError(f"no verify-connection step for vendor {vendor}", vendor=vendor)


def check_sender(vendor: str, attributes: Mapping[str, Any], secrets: Mapping[str, str], sender: str,
                 endpoints: VendorEndpoints, *, kind: str = "") -> str | None:
    """Why `sender` cannot send over these credentials, or None when it can (or the vendor can't tell)."""
    from smschannel.model.types import is_alphanumeric_sender

    if is_alphanumeric_sender(sender):
        return None
    if vendor == "twilio":
        service = attributes.get("messaging_service_sid")
        with twilio_client(attributes, secrets, endpoints) as client:
            if client.owns_sender(sender, messaging_service_sid=service):
                return None
        where = f"the messaging service {service}" if service else f"the Twilio account {attributes['account_sid']}"
        return f"the sender number {sender} does not belong to {where}"
    if vendor == "infobip":
        with infobip_client(attributes, secrets) as infobip:
            if infobip.owns_number(sender):
                return None
        return f"the sender number {sender} does not belong to the Infobip account at {attributes['base_url']}"
    verify_credentials(vendor, attributes, secrets, endpoints, kind=kind)
    return None


def twilio_client(attributes: Mapping[str, Any], secrets: Mapping[str, str], endpoints: VendorEndpoints) -> Any:
    from smschannel.providers.vendors.twilio import TwilioClient

    kwargs: dict[str, Any] = {}
    if endpoints.twilio:
        kwargs["base_url"] = endpoints.twilio
    if endpoints.twilio_messaging or endpoints.twilio:
        kwargs["messaging_base_url"] = endpoints.twilio_messaging or endpoints.twilio
    return TwilioClient(attributes["account_sid"], secrets["auth_token"], **kwargs)


def sinch_client(attributes: Mapping[str, Any], token: str, endpoints: VendorEndpoints) -> Any:
    from smschannel.model.sinch_credentials import SINCH_REGIONS
    from smschannel.providers.vendors.sinch import SinchClient

    region = attributes.get("region") or "us"
    sms_region = region if region in SINCH_REGIONS else "us"
    return SinchClient(attributes["service_plan_id"], token, region=sms_region, base_url=endpoints.sinch)


def conversation_client(attributes: Mapping[str, Any], secrets: Mapping[str, str], endpoints: VendorEndpoints) -> Any:
    from smschannel.providers.vendors.sinch_conversation import SinchConversationClient

    return SinchConversationClient(attributes["project_id"], attributes["app_id"], secrets["api_token"],
                                   region=attributes.get("region") or "us", base_url=endpoints.sinch_conversation)


def infobip_client(attributes: Mapping[str, Any], secrets: Mapping[str, str]) -> Any:
    from smschannel.providers.vendors.infobip import InfobipClient

    return InfobipClient(attributes["base_url"], secrets["api_key"])


def custom_client(attributes: Mapping[str, Any], secrets: Mapping[str, str]) -> Any:
    from smschannel.providers.vendors.custom import client_from_attributes

    return client_from_attributes(attributes, secrets)


__all__ = [
    "VendorEndpoints",
    "check_sender",
    "conversation_client",
    "custom_client",
    "infobip_client",
    "sinch_client",
    "twilio_client",
    "verify_credentials",
]
