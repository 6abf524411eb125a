"""Sinch SMS callbacks (XMS API v1): inbound messages and delivery reports.

Shapes: ``x-webhooks`` ``incomingSMS`` (schema ``inboundsObject``) and ``deliveryReport`` (schemas
``retrieveDeliveryResponseObj`` and ``retrieveRecipientDeliveryResponseObj``) of the Sinch SMS OpenAPI file.
Sinch posts both to one callback URL per service plan; `parse_sinch_callback` tells them apart by ``type``.
"""

from __future__ import annotations

from datetime import datetime

from smschannel.inbound import (
    FeedbackEvent,
    FeedbackStatus,
    InboundMessage,
    JsonBody,
    PayloadError,
    Reader,
    load_object,
    resolve_now,
)
from smschannel.model.text import shown

__all__ = ["parse_sinch_callback", "parse_sinch_feedback", "parse_sinch_inbound"]

_INBOUND = "Sinch inbound"
_FEEDBACK = "Sinch delivery report"
_CALLBACK = "Sinch callback"

_INBOUND_TYPES = ("mo_text",)
_BATCH_TYPES = ("delivery_report_sms", "delivery_report_mms")
_RECIPIENT_TYPES = ("recipient_delivery_report_sms", "recipient_delivery_report_mms")

_STATUSES: dict[str, FeedbackStatus] = {
    "queued": "pending",
    "dispatched": "pending",
    "delivered": "delivered",
    "aborted": "failed",
    "failed": "failed",
    "deleted": "failed",
    "expired": "expired",
    "rejected": "rejected",
    "unknown": "unknown",
}
"""Sinch's "Delivery Report Statuses" table; a status not listed there is ``unknown``."""


def parse_sinch_inbound(body: JsonBody, *, now: datetime | None = None) -> InboundMessage:
    """Parse an ``incomingSMS`` callback (``type`` ``mo_text``; ``id``, ``from``, ``to``, ``body``,
    ``received_at``). ``from`` and ``to`` are MSISDNs, with or without ``+``; ``received_at`` may be
    null, then `now` (default: the clock) is used. ``mo_binary`` is refused: it carries no text."""
    return _inbound(Reader(load_object(body, _INBOUND), _INBOUND), now)


def parse_sinch_feedback(body: JsonBody, *, now: datetime | None = None) -> list[FeedbackEvent]:
    """Parse a ``deliveryReport`` callback into one event per outcome.

    - A batch report (``delivery_report_sms``) gives one event per entry of ``statuses``, or, in a
      ``full`` report that lists ``recipients``, one per recipient. It has no time: `now` is used.
    - A recipient report (``recipient_delivery_report_sms``) gives one event, timed by ``at``.

    ``request_id`` is the ``batch_id``; ``status_code`` Sinch's detailed ``code``.
    """
    return _feedback(Reader(load_object(body, _FEEDBACK), _FEEDBACK), now)


def parse_sinch_callback(body: JsonBody, *, now: datetime | None = None) -> InboundMessage | list[FeedbackEvent]:
    """Parse whatever Sinch posts to a service plan's callback URL, by its ``type``: an inbound
    message (`parse_sinch_inbound`) or delivery report events (`parse_sinch_feedback`)."""
    obj = load_object(body, _CALLBACK)
    kind = Reader(obj, _CALLBACK).text("type")
    if kind in _INBOUND_TYPES or kind == "mo_binary":
        return _inbound(Reader(obj, _INBOUND), now)
    if kind in _BATCH_TYPES + _RECIPIENT_TYPES:
        return _feedback(Reader(obj, _FEEDBACK), now)
    known = ", ".join(_INBOUND_TYPES + _BATCH_TYPES + _RECIPIENT_TYPES)
    raise PayloadError(f'{_CALLBACK}: "type" must be one of {known}, got {shown(kind)}')


def _inbound(reader: Reader, now: datetime | None) -> InboundMessage:
    kind = reader.optional_text("type")
    if kind is not None and kind not in _INBOUND_TYPES:
        raise reader.fail("type", f'must be "mo_text" (a text message), got {shown(kind)}')
    return InboundMessage(
        request_id=reader.text("id"),
        profile_number=reader.number("from"),
        inbound_number=reader.number("to"),
        text=reader.text("body", empty=True),
        received_at=reader.time("received_at", resolve_now(now)),
        vendor="sinch",
    )


def _feedback(reader: Reader, now: datetime | None) -> list[FeedbackEvent]:
    kind = reader.text("type")
    if kind in _RECIPIENT_TYPES:
        return [_recipient_report(reader, now)]
    if kind in _BATCH_TYPES:
        return _batch_report(reader, now)
    known = ", ".join(_BATCH_TYPES + _RECIPIENT_TYPES)
    raise reader.fail("type", f"must be one of {known}, got {shown(kind)}")


def _status(reader: Reader) -> tuple[FeedbackStatus, str | None]:
    status = reader.text("status")
    return _STATUSES.get(status.lower(), "unknown"), reader.code("code")


def _recipient_report(reader: Reader, now: datetime | None) -> FeedbackEvent:
    status, code = _status(reader)
    return FeedbackEvent(
        client_reference=reader.optional_text("client_reference"),
        status=status,
        status_code=code,
        request_id=reader.text("batch_id"),
        vendor="sinch",
        received_at=reader.time("at", resolve_now(now)),
        recipient=reader.number("recipient"),
    )


def _batch_report(reader: Reader, now: datetime | None) -> list[FeedbackEvent]:
    batch_id = reader.text("batch_id")
    client_reference = reader.optional_text("client_reference")
    received_at = resolve_now(now)
    events = []
    for entry in reader.objects("statuses"):
        status, code = _status(entry)
        recipients: list[str | None] = [
            entry.normalize(f"recipients[{index}]", number)
            for index, number in enumerate(entry.optional_texts("recipients"))
        ]
        for recipient in recipients or [None]:
            events.append(
                FeedbackEvent(
                    client_reference=client_reference,
                    status=status,
                    status_code=code,
                    request_id=batch_id,
                    vendor="sinch",
                    received_at=received_at,
                    recipient=recipient,
                )
            )
    return events
