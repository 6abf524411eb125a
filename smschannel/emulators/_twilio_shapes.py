"""The JSON the local Twilio answers with: every field Twilio documents for each resource, in
Twilio's formats (RFC 2822 dates in API 2010-04-01, ISO 8601 in Messaging v1), and its paging."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request

from .twilio_state import TwilioAccountRecord, TwilioMessageRecord, TwilioNumberRecord, TwilioServiceRecord

API = "/2010-04-01"
T = TypeVar("T")


def _rfc2822(when: datetime) -> str:
    return format_datetime(when)  # "Tue, 02 Jan 2024 03:04:05 +0000"


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def root_path(request: Request) -> str:
    root: str = request.scope.get("root_path", "")
    return root


def account_json(request: Request, account: TwilioAccountRecord) -> dict[str, Any]:
    base = f"{root_path(request)}{API}/Accounts/{account.sid}"
    subresources = {
        "incoming_phone_numbers": "IncomingPhoneNumbers",
        "messages": "Messages",
        "balance": "Balance",
        "calls": "Calls",
        "sms": "SMS",
    }
    return {
        "auth_token": account.auth_token,
        "date_created": _rfc2822(account.date_created),
        "date_updated": _rfc2822(account.date_created),
        "friendly_name": account.friendly_name,
        "owner_account_sid": account.sid,
        "sid": account.sid,
        "status": account.status,
        "subresource_uris": {name: f"{base}/{path}.json" for name, path in subresources.items()},
        "type": account.type,
        "uri": f"{base}.json",
    }


def number_json(request: Request, number: TwilioNumberRecord) -> dict[str, Any]:
    account = f"{root_path(request)}{API}/Accounts/{number.account_sid}"
    return {
        "account_sid": number.account_sid,
        "address_sid": None,
        "address_requirements": "none",
        "api_version": "2010-04-01",
        "beta": False,
        "capabilities": dict(number.capabilities),
        "date_created": _rfc2822(number.date_created),
        "date_updated": _rfc2822(number.date_updated),
        "friendly_name": number.friendly_name,
        "identity_sid": None,
        "phone_number": number.phone_number,
        "origin": "twilio",
        "sid": number.sid,
        "sms_application_sid": None,
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": number.sms_method,
        "sms_url": number.sms_url,
        "status_callback": "",
        "status_callback_method": "POST",
        "trunk_sid": None,
        "uri": f"{account}/IncomingPhoneNumbers/{number.sid}.json",
        "voice_receive_mode": "voice",
        "voice_application_sid": None,
        "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST",
        "voice_fallback_url": None,
        "voice_method": "POST",
        "voice_url": None,
        "emergency_status": "Inactive",
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "bundle_sid": None,
        "status": "in-use",
        "type": "local",
    }


def message_json(request: Request, message: TwilioMessageRecord) -> dict[str, Any]:
    base = f"{root_path(request)}{API}/Accounts/{message.account_sid}/Messages/{message.sid}"
    return {
        "body": message.body,
        "num_segments": str(message.num_segments),
        "direction": "outbound-api",
        "from": message.from_,
        "to": message.to,
        "date_updated": _rfc2822(message.date_created),
        "price": None,
        "error_message": None,
        "uri": f"{base}.json",
        "account_sid": message.account_sid,
        "num_media": str(len(message.media_urls)),
        "status": message.status,
        "messaging_service_sid": message.messaging_service_sid,
        "sid": message.sid,
        "date_sent": None,
        "date_created": _rfc2822(message.date_created),
        "error_code": None,
        "price_unit": "USD",
        "api_version": "2010-04-01",
        "subresource_uris": {"media": f"{base}/Media.json"},
    }


def service_json(request: Request, service: TwilioServiceRecord) -> dict[str, Any]:
    url = f"{base_url(request)}/v1/Services/{service.sid}"
    return {
        "sid": service.sid,
        "account_sid": service.account_sid,
        "friendly_name": service.friendly_name,
        "date_created": _iso(service.date_created),
        "date_updated": _iso(service.date_updated),
        "inbound_request_url": service.inbound_request_url,
        "inbound_method": service.inbound_method,
        "fallback_url": None,
        "fallback_method": "POST",
        "status_callback": None,
        "sticky_sender": True,
        "mms_converter": True,
        "smart_encoding": True,
        "scan_message_content": "inherit",
        "fallback_to_long_code": True,
        "area_code_geomatch": True,
        "synchronous_validation": False,
        "validity_period": 14400,
        "url": url,
        "links": {
            name: f"{url}/{path}"
            for name, path in (("phone_numbers", "PhoneNumbers"), ("short_codes", "ShortCodes"))
        },
        "usecase": "undeclared",
        "us_app_to_person_registered": False,
        "use_inbound_webhook_on_number": service.use_inbound_webhook_on_number,
    }


def service_number_json(
    request: Request, service: TwilioServiceRecord, number: TwilioNumberRecord
) -> dict[str, Any]:
    return {
        "sid": number.sid,
        "account_sid": number.account_sid,
        "service_sid": service.sid,
        "date_created": _iso(service.date_created),
        "date_updated": _iso(service.date_updated),
        "phone_number": number.phone_number,
        "country_code": "US" if number.phone_number.startswith("+1") else "ZZ",
        "capabilities": [name.upper() if name != "voice" else "Voice"
                         for name in ("sms", "mms", "voice") if number.capabilities.get(name)],
        "url": f"{base_url(request)}/v1/Services/{service.sid}/PhoneNumbers/{number.sid}",
    }


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


class Page:
    """One page of a Twilio list: which items, and the query of the neighbouring pages."""

    def __init__(
        self, request: Request, items: Sequence[T], sid: Callable[[T], str], filters: dict[str, str]
    ) -> None:
        query = request.query_params
        self.page_size = max(1, min(1000, _int(query.get("PageSize"), 50)))
        self.page = max(0, _int(query.get("Page"), 0))
        token = query.get("PageToken")
        self.start = self.page * self.page_size
        if token and token.startswith("PA"):  # "PA" + the SID of the previous page's last item
            sids = [sid(item) for item in items]
            self.start = sids.index(token[2:]) + 1 if token[2:] in sids else len(items)
        self.items: list[Any] = list(items[self.start : self.start + self.page_size])
        self.filters = filters
        self.token = token
        self.next_token = (
            f"PA{sid(self.items[-1])}" if self.start + self.page_size < len(items) and self.items else None
        )

    def query(self, page: int, token: str | None = None) -> str:
        params = {**self.filters, "PageSize": str(self.page_size), "Page": str(page)}
        if token:
            params["PageToken"] = token
        return urlencode(params)

    @property
    def end(self) -> int:
        return self.start + len(self.items) - 1 if self.items else self.start


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
