"""Sending a reply back through the vendor a message came from, with the webhook's credentials.

One vendor client per credentials version is kept and reused (DESIGN: one httpx client per vendor
and credential), so replies share connections instead of opening one each.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from smschannel.providers import Credentials, SmsProvider, provider_for
from smschannel.providers.http import VendorClient


class ClientCache:
    """Vendor clients by (credentials id, version); the least recently used are closed past `size`."""

    def __init__(self, size: int = 64) -> None:
        self._clients: OrderedDict[tuple[str, str], VendorClient] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: tuple[str, str], build: Callable[[], VendorClient]) -> VendorClient:
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                self._clients.move_to_end(key)
                return client
        client = build()
        with self._lock:
            raced = self._clients.get(key)
            if raced is not None:  # another thread built one meanwhile: keep that one
                client.close()
                return raced
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


@dataclass(frozen=True)
class Delivered:
    """What became of one send: the vendor's message ID, and whether it was found already sent."""

    message_id: str
    found: bool = False


def deliver(credentials: Credentials, *, sender: str, to: str, text: str, reference: str, in_doubt: bool,
            since: datetime, media: Sequence[str] = (), version: tuple[str, str] | None = None) -> Delivered:
    """Send one reply (with `media`, as an MMS) with the credentials' provider, unless an earlier attempt whose
    outcome is unknown (`in_doubt`) is found at the vendor by its `reference`. Raises `VendorError`.

    `version` (credentials id, last update) lets the vendor client be reused; without it a client is
    made for this one reply and closed."""
    provider = provider_for(credentials.model)
    if version is None:
        with provider.client(credentials) as client:
            return _deliver(provider, client, credentials, sender=sender, to=to, text=text, reference=reference,
                            in_doubt=in_doubt, since=since, media=media)
    client = CLIENTS.get(version, lambda: provider.client(credentials))
    return _deliver(provider, client, credentials, sender=sender, to=to, text=text, reference=reference,
                    in_doubt=in_doubt, since=since, media=media)


def _deliver(provider: SmsProvider, client: VendorClient, credentials: Credentials, *, sender: str, to: str,
             text: str, reference: str, in_doubt: bool, since: datetime, media: Sequence[str]) -> Delivered:
    if in_doubt and provider.reply_lookup:
        found = provider.find_reply(client, credentials, sender=sender, to=to, reference=reference, since=since)
        if found is not None:
            return Delivered(found, found=True)
    message_id = provider.send_reply(client, credentials, sender=sender, to=to, text=text, reference=reference,
                                     media=media)
    return Delivered(message_id)


__all__ = ["CLIENTS", "ClientCache", "Delivered", "deliver"]
