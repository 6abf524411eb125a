"""Custom vendors: `payload_mapping` says where in the vendor's JSON each field is.

Fields of an inbound webhook's mapping:

- ``message`` (required): the message text (text; a number is taken as its digits).
- ``profile_number`` (required): the sender's number, E.164 or an MSISDN with its country code (text or
  number), normalised by `normalize_number`.
- ``request_id`` (optional): the vendor's ID of the message. Unmapped, or absent in a request:
  ``sha256:`` and the SHA-256 of the body's canonical JSON, so a retried identical request is still
  recognised.
- ``timestamp`` (optional): when the vendor received it, ISO 8601 or epoch seconds or milliseconds
  (see `parse_timestamp`). Unmapped or absent: the time of parsing.
- ``inbound_number`` (optional): the number or short code it was sent to. Unmapped or absent: the
  webhook's sender number.

Fields of a feedback webhook's mapping:

- ``client_reference`` (required): our reference given when sending.
- ``status`` and ``status_code`` (at least one of the two): the vendor's status word, normalised by
  `custom_status`, and its status or error code, kept as text. Without ``status``, the code is
  normalised; without ``status_code``, the status word is kept as the code.
- ``request_id`` and ``timestamp`` (optional): as for inbound.

Every path follows the syntax in `smschannel.inbound._paths` (``data.messages[0].text``, optionally
``$.``-prefixed). A mapped required field whose path leads nowhere in a request, a path that meets the
wrong kind of value on its way, or a value of the wrong kind is a `PayloadError`; a mapped optional
field that is absent or null falls back as if unmapped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from smschannel.errors import Problem
from smschannel.inbound._fields import load_json, resolve_now
from smschannel.inbound._numbers import normalize_number
from smschannel.inbound._paths import PATH_EXAMPLE, PayloadPath, Unresolved
from smschannel.inbound._text import shown
from smschannel.inbound._timestamps import parse_timestamp
from smschannel.inbound._types import FeedbackEvent, FeedbackStatus, InboundMessage, PayloadError

__all__ = [
    "FEEDBACK_MAPPING_FIELDS",
    "INBOUND_MAPPING_FIELDS",
    "PayloadMapping",
    "WebhookType",
    "custom_status",
    "parse_custom_feedback",
    "parse_custom_inbound",
    "validate_payload_mapping",
]

WebhookType = Literal["inbound", "feedback"]

INBOUND_MAPPING_FIELDS: Mapping[str, str] = {
    "message": "the message text, such as data.text",
    "profile_number": "the sender's phone number, such as data.from",
    "request_id": "the vendor's message ID, such as data.id",
    "timestamp": "when the vendor received the message, such as data.received_at",
    "inbound_number": "the number the message was sent to, such as data.to",
}
"""Every field of an inbound mapping, with what its path points to."""

FEEDBACK_MAPPING_FIELDS: Mapping[str, str] = {
    "client_reference": "our reference given when sending, such as data.reference",
    "status": "the delivery status, such as data.status",
    "status_code": "the vendor's status or error code, such as data.code",
    "request_id": "the vendor's message ID, such as data.id",
    "timestamp": "when the vendor recorded the outcome, such as data.done_at",
}
"""Every field of a feedback mapping, with what its path points to."""

_FIELDS: dict[WebhookType, Mapping[str, str]] = {
    "inbound": INBOUND_MAPPING_FIELDS,
    "feedback": FEEDBACK_MAPPING_FIELDS,
}
_REQUIRED: dict[WebhookType, tuple[str, ...]] = {
    "inbound": ("message", "profile_number"),
    "feedback": ("client_reference",),
}
_ATTRIBUTE = "payload_mapping"
_ARTICLE: dict[WebhookType, str] = {"inbound": "an inbound", "feedback": "a feedback"}

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


def _field_problem(field: str, rule: str) -> Problem:
    attribute = f"{_ATTRIBUTE}.{field}"
    return Problem(attribute, f"{attribute} {rule}")


def validate_payload_mapping(mapping: object, *, webhook_type: WebhookType) -> list[Problem]:
    """Every problem of a `payload_mapping` for a webhook of `webhook_type`; empty when it is usable.

    Each `Problem` names ``payload_mapping.<field>`` as its attribute, and its message starts with it:
    ``payload_mapping.message must be a path such as data.text or data.messages[0].text, got "data..text"``.
    Pure: no I/O, nothing raised for bad input.
    """
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, Mapping):
        return [Problem(_ATTRIBUTE, f"{_ATTRIBUTE} must be an object of field names and paths, got {shown(mapping)}")]
    fields = _FIELDS[webhook_type]
    problems: list[Problem] = []
    seen: dict[PayloadPath, str] = {}
    for field in fields:
        if field not in mapping or mapping[field] is None:
            if field in _REQUIRED[webhook_type]:
                problems.append(_field_problem(field, f"is required: the path to {fields[field]}"))
            continue
        value = mapping[field]
        try:
            if not isinstance(value, str):
                raise ValueError(f"must be a path such as {PATH_EXAMPLE}, got {shown(value)}")
            path = PayloadPath.parse(value)
        except ValueError as exc:
            problems.append(_field_problem(field, str(exc)))
            continue
        if path in seen:
            problems.append(
                _field_problem(
                    field, f"points to {path}, as {_ATTRIBUTE}.{seen[path]} does; each field needs its own path"
                )
            )
        seen.setdefault(path, field)
    if webhook_type == "feedback" and mapping.get("status") is None and mapping.get("status_code") is None:
        problems.append(
            _field_problem("status", f"or {_ATTRIBUTE}.status_code is required: the path to {fields['status']}")
        )
    for key in mapping:
        if key not in fields:
            name = key if isinstance(key, str) else shown(key)
            problems.append(
                _field_problem(
                    name,
                    f"is not a field of {_ARTICLE[webhook_type]} webhook's mapping; the fields are {', '.join(fields)}",
                )
            )
    return problems


@dataclass(frozen=True, slots=True)
class PayloadMapping:
    """A validated `payload_mapping`, its paths parsed once; build it with `PayloadMapping.build`."""

    webhook_type: WebhookType
    paths: Mapping[str, PayloadPath]

    @classmethod
    def build(cls, mapping: Mapping[str, str], *, webhook_type: WebhookType) -> PayloadMapping:
        """Validate and parse `mapping`; ValueError listing every problem when it is not usable (the
        registry validates mappings when a webhook is saved, so this is a programming error here)."""
        problems = validate_payload_mapping(mapping, webhook_type=webhook_type)
        if problems:
            raise ValueError("; ".join(problem.message for problem in problems))
        paths = {field: PayloadPath.parse(path) for field, path in mapping.items() if path is not None}
        return cls(webhook_type, paths)


def _mapping(mapping: Mapping[str, str] | PayloadMapping, webhook_type: WebhookType) -> PayloadMapping:
    if isinstance(mapping, PayloadMapping):
        if mapping.webhook_type != webhook_type:
            raise ValueError(f"this payload mapping is for a {mapping.webhook_type} webhook, not {webhook_type}")
        return mapping
    return PayloadMapping.build(mapping, webhook_type=webhook_type)


class _Document:
    """One decoded body read through a mapping; messages name the path and the mapped field."""

    def __init__(self, document: object, mapping: PayloadMapping, context: str) -> None:
        self.document = document
        self.mapping = mapping
        self.context = context

    def fail(self, field: str, rule: str) -> PayloadError:
        path = self.mapping.paths.get(field)
        return PayloadError(f'{self.context}: "{path if path else "(unmapped)"}" ({_ATTRIBUTE}.{field}) {rule}')

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
    compiled = _mapping(mapping, "inbound")
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
                f"{context}: {_ATTRIBUTE}.inbound_number is not set, and the webhook has no sender number"
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
    compiled = _mapping(mapping, "feedback")
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
