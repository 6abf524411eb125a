"""What every SMS provider's webhook parser shares: the normalised shapes an inbound request becomes,
the one error parsing raises, and the readers for JSON fields, phone numbers and timestamps. No I/O
besides parsing. Each provider's own format lives in its folder (`smschannel.providers.<name>`).

- `InboundMessage` (a text someone sent us) and `FeedbackEvent` (a delivery outcome of one we sent).
- Every malformed body raises `PayloadError` with one line naming the vendor and the field:
  ``Sinch inbound: "from" is missing``.
"""

from __future__ import annotations

from smschannel.inbound._fields import JsonBody, Reader, load_json, load_object, resolve_now
from smschannel.inbound._numbers import normalize_number
from smschannel.inbound._timestamps import parse_timestamp
from smschannel.inbound._types import FeedbackEvent, FeedbackStatus, InboundMessage, PayloadError

__all__ = [
    "FeedbackEvent",
    "FeedbackStatus",
    "InboundMessage",
    "JsonBody",
    "PayloadError",
    "Reader",
    "load_json",
    "load_object",
    "normalize_number",
    "parse_timestamp",
    "resolve_now",
]
