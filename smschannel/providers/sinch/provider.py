"""Sinch SMS as an SMS provider: credentials checked by listing one batch of the service plan, one
callback URL per service plan for inbound messages and delivery reports (set in Sinch's dashboard, so
a person pastes the webhook's URL), replies sent as batches (carrying the credentials' `override_url` as
their `callback_url`, so their delivery reports go there)."""

from __future__ import annotations

import json
import secrets as rand
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from smschannel.inbound import InboundMessage
from smschannel.model.sinch_credentials import SINCH_REGIONS
from smschannel.providers.http import VendorClient
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
from smschannel.providers.sinch.client import SinchClient
from smschannel.providers.sinch.inbound import parse_sinch_callback


def sms_client(credentials: Credentials, token: str) -> SinchClient:
    """A Sinch SMS client for the service plan in `credentials` (also the SMS fallback of Sinch RCS)."""
    region = credentials.attributes.get("region") or "us"
    sms_region = region if region in SINCH_REGIONS else "us"
    return SinchClient(credentials.attributes["service_plan_id"], token, region=sms_region,
                       base_url=credentials.endpoints.get("sinch_url"))


class SinchProvider(BaseProvider):
    name: ClassVar[str] = "sinch"
    label: ClassVar[str] = "Sinch"
    manual_wiring: ClassVar[str | None] = (
        "the callback URL of the Sinch service plan (Sinch dashboard > SMS > Service APIs)")

    def client(self, credentials: Credentials) -> SinchClient:
        return sms_client(credentials, credentials.secret("api_token"))

    def wire(self, credentials: Credentials, *, sender: str, url: str) -> Wiring:
        manual = super().wire(credentials, sender=sender, url=url)
        override = credentials.attributes.get("override_url")
        if not override:
            return manual
        return Wiring(f"{manual.description} (for inbound messages: the delivery reports of the replies smschannel "
                      f"sends go to the credentials' override_url {override})")

    # Sinch keeps a batch's `client_reference` and lists batches by sender and date: a send whose answer
    # was lost is found there, so replies go exactly once.
    reply_lookup: ClassVar[bool] = True

    def send_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, text: str,
                   reference: str, media: Sequence[str] = ()) -> str:
        assert isinstance(client, SinchClient)
        self.no_media(media)
        return str(client.send_batch(sender, to=[to], body=text, client_reference=reference,
                                     callback_url=credentials.attributes.get("override_url")).id)

    def find_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, reference: str,
                   since: datetime) -> str | None:
        assert isinstance(client, SinchClient)
        found = client.find_batch(reference, from_=sender, start_date=since)
        return found.id if found is not None else None

    def parse(self, request: WebhookRequest, credentials: Callable[[], Credentials | None]) -> list[Parsed]:
        parsed = parse_sinch_callback(request.body)
        return [parsed] if isinstance(parsed, InboundMessage) else list(parsed)

    def simulated_request(
        self, credentials: Credentials, webhook: Mapping[str, Any], *, profile_number: str, text: str
    ) -> VendorRequest:
        request_id = "01" + rand.token_hex(12).upper()
        body = {"type": "mo_text", "id": request_id, "from": without_plus(profile_number),
                "to": without_plus(webhook["sender_number"]), "body": text, "received_at": now_text(),
                "operator_id": "00000"}
        return VendorRequest(request_id, {"Content-Type": "application/json"}, json.dumps(body).encode())


PROVIDER = SinchProvider()

__all__ = ["PROVIDER", "SinchProvider", "sms_client"]
