"""A local Twilio answering the calls smschannel makes, the way api.twilio.com and
messaging.twilio.com answer them (paths, HTTP Basic auth, JSON field names, paging, error bodies).

The API 2010-04-01 and Messaging v1 paths do not collide, so one app serves both: point a
`TwilioClient` at it with `base_url` and `messaging_base_url` set to the same address.

    GET  /2010-04-01/Accounts/{Sid}.json
    GET  /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json  (PhoneNumber, PageSize, Page...)
    GET  /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json
    POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json   (SmsUrl, SmsMethod, FriendlyName)
    POST /2010-04-01/Accounts/{AccountSid}/Messages.json   (To, From | MessagingServiceSid, Body, MediaUrl...)
    GET  /2010-04-01/Accounts/{AccountSid}/Messages.json   (To, From, PageSize, Page, PageToken)
    GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json
    GET  /v1/Services   (PageSize, Page, PageToken)
    GET  /v1/Services/{Sid}
    POST /v1/Services/{Sid}   (InboundRequestUrl, InboundMethod, UseInboundWebhookOnNumber, FriendlyName)
    GET  /v1/Services/{ServiceSid}/PhoneNumbers   (PageSize, Page, PageToken)

It refuses what Twilio refuses, with Twilio's codes: a `To` that is not a valid E.164 number (21211),
a body over 1,600 characters (21617), media from a number that cannot send MMS (21606), bad media URLs
(21620) or more than 10 of them (21623), an `SmsUrl` that is not an absolute http(s) URL (21502); and it
counts a body's segments as Twilio does (GSM-7 or UCS-2, `num_segments`).

The JSON shapes live in `_twilio_shapes`; tests/providers/test_contracts.py checks them against
tests/contracts/twilio_*.subset.json, and tests/emulators/test_vendor_sdks.py drives it with the official
`twilio` SDK.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import phonenumbers
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ._control import ControlMiddleware, admin_routes
from ._twilio_shapes import (
    API,
    Page,
    account_json,
    base_url,
    message_json,
    number_json,
    root_path,
    service_json,
    service_number_json,
)
from .twilio_state import (
    TwilioAccountRecord,
    TwilioMessageRecord,
    TwilioNumberRecord,
    TwilioServiceRecord,
    TwilioState,
    twilio_error_body,
)


def _error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(twilio_error_body(status, code=code, message=message), status, headers=headers)


def _not_found(request: Request) -> JSONResponse:
    return _error(404, 20404, f"The requested resource {request.url.path} was not found")


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def _bool(value: str) -> bool:
    return value.strip().lower() == "true"


MAX_BODY = 1600
MAX_MEDIA = 10


def _valid_e164(number: str) -> bool:
    if not number.startswith("+"):
        return False
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(number, None)))
    except phonenumbers.NumberParseException:
        return False


def _absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


def _segments(body: str) -> int:
    from smschannel.keywords.segments import encode_info

    return encode_info(body).segments if body else 1


def create_twilio_app(state: TwilioState) -> ASGIApp:
    """The local Twilio as an ASGI app serving `state`."""

    def authenticate(request: Request) -> TwilioAccountRecord | JSONResponse:
        credentials = _basic_credentials(request)
        account = state.accounts.get(credentials[0]) if credentials else None
        if (
            credentials is None
            or account is None
            or not hmac.compare_digest(account.auth_token, credentials[1])
        ):
            return _error(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})
        return account

    def account_for(request: Request, account_sid: str) -> TwilioAccountRecord | JSONResponse:
        account = authenticate(request)
        if isinstance(account, TwilioAccountRecord) and account.sid != account_sid:
            return _error(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})
        return account

    async def fetch_account(request: Request) -> Response:
        account = account_for(request, request.path_params["sid"])
        if isinstance(account, Response):
            return account
        return JSONResponse(account_json(request, account))

    async def list_numbers(request: Request) -> Response:
        account = account_for(request, request.path_params["account_sid"])
        if isinstance(account, Response):
            return account
        numbers = state.account_numbers(account.sid)
        filters: dict[str, str] = {}
        wanted = request.query_params.get("PhoneNumber")
        if wanted:
            filters["PhoneNumber"] = wanted
            pattern = re.compile(re.escape(wanted).replace(r"\*", r"\d"))
            numbers = [n for n in numbers if pattern.search(n.phone_number)]
        page = Page(request, numbers, lambda n: n.sid, filters)
        path = f"{root_path(request)}{API}/Accounts/{account.sid}/IncomingPhoneNumbers.json"
        return JSONResponse(
            {
                "end": page.end,
                "first_page_uri": f"{path}?{page.query(0)}",
                "next_page_uri": f"{path}?{page.query(page.page + 1, page.next_token)}"
                if page.next_token
                else None,
                "page": page.page,
                "page_size": page.page_size,
                "previous_page_uri": f"{path}?{page.query(page.page - 1)}" if page.page > 0 else None,
                "start": page.start,
                "uri": f"{path}?{page.query(page.page, page.token)}",
                "incoming_phone_numbers": [number_json(request, n) for n in page.items],
            }
        )

    def number_for(request: Request) -> TwilioNumberRecord | Response:
        account = account_for(request, request.path_params["account_sid"])
        if isinstance(account, Response):
            return account
        number = state.numbers.get(request.path_params["sid"])
        if number is None or number.account_sid != account.sid:
            return _not_found(request)
        return number

    async def fetch_number(request: Request) -> Response:
        number = number_for(request)
        return number if isinstance(number, Response) else JSONResponse(number_json(request, number))

    async def update_number(request: Request) -> Response:
        number = number_for(request)
        if isinstance(number, Response):
            return number
        form = await request.form()
        with state.lock:
            url = form.get("SmsUrl")
            if isinstance(url, str) and url and not _absolute_url(url):
                return _error(400, 21502, f"SmsUrl is not valid: {url}")
            for field, attribute in (
                ("SmsUrl", "sms_url"),
                ("SmsMethod", "sms_method"),
                ("FriendlyName", "friendly_name"),
            ):
                value = form.get(field)
                if isinstance(value, str):
                    if attribute == "sms_method" and value.upper() not in ("GET", "POST"):
                        return _error(400, 21609, f"SmsMethod must be GET or POST, got {value!r}")
                    setattr(number, attribute, value.upper() if attribute == "sms_method" else value)
            number.date_updated = datetime.now(UTC)
        return JSONResponse(number_json(request, number))

    async def create_message(request: Request) -> Response:
        account = account_for(request, request.path_params["account_sid"])
        if isinstance(account, Response):
            return account
        form = await request.form()
        to, from_, service_sid, body = (form.get(k) for k in ("To", "From", "MessagingServiceSid", "Body"))
        media = [m for m in form.getlist("MediaUrl") if isinstance(m, str)]
        if not isinstance(to, str) or not to:
            return _error(400, 21604, "A 'To' phone number is required.")
        if not _valid_e164(to):
            return _error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if (not isinstance(body, str) or not body) and not media:
            return _error(400, 21602, "Message body is required.")
        text = body if isinstance(body, str) else ""
        if len(text) > MAX_BODY:
            return _error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if len(media) > MAX_MEDIA:
            return _error(400, 21623, f"Number of media files ({len(media)}) exceeds allowed limit of {MAX_MEDIA}.")
        if any(not _absolute_url(m) for m in media):
            return _error(400, 21620, "Invalid media URL(s).")
        if not from_ and not service_sid:
            return _error(400, 21603, "A 'From' phone number is required.")
        owned = {n.phone_number: n for n in state.account_numbers(account.sid)}
        if isinstance(from_, str) and from_ and from_ not in owned:
            return _error(
                400,
                21606,
                f"The From phone number {from_} is not a valid, SMS-capable inbound phone number"
                " or short code for your account.",
            )
        service = state.services.get(service_sid) if isinstance(service_sid, str) and service_sid else None
        if service_sid and (service is None or service.account_sid != account.sid):
            return _error(400, 21701, f"The Messaging Service Sid {service_sid} is invalid.")
        if media:
            senders = [owned[from_]] if isinstance(from_, str) and from_ else \
                [state.numbers[s] for s in service.number_sids if s in state.numbers] if service else []
            if not any(n.capabilities.get("mms") for n in senders):
                shown = from_ if isinstance(from_, str) and from_ else f"in Messaging Service {service_sid}"
                return _error(400, 21606, f"The From phone number {shown} is not a valid, MMS-capable inbound phone "
                                          "number or short code for your account.")
        message = TwilioMessageRecord(
            sid=state.new_sid("MM" if media else "SM"),
            account_sid=account.sid,
            to=to,
            from_=from_ if isinstance(from_, str) and from_ else None,
            messaging_service_sid=service.sid if service else None,
            body=text,
            status="queued" if from_ else "accepted",
            date_created=datetime.now(UTC),
            media_urls=media,
            num_segments=_segments(text),
        )
        state.record_message(message)
        return JSONResponse(message_json(request, message), 201)

    async def list_messages(request: Request) -> Response:
        account = account_for(request, request.path_params["account_sid"])
        if isinstance(account, Response):
            return account
        messages = state.account_messages(account.sid)
        filters = {k: v for k in ("To", "From") if (v := request.query_params.get(k))}
        messages = [m for m in messages if filters.get("To", m.to) == m.to and filters.get("From", m.from_) == m.from_]
        page = Page(request, messages, lambda m: m.sid, filters)
        path = f"{root_path(request)}{API}/Accounts/{account.sid}/Messages.json"
        return JSONResponse(
            {
                "messages": [message_json(request, m) for m in page.items],
                "end": page.end,
                "first_page_uri": f"{path}?{page.query(0)}",
                "next_page_uri": f"{path}?{page.query(page.page + 1, page.next_token)}" if page.next_token else None,
                "page": page.page,
                "page_size": page.page_size,
                "previous_page_uri": f"{path}?{page.query(page.page - 1)}" if page.page > 0 else None,
                "start": page.start,
                "uri": f"{path}?{page.query(page.page, page.token)}",
            }
        )

    async def fetch_message(request: Request) -> Response:
        account = account_for(request, request.path_params["account_sid"])
        if isinstance(account, Response):
            return account
        sid = request.path_params["sid"]
        found = next((m for m in state.account_messages(account.sid) if m.sid == sid), None)
        return _not_found(request) if found is None else JSONResponse(message_json(request, found))

    async def list_services(request: Request) -> Response:
        account = authenticate(request)
        if isinstance(account, Response):
            return account
        with state.lock:
            services = [v for v in state.services.values() if v.account_sid == account.sid]
        page = Page(request, services, lambda v: v.sid, {})
        url = f"{base_url(request)}/v1/Services"
        return JSONResponse(
            {
                "services": [service_json(request, v) for v in page.items],
                "meta": {
                    "page": page.page,
                    "page_size": page.page_size,
                    "first_page_url": f"{url}?{page.query(0)}",
                    "previous_page_url": f"{url}?{page.query(page.page - 1)}" if page.page > 0 else None,
                    "url": f"{url}?{page.query(page.page, page.token)}",
                    "next_page_url": f"{url}?{page.query(page.page + 1, page.next_token)}"
                    if page.next_token
                    else None,
                    "key": "services",
                },
            }
        )

    def service_for(request: Request, sid: str) -> TwilioServiceRecord | Response:
        account = authenticate(request)
        if isinstance(account, Response):
            return account
        service = state.services.get(sid)
        if service is None or service.account_sid != account.sid:
            return _not_found(request)
        return service

    async def fetch_service(request: Request) -> Response:
        service = service_for(request, request.path_params["sid"])
        return service if isinstance(service, Response) else JSONResponse(service_json(request, service))

    async def update_service(request: Request) -> Response:
        service = service_for(request, request.path_params["sid"])
        if isinstance(service, Response):
            return service
        form = await request.form()
        with state.lock:
            url, method, flag, name = (
                form.get(k)
                for k in ("InboundRequestUrl", "InboundMethod", "UseInboundWebhookOnNumber", "FriendlyName")
            )
            if isinstance(url, str):
                service.inbound_request_url = url or None
            if isinstance(method, str):
                service.inbound_method = method.upper()
            if isinstance(flag, str):
                service.use_inbound_webhook_on_number = _bool(flag)
            if isinstance(name, str):
                service.friendly_name = name
            service.date_updated = datetime.now(UTC)
        return JSONResponse(service_json(request, service))

    async def list_service_numbers(request: Request) -> Response:
        service = service_for(request, request.path_params["service_sid"])
        if isinstance(service, Response):
            return service
        with state.lock:
            numbers = [state.numbers[sid] for sid in service.number_sids if sid in state.numbers]
        page = Page(request, numbers, lambda n: n.sid, {})
        url = f"{base_url(request)}/v1/Services/{service.sid}/PhoneNumbers"
        return JSONResponse(
            {
                "phone_numbers": [service_number_json(request, service, n) for n in page.items],
                "meta": {
                    "page": page.page,
                    "page_size": page.page_size,
                    "first_page_url": f"{url}?{page.query(0)}",
                    "previous_page_url": f"{url}?{page.query(page.page - 1)}" if page.page > 0 else None,
                    "url": f"{url}?{page.query(page.page, page.token)}",
                    "next_page_url": f"{url}?{page.query(page.page + 1, page.next_token)}"
                    if page.next_token
                    else None,
                    "key": "phone_numbers",
                },
            }
        )

    async def on_http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException) and exc.status_code == 405:
            return _error(405, 20004, "Method not allowed")
        return _not_found(request)

    routes = [
        Route(f"{API}/Accounts/{{sid}}.json", fetch_account, methods=["GET"]),
        Route(f"{API}/Accounts/{{account_sid}}/IncomingPhoneNumbers.json", list_numbers, methods=["GET"]),
        Route(
            f"{API}/Accounts/{{account_sid}}/IncomingPhoneNumbers/{{sid}}.json", fetch_number, methods=["GET"]
        ),
        Route(
            f"{API}/Accounts/{{account_sid}}/IncomingPhoneNumbers/{{sid}}.json",
            update_number,
            methods=["POST"],
        ),
        Route(f"{API}/Accounts/{{account_sid}}/Messages.json", create_message, methods=["POST"]),
        Route(f"{API}/Accounts/{{account_sid}}/Messages.json", list_messages, methods=["GET"]),
        Route(f"{API}/Accounts/{{account_sid}}/Messages/{{sid}}.json", fetch_message, methods=["GET"]),
        Route("/v1/Services", list_services, methods=["GET"]),
        Route("/v1/Services/{sid}", fetch_service, methods=["GET"]),
        Route("/v1/Services/{sid}", update_service, methods=["POST"]),
        Route("/v1/Services/{service_sid}/PhoneNumbers", list_service_numbers, methods=["GET"]),
        *admin_routes(state.control, state.outbox_json),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(ControlMiddleware, control=state.control)],
        exception_handlers={404: on_http_error, 405: on_http_error},
    )
