"""Sending a reply back through the vendor a message came from, with the webhook's credentials.

One vendor client per credentials version is kept and reused (DESIGN: one httpx client per vendor
and credential), so replies share connections instead of opening one each.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
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


class ClientCache:
    """Vendor clients by (credentials id, version); the least recently used are closed past `size`."""

    def __init__(self, size: int = 64) -> None:
        self._clients: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: tuple[str, str], build: Callable[[], Any]) -> Any:
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                self._clients.move_to_end(key)
                return client
        client = build()
        with self._lock:
            self._clients[key] = client
            while len(self._clients) > self._size:
                _, old = self._clients.popitem(last=False)
                old.close()
        return client

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


CLIENTS = ClientCache()


def _builder(kind: str, credentials: Mapping[str, Any], secrets: Mapping[str, str],
             endpoints: VendorEndpoints) -> Callable[[], Any]:
    if kind == "twilio_credentials":
        return lambda: twilio_client(credentials, secrets, endpoints)
    if kind == "sinch_credentials":
        return lambda: sinch_client(credentials, secrets["api_token"], endpoints)
    if kind == "infobip_credentials":
        return lambda: infobip_client(credentials, secrets)
    if kind in ("sinch_mms_credentials", "sinch_rcs_credentials"):
        return lambda: conversation_client(credentials, secrets, endpoints)
    if kind == "custom_credentials":
        return lambda: custom_client(credentials, secrets)
    raise SmschannelError(f"no way to send a reply with {kind}")


def send_reply(kind: str, credentials: Mapping[str, Any], secrets: Mapping[str, str], *, sender: str,
               to: str, text: str, endpoints: VendorEndpoints, version: tuple[str, str] | None = None) -> str:
    """Send `text` from `sender` to `to`; return the vendor's message ID. Raises `VendorError`.

    `version` (credentials id, last update) lets the client be reused; without it a client is made
    for this one reply and closed."""
    build = _builder(kind, credentials, secrets, endpoints)
    if version is None:
        with build() as client:
            return _send(kind, client, credentials, sender=sender, to=to, text=text)
    return _send(kind, CLIENTS.get(version, build), credentials, sender=sender, to=to, text=text)


def _send(kind: str, client: Any, credentials: Mapping[str, Any], *, sender: str, to: str, text: str) -> str:
    if kind == "twilio_credentials":
        service = credentials.get("messaging_service_sid")
        sent = client.send_message(to, body=text, from_=None if service else sender,
                                   messaging_service_sid=service or None)
        return str(sent.sid)
    if kind == "sinch_credentials":
        return str(client.send_batch(sender, to=[to], body=text).id)
    if kind == "infobip_credentials":
        return str(client.send_sms(sender, to, text, validity_period_hours=credentials.get("validity_period_hours"),
                                   callback_data=credentials.get("callback_data"),
                                   principal_entity_id=credentials.get("principal_entity_id"),
                                   content_template_id=credentials.get("content_template_id")).message_id)
    if kind in ("sinch_mms_credentials", "sinch_rcs_credentials"):
        return str(client.send_message(to, text=text).message_id)
    return str(client.send(to, from_=sender, message=text).message_id)


__all__ = ["CLIENTS", "ClientCache", "send_reply"]
