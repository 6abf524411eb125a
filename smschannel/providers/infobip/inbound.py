"""Infobip SMS webhooks: inbound messages (``MO_JSON_2``) and delivery reports.

Shapes: ``webhooks`` ``receive-inbound-sms-messages`` (schema ``SmsMoReportResponse``) and
``receive-outbound-sms-message-reports-v3`` (schema ``DeliveryReports``; the deprecated
``receive-outbound-sms-message-reports`` has the same fields) of the Infobip SMS OpenAPI file. Both carry
a ``results`` list, so one request may hold several messages or reports.
"""

from __future__ import annotations

from datetime import datetime

from smschannel.inbound import FeedbackEvent, FeedbackStatus, InboundMessage, JsonBody, Reader, load_object, resolve_now

__all__ = ["parse_infobip_feedback", "parse_infobip_inbound"]

_INBOUND = "Infobip inbound"
_FEEDBACK = "Infobip delivery report"

_STATUS_GROUPS: dict[str, FeedbackStatus] = {
    "ACCEPTED": "pending",
    "PENDING": "pending",
    "DELIVERED": "delivered",
    "UNDELIVERABLE": "failed",
    "EXPIRED": "expired",
    "REJECTED": "rejected",
}
"""Infobip's ``MessageGeneralStatus`` (the status ``groupName``); any other group is ``unknown``."""


def parse_infobip_inbound(body: JsonBody, *, now: datetime | None = None) -> list[InboundMessage]:
    """Parse an inbound forward: one message per item of ``results`` (``messageId``, ``from``, ``to``,
    ``text``, ``receivedAt``), in order; an empty ``results`` gives none.

    The text is ``text``, the full content (with the keyword Infobip may have split off into
    ``keyword``/``cleanText``), or ``cleanText`` when ``text`` is absent. Without ``receivedAt``, `now`
    (default: the clock) is used."""
    root = Reader(load_object(body, _INBOUND), _INBOUND)
    default_time = resolve_now(now)
    messages = []
    for item in root.objects("results"):
        text = item.optional_text("text", empty=True)
        if text is None:
            text = item.optional_text("cleanText", empty=True)
        if text is None:
            raise item.missing("text")
        messages.append(
            InboundMessage(
                request_id=item.text("messageId", numbers=True),
                profile_number=item.number("from"),
                inbound_number=item.number("to"),
                text=text,
                received_at=item.time("receivedAt", default_time),
                vendor="infobip",
            )
        )
    return messages


def parse_infobip_feedback(body: JsonBody, *, now: datetime | None = None) -> list[FeedbackEvent]:
    """Parse delivery reports: one event per item of ``results``.

    ``status`` comes from ``status.groupName``, ``status_code`` is ``status.name``
    (``DELIVERED_TO_HANDSET``), ``error_code`` is ``error.name`` unless it is ``NO_ERROR`` (id 0),
    ``client_reference`` is ``callbackData``, ``recipient`` is ``to``, and the time is ``doneAt`` (else
    ``sentAt``, else `now`)."""
    root = Reader(load_object(body, _FEEDBACK), _FEEDBACK)
    default_time = resolve_now(now)
    events = []
    for item in root.objects("results"):
        status = item.object("status")
        group = status.text("groupName")
        error = item.optional_object("error")
        error_code = None
        if error is not None:
            name, ident = error.optional_text("name"), error.code("id")
            if ident != "0" and name != "NO_ERROR":
                error_code = name or ident
        events.append(
            FeedbackEvent(
                client_reference=item.optional_text("callbackData"),
                status=_STATUS_GROUPS.get(group.upper(), "unknown"),
                status_code=status.optional_text("name") or status.code("id"),
                request_id=item.text("messageId", numbers=True),
                vendor="infobip",
                received_at=item.time("doneAt", item.time("sentAt", default_time)),
                recipient=item.optional_number("to"),
                error_code=error_code,
            )
        )
    return events
