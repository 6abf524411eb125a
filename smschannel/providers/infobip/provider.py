"""Infobip as an SMS provider: credentials checked by reading the account balance, senders by the
account's numbers, webhooks wired with an inbound message configuration that forwards to the URL,
replies sent with the SMS API v3 (with the credentials' validity, callback data and India DLT IDs)."""

from __future__ import annotations

import json
import secrets as rand
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from smschannel.errors import VendorRejected
from smschannel.providers.http import VendorClient
from smschannel.providers.infobip.client import InfobipClient
from smschannel.providers.infobip.inbound import parse_infobip_feedback, parse_infobip_inbound
from smschannel.providers.protocol import (
    BaseProvider,
    Credentials,
    Parsed,
    VendorRequest,
    WebhookRequest,
    Wiring,
    now_text,
    without_plus,
)


class InfobipProvider(BaseProvider):
    name: ClassVar[str] = "infobip"
    label: ClassVar[str] = "Infobip"
    manual_wiring: ClassVar[str | None] = None

    def client(self, credentials: Credentials) -> InfobipClient:
        return InfobipClient(credentials.attributes["base_url"], credentials.secret("api_key"))

    def check_sender(self, credentials: Credentials, sender: str, *, channel: str = "sms") -> str | None:
        from smschannel.model.types import is_alphanumeric_sender

        if is_alphanumeric_sender(sender):
            return f"an alphanumeric sender ID ({sender}) cannot send MMS on Infobip" if channel == "mms" else None
        with self.client(credentials) as infobip:
            owned = [n for n in infobip.numbers(number=sender) if n.e164 == sender or n.number == sender]
        where = f"the Infobip account at {credentials.attributes['base_url']}"
        if not owned:
            return f"the sender number {sender} does not belong to {where}"
        if channel == "mms" and "MMS" not in owned[0].capabilities:
            can = ", ".join(owned[0].capabilities) or "nothing"
            return f"the sender number {sender} of {where} is not MMS-capable (Infobip says it can do: {can})"
        return None

    def wire(self, credentials: Credentials, *, sender: str, url: str) -> Wiring:
        with self.client(credentials) as infobip:
            # Infobip's POST creates or updates the configuration of the number with no keyword: remember
            # where that one forwarded before (a keyword's own configuration is not replaced).
            before = [c.forwards_to for c in infobip.inbound_configurations(sender)
                      if c.keyword is None and c.forwards_to]
            key = infobip.create_inbound_configuration(sender, url)
        return Wiring(f"Infobip inbound message configuration {key} for {sender}",
                      {"kind": "infobip", "key": key, "number": sender, "url": before[0] if before else None})

    def unwire(self, credentials: Credentials, undo: Mapping[str, Any]) -> str:
        with self.client(credentials) as infobip:
            if undo.get("url"):
                infobip.create_inbound_configuration(undo["number"], undo["url"])
                return f"restored the Infobip inbound configuration of {undo['number']} to forward to {undo['url']}"
            infobip.delete_inbound_configuration(undo["key"])
        return f"deleted Infobip inbound message configuration {undo['key']}"

    def read_wiring(self, credentials: Credentials, undo: Mapping[str, Any]) -> str | None:
        with self.client(credentials) as infobip:
            found = infobip.inbound_configurations(undo["number"])
        forwards = [c.forwards_to for c in found if c.configuration_key == undo.get("key")] or \
            [c.forwards_to for c in found if c.keyword is None]
        return next((url for url in forwards if url), "")

    # Infobip takes the message ID from the request and its logs are searchable by it: a send whose answer
    # was lost is found there, so replies go exactly once (as long as the logs show the message, which
    # Infobip documents for sends of the last 48 hours).
    reply_lookup: ClassVar[bool] = True

    def send_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, text: str,
                   reference: str, media: Sequence[str] = ()) -> str:
        assert isinstance(client, InfobipClient)
        attributes = credentials.attributes
        if len(media) > 1:
            raise VendorRejected(f"an Infobip MMS carries one image, got {len(media)} media URLs", vendor=self.name)
        if media:  # an MMS: not in the SMS logs `find_reply` reads, so it goes at least once
            return str(client.send_mms(sender, to, media_url=media[0], text=text,
                                       validity_period_hours=attributes.get("validity_period_hours"),
                                       callback_data=attributes.get("callback_data"), message_id=reference).message_id)
        return str(client.send_sms(sender, to, text, validity_period_hours=attributes.get("validity_period_hours"),
                                   callback_data=attributes.get("callback_data"),
                                   principal_entity_id=attributes.get("principal_entity_id"),
                                   content_template_id=attributes.get("content_template_id"),
                                   message_id=reference).message_id)

    def find_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, reference: str,
                   since: datetime) -> str | None:
        assert isinstance(client, InfobipClient)
        return reference if client.message_logged(reference, sent_since=since) else None

    def parse(self, request: WebhookRequest, credentials: Callable[[], Credentials | None]) -> list[Parsed]:
        if request.webhook.get("type") == "inbound":
            return list(parse_infobip_inbound(request.body))
        return list(parse_infobip_feedback(request.body))

    def simulated_request(
        self, credentials: Credentials, webhook: Mapping[str, Any], *, profile_number: str, text: str
    ) -> VendorRequest:
        request_id = rand.token_hex(16)
        body = {"results": [{"messageId": request_id, "from": without_plus(profile_number),
                             "to": without_plus(webhook["sender_number"]), "text": text, "cleanText": text,
                             "keyword": text.split(" ")[0].upper() if text else "", "receivedAt": now_text(),
                             "smsCount": 1}],
                "messageCount": 1, "pendingMessageCount": 0}
        return VendorRequest(request_id, {"Content-Type": "application/json"}, json.dumps(body).encode())


PROVIDER = InfobipProvider()

__all__ = ["PROVIDER", "InfobipProvider"]
