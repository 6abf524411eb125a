"""Infobip REST client: the calls smschannel makes to an account's own `https://xxxx.api.infobip.com`.

Auth is the API key in `Authorization: App <api_key>`; bodies are JSON. Infobip numbers are written
in international format without the plus (`14155550170`): this client takes E.164 (`+14155550170`)
and converts. Errors keep Infobip's own code and text, in either of its two error shapes:
`{"requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}}}`
(account, numbers, resource management) and `{"errorCode": "E401", "description": ..., "violations":
[...]}` (SMS v3), e.g. "Infobip rejected the credentials: error UNAUTHORIZED: Invalid login details".

Inbound SMS is wired with Resource Management's inbound message configurations: a configuration
for a number and channel (and optionally a keyword) whose `forwarding` is an `HTTP_FORWARD` to a URL
(format `MO_JSON_2`, the format of Infobip's `receive-inbound-sms-messages` webhook). There is no
update-in-place operation on a configuration key (no PUT or PATCH): `create_inbound_configuration`
looks up an existing one first and POSTs only when none forwards to the URL. Infobip documents that
POST as "create or update", so a POST for the number and keyword of an existing configuration may
give back that configuration's key: when moving a number to another URL, delete the old key only if
the new one differs.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from smschannel.errors import VendorRejected, VendorUnavailable
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

INFOBIP_FORWARD_FORMAT = "MO_JSON_2"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def _details(pairs: list[tuple[str, str]]) -> str:
    """` (field: problem; ...)` for the violations an error lists, or ""."""
    parts = [f"{field}: {problem}" if field else problem for field, problem in pairs if problem]
    return f" ({'; '.join(parts)})" if parts else ""


def _decode_error(response: httpx.Response) -> VendorFault | None:
    """Either Infobip error body: `requestError.serviceException` or the SMS v3 `ApiError`."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    request_error = body.get("requestError")
    if isinstance(request_error, dict):
        exception = request_error.get("serviceException") or request_error.get("policyException")
        if not isinstance(exception, dict):
            return None
        pairs: list[tuple[str, str]] = []
        validation = exception.get("validationErrors")
        if isinstance(validation, dict):
            for field, problems in validation.items():
                listed = problems if isinstance(problems, list) else [problems]
                pairs.append((str(field), ", ".join(str(p) for p in listed)))
        code = exception.get("messageId")
        return VendorFault(
            code=None if code is None else str(code), message=str(exception.get("text") or "") + _details(pairs)
        )
    if "errorCode" in body or "description" in body:
        violations = body.get("violations")
        pairs = [
            (str(v.get("property") or ""), str(v.get("violation") or ""))
            for v in (violations if isinstance(violations, list) else [])
            if isinstance(v, dict)
        ]
        resources = body.get("resources")
        first = resources[0] if isinstance(resources, list) and resources else None
        url = first.get("url") if isinstance(first, dict) else None
        code = body.get("errorCode")
        return VendorFault(
            code=None if code is None else str(code),
            message=str(body.get("description") or "") + _details(pairs),
            more_info=url if isinstance(url, str) and url else None,
        )
    return None


INFOBIP = VendorProfile(name="infobip", label="Infobip", decode_error=_decode_error)


def infobip_base_url(value: str) -> str:
    """The account's base URL, normalised: `https://` added to a bare host, no trailing slash.

    Infobip shows it without a scheme (`xxxx.api.infobip.com`). `http://` is refused except on
    loopback (a local emulator), since the API key would travel in clear text.
    """
    text = value.strip()
    if "://" not in text:
        text = f"https://{text}"
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ValueError(f"Infobip base_url is not a URL: {value!r} ({exc})") from None
    loopback = url.host in _LOOPBACK_HOSTS or url.host.startswith("127.")
    if not url.host or url.scheme not in ("https", "http") or (url.scheme == "http" and not loopback):
        raise ValueError(
            f"Infobip base_url must be https://<account>.api.infobip.com (http only on loopback), got {value!r}"
        )
    return text.rstrip("/")


def infobip_number(number: str) -> str:
    """A phone number as Infobip writes it: E.164 without the plus (`+14155550170` -> `14155550170`)."""
    return number.strip().removeprefix("+")


@dataclass(frozen=True)
class InfobipBalance:
    """What `verify()` learnt: the account's balance, in the account's currency."""

    balance: float
    currency: str


@dataclass(frozen=True)
class InfobipNumber:
    """A number the account owns. `number` is as Infobip writes it (no plus); `e164` adds it."""

    number_key: str
    number: str
    country: str | None
    type: str | None
    capabilities: tuple[str, ...]
    application_id: str | None

    @property
    def e164(self) -> str:
        return f"+{self.number}" if self.number.isdigit() else self.number


@dataclass(frozen=True)
class InfobipInboundConfiguration:
    """An inbound message configuration; `forward_*` are None unless it forwards somewhere."""

    configuration_key: str
    channel: str
    keyword: str | None
    forward_type: str | None
    forward_url: str | None
    forward_format: str | None

    @property
    def forwards_to(self) -> str | None:
        """The URL inbound messages are pushed to (HTTP_FORWARD only), or None."""
        return self.forward_url if self.forward_type == "HTTP_FORWARD" else None


@dataclass(frozen=True)
class InfobipSentMessage:
    bulk_id: str | None
    message_id: str
    to: str
    status_group: str | None
    status: str | None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _configuration(data: Mapping[str, Any]) -> InfobipInboundConfiguration:
    forwarding = data.get("forwarding")
    forwarding = forwarding if isinstance(forwarding, dict) else {}
    return InfobipInboundConfiguration(
        configuration_key=_text(data.get("configurationKey")),
        channel=_text(data.get("channel")),
        keyword=_optional(data.get("keyword")),
        forward_type=_optional(forwarding.get("type")),
        forward_url=_optional(forwarding.get("url")),
        forward_format=_optional(forwarding.get("format")),
    )


class InfobipClient(VendorClient):
    """One Infobip account credential (its base URL and API key). Use as a context manager, or `close()`.

    `base_url` is the account's own `https://xxxx.api.infobip.com` (a bare host gets `https://`;
    `http://` only on loopback). The other keywords are as for `TwilioClient`.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: Backoff = DEFAULT_BACKOFF,
        rate_limit_rps: float = 0.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.base_url = infobip_base_url(base_url)
        self._session = VendorSession(
            INFOBIP,
            auth=_AppKeyAuth(api_key),
            secrets=(api_key,),
            transport=transport,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            rate_limit_rps=rate_limit_rps,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"InfobipClient(base_url={self.base_url!r}, api_key='***')"

    # -- account and numbers -------------------------------------------------------------------

    def verify(self) -> InfobipBalance:
        """Read the account balance: proves the base URL and API key work (the *verify connection* check)."""
        data = self._session.json("GET", f"{self.base_url}/account/1/balance")
        balance = data.get("balance")
        return InfobipBalance(
            balance=float(balance) if isinstance(balance, int | float) else 0.0,
            currency=_text(data.get("currency")),
        )

    def numbers(self, *, number: str | None = None, page_size: int = 50) -> list[InfobipNumber]:
        """The account's numbers, every page (`limit`/`page`); `number` filters (E.164 or Infobip's form)."""
        if page_size < 1:
            raise ValueError(f"page_size must be 1 or more, got {page_size}")
        found: list[InfobipNumber] = []
        page = 0
        while True:
            params: dict[str, str | int] = {"limit": page_size, "page": page}
            if number is not None:
                params["number"] = infobip_number(number)
            data = self._session.json("GET", f"{self.base_url}/numbers/1/numbers", params=params)
            items = data.get("numbers")
            items = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
            found.extend(
                InfobipNumber(
                    number_key=_text(item.get("numberKey")),
                    number=_text(item.get("number")),
                    country=_optional(item.get("country")),
                    type=_optional(item.get("type")),
                    capabilities=tuple(str(c) for c in item.get("capabilities") or ()),
                    application_id=_optional(item.get("applicationId")),
                )
                for item in items
            )
            total = data.get("numberCount")
            if not items or len(items) < page_size or (isinstance(total, int) and len(found) >= total):
                return found
            page += 1

    def owns_number(self, number: str) -> bool:
        """Whether the account owns `number` (E.164 or Infobip's form). Alphanumeric senders answer False."""
        wanted = infobip_number(number)
        if not wanted.isdigit():
            return False
        return any(infobip_number(n.number) == wanted for n in self.numbers(number=wanted))

    # -- inbound message configurations (Resource Management) ----------------------------------

    def _configurations_url(self, suffix: str = "") -> str:
        return f"{self.base_url}/resource-management/1/inbound-message-configurations{suffix}"

    def inbound_configurations(
        self, number: str | None = None, *, channel: str = "SMS", configuration_key: str | None = None
    ) -> list[InfobipInboundConfiguration]:
        """The inbound configurations of `number` (or of the whole channel, or one by key)."""
        params: dict[str, str | int] = {"channel": channel}
        if number is not None:
            params["number"] = infobip_number(number)
        if configuration_key is not None:
            params["configurationKey"] = configuration_key
        response = self._session.request("GET", self._configurations_url(), params=params)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, list):
            raise VendorUnavailable(
                "Infobip answered GET /resource-management/1/inbound-message-configurations"
                " with a body that is not a JSON array",
                vendor=INFOBIP.name,
                status=response.status_code,
            )
        return [_configuration(item) for item in body if isinstance(item, dict)]

    def find_inbound_configuration(
        self, number: str, forward_url: str, *, channel: str = "SMS", keyword: str | None = None
    ) -> InfobipInboundConfiguration | None:
        """The configuration of `number` (and `keyword`) that already forwards to `forward_url`, if any."""
        for configuration in self.inbound_configurations(number, channel=channel):
            if configuration.keyword == keyword and configuration.forwards_to == forward_url:
                return configuration
        return None

    def create_inbound_configuration(
        self, number: str, forward_url: str, *, channel: str = "SMS", keyword: str | None = None
    ) -> str:
        """Forward inbound messages of `number` to `forward_url`; return the configuration key.

        Idempotent: an existing configuration of the number (same `keyword`, None = every message)
        that forwards to the URL is reused. The create is never sent twice: when its answer is lost
        (timeout, dropped connection, 5xx) the configurations are read again and the one that
        landed is returned; if none did, the original error is raised. Infobip's POST creates or
        updates the configuration of the number and keyword, so it replaces what was there: read
        `inbound_configurations(number)` first to remember it.
        """
        existing = self.find_inbound_configuration(number, forward_url=forward_url, channel=channel, keyword=keyword)
        if existing is not None:
            return existing.configuration_key
        body: dict[str, Any] = {
            "channel": channel,
            "number": infobip_number(number),
            "forwarding": {"type": "HTTP_FORWARD", "url": forward_url, "format": INFOBIP_FORWARD_FORMAT},
        }
        if keyword is not None:
            body["keyword"] = keyword
        try:
            data = self._session.json("POST", self._configurations_url(), json=body)
        except VendorUnavailable:
            try:
                landed = self.find_inbound_configuration(
                    number, forward_url=forward_url, channel=channel, keyword=keyword
                )
            except VendorUnavailable:
                landed = None
            if landed is None:
                raise
            return landed.configuration_key
        key = _text(data.get("configurationKey"))
        if not key:
            raise VendorUnavailable(
                "Infobip answered POST /resource-management/1/inbound-message-configurations"
                " without a configurationKey",
                vendor=INFOBIP.name,
            )
        return key

    def delete_inbound_configuration(self, configuration_key: str) -> bool:
        """Delete a configuration; False when Infobip says it does not exist (already gone)."""
        try:
            self._session.request("DELETE", self._configurations_url(f"/{quote(configuration_key, safe='')}"))
        except VendorRejected as exc:
            if exc.status == 404:
                return False
            raise
        return True

    # -- sending -------------------------------------------------------------------------------

    def send_sms(
        self,
        from_: str,
        to: str,
        text: str,
        *,
        validity_period_hours: int | None = None,
        callback_data: str | None = None,
        principal_entity_id: str | None = None,
        content_template_id: str | None = None,
        message_id: str | None = None,
    ) -> InfobipSentMessage:
        """Send one SMS with the SMS API v3 (`POST /sms/3/messages`). Never retried blindly.

        `from_` is a number (E.164) or an alphanumeric sender; `principal_entity_id` and
        `content_template_id` are India DLT's. `message_id` (at most 200 characters) is the ID Infobip
        gives the message, so that `message_logged` can find the send again.
        """
        sender = infobip_number(from_) if from_.startswith("+") else from_
        destination: dict[str, Any] = {"to": infobip_number(to)}
        if message_id is not None:
            destination["messageId"] = message_id
        message: dict[str, Any] = {
            "sender": sender,
            "destinations": [destination],
            "content": {"text": text},
        }
        options: dict[str, Any] = {}
        if validity_period_hours is not None:
            options["validityPeriod"] = {"amount": validity_period_hours, "timeUnit": "HOURS"}
        if principal_entity_id is not None or content_template_id is not None:
            if principal_entity_id is None:
                raise ValueError("content_template_id needs principal_entity_id (India DLT)")
            dlt = {"principalEntityId": principal_entity_id}
            if content_template_id is not None:
                dlt["contentTemplateId"] = content_template_id
            options["regional"] = {"indiaDlt": dlt}
        if options:
            message["options"] = options
        if callback_data is not None:
            message["webhooks"] = {"callbackData": callback_data}
        data = self._session.json("POST", f"{self.base_url}/sms/3/messages", json={"messages": [message]})
        sent = data.get("messages")
        first: dict[str, Any] = sent[0] if isinstance(sent, list) and sent and isinstance(sent[0], dict) else {}
        raw_status = first.get("status")
        status: dict[str, Any] = raw_status if isinstance(raw_status, dict) else {}
        return InfobipSentMessage(
            bulk_id=_optional(data.get("bulkId")),
            message_id=_text(first.get("messageId")),
            to=_text(first.get("destination")),
            status_group=_optional(status.get("groupName")),
            status=_optional(status.get("name")),
        )


    def send_mms(
        self,
        from_: str,
        to: str,
        *,
        media_url: str,
        text: str | None = None,
        validity_period_hours: int | None = None,
        callback_data: str | None = None,
        message_id: str | None = None,
    ) -> InfobipSentMessage:
        """Send one MMS with the Messages API (`POST /messages-api/1/messages`, channel `MMS`): an image body
        with `text` as its caption. `from_` is an MMS-capable number of the account; `message_id` is the ID to
        give the message (Infobip makes one when unset). Never retried blindly."""
        body: dict[str, Any] = {"type": "IMAGE", "url": media_url}
        if text:
            body["text"] = text
        destination = {"to": infobip_number(to), **({"messageId": message_id} if message_id else {})}
        message: dict[str, Any] = {
            "channel": "MMS",
            "sender": infobip_number(from_) if from_.startswith("+") else from_,
            "destinations": [destination],
            "content": {"body": body},
        }
        if validity_period_hours is not None:
            message["options"] = {"validityPeriod": {"amount": validity_period_hours, "timeUnit": "HOURS"}}
        if callback_data is not None:
            message["webhooks"] = {"callbackData": callback_data}
        data = self._session.json("POST", f"{self.base_url}/messages-api/1/messages", json={"messages": [message]})
        sent = data.get("messages")
        first: dict[str, Any] = sent[0] if isinstance(sent, list) and sent and isinstance(sent[0], dict) else {}
        raw_status = first.get("status")
        status: dict[str, Any] = raw_status if isinstance(raw_status, dict) else {}
        return InfobipSentMessage(
            bulk_id=_optional(data.get("bulkId")),
            message_id=_text(first.get("messageId")),
            to=_text(first.get("destination")),
            status_group=_optional(status.get("groupName")),
            status=_optional(status.get("name")),
        )
    def message_logged(self, message_id: str, *, sent_since: datetime) -> bool:
        """Whether Infobip's SMS logs (`GET /sms/3/logs`) hold a message with this ID sent since then."""
        since = sent_since.astimezone(UTC).isoformat(timespec="milliseconds")
        data = self._session.json("GET", f"{self.base_url}/sms/3/logs",
                                  params={"messageId": message_id, "sentSince": since})
        results = data.get("results")
        return isinstance(results, list) and any(
            isinstance(r, dict) and r.get("messageId") == message_id for r in results)


class _AppKeyAuth(httpx.Auth):
    """`Authorization: App <api_key>`, kept out of reprs."""

    def __init__(self, api_key: str) -> None:
        self._header = f"App {api_key}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "_AppKeyAuth(api_key='***')"
