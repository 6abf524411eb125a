"""The Echo SMS API client: bearer auth, JSON, errors as `{"error": "...", "message": "..."}`."""

from __future__ import annotations

from typing import Any

import httpx

from smschannel.providers.http import BearerAuth, VendorClient, VendorFault, VendorProfile, VendorSession


def _decode_error(response: httpx.Response) -> VendorFault | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or "error" not in body:
        return None
    return VendorFault(code=str(body["error"]), message=str(body.get("message") or ""))


ECHO = VendorProfile(name="echo", label="Echo", decode_error=_decode_error)


class EchoClient(VendorClient):
    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = VendorSession(ECHO, auth=BearerAuth(api_key), secrets=(api_key,), retries=1)

    def verify(self) -> dict[str, Any]:
        return self.account()

    def account(self) -> dict[str, Any]:
        return self._session.json("GET", f"{self.base_url}/account")

    def webhook_of(self, number: str) -> str:
        return str(self._session.json("GET", f"{self.base_url}/numbers/{number}")["webhook"] or "")

    def set_webhook(self, number: str, url: str) -> str:
        """Point `number` at `url`; return the URL it replaced."""
        before = self.webhook_of(number)
        self._session.json("PUT", f"{self.base_url}/numbers/{number}", json={"webhook": url})
        return before

    def send(self, sender: str, to: str, text: str) -> str:
        return str(self._session.json("POST", f"{self.base_url}/messages",
                                      json={"from": sender, "to": to, "text": text})["id"])
