"""Custom vendors: reading an inbound message or a delivery report through the webhook's
`payload_mapping` (its fields and rules: `smschannel.model.payload_mapping`).

A mapped required field whose path leads nowhere in a request, a path that meets the wrong kind of value
on its way, or a value of the wrong kind is a `PayloadError`; a mapped optional field that is absent or
null falls back as if unmapped. Numbers are normalised by `normalize_number`, times read by
`parse_timestamp`, statuses by `custom_status`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime

from smschannel.inbound import (
    FeedbackEvent,
    FeedbackStatus,
    InboundMessage,
    PayloadError,
    load_json,
    normalize_number,
    parse_timestamp,
    resolve_now,
)
from smschannel.model.payload_mapping import MAPPING_ATTRIBUTE, PayloadMapping, compiled_mapping
from smschannel.model.payload_paths import Unresolved
from smschannel.model.text import shown

__all__ = ["custom_status", "parse_custom_feedback", "parse_custom_inbound"]

_CUSTOM_WORDS: dict[FeedbackStatus, tuple[str, ...]] = {
    "delivered": ("delivered", "delivrd", "delivered_to_handset", "success", "successful", "read"),
    "failed": (
        "failed", "failure", "fail", "error", "undelivered", "undeliv", "undeliverable", "aborted", "deleted",
        "canceled", "cancelled",
    ),
    "pending": (
        "pending", "queued", "accepted", "acceptd", "enroute", "sent", "sending", "submitted", "dispatched",
        "scheduled", "buffered",
    ),
    "expired": ("expired",),
    "rejected": ("rejected", "rejectd"),
}  # fmt: skip
"""The words `custom_status` knows, lower case; they include every SMPP delivery-receipt state."""
_CUSTOM_STATUSES = {word: status for status, words in _CUSTOM_WORDS.items() for word in words}


def custom_status(value: str) -> FeedbackStatus:
    """Normalise a custom vendor's status word, case-insensitively, spaces and hyphens read as ``_``.

    delivered: delivered, DELIVRD, delivered_to_handset, success, successful, read; failed: failed,
    failure, fail, error, undelivered, UNDELIV, undeliverable, aborted, deleted, canceled, cancelled;
    pending: pending, queued, accepted, ACCEPTD, ENROUTE, sent, sending, submitted, dispatched,
    scheduled, buffered; expired; rejected, REJECTD. Anything else: unknown. (The SMPP delivery-receipt
    states are all covered.)
    """
    key = "_".join(value.strip().lower().replace("-", " ").split())
    return _CUSTOM_STATUSES.get(key, "unknown")


class _Document:
    """One decoded body read through a mapping; messages name the path and the mapped field."""

    def __init__(self, document: object, mapping: PayloadMapping, context: str) -> None:
        self.document = document
        self.mapping = mapping
        self.context = context

    def fail(self, field: str, rule: str) -> PayloadError:
        path = self.mapping.paths.get(field)
        return PayloadError(f'{self.context}: "{path if path else "(unmapped)"}" ({MAPPING_ATTRIBUTE}.{field}) {rule}')

    def value(self, field: str, *, required: bool) -> object:
        """The value at the field's path; None when unmapped, or when absent or null and not `required`."""
        path = self.mapping.paths.get(field)
        if path is None:
            return None
        try:
            value = path.resolve(self.document)
        except Unresolved as exc:
            if exc.reason is None and not required:
                return None
            raise self.fail(field, "is missing" + (f": {exc.reason}" if exc.reason else "")) from None
        if value is None and required:
            raise self.fail(field, "is missing")
        return value

    def text(self, field: str, *, required: bool) -> str | None:
        value = self.value(field, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(field, f"must be text, got {shown(value)}")
        return value if isinstance(value, str) else str(value)

    def required_text(self, field: str) -> str:
        value = self.text(field, required=True)
        if value is None:  # unmapped: the mapping was validated, so this cannot happen for a required field
            raise self.fail(field, "is missing")
        return value

    def optional_number(self, field: str) -> str | None:
        value = self.text(field, required=False)
        return None if value is None else self.normalize(field, value)

    def required_number(self, field: str) -> str:
        return self.normalize(field, self.required_text(field))

    def normalize(self, field: str, value: str) -> str:
        try:
            return normalize_number(value)
        except ValueError as exc:
            raise self.fail(field, str(exc)) from None

    def time(self, field: str, now: datetime | None) -> datetime:
        value = self.value(field, required=False)
        if value is None or value == "":
            return resolve_now(now)
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            raise self.fail(field, str(exc)) from None

    def request_id(self) -> str:
        value = self.text("request_id", required=False)
        if value:
            return value
        canonical = json.dumps(self.document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_custom_inbound(
    body: bytes | str | object,
    mapping: Mapping[str, str] | PayloadMapping,
    *,
    sender_number: str | None = None,
    now: datetime | None = None,
) -> InboundMessage:
    """Parse a custom vendor's inbound request through its inbound `mapping` (see the module's table).

    `body` is the raw JSON (bytes or text) or the decoded value. `sender_number` is the webhook's own
    number, used when ``inbound_number`` is unmapped or absent; without either, a `PayloadError`.
    """
    compiled = compiled_mapping(mapping, "inbound")
    context = "Custom inbound"
    document = _Document(load_json(body, context), compiled, context)
    message = document.required_text("message")
    profile_number = document.required_number("profile_number")
    inbound_number = document.optional_number("inbound_number")
    if inbound_number is None:
        if sender_number is None:
            if "inbound_number" in compiled.paths:
                raise document.fail("inbound_number", "is missing, and the webhook has no sender number")
            raise PayloadError(
                f"{context}: {MAPPING_ATTRIBUTE}.inbound_number is not set, and the webhook has no sender number"
            )
        inbound_number = normalize_number(sender_number)
    return InboundMessage(
        request_id=document.request_id(),
        profile_number=profile_number,
        inbound_number=inbound_number,
        text=message,
        received_at=document.time("timestamp", now),
        vendor="custom",
    )


def parse_custom_feedback(
    body: bytes | str | object,
    mapping: Mapping[str, str] | PayloadMapping,
    *,
    now: datetime | None = None,
) -> FeedbackEvent:
    """Parse a custom vendor's delivery feedback through its feedback `mapping` (see the module's table).

    ``status`` is normalised with `custom_status` from the mapped status, or else from the status code;
    ``status_code`` keeps the vendor's code, or else its status word.
    """
    compiled = compiled_mapping(mapping, "feedback")
    context = "Custom feedback"
    document = _Document(load_json(body, context), compiled, context)
    client_reference = document.required_text("client_reference")
    raw_status = document.required_text("status") if "status" in compiled.paths else None
    code = document.required_text("status_code") if "status_code" in compiled.paths else None
    return FeedbackEvent(
        client_reference=client_reference,
        status=custom_status(raw_status if raw_status is not None else code or ""),
        status_code=code if code is not None else raw_status,
        request_id=document.request_id(),
        vendor="custom",
        received_at=document.time("timestamp", now),
    )
