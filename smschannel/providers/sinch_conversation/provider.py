"""Sinch's Conversation API as an SMS provider, for Sinch MMS and Sinch RCS credentials: credentials
checked by reading the app (and, for RCS, the SMS service plan it falls back to), the app's webhook set
in Sinch's dashboard (so a person pastes the webhook's URL), replies sent as Conversation messages.

RCS replies fall back to SMS twice over: they go with `channel_priority_order` RCS then SMS, so Sinch
switches to the app's SMS channel when the phone cannot take RCS; and when the Conversation API refuses
the message outright (the app lacks a channel, the API rejects the request), the reply goes as an SMS
batch through the credentials' own service plan (`service_plan_id`, `sms_api_token`), media as links."""

from __future__ import annotations

import json
import secrets as rand
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from smschannel.errors import VendorRejected
from smschannel.model.sinch_mms_credentials import SinchMmsCredentialsModel, SinchRcsCredentialsModel
from smschannel.providers.http import VendorClient
from smschannel.providers.protocol import (
    BaseProvider,
    Credentials,
    Parsed,
    VendorRequest,
    WebhookRequest,
    now_text,
    without_plus,
)
from smschannel.providers.sinch.provider import sms_client
from smschannel.providers.sinch_conversation.client import SinchConversationClient
from smschannel.providers.sinch_conversation.inbound import parse_conversation_inbound


class SinchConversationProvider(BaseProvider):
    name: ClassVar[str] = "sinch_conversation"
    label: ClassVar[str] = "Sinch Conversation API"
    manual_wiring: ClassVar[str | None] = (
        "the webhook of the Conversation API app (Sinch dashboard > Conversation API > Apps)")

    def client(self, credentials: Credentials) -> SinchConversationClient:
        attributes = credentials.attributes
        return SinchConversationClient(attributes["project_id"], attributes["app_id"], credentials.secret("api_token"),
                                       region=attributes.get("region") or "us",
                                       base_url=credentials.endpoints.get("sinch_conversation_url"))

    def verify(self, credentials: Credentials) -> None:
        with self.client(credentials) as conversation:
            conversation.verify()
        if issubclass(credentials.model, SinchRcsCredentialsModel):  # and the SMS plan RCS falls back to
            with sms_client(credentials, credentials.secret("sms_api_token")) as sinch:
                sinch.verify()

    def send_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, text: str,
                   reference: str, media: Sequence[str] = ()) -> str:
        # The Conversation API's send takes no idempotency key and keeps no client reference to look a
        # send up by: at least once. The SMS fallback goes through the service plan with `reference` as its
        # client reference.
        assert isinstance(client, SinchConversationClient)
        if issubclass(credentials.model, SinchMmsCredentialsModel):
            return self._send(client, to, text, media, ("MMS",))  # an MMS app has the MMS channel only
        try:
            return self._send(client, to, text, media, ("RCS", "SMS"))
        except VendorRejected:
            with sms_client(credentials, credentials.secret("sms_api_token")) as sinch:
                body = "\n".join((text, *media))
                return str(sinch.send_batch(sender, to=[to], body=body, client_reference=reference).id)

    @staticmethod
    def _send(client: SinchConversationClient, to: str, text: str, media: Sequence[str],
              channels: tuple[str, ...]) -> str:
        """The text, then each media message (the Conversation API carries one kind per message)."""
        sent = client.send_message(to, text=text, channels=channels)
        for url in media:
            sent = client.send_message(to, media_url=url, channels=channels)
        return str(sent.message_id)

    def parse(self, request: WebhookRequest, credentials: Callable[[], Credentials | None]) -> list[Parsed]:
        return [parse_conversation_inbound(request.body, sender_number=request.webhook["sender_number"])]

    def simulated_request(
        self, credentials: Credentials, webhook: Mapping[str, Any], *, profile_number: str, text: str
    ) -> VendorRequest:
        request_id = "01" + rand.token_hex(12).upper()
        now = now_text()
        body = {"app_id": credentials.attributes.get("app_id"), "accepted_time": now, "message": {
            "id": request_id, "direction": "TO_APP", "accept_time": now,
            "contact_message": {"text_message": {"text": text}},
            "channel_identity": {"channel": "RCS", "identity": without_plus(profile_number)}}}
        return VendorRequest(request_id, {"Content-Type": "application/json"}, json.dumps(body).encode())


PROVIDER = SinchConversationProvider()

__all__ = ["PROVIDER", "SinchConversationProvider"]
