"""Sending a reply back through the vendor a message came from, with the webhook's credentials.

One vendor client per credentials version is kept and reused (DESIGN: one httpx client per vendor
and credential), so replies share connections instead of opening one each.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from smschannel.providers import Credentials, provider_for
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


def send_reply(credentials: Credentials, *, sender: str, to: str, text: str, media: Sequence[str] = (),
               version: tuple[str, str] | None = None) -> str:
    """Send `text` (with `media`, as an MMS) from `sender` to `to` with the credentials' provider; return the
    vendor's message ID. Raises `VendorError`.

    `version` (credentials id, last update) lets the client be reused; without it a client is made
    for this one reply and closed."""
    provider = provider_for(credentials.model)
    if version is None:
        with provider.client(credentials) as client:
            return provider.send_reply(client, credentials, sender=sender, to=to, text=text, media=media)
    client = CLIENTS.get(version, lambda: provider.client(credentials))
    return provider.send_reply(client, credentials, sender=sender, to=to, text=text, media=media)


__all__ = ["CLIENTS", "ClientCache", "send_reply"]
