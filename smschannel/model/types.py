"""Value types shared by the models. Each rejects bad input with a message a person can act on.

Messages are phrased to follow the attribute name: `account_sid` + `must be "AC" followed by ...`.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated
from urllib.parse import urlsplit

import phonenumbers
from pydantic import AfterValidator, BeforeValidator


def _shown(value: object) -> str:
    if not isinstance(value, str):
        return repr(value)
    text = value
    if len(text) > 60:
        text = text[:57] + "..."
    return '"' + text.replace('"', '\\"') + '"'


def _require_str(value: object) -> object:
    """Refuse numbers and booleans where text is expected instead of silently coercing them."""
    if not isinstance(value, str):
        raise ValueError(f"must be text, got {_shown(value)}")
    return value


def e164(value: str) -> str:
    if not value.startswith("+"):
        raise ValueError(f"must be a phone number in E.164 form such as +14155550100, got {_shown(value)}")
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError(
            f"must be a phone number in E.164 form such as +14155550100, got {_shown(value)}"
        ) from None
    formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if formatted != value:
        raise ValueError(f"must be written in E.164 form without spaces or punctuation: {formatted}, "
                         f"got {_shown(value)}")
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"is not a valid phone number for its country code, got {_shown(value)}")
    return value


_ALNUM_SENDER = re.compile(r"^[A-Za-z0-9 ]{1,11}$")


def sender_number(value: str) -> str:
    """E.164 long code, short code (5-6 digits) or alphanumeric sender ID (1-11, not all digits)."""
    if value.startswith("+"):
        return e164(value)
    if value.isdigit():
        if 5 <= len(value) <= 6:
            return value
        raise ValueError(
            f"must be an E.164 number (starting with +), a short code of 5-6 digits or an alphanumeric "
            f"sender ID of 1-11 characters, got {_shown(value)} ({len(value)} digits)"
        )
    if not _ALNUM_SENDER.match(value) or value.strip() != value:
        raise ValueError(
            "must be an E.164 number, a short code of 5-6 digits or an alphanumeric sender ID of 1-11 "
            f"letters, digits and inner spaces, got {_shown(value)}"
        )
    return value


def is_alphanumeric_sender(value: str) -> bool:
    return not value.startswith("+") and not value.isdigit()


def _sid(prefix: str, what: str) -> AfterValidator:
    pattern = re.compile(rf"^{prefix}[0-9a-f]{{32}}$")

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f'must be "{prefix}" followed by 32 hex digits ({what}), got {_shown(value)}')
        return value

    return AfterValidator(check)


_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")


def _hex32(what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not _HEX32.match(value):
            raise ValueError(f"must be 32 hex digits ({what}), got {_shown(value)}")
        return value

    return AfterValidator(check)


_CONFIG_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,99}$")


def configuration_name(value: str) -> str:
    if not _CONFIG_NAME.match(value):
        raise ValueError(
            "must start with a letter and hold only letters, digits, '_', '.' and '-' (at most 100), "
            f"got {_shown(value)}"
        )
    return value


def display_name(value: str) -> str:
    if not value.strip() or len(value) > 100 or any(ord(c) < 32 for c in value):
        raise ValueError(f"must be 1-100 printable characters, got {_shown(value)}")
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def https_url(value: str) -> str:
    """An https:// URL; http:// only for loopback hosts (local vendors)."""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"must be an https:// URL, got {_shown(value)}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(f"must use https:// (http:// is allowed only for loopback hosts), got {_shown(value)}")
    return value


Text = Annotated[str, BeforeValidator(_require_str)]
E164 = Annotated[str, BeforeValidator(_require_str), AfterValidator(e164)]
SenderNumber = Annotated[str, BeforeValidator(_require_str), AfterValidator(sender_number)]
AccountSid = Annotated[str, BeforeValidator(_require_str), _sid("AC", "a Twilio account SID")]
MessagingServiceSid = Annotated[
    str, BeforeValidator(_require_str), _sid("MG", "a Twilio messaging service SID")
]
ServicePlanId = Annotated[str, BeforeValidator(_require_str), _hex32("a Sinch service plan ID")]
ConfigurationName = Annotated[str, BeforeValidator(_require_str), AfterValidator(configuration_name)]
DisplayName = Annotated[str, BeforeValidator(_require_str), AfterValidator(display_name)]
HttpsUrl = Annotated[str, BeforeValidator(_require_str), AfterValidator(https_url)]
ObjectId = Annotated[str, BeforeValidator(_require_str)]



def reply_text(value: str) -> str:
    """A reply message: not empty, at most 10 SMS segments."""
    from smschannel.keywords.segments import MAX_REPLY_SEGMENTS, encode_info

    if not value.strip():
        raise ValueError("must not be empty (leave it out to send no reply)")
    info = encode_info(value)
    if info.segments > MAX_REPLY_SEGMENTS:
        raise ValueError(f"must fit in {MAX_REPLY_SEGMENTS} SMS segments, got {info.encoding}, {info.segments} "
                         f"segments ({len(value)} characters)")
    return value


_KEYWORD = re.compile(r"^[^\s](?:.{0,48}[^\s])?$")


def keyword(value: str) -> str:
    if not _KEYWORD.match(value) or any(ord(c) < 32 for c in value):
        raise ValueError(f"must be 1-50 characters without leading or trailing spaces, got {_shown(value)}")
    return value


def inbound_number(value: str) -> str:
    """A number that can receive messages: E.164 or a short code (an alphanumeric sender cannot)."""
    if value.isdigit() and 5 <= len(value) <= 6:
        return value
    if not value.startswith("+"):
        raise ValueError(
            f"must be an E.164 number (starting with +) or a short code of 5-6 digits, got {_shown(value)}")
    return e164(value)


def locale_code(value: str) -> str:
    """A language the keyword engine knows (`smschannel.keywords.LOCALES`)."""
    from smschannel.keywords.locales import locale_for

    locale_for(value)
    return value


ReplyText = Annotated[str, BeforeValidator(_require_str), AfterValidator(reply_text)]
LocaleCode = Annotated[str, BeforeValidator(_require_str), AfterValidator(locale_code)]
Keyword = Annotated[str, BeforeValidator(_require_str), AfterValidator(keyword)]
InboundNumber = Annotated[str, BeforeValidator(_require_str), AfterValidator(inbound_number)]

__all__ = [
    "E164",
    "AccountSid",
    "ConfigurationName",
    "DisplayName",
    "HttpsUrl",
    "InboundNumber",
    "Keyword",
    "LocaleCode",
    "MessagingServiceSid",
    "ObjectId",
    "ReplyText",
    "SenderNumber",
    "ServicePlanId",
    "Text",
    "e164",
    "https_url",
    "inbound_number",
    "is_alphanumeric_sender",
    "keyword",
    "locale_code",
    "reply_text",
    "sender_number",
]
