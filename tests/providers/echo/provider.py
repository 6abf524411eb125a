"""Echo SMS as an SMS provider: every protocol method, against its emulator."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets as rand
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from smschannel.inbound import InboundMessage, PayloadError, load_object, normalize_number, resolve_now
from smschannel.providers import (
    BaseProvider,
    Credentials,
    Parsed,
    SignatureRejected,
    VendorRequest,
    WebhookRequest,
    Wiring,
)
from smschannel.providers.http import VendorClient
from tests.providers.echo.client import EchoClient


def signature(api_key: str, body: bytes) -> str:
    return hmac.new(api_key.encode(), body, hashlib.sha256).hexdigest()


class EchoProvider(BaseProvider):
    name: ClassVar[str] = "echo"
    label: ClassVar[str] = "Echo"
    manual_wiring: ClassVar[str | None] = None

    def client(self, credentials: Credentials) -> EchoClient:
        return EchoClient(credentials.attributes["base_url"], credentials.secret("api_key"))

    def check_sender(self, credentials: Credentials, sender: str, *, channel: str = "sms") -> str | None:
        with self.client(credentials) as client:
            numbers = client.account()["numbers"]
        return None if sender in numbers else f"the sender number {sender} is not an Echo number of the account"

    def wire(self, credentials: Credentials, *, sender: str, url: str) -> Wiring:
        with self.client(credentials) as client:
            before = client.set_webhook(sender, url)
        return Wiring(f"the webhook of Echo number {sender}", {"number": sender, "url": before})

    def unwire(self, credentials: Credentials, undo: Mapping[str, Any]) -> str:
        with self.client(credentials) as client:
            client.set_webhook(undo["number"], undo.get("url") or "")
        return f"restored the webhook of Echo number {undo['number']} to {undo.get('url') or '(empty)'}"

    def read_wiring(self, credentials: Credentials, undo: Mapping[str, Any]) -> str | None:
        with self.client(credentials) as client:
            return client.webhook_of(undo["number"])

    def send_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, text: str,
                   reference: str, media: Sequence[str] = ()) -> str:
        assert isinstance(client, EchoClient)
        self.no_media(media)
        return client.send(sender, to, text)

    def parse(self, request: WebhookRequest, credentials: Callable[[], Credentials | None]) -> list[Parsed]:
        found = credentials()
        key = found.secret("api_key") if found is not None else ""
        given = request.headers.get("x-echo-signature", "")
        if not key or not hmac.compare_digest(signature(key, request.body), given):
            raise SignatureRejected("invalid X-Echo-Signature")
        body = load_object(request.body, "Echo inbound")
        for field in ("id", "from", "to", "text"):
            if not isinstance(body.get(field), str):
                raise PayloadError(f'Echo inbound: "{field}" is missing')
        return [InboundMessage(request_id=str(body["id"]), profile_number=normalize_number(str(body["from"])),
                               inbound_number=normalize_number(str(body["to"])), text=str(body["text"]),
                               received_at=resolve_now(None), vendor="echo")]

    def simulated_request(
        self, credentials: Credentials, webhook: Mapping[str, Any], *, profile_number: str, text: str
    ) -> VendorRequest:
        request_id = "echo-" + rand.token_hex(8)
        body = json.dumps({"id": request_id, "from": profile_number, "to": webhook["sender_number"],
                           "text": text}).encode()
        signed = signature(credentials.secret("api_key"), body)
        headers = {"Content-Type": "application/json", "X-Echo-Signature": signed}
        return VendorRequest(request_id, headers, body)


PROVIDER = EchoProvider()

__all__ = ["PROVIDER", "EchoProvider", "signature"]
