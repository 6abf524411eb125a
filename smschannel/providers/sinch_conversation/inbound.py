"""Sinch Conversation API callbacks (RCS and MMS apps): a contact's text message to the app."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from smschannel.inbound import InboundMessage, PayloadError, normalize_number, parse_timestamp

_WHAT = "Sinch Conversation inbound"


def _get(obj: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(obj, Mapping) or step not in obj:
            raise PayloadError(f'{_WHAT}: "{".".join(path)}" is missing')
        obj = obj[step]
    return obj


def parse_conversation_inbound(body: bytes | str | Mapping[str, Any], *, sender_number: str,
                               now: datetime | None = None) -> InboundMessage:
    """A `message` callback whose `contact_message` is a `text_message`; the app's number is the webhook's."""
    if isinstance(body, bytes | str):
        try:
            body = json.loads(body)
        except ValueError as exc:
            raise PayloadError(f"{_WHAT}: the body is not JSON: {exc}") from None
    if not isinstance(body, Mapping):
        raise PayloadError(f"{_WHAT}: the body must be a JSON object")
    message = _get(body, "message")
    text = _get(message, "contact_message", "text_message", "text")
    if not isinstance(text, str):
        raise PayloadError(f'{_WHAT}: "message.contact_message.text_message.text" must be text')
    identity = _get(message, "channel_identity", "identity")
    request_id = _get(message, "id")
    accepted = message.get("accept_time") or body.get("accepted_time")
    try:
        profile = normalize_number(str(identity))
    except ValueError as exc:
        raise PayloadError(f"{_WHAT}: {exc}") from None
    return InboundMessage(
        request_id=str(request_id), profile_number=profile, inbound_number=sender_number, text=text,
        received_at=parse_timestamp(accepted) if accepted else (now or datetime.now(UTC)),
        vendor="sinch",
    )


__all__ = ["parse_conversation_inbound"]
