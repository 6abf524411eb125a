"""Twilio as an SMS provider: credentials checked by fetching the account, senders by the account's (or
the messaging service's) numbers, webhooks wired through a number's SmsUrl or the messaging service's
inbound request URL, requests signed with `X-Twilio-Signature`, and TwiML as the webhook's answer."""

from __future__ import annotations

import secrets as rand
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

from smschannel.errors import VendorRejected
from smschannel.providers.http import VendorClient
from smschannel.providers.protocol import (
    BaseProvider,
    Credentials,
    Parsed,
    SignatureRejected,
    VendorRequest,
    WebhookRequest,
    Wiring,
)
from smschannel.providers.twilio.client import TwilioClient
from smschannel.providers.twilio.inbound import (
    parse_twilio_feedback,
    parse_twilio_inbound,
    twilio_signature,
    valid_twilio_signature,
)

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class TwilioProvider(BaseProvider):
    name: ClassVar[str] = "twilio"
    label: ClassVar[str] = "Twilio"
    manual_wiring: ClassVar[str | None] = None
    acknowledgement: ClassVar[tuple[str, str] | None] = (TWIML, "text/xml")

    def client(self, credentials: Credentials) -> TwilioClient:
        endpoints = credentials.endpoints
        kwargs: dict[str, Any] = {}
        if endpoints.get("twilio_url"):
            kwargs["base_url"] = endpoints["twilio_url"]
        messaging = endpoints.get("twilio_messaging_url") or endpoints.get("twilio_url")
        if messaging:
            kwargs["messaging_base_url"] = messaging
        return TwilioClient(credentials.attributes["account_sid"], credentials.secret("auth_token"), **kwargs)

    def check_sender(self, credentials: Credentials, sender: str, *, channel: str = "sms") -> str | None:
        from smschannel.model.types import is_alphanumeric_sender

        if is_alphanumeric_sender(sender):
            return f"an alphanumeric sender ID ({sender}) cannot send MMS on Twilio" if channel == "mms" else None
        service = credentials.attributes.get("messaging_service_sid")
        with self.client(credentials) as client:
            capabilities = client.sender_capabilities(sender, messaging_service_sid=service)
        where = (f"the messaging service {service}" if service
                 else f"the Twilio account {credentials.attributes['account_sid']}")
        if capabilities is None:
            return f"the sender number {sender} does not belong to {where}"
        if channel == "mms" and "mms" not in capabilities:
            can = ", ".join(sorted(capabilities)) or "nothing"
            return f"the sender number {sender} of {where} is not MMS-capable (Twilio says it can do: {can})"
        return None

    def wire(self, credentials: Credentials, *, sender: str, url: str) -> Wiring:
        with self.client(credentials) as client:
            service = credentials.attributes.get("messaging_service_sid")
            if service:
                before = client.update_messaging_service_inbound(service, url=url)
                return Wiring(f"the inbound request URL of Twilio messaging service {service}",
                              {"kind": "twilio_service", "sid": service, "url": before.inbound_request_url,
                               "method": before.inbound_method})
            numbers = client.incoming_numbers(phone_number=sender)
            if not numbers:
                raise VendorRejected(
                    f"{sender} is not a number of the Twilio account {credentials.attributes['account_sid']}",
                    vendor="twilio")
            previous = client.update_number_sms_url(numbers[0].sid, sms_url=url)
            return Wiring(f"the SmsUrl of Twilio number {sender} ({numbers[0].sid})",
                          {"kind": "twilio_number", "sid": numbers[0].sid, "url": previous.sms_url,
                           "method": previous.sms_method})

    def unwire(self, credentials: Credentials, undo: Mapping[str, Any]) -> str:
        kind = undo.get("kind")
        if kind == "twilio_number":
            with self.client(credentials) as client:
                client.update_number_sms_url(undo["sid"], sms_url=undo.get("url") or "",
                                             sms_method=undo.get("method") or "POST")
            return f"restored the SmsUrl of Twilio number {undo['sid']} to {undo.get('url') or '(empty)'}"
        if kind == "twilio_service":
            with self.client(credentials) as client:
                client.update_messaging_service_inbound(undo["sid"], url=undo.get("url"),
                                                        method=undo.get("method") or "POST")
            return (f"restored the inbound request URL of Twilio messaging service {undo['sid']} to "
                    f"{undo.get('url') or '(empty)'}")
        return ""

    def read_wiring(self, credentials: Credentials, undo: Mapping[str, Any]) -> str | None:
        kind = undo.get("kind")
        with self.client(credentials) as client:
            if kind == "twilio_number":
                return client.incoming_number(undo["sid"]).sms_url or ""
            if kind == "twilio_service":
                return client.messaging_service(undo["sid"]).inbound_request_url or ""
        return None

    def send_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, text: str,
                   reference: str, media: Sequence[str] = ()) -> str:
        # Twilio's Messages API has no idempotency key nor client reference to look a send up by (a list by
        # sender, recipient and day cannot tell two equal replies apart): at least once.
        assert isinstance(client, TwilioClient)
        service = credentials.attributes.get("messaging_service_sid")
        sent = client.send_message(to, body=text, from_=None if service else sender,
                                   messaging_service_sid=service or None, media_urls=media)
        return str(sent.sid)

    def parse(self, request: WebhookRequest, credentials: Callable[[], Credentials | None]) -> list[Parsed]:
        found = credentials()
        token = found.secret("auth_token") if found is not None else ""
        url = str(request.webhook["url"]) + (f"?{request.query}" if request.query else "")
        params = parse_qsl(request.body.decode("utf-8", "replace"))
        if not token or not valid_twilio_signature(token, url, params, request.headers.get("x-twilio-signature")):
            raise SignatureRejected("invalid X-Twilio-Signature: the request was not signed with the account's "
                                    "auth token for this URL")
        if request.webhook.get("type") == "inbound":
            return [parse_twilio_inbound(request.body)]
        return [parse_twilio_feedback(request.body)]

    def simulated_request(
        self, credentials: Credentials, webhook: Mapping[str, Any], *, profile_number: str, text: str
    ) -> VendorRequest:
        sid = "SM" + rand.token_hex(16)
        params = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": credentials.attributes["account_sid"],
                  "From": profile_number, "To": webhook["sender_number"], "Body": text, "NumMedia": "0",
                  "NumSegments": "1"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": twilio_signature(credentials.secret("auth_token"), webhook["url"], params)}
        return VendorRequest(sid, headers, urlencode(params).encode())


PROVIDER = TwilioProvider()

__all__ = ["PROVIDER", "TWIML", "TwilioProvider"]
