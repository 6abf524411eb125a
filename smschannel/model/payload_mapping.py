"""`payload_mapping` of a custom vendor's webhook: where in the vendor's JSON each field is, and the
rules a mapping must follow. (How a request is read through a mapping: `smschannel.providers.custom`.)

Fields of an inbound webhook's mapping:

- ``message`` (required): the message text (text; a number is taken as its digits).
- ``profile_number`` (required): the sender's number, E.164 or an MSISDN with its country code (text or
  number).
- ``request_id`` (optional): the vendor's ID of the message. Unmapped, or absent in a request:
  ``sha256:`` and the SHA-256 of the body's canonical JSON, so a retried identical request is still
  recognised.
- ``timestamp`` (optional): when the vendor received it, ISO 8601 or epoch seconds or milliseconds.
  Unmapped or absent: the time of parsing.
- ``inbound_number`` (optional): the number or short code it was sent to. Unmapped or absent: the
  webhook's sender number.

Fields of a feedback webhook's mapping:

- ``client_reference`` (required): our reference given when sending.
- ``status`` and ``status_code`` (at least one of the two): the vendor's status word and its status or
  error code, kept as text. Without ``status``, the code is normalised; without ``status_code``, the
  status word is kept as the code.
- ``request_id`` and ``timestamp`` (optional): as for inbound.

Every path follows the syntax in `smschannel.model.payload_paths` (``data.messages[0].text``,
optionally ``$.``-prefixed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from smschannel.errors import Problem
from smschannel.model.payload_paths import PATH_EXAMPLE, PayloadPath
from smschannel.model.text import shown

__all__ = [
    "FEEDBACK_MAPPING_FIELDS",
    "INBOUND_MAPPING_FIELDS",
    "MAPPING_ATTRIBUTE",
    "PayloadMapping",
    "WebhookType",
    "compiled_mapping",
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
MAPPING_ATTRIBUTE = "payload_mapping"
_ARTICLE: dict[WebhookType, str] = {"inbound": "an inbound", "feedback": "a feedback"}

def _field_problem(field: str, rule: str) -> Problem:
    attribute = f"{MAPPING_ATTRIBUTE}.{field}"
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
        return [Problem(MAPPING_ATTRIBUTE,
                        f"{MAPPING_ATTRIBUTE} must be an object of field names and paths, got {shown(mapping)}")]
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
                    field, f"points to {path}, as {MAPPING_ATTRIBUTE}.{seen[path]} does; each field needs its own path"
                )
            )
        seen.setdefault(path, field)
    if webhook_type == "feedback" and mapping.get("status") is None and mapping.get("status_code") is None:
        problems.append(
            _field_problem("status", f"or {MAPPING_ATTRIBUTE}.status_code is required: the path to {fields['status']}")
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


def compiled_mapping(mapping: Mapping[str, str] | PayloadMapping, webhook_type: WebhookType) -> PayloadMapping:
    if isinstance(mapping, PayloadMapping):
        if mapping.webhook_type != webhook_type:
            raise ValueError(f"this payload mapping is for a {mapping.webhook_type} webhook, not {webhook_type}")
        return mapping
    return PayloadMapping.build(mapping, webhook_type=webhook_type)
