"""Twilio messaging webhooks: incoming messages and status callbacks, both form-encoded, and the
``X-Twilio-Signature`` that signs every one of them."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from smschannel.inbound import FeedbackEvent, FeedbackStatus, InboundMessage, PayloadError, Reader, resolve_now

__all__ = [
    "FormParams",
    "parse_twilio_feedback",
    "parse_twilio_inbound",
    "twilio_signature",
    "valid_twilio_signature",
]

FormParams = Mapping[str, str] | Iterable[tuple[str, str]]
"""Decoded form fields: a mapping, or (name, value) pairs where a name may repeat."""

_INBOUND = "Twilio inbound"
_FEEDBACK = "Twilio status callback"

_STATUSES: dict[str, FeedbackStatus] = {
    "accepted": "pending",
    "scheduled": "pending",
    "queued": "pending",
    "sending": "pending",
    "sent": "pending",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}
"""Twilio's ``message_enum_status``; ``partially_delivered``, ``receiving``, ``received`` and anything new
are ``unknown``."""


def _pairs(params: FormParams | None) -> list[tuple[str, str]]:
    if params is None:
        return []
    if isinstance(params, Mapping):
        return [(name, params[name]) for name in params]
    return list(params)


def _form(body: bytes | str | FormParams, context: str) -> Reader:
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise PayloadError(f"{context}: the body is not form data: it is not UTF-8 text") from None
    pairs = parse_qsl(body, keep_blank_values=True) if isinstance(body, str) else _pairs(body)
    form: dict[str, str] = {}
    for name, value in pairs:
        form.setdefault(name, value)
    return Reader(form, context)


def _first(reader: Reader, *keys: str, empty: bool = False) -> str:
    """The first of `keys` that is present; missing names the first (Twilio's current name)."""
    for key in keys:
        value = reader.optional_text(key, empty=empty)
        if value is not None:
            return value
    raise reader.missing(keys[0])


def parse_twilio_inbound(body: bytes | str | FormParams, *, now: datetime | None = None) -> InboundMessage:
    """Parse an incoming-message webhook: ``MessageSid`` (or the older ``SmsMessageSid``/``SmsSid``),
    ``From``, ``To``, ``Body``. `body` is the raw form body or its decoded fields. Twilio sends no time:
    `now` (default: the clock) is used."""
    form = _form(body, _INBOUND)
    return InboundMessage(
        request_id=_first(form, "MessageSid", "SmsMessageSid", "SmsSid"),
        profile_number=form.number("From"),
        inbound_number=form.number("To"),
        text=form.text("Body", empty=True),
        received_at=resolve_now(now),
        vendor="twilio",
    )


def parse_twilio_feedback(body: bytes | str | FormParams, *, now: datetime | None = None) -> FeedbackEvent:
    """Parse a status callback: ``MessageSid`` (or ``SmsSid``), ``MessageStatus`` (or ``SmsStatus``),
    ``ErrorCode`` and ``To`` (the recipient). Twilio has no client reference and sends no time (its
    ``RawDlrDoneDate`` has no time zone): `now` (default: the clock) is used."""
    form = _form(body, _FEEDBACK)
    raw_status = _first(form, "MessageStatus", "SmsStatus")
    return FeedbackEvent(
        client_reference=None,
        status=_STATUSES.get(raw_status.lower(), "unknown"),
        status_code=raw_status,
        request_id=_first(form, "MessageSid", "SmsSid"),
        vendor="twilio",
        received_at=resolve_now(now),
        recipient=form.optional_number("To"),
        error_code=form.optional_text("ErrorCode"),
    )


def twilio_signature(auth_token: str, url: str, params: FormParams | None = None) -> str:
    """The ``X-Twilio-Signature`` Twilio sends for a request to `url` with the POST fields `params`.

    As Twilio documents it: the full URL (with its query string), then every POST field sorted by name,
    each name directly followed by its value; HMAC-SHA1 keyed with the auth token; base64. A name that
    repeats contributes its distinct values in sorted order, as Twilio's own libraries do. For a GET
    request the fields are in the URL: pass no `params`.
    """
    values: dict[str, set[str]] = {}
    for name, value in _pairs(params):
        values.setdefault(name, set()).add(value)
    data = url + "".join(name + value for name in sorted(values) for value in sorted(values[name]))
    digest = hmac.new(auth_token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def valid_twilio_signature(auth_token: str, url: str, params: FormParams | None, signature: str | None) -> bool:
    """Whether `signature` (the ``X-Twilio-Signature`` header; None or empty when absent) signs this request.

    Compared in constant time. Like Twilio's own libraries, the URL is also tried without its port and
    with the scheme's default port (443, 80), since Twilio may sign either form; `url` must otherwise be
    the one Twilio called (the public URL, not the one a proxy forwarded to).
    """
    if not signature:
        return False
    pairs = _pairs(params)
    given = signature.encode("utf-8")
    valid = False
    for candidate in _url_variants(url):
        expected = twilio_signature(auth_token, candidate, pairs).encode("ascii")
        valid |= hmac.compare_digest(expected, given)
    return valid


def _url_variants(url: str) -> list[str]:
    """`url` as given, without its port, and with the scheme's default port (when it has none)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if hostport.startswith("["):
        end = hostport.find("]") + 1
        host, port = hostport[:end], hostport[end + 1 :]
    else:
        host, _, port = hostport.partition(":")
    variants = [url, urlunsplit(parts._replace(netloc=f"{userinfo}{at}{host}"))]
    if not port:
        default = "443" if parts.scheme == "https" else "80"
        variants.append(urlunsplit(parts._replace(netloc=f"{userinfo}{at}{host}:{default}")))
    return list(dict.fromkeys(variants))
