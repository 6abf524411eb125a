"""The inbound-message path's pure part: each vendor's webhook request turned into one normalised shape,
and Twilio's request signature. No I/O besides parsing.

- `InboundMessage` (a text someone sent us) and `FeedbackEvent` (a delivery outcome of one we sent).
- Sinch: `parse_sinch_inbound`, `parse_sinch_feedback`, and `parse_sinch_callback` for the one callback
  URL of a service plan that receives both.
- Infobip: `parse_infobip_inbound` and `parse_infobip_feedback` (several per request).
- Twilio: `parse_twilio_inbound`, `parse_twilio_feedback`, `twilio_signature`, `valid_twilio_signature`.
- Custom vendors: `validate_payload_mapping`, `PayloadMapping`, `parse_custom_inbound`,
  `parse_custom_feedback` (path syntax: `PayloadPath`).
- Every malformed body raises `PayloadError` with one line naming the vendor and the field:
  ``Sinch inbound: "from" is missing``.
"""

from __future__ import annotations

from smschannel.inbound._conversation import parse_conversation_inbound
from smschannel.inbound._fields import JsonBody
from smschannel.inbound._infobip import parse_infobip_feedback, parse_infobip_inbound
from smschannel.inbound._mapping import (
    FEEDBACK_MAPPING_FIELDS,
    INBOUND_MAPPING_FIELDS,
    PayloadMapping,
    WebhookType,
    custom_status,
    parse_custom_feedback,
    parse_custom_inbound,
    validate_payload_mapping,
)
from smschannel.inbound._numbers import normalize_number
from smschannel.inbound._paths import PayloadPath
from smschannel.inbound._sinch import parse_sinch_callback, parse_sinch_feedback, parse_sinch_inbound
from smschannel.inbound._timestamps import parse_timestamp
from smschannel.inbound._twilio import (
    FormParams,
    parse_twilio_feedback,
    parse_twilio_inbound,
    twilio_signature,
    valid_twilio_signature,
)
from smschannel.inbound._types import FeedbackEvent, FeedbackStatus, InboundMessage, PayloadError, Vendor

__all__ = [
    "FEEDBACK_MAPPING_FIELDS",
    "INBOUND_MAPPING_FIELDS",
    "FeedbackEvent",
    "FeedbackStatus",
    "FormParams",
    "InboundMessage",
    "JsonBody",
    "PayloadError",
    "PayloadMapping",
    "PayloadPath",
    "Vendor",
    "WebhookType",
    "custom_status",
    "normalize_number",
    "parse_conversation_inbound",
    "parse_custom_feedback",
    "parse_custom_inbound",
    "parse_infobip_feedback",
    "parse_infobip_inbound",
    "parse_sinch_callback",
    "parse_sinch_feedback",
    "parse_sinch_inbound",
    "parse_timestamp",
    "parse_twilio_feedback",
    "parse_twilio_inbound",
    "twilio_signature",
    "valid_twilio_signature",
    "validate_payload_mapping",
]
