"""Sinch Conversation API client: what smschannel's Sinch MMS and Sinch RCS credentials call.

The credentials are a project ID, an app ID and an API token; the token goes in
`Authorization: Bearer <token>` (the access token Sinch's OAuth 2.0 flow hands out) and the calls go
to the region the app was created in, `https://{us|eu|br}.conversation.api.sinch.com`. `verify()`
reads the app (`GET /v1/projects/{project_id}/apps/{app_id}`), which proves the project, the app and
the token in one read-only call and tells which channels the app has. Errors keep the API's own
status and message (`{"error": {"code": 401, "message": ..., "status": "UNAUTHENTICATED"}}`).

Shapes follow Sinch's public API reference (there is no vendor OpenAPI file for it in smschannel's
contracts; tests/contracts/sinch_conversation.handwritten.json was written from those pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from smschannel.providers.http import (
    DEFAULT_BACKOFF,
    SYSTEM_CLOCK,
    Backoff,
    BearerAuth,
    Clock,
    VendorClient,
    VendorFault,
    VendorProfile,
    VendorSession,
)

SINCH_CONVERSATION_REGIONS = ("us", "eu", "br")


def sinch_conversation_base_url(region: str) -> str:
    """The Conversation API's base URL for a region: `https://{region}.conversation.api.sinch.com`."""
    if region not in SINCH_CONVERSATION_REGIONS:
        raise ValueError(
            f"Sinch Conversation API region must be one of {', '.join(SINCH_CONVERSATION_REGIONS)}, got {region!r}"
        )
    return f"https://{region}.conversation.api.sinch.com"


def _decode_error(response: httpx.Response) -> VendorFault | None:
    """The Conversation API's error body: {"error": {"code": 401, "message": "...", "status": "..."}}."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    status = error.get("status")
    code = status if isinstance(status, str) and status else error.get("code")
    return VendorFault(code=None if code is None else str(code), message=str(error.get("message") or ""))


SINCH_CONVERSATION = VendorProfile(
    name="sinch_conversation", label="Sinch Conversation API", decode_error=_decode_error
)


@dataclass(frozen=True)
class SinchConversationApp:
    """What `verify()` learnt about the app; channel credentials' secrets are never kept."""

    id: str
    display_name: str
    channels: tuple[str, ...]  # in the app's priority order, e.g. ("RCS", "SMS")
    processing_mode: str | None

    def has_channel(self, channel: str) -> bool:
        return channel.upper() in self.channels


@dataclass(frozen=True)
class SinchConversationMessage:
    message_id: str
    accepted_time: str | None


class SinchConversationClient(VendorClient):
    """One Sinch Conversation API app credential. Use as a context manager, or call `close()`.

    `region` picks the regional API (`us`, `eu`, `br`: the app's region); `base_url` overrides it (a
    local emulator, a proxy). The other keywords are as for `TwilioClient`.
    """

    def __init__(
        self,
        project_id: str,
        app_id: str,
        api_token: str,
        *,
        region: str = "us",
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: Backoff = DEFAULT_BACKOFF,
        rate_limit_rps: float = 0.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.project_id = project_id
        self.app_id = app_id
        self.region = region
        self.base_url = (base_url or sinch_conversation_base_url(region)).rstrip("/")
        self._session = VendorSession(
            SINCH_CONVERSATION,
            auth=BearerAuth(api_token),
            secrets=(api_token,),
            transport=transport,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            rate_limit_rps=rate_limit_rps,
            clock=clock,
        )

    def __repr__(self) -> str:
        return (
            f"SinchConversationClient(project_id={self.project_id!r}, app_id={self.app_id!r},"
            f" api_token='***', base_url={self.base_url!r})"
        )

    def _project_url(self, suffix: str) -> str:
        return f"{self.base_url}/v1/projects/{quote(self.project_id, safe='')}{suffix}"

    def verify(self) -> SinchConversationApp:
        """Read the app: proves the project, app and token work (the *verify connection* check)."""
        data = self._session.json("GET", self._project_url(f"/apps/{quote(self.app_id, safe='')}"))
        credentials = data.get("channel_credentials")
        channels = tuple(
            str(c["channel"])
            for c in (credentials if isinstance(credentials, list) else [])
            if isinstance(c, dict) and c.get("channel")
        )
        mode = data.get("processing_mode")
        return SinchConversationApp(
            id=str(data.get("id") or ""),
            display_name=str(data.get("display_name") or ""),
            channels=channels,
            processing_mode=mode if isinstance(mode, str) and mode else None,
        )

    def send_message(
        self,
        to: str,
        *,
        text: str | None = None,
        media_url: str | None = None,
        channels: Sequence[str] = ("SMS",),
    ) -> SinchConversationMessage:
        """Send a text (`text`) or a media message (`media_url`, e.g. MMS) to the number `to`.

        `channels` lists the channels to try, in order (e.g. ("RCS", "SMS") for RCS with SMS
        fallback); the recipient is identified by `to` on each. Never retried blindly.
        """
        if (text is None) == (media_url is None):
            raise ValueError("send_message needs exactly one of text and media_url")
        if not channels:
            raise ValueError("send_message needs at least one channel")
        message: dict[str, Any] = (
            {"text_message": {"text": text}} if text is not None else {"media_message": {"url": media_url}}
        )
        body = {
            "app_id": self.app_id,
            "recipient": {"identified_by": {"channel_identities": [{"channel": c, "identity": to} for c in channels]}},
            "message": message,
            "channel_priority_order": list(channels),
        }
        data = self._session.json("POST", self._project_url("/messages:send"), json=body)
        accepted = data.get("accepted_time")
        return SinchConversationMessage(
            message_id=str(data.get("message_id") or ""),
            accepted_time=accepted if isinstance(accepted, str) and accepted else None,
        )
