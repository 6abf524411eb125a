"""Pointing a vendor at a webhook's URL, and putting back what was there.

Where the vendor has an API for it: Twilio (the number's SmsUrl, or the messaging service's inbound
request URL) and Infobip (an inbound message configuration forwarding to the URL). Elsewhere (Sinch's
callback URL lives in its dashboard; custom vendors) the wiring is a sentence saying what to paste
where. Vendor clients are imported only when used, so the provider starts fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from smschannel.errors import VendorRejected
from smschannel.vendor_checks import VendorEndpoints, twilio_client

MANUAL = {
    "sinch": "the callback URL of the Sinch service plan (Sinch dashboard > SMS > Service APIs)",
    "sinch_conversational": "the webhook of the Conversation API app (Sinch dashboard > Conversation API > Apps)",
    "custom": "the inbound webhook setting of the provider",
}


@dataclass(frozen=True)
class Wiring:
    """What was done (`description`) and what undoing it needs (`undo`, empty when nothing was done)."""

    description: str
    undo: dict[str, Any] = field(default_factory=dict)

    @property
    def manual(self) -> bool:
        return not self.undo


def manual_wiring(vendor: str, url: str) -> Wiring:
    return Wiring(f"set by hand: paste {url} into {MANUAL.get(vendor, 'the vendor settings')}")


def wire(vendor: str, kind: str, credentials: Mapping[str, Any], secrets: Mapping[str, str], sender: str,
         url: str, endpoints: VendorEndpoints) -> Wiring:
    """Point the vendor's inbound traffic for `sender` at `url`; raise `VendorError` if it refuses."""
    if vendor == "twilio":
        with twilio_client(credentials, secrets, endpoints) as client:
            service = credentials.get("messaging_service_sid")
            if service:
                before = client.update_messaging_service_inbound(service, url=url)
                return Wiring(f"the inbound request URL of Twilio messaging service {service}",
                              {"kind": "twilio_service", "sid": service, "url": before.inbound_request_url,
                               "method": before.inbound_method})
            numbers = client.incoming_numbers(phone_number=sender)
            if not numbers:
                raise VendorRejected(f"{sender} is not a number of the Twilio account {credentials['account_sid']}",
                                     vendor="twilio")
            previous = client.update_number_sms_url(numbers[0].sid, sms_url=url)
            return Wiring(f"the SmsUrl of Twilio number {sender} ({numbers[0].sid})",
                          {"kind": "twilio_number", "sid": numbers[0].sid, "url": previous.sms_url,
                           "method": previous.sms_method})
    if vendor == "infobip":
        from smschannel.providers.vendors.infobip import InfobipClient

        with InfobipClient(credentials["base_url"], secrets["api_key"]) as infobip:
            # Infobip's POST creates or updates: remember where the number forwarded before.
            before = [c.forward_url for c in infobip.inbound_configurations(sender) if c.forward_url]
            key = infobip.create_inbound_configuration(sender, url)
        return Wiring(f"Infobip inbound message configuration {key} for {sender}",
                      {"kind": "infobip", "key": key, "number": sender, "url": before[0] if before else None})
    return manual_wiring(vendor, url)


def unwire(credentials: Mapping[str, Any], secrets: Mapping[str, str], undo: Mapping[str, Any],
           endpoints: VendorEndpoints) -> str:
    """Put back what `wire` replaced; return a sentence saying what was restored."""
    kind = undo.get("kind")
    if kind == "twilio_number":
        with twilio_client(credentials, secrets, endpoints) as client:
            client.update_number_sms_url(undo["sid"], sms_url=undo.get("url") or "",
                                         sms_method=undo.get("method") or "POST")
        return f"restored the SmsUrl of Twilio number {undo['sid']} to {undo.get('url') or '(empty)'}"
    if kind == "twilio_service":
        with twilio_client(credentials, secrets, endpoints) as client:
            client.update_messaging_service_inbound(undo["sid"], url=undo.get("url"),
                                                    method=undo.get("method") or "POST")
        return f"restored the inbound request URL of Twilio messaging service {undo['sid']} to " \
               f"{undo.get('url') or '(empty)'}"
    if kind == "infobip":
        from smschannel.providers.vendors.infobip import InfobipClient

        with InfobipClient(credentials["base_url"], secrets["api_key"]) as infobip:
            if undo.get("url"):
                infobip.create_inbound_configuration(undo["number"], undo["url"])
                return f"restored the Infobip inbound configuration of {undo['number']} to forward to {undo['url']}"
            infobip.delete_inbound_configuration(undo["key"])
        return f"deleted Infobip inbound message configuration {undo['key']}"
    return ""


__all__ = ["MANUAL", "Wiring", "manual_wiring", "unwire", "wire"]
