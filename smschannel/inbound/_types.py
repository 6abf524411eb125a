"""The normalised shapes every vendor's webhook request is turned into, and the one error parsing raises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from smschannel.errors import SmschannelError

__all__ = ["FeedbackEvent", "FeedbackStatus", "InboundMessage", "PayloadError", "Vendor"]

Vendor = str
"""The vendor whose request was parsed."""

FeedbackStatus = Literal["pending", "delivered", "failed", "expired", "rejected", "unknown"]
"""A delivery outcome in the same words for every vendor.

- ``pending``: accepted, queued, scheduled or sent on to the operator; a later report follows.
- ``delivered``: the handset has the message (Twilio ``read`` counts as delivered).
- ``failed``: it will not be delivered (undeliverable, aborted, deleted, cancelled, failed).
- ``expired``: its validity period ran out before delivery.
- ``rejected``: the vendor or the operator refused it.
- ``unknown``: the vendor could not tell, or sent a status this module does not know; the vendor's own
  words stay in `FeedbackEvent.status_code`.
"""


class PayloadError(SmschannelError):
    """A vendor's request body is malformed: one line naming the vendor and what is missing or wrong,
    such as ``Sinch inbound: "from" is missing``. The registry answers it with 400."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundMessage:
    """One text message a person sent to one of our numbers."""

    request_id: str
    """The vendor's ID of this message (Sinch ``id``, Infobip ``messageId``, Twilio ``MessageSid``); the
    idempotency key, since vendors retry callbacks."""
    profile_number: str
    """Who sent it: E.164 (``+46701234567``), with the ``+`` added where the vendor leaves it out."""
    inbound_number: str
    """The number it was sent to: E.164, or a short code (3-6 digits) as it is."""
    text: str
    """The message text exactly as received (Infobip: the full ``text``, keyword included)."""
    received_at: datetime
    """When the vendor received it (timezone-aware, UTC), or when the request was parsed where the vendor
    sends no time."""
    vendor: Vendor


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackEvent:
    """One delivery outcome of a message we sent (a delivery report or status callback)."""

    client_reference: str | None
    """Our own reference given when sending (Sinch ``client_reference``, Infobip ``callbackData``); None
    where the vendor has none (Twilio) or it was not set."""
    status: FeedbackStatus
    """The outcome in the same words for every vendor."""
    status_code: str | None
    """The vendor's own status: Sinch's detailed ``code`` (``"0"``, ``"402"``), Infobip's status ``name``
    (``"DELIVERED_TO_HANDSET"``), Twilio's ``MessageStatus`` (``"undelivered"``), or the mapped value."""
    request_id: str
    """The vendor's ID of the sent message or batch (Sinch ``batch_id``, Infobip ``messageId``, Twilio
    ``MessageSid``). Not unique per event: one message reports several statuses over time, and one Sinch
    batch report carries several; deduplicate on (`request_id`, `recipient`, `status_code`)."""
    vendor: Vendor
    received_at: datetime
    """When the vendor recorded the outcome (timezone-aware, UTC), or when the request was parsed where the
    vendor sends no time."""
    recipient: str | None = None
    """The number the message was sent to (E.164 or short code), where the report names it."""
    error_code: str | None = None
    """The vendor's error code where it gives one apart from the status: Twilio ``ErrorCode``
    (``"30003"``), Infobip error ``name`` (``"EC_ABSENT_SUBSCRIBER"``; None for ``NO_ERROR``)."""
