"""Twilio REST client: the calls smschannel makes to api.twilio.com and messaging.twilio.com.

Auth is HTTP Basic (Account SID : Auth Token); request bodies are form-encoded, answers JSON.
Lists follow Twilio's paging (`next_page_uri` in API 2010-04-01, `meta.next_page_url` in
Messaging v1). Errors keep Twilio's own code and message, e.g. a wrong token raises
`VendorAuthError` whose message reads "Twilio rejected the credentials: error 20003: Authenticate
(see https://www.twilio.com/docs/errors/20003) [...]".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from smschannel.providers.http import (
    DEFAULT_BACKOFF,
    SYSTEM_CLOCK,
    Backoff,
    Clock,
    VendorClient,
    VendorFault,
    VendorProfile,
    VendorSession,
)
from smschannel.providers.paging import join_next


def _decode_error(response: httpx.Response) -> VendorFault | None:
    """Twilio's error body: {"code": 20003, "message": "Authenticate", "more_info": "...", "status": 401}."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or ("code" not in body and "message" not in body):
        return None
    code, message, more_info = body.get("code"), body.get("message"), body.get("more_info")
    return VendorFault(
        code=None if code is None else str(code),
        message=str(message or ""),
        more_info=more_info if isinstance(more_info, str) and more_info else None,
    )


TWILIO = VendorProfile(name="twilio", label="Twilio", decode_error=_decode_error)


@dataclass(frozen=True)
class TwilioAccount:
    """The account a credential opens (the auth token Twilio also returns is dropped)."""

    sid: str
    friendly_name: str
    status: str
    type: str | None


@dataclass(frozen=True)
class TwilioIncomingNumber:
    sid: str
    phone_number: str
    friendly_name: str
    sms_url: str
    sms_method: str
    capabilities: frozenset[str] = frozenset()
    """What the number can do, lower case: `sms`, `mms`, `voice`, `fax`."""


@dataclass(frozen=True)
class TwilioServiceNumber:
    """A phone number in a messaging service's sender pool."""

    sid: str
    phone_number: str
    service_sid: str
    capabilities: frozenset[str] = frozenset()
    """What the number can do, lower case (Twilio lists them as `SMS`, `MMS`, `Voice`)."""


@dataclass(frozen=True)
class TwilioMessagingService:
    sid: str
    friendly_name: str
    inbound_request_url: str | None
    inbound_method: str | None
    use_inbound_webhook_on_number: bool | None


@dataclass(frozen=True)
class TwilioMessage:
    sid: str
    status: str
    to: str
    from_: str | None
    messaging_service_sid: str | None


@dataclass(frozen=True)
class TwilioSmsWebhook:
    """A number's inbound SMS webhook: what `update_number_sms_url` replaced, to restore it later."""

    sms_url: str
    sms_method: str


@dataclass(frozen=True)
class TwilioServiceInbound:
    """A messaging service's inbound settings, as `update_messaging_service_inbound` found them."""

    inbound_request_url: str | None
    inbound_method: str | None
    use_inbound_webhook_on_number: bool | None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _form_bool(value: bool) -> str:
    return "true" if value else "false"


def _capabilities(value: Any) -> frozenset[str]:
    """Twilio's capabilities: an object of booleans (API 2010-04-01) or a list of names (Messaging v1)."""
    if isinstance(value, Mapping):
        return frozenset(str(k).lower() for k, v in value.items() if v is True)
    if isinstance(value, list):
        return frozenset(str(v).lower() for v in value)
    return frozenset()


def _incoming_number(data: Mapping[str, Any]) -> TwilioIncomingNumber:
    return TwilioIncomingNumber(
        sid=_text(data.get("sid")),
        phone_number=_text(data.get("phone_number")),
        friendly_name=_text(data.get("friendly_name")),
        sms_url=_text(data.get("sms_url")),
        sms_method=_text(data.get("sms_method")) or "POST",
        capabilities=_capabilities(data.get("capabilities")),
    )


def _messaging_service(data: Mapping[str, Any]) -> TwilioMessagingService:
    return TwilioMessagingService(
        sid=_text(data.get("sid")),
        friendly_name=_text(data.get("friendly_name")),
        inbound_request_url=_optional(data.get("inbound_request_url")),
        inbound_method=_optional(data.get("inbound_method")),
        use_inbound_webhook_on_number=_bool(data.get("use_inbound_webhook_on_number")),
    )


class TwilioClient(VendorClient):
    """One Twilio account credential. Use as a context manager, or call `close()`.

    `base_url` serves the API 2010-04-01 calls and `messaging_base_url` the Messaging v1 calls;
    the local emulator serves both at one address. `retries` is how many times a failed call is
    retried (see `smschannel.providers.http` for what is retried), `rate_limit_rps`
    spaces calls (0 = unlimited), `clock` lets tests replace time and randomness.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        base_url: str = "https://api.twilio.com",
        messaging_base_url: str = "https://messaging.twilio.com",
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: Backoff = DEFAULT_BACKOFF,
        rate_limit_rps: float = 0.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.account_sid = account_sid
        self.base_url = base_url.rstrip("/")
        self.messaging_base_url = messaging_base_url.rstrip("/")
        self._session = VendorSession(
            TWILIO,
            auth=httpx.BasicAuth(account_sid, auth_token),
            secrets=(auth_token,),
            transport=transport,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            rate_limit_rps=rate_limit_rps,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"TwilioClient(account_sid={self.account_sid!r}, auth_token='***', base_url={self.base_url!r})"

    # -- API 2010-04-01 ------------------------------------------------------------------------

    def _account_url(self, suffix: str = ".json") -> str:
        return f"{self.base_url}/2010-04-01/Accounts/{quote(self.account_sid, safe='')}{suffix}"

    def verify(self) -> TwilioAccount:
        """Fetch the account: proves the SID and token work (the *verify connection* check)."""
        data = self._session.json("GET", self._account_url())
        return TwilioAccount(
            sid=_text(data.get("sid")),
            friendly_name=_text(data.get("friendly_name")),
            status=_text(data.get("status")),
            type=_optional(data.get("type")),
        )

    def incoming_numbers(
        self, *, phone_number: str | None = None, page_size: int = 50
    ) -> list[TwilioIncomingNumber]:
        """The account's phone numbers, every page; `phone_number` filters (Twilio's `PhoneNumber`)."""
        params: dict[str, str | int] = {"PageSize": page_size}
        if phone_number is not None:
            params["PhoneNumber"] = phone_number
        pages = self._pages_2010(
            self._account_url("/IncomingPhoneNumbers.json"), params, "incoming_phone_numbers"
        )
        return [_incoming_number(item) for item in pages]

    def incoming_number(self, number_sid: str) -> TwilioIncomingNumber:
        data = self._session.json("GET", self._number_url(number_sid))
        return _incoming_number(data)

    def update_number_sms_url(
        self, number_sid: str, *, sms_url: str, sms_method: str = "POST"
    ) -> TwilioSmsWebhook:
        """Point a number's inbound SMS webhook at `sms_url`; return the setting it replaced."""
        before = self.incoming_number(number_sid)
        self._session.json(
            "POST",
            self._number_url(number_sid),
            data={"SmsUrl": sms_url, "SmsMethod": sms_method},
            idempotent=True,
        )
        return TwilioSmsWebhook(sms_url=before.sms_url, sms_method=before.sms_method)

    def send_message(
        self,
        to: str,
        *,
        body: str,
        from_: str | None = None,
        messaging_service_sid: str | None = None,
        media_urls: Sequence[str] = (),
    ) -> TwilioMessage:
        """Send an SMS, or an MMS with `media_urls` (at most 10, each `MediaUrl`), from a number (`from_`) or
        through a messaging service. Never retried blindly."""
        if (from_ is None) == (messaging_service_sid is None):
            raise ValueError("send_message needs exactly one of from_ and messaging_service_sid")
        form: dict[str, str | list[str]] = {"To": to, "Body": body}
        if from_ is not None:
            form["From"] = from_
        if messaging_service_sid is not None:
            form["MessagingServiceSid"] = messaging_service_sid
        if media_urls:
            form["MediaUrl"] = list(media_urls)
        data = self._session.json("POST", self._account_url("/Messages.json"), data=form)
        return TwilioMessage(
            sid=_text(data.get("sid")),
            status=_text(data.get("status")),
            to=_text(data.get("to")),
            from_=_optional(data.get("from")),
            messaging_service_sid=_optional(data.get("messaging_service_sid")),
        )

    def owns_sender(self, number: str, *, messaging_service_sid: str | None = None) -> bool:
        """Whether `number` belongs to the account, or to the messaging service when one is given.

        Only phone numbers are looked up (short codes and alphanumeric sender IDs answer False).
        """
        return self.sender_capabilities(number, messaging_service_sid=messaging_service_sid) is not None

    def sender_capabilities(self, number: str, *, messaging_service_sid: str | None = None) -> frozenset[str] | None:
        """What `number` can do (`sms`, `mms`, ...) as Twilio reports it, when it belongs to the account (or to
        the messaging service when one is given); None when it does not."""
        if messaging_service_sid is not None:
            found: list[TwilioServiceNumber | TwilioIncomingNumber] = [
                n for n in self.messaging_service_numbers(messaging_service_sid) if n.phone_number == number]
        else:
            found = [n for n in self.incoming_numbers(phone_number=number) if n.phone_number == number]
        return found[0].capabilities if found else None

    def _number_url(self, number_sid: str) -> str:
        return self._account_url(f"/IncomingPhoneNumbers/{quote(number_sid, safe='')}.json")

    def _pages_2010(self, url: str, params: dict[str, str | int], key: str) -> Iterator[Mapping[str, Any]]:
        next_url: str | None = url
        query: dict[str, str | int] | None = params
        while next_url:
            page = self._session.json("GET", next_url, params=query)
            yield from page.get(key) or []
            uri = page.get("next_page_uri")
            next_url = join_next(self.base_url, link=uri) if isinstance(uri, str) and uri else None
            query = None  # the next page's URI carries the query

    # -- Messaging v1 --------------------------------------------------------------------------

    def _service_url(self, service_sid: str, suffix: str = "") -> str:
        return f"{self.messaging_base_url}/v1/Services/{quote(service_sid, safe='')}{suffix}"

    def messaging_service(self, service_sid: str) -> TwilioMessagingService:
        return _messaging_service(self._session.json("GET", self._service_url(service_sid)))

    def messaging_service_numbers(
        self, service_sid: str, *, page_size: int = 50
    ) -> list[TwilioServiceNumber]:
        """The phone numbers in a messaging service's sender pool, every page."""
        next_url: str | None = self._service_url(service_sid, "/PhoneNumbers")
        query: dict[str, str | int] | None = {"PageSize": page_size}
        numbers: list[TwilioServiceNumber] = []
        while next_url:
            page = self._session.json("GET", next_url, params=query)
            numbers.extend(
                TwilioServiceNumber(
                    sid=_text(item.get("sid")),
                    phone_number=_text(item.get("phone_number")),
                    service_sid=_text(item.get("service_sid")),
                    capabilities=_capabilities(item.get("capabilities")),
                )
                for item in page.get("phone_numbers") or []
            )
            meta = page.get("meta") or {}
            url = meta.get("next_page_url") if isinstance(meta, dict) else None
            next_url = join_next(self.messaging_base_url, link=url) if isinstance(url, str) and url else None
            query = None
        return numbers

    def update_messaging_service_inbound(
        self,
        service_sid: str,
        *,
        url: str | None,
        method: str = "POST",
        use_inbound_webhook_on_number: bool | None = None,
    ) -> TwilioServiceInbound:
        """Set the service's inbound request URL (None clears it); return the settings it replaced.

        `use_inbound_webhook_on_number` is left unchanged when None.
        """
        before = self.messaging_service(service_sid)
        form = {"InboundRequestUrl": url or "", "InboundMethod": method}
        if use_inbound_webhook_on_number is not None:
            form["UseInboundWebhookOnNumber"] = _form_bool(use_inbound_webhook_on_number)
        self._session.json("POST", self._service_url(service_sid), data=form, idempotent=True)
        return TwilioServiceInbound(
            inbound_request_url=before.inbound_request_url,
            inbound_method=before.inbound_method,
            use_inbound_webhook_on_number=before.use_inbound_webhook_on_number,
        )
