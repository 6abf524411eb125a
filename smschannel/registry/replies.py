"""Sending a reply back through the vendor a message came from, with the webhook's credentials."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smschannel.errors import SmschannelError
from smschannel.vendor_checks import (
    VendorEndpoints,
    conversation_client,
    custom_client,
    infobip_client,
    sinch_client,
    twilio_client,
)


def send_reply(kind: str, credentials: Mapping[str, Any], secrets: Mapping[str, str], *, sender: str,
               to: str, text: str, endpoints: VendorEndpoints) -> str:
    """Send `text` from `sender` to `to`; return the vendor's message ID. Raises `VendorError`."""
    if kind == "twilio_credentials":
        with twilio_client(credentials, secrets, endpoints) as twilio:
            service = credentials.get("messaging_service_sid")
            sent = twilio.send_message(to, body=text, from_=None if service else sender,
                                       messaging_service_sid=service or None)
            return str(sent.sid)
    if kind == "sinch_credentials":
        with sinch_client(credentials, secrets["api_token"], endpoints) as sinch:
            return str(sinch.send_batch(sender, to=[to], body=text).id)
    if kind == "infobip_credentials":
        with infobip_client(credentials, secrets) as infobip:
            sent = infobip.send_sms(sender, to, text, validity_period_hours=credentials.get("validity_period_hours"),
                                    callback_data=credentials.get("callback_data"),
                                    principal_entity_id=credentials.get("principal_entity_id"),
                                    content_template_id=credentials.get("content_template_id"))
            return str(sent.message_id)
    if kind in ("sinch_mms_credentials", "sinch_rcs_credentials"):
        with conversation_client(credentials, secrets, endpoints) as conversation:
            return str(conversation.send_message(to, text=text).message_id)
    if kind == "custom_credentials":
        with custom_client(credentials, secrets) as custom:
            return str(custom.send(to, sender, text))
    raise SmschannelError(f"no way to send a reply with {kind}")


__all__ = ["send_reply"]
