"""Sinch's Conversation API as an SMS provider, for Sinch MMS and Sinch RCS credentials: credentials
checked by reading the app (and, for RCS, the SMS service plan it falls back to), the app's webhook set
in Sinch's dashboard (so a person pastes the webhook's URL), replies sent as Conversation messages."""

from __future__ import annotations

import json
import secrets as rand
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

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
                   reference: str) -> str:
        # The Conversation API's send takes no idempotency key and keeps no client reference to look a
        # send up by: at least once.
        assert isinstance(client, SinchConversationClient)
        # An MMS app has the MMS channel only: the API refuses any other (an RCS app replies over SMS).
        channels = ("MMS",) if issubclass(credentials.model, SinchMmsCredentialsModel) else ("SMS",)
        return str(client.send_message(to, text=text, channels=channels).message_id)

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
