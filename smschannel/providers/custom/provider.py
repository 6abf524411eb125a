"""Any HTTP SMS provider (custom credentials) as an SMS provider: credentials checked with the optional
`verify_url`, the provider's own inbound setting pointed at the webhook by hand, requests read through
the webhook's `payload_mapping`, replies rendered from `payload_template` and posted to `provider_url`."""

from __future__ import annotations

import json
import secrets as rand
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from smschannel.model.payload_paths import PayloadPath
from smschannel.providers.custom.client import CustomProviderClient, client_from_attributes
from smschannel.providers.custom.inbound import parse_custom_feedback, parse_custom_inbound
from smschannel.providers.http import VendorClient
from smschannel.providers.protocol import (
    BaseProvider,
    Credentials,
    Parsed,
    VendorRequest,
    WebhookRequest,
    now_text,
)


def _put(document: Any, path: PayloadPath, value: Any) -> Any:
    """Set `value` at `path` in a nested JSON document, creating objects and lists on the way."""
    steps = list(path.steps)
    if not steps:
        return value
    root = document if document is not None else ([] if isinstance(steps[0], int) else {})
    node: Any = root
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        nxt: Any = value if last else ([] if isinstance(steps[index + 1], int) else {})
        if isinstance(step, int):
            while len(node) <= step:
                node.append(None)
            if last or node[step] is None:
                node[step] = nxt
            node = node[step]
        else:
            if last or step not in node:
                node[step] = nxt
            node = node[step]
    return root


def _mapping(webhook: Mapping[str, Any]) -> dict[str, str]:
    return {k: v for k, v in (webhook.get("payload_mapping") or {}).items() if v}


class CustomProvider(BaseProvider):
    name: ClassVar[str] = "custom"
    label: ClassVar[str] = "custom provider"

    def client(self, credentials: Credentials) -> CustomProviderClient:
        return client_from_attributes(credentials.attributes, credentials.secrets)

    def send_reply(self, client: VendorClient, credentials: Credentials, *, sender: str, to: str, text: str,
                   reference: str, media: Sequence[str] = ()) -> str:
        # Any HTTP provider: nothing is known about idempotency there, so at least once.
        assert isinstance(client, CustomProviderClient)
        self.no_media(media)
        return str(client.send(to, from_=sender, message=text).message_id)

    def parse(self, request: WebhookRequest, credentials: Callable[[], Credentials | None]) -> list[Parsed]:
        webhook = request.webhook
        if webhook.get("type") == "inbound":
            return [parse_custom_inbound(request.body, _mapping(webhook), sender_number=webhook["sender_number"])]
        return [parse_custom_feedback(request.body, _mapping(webhook))]

    def simulated_request(
        self, credentials: Credentials, webhook: Mapping[str, Any], *, profile_number: str, text: str
    ) -> VendorRequest:
        request_id = rand.token_hex(16)
        values = {"message": text, "profile_number": profile_number, "request_id": request_id,
                  "timestamp": now_text(), "inbound_number": webhook["sender_number"]}
        body = None
        for field, path in _mapping(webhook).items():
            if field in values:
                body = _put(body, PayloadPath.parse(path), values[field])
        return VendorRequest(request_id, {"Content-Type": "application/json"}, json.dumps(body).encode())


PROVIDER = CustomProvider()

__all__ = ["PROVIDER", "CustomProvider"]
