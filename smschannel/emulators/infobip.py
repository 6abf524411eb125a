"""A local Infobip answering the calls smschannel makes, the way an account's
`https://xxxx.api.infobip.com` answers them (paths, `App` API-key auth, JSON field names, paging,
both of Infobip's error bodies).

    GET    /account/1/balance                                          {"balance", "currency"}
    GET    /numbers/1/numbers                    (limit, page, number)  {"numbers": [...], "numberCount"}
    GET    /resource-management/1/inbound-message-configurations   (channel, number, numberKey, ...)  [...]
    POST   /resource-management/1/inbound-message-configurations   create or update: (channel, number, keyword)
    DELETE /resource-management/1/inbound-message-configurations/{configurationKey}   204
    POST   /sms/3/messages                                              {"bulkId", "messages": [...]}
    POST   /messages-api/1/messages          channel SMS or MMS (TEXT or IMAGE body)  {"bulkId", "messages"}
    GET    /sms/3/logs                           (messageId, sentSince, limit)  {"results": [...]}

Auth is `Authorization: App <api_key>`; anything else answers 401 with Infobip's
`{"requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}}}`
(the SMS API v3 and the Messages API answer their own `ApiError` shape instead). Numbers carry their
`capabilities` (`SMS`, `MMS`): MMS goes only from a number that has it. Numbers are answered as Infobip writes
them, without the plus. An inbound configuration is identified by its channel, number and keyword:
a POST for an existing one updates it and keeps its key (the API's "create and update"). Shapes
follow tests/contracts/infobip_*.subset.json and infobip_messages.handwritten.json; the official
`infobip-api-python-client` SDK drives it in tests/emulators/test_vendor_sdks.py.
"""

from __future__ import annotations

import hmac
import json
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ._control import ControlMiddleware, admin_routes
from .infobip_state import (
    InfobipAccountRecord,
    InfobipNumberRecord,
    InfobipState,
    infobip_api_error_body,
    infobip_error_body,
)

CHANNELS = frozenset({"SMS", "MMS"})  # the channels whose inbound configuration is keyed by a number
FORWARD_TYPES = frozenset({"HTTP_FORWARD", "PULL", "SMPP_FORWARD", "MAIL_FORWARD"})


def _error(status: int, message_id: str, text: str, validation: dict[str, list[str]] | None = None) -> JSONResponse:
    body = infobip_error_body(status, message_id=message_id, text=text)
    if validation:
        body["requestError"]["serviceException"]["validationErrors"] = validation
    return JSONResponse(body, status)


def _bad_request(field: str, problem: str) -> JSONResponse:
    return _error(400, "BAD_REQUEST", "Bad request", {field: [problem]})


def _digits(number: str) -> str:
    return number.strip().removeprefix("+")


def _number_json(number: InfobipNumberRecord, account: InfobipAccountRecord) -> dict[str, Any]:
    return {
        "numberKey": number.number_key,
        "number": _digits(number.number),
        "country": number.country,
        "countryName": number.country_name,
        "type": number.type,
        "capabilities": list(number.capabilities),
        "shared": False,
        "price": {"pricePerMonth": 1.0, "setupPrice": 0.0, "currency": account.currency},
        "keywords": [],
        "additionalSetupRequired": False,
        "editPermissions": {"canEditNumber": True, "canEditConfiguration": True},
        "applicationId": "default",
    }


def _int(value: str | None, default: int) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return None


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def create_infobip_app(state: InfobipState) -> ASGIApp:
    """The local Infobip as an ASGI app serving `state` (every account on one base URL)."""

    def authenticate(request: Request) -> InfobipAccountRecord | None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip()
        if scheme != "App" or not key:
            return None
        with state.lock:
            for api_key, account in state.accounts.items():
                if hmac.compare_digest(api_key.encode(), key.encode()):
                    return account
        return None

    def unauthorized() -> JSONResponse:
        return _error(401, "UNAUTHORIZED", "Invalid login details")

    def owned(
        account: InfobipAccountRecord, *, number: str | None, number_key: str | None
    ) -> InfobipNumberRecord | None:
        for record in state.account_numbers(account.id):
            if number is not None and _digits(record.number) == _digits(number):
                return record
            if number_key is not None and record.number_key == number_key:
                return record
        return None

    async def balance(request: Request) -> Response:
        account = authenticate(request)
        if account is None:
            return unauthorized()
        return JSONResponse({"balance": account.balance, "currency": account.currency})

    async def list_numbers(request: Request) -> Response:
        account = authenticate(request)
        if account is None:
            return unauthorized()
        limit = _int(request.query_params.get("limit"), 50)
        page = _int(request.query_params.get("page"), 0)
        if limit is None or not 1 <= limit <= 1000:
            return _bad_request("limit", "must be between 1 and 1000")
        if page is None or page < 0:
            return _bad_request("page", "must be 0 or more")
        numbers = state.account_numbers(account.id)
        wanted = request.query_params.get("number")
        if wanted:
            numbers = [n for n in numbers if _digits(wanted) in _digits(n.number)]
        chunk = numbers[page * limit : (page + 1) * limit]
        return JSONResponse({"numbers": [_number_json(n, account) for n in chunk], "numberCount": len(numbers)})

    async def list_configurations(request: Request) -> Response:
        account = authenticate(request)
        if account is None:
            return unauthorized()
        query = request.query_params
        channel = query.get("channel")
        if not channel:
            return _bad_request("channel", "must not be null")
        number, number_key = query.get("number"), query.get("numberKey")
        records = [c for c in state.configurations_of(account.id) if c.channel == channel]
        if number is not None or number_key is not None:
            found = owned(account, number=number, number_key=number_key)
            if found is None:
                return _error(404, "NOT_FOUND", f"Number {number or number_key} not found")
            records = [c for c in records if c.number == found.number]
        if query.get("configurationKey") is not None:
            records = [c for c in records if c.configuration_key == query["configurationKey"]]
        if query.get("keyword") is not None:
            records = [c for c in records if c.keyword == query["keyword"]]
        return JSONResponse([c.as_json() for c in records])

    async def manage_configuration(request: Request) -> Response:
        account = authenticate(request)
        if account is None:
            return unauthorized()
        body = await _json_body(request)
        if not isinstance(body, dict):
            return _error(400, "BAD_REQUEST", "The request body must be a JSON object")
        channel = body.get("channel")
        if channel not in CHANNELS:
            return _bad_request("channel", f"must be one of {', '.join(sorted(CHANNELS))}")
        number, number_key = body.get("number"), body.get("numberKey")
        if not isinstance(number, str | None) or not isinstance(number_key, str | None):
            return _bad_request("number", "must be a string")
        if number is None and number_key is None:
            return _bad_request("number", "number or numberKey is required")
        found = owned(account, number=number, number_key=number_key)
        if found is None:
            return _error(404, "NOT_FOUND", f"Number {number or number_key} not found")
        keyword = body.get("keyword")
        if keyword is not None and (not isinstance(keyword, str) or len(keyword) > 50):
            return _bad_request("keyword", "size must be between 0 and 50")
        forwarding = body.get("forwarding")
        if forwarding is not None:
            if not isinstance(forwarding, dict) or forwarding.get("type") not in FORWARD_TYPES:
                return _bad_request("forwarding.type", f"must be one of {', '.join(sorted(FORWARD_TYPES))}")
            forwarding = dict(forwarding)
            if forwarding["type"] == "HTTP_FORWARD":
                url = forwarding.get("url")
                if not isinstance(url, str) or not url:
                    return _bad_request("forwarding.url", "must not be blank")
                forwarding.setdefault("format", "MO_JSON_2")
        unset = body.get("unset") or []
        if not isinstance(unset, list):
            return _bad_request("unset", "must be an array")
        with state.lock:
            existing = next(
                (
                    c
                    for c in state.configurations_of(account.id)
                    if (c.channel, c.number, c.keyword) == (channel, found.number, keyword)
                ),
                None,
            )
            kept = None if existing is None or "FORWARDING" in unset else existing.forwarding
            record = state.upsert_configuration(
                account.id,
                channel=channel,
                number=found.number,
                keyword=keyword,
                forwarding=forwarding if forwarding is not None else kept,
            )
        return JSONResponse(record.as_json())

    async def delete_configuration(request: Request) -> Response:
        account = authenticate(request)
        if account is None:
            return unauthorized()
        key = request.path_params["key"]
        with state.lock:
            record = state.configurations.get(key)
            if record is None or record.account_id != account.id:
                return _error(404, "NOT_FOUND", f"Configuration {key} not found")
            del state.configurations[key]
        return Response(status_code=204)

    async def send_sms(request: Request) -> Response:
        account = authenticate(request)
        if account is None:
            return JSONResponse(
                infobip_api_error_body(
                    401, description="The request lacks valid authentication credentials for the requested resource."
                ),
                401,
            )

        def invalid(prop: str, violation: str) -> JSONResponse:
            return JSONResponse(
                infobip_api_error_body(
                    400,
                    description="Request cannot be processed.",
                    violations=[{"property": prop, "violation": violation}],
                ),
                400,
            )

        body = await _json_body(request)
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list) or not messages:
            return invalid("messages", "must not be empty")
        prepared: list[tuple[dict[str, Any], list[dict[str, Any]], str]] = []
        for index, message in enumerate(messages):
            where = f"messages[{index}]"
            if not isinstance(message, dict):
                return invalid(where, "must be an object")
            destinations = message.get("destinations")
            if not isinstance(destinations, list) or not destinations:
                return invalid(f"{where}.destinations", "must not be empty")
            for d_index, destination in enumerate(destinations):
                if not isinstance(destination, dict) or not isinstance(destination.get("to"), str):
                    return invalid(f"{where}.destinations[{d_index}].to", "must not be null")
            content = message.get("content")
            text = content.get("text") if isinstance(content, dict) else None
            if not isinstance(text, str) or not text:
                return invalid(f"{where}.content.text", "must not be blank")
            prepared.append((message, destinations, text))
        bulk_id = state.new_bulk_id()
        answered: list[dict[str, Any]] = []
        with state.lock:
            for message, destinations, text in prepared:
                for destination in destinations:
                    message_id = destination.get("messageId") or state.new_message_id()
                    status = {
                        "groupId": 1,
                        "groupName": "PENDING",
                        "id": 26,
                        "name": "PENDING_ACCEPTED",
                        "description": "Message sent to next instance",
                    }
                    answered.append(
                        {
                            "messageId": message_id,
                            "status": status,
                            "destination": destination["to"],
                            "details": {"messageCount": max(1, -(-len(text) // 160))},
                        }
                    )
                    state.outbox.append(
                        {
                            "bulkId": bulk_id,
                            "messageId": message_id,
                            "account_id": account.id,
                            "sender": message.get("sender"),
                            "to": destination["to"],
                            "text": text,
                            "options": message.get("options") or {},
                            "webhooks": message.get("webhooks") or {},
                            "sentAt": datetime.now(UTC).isoformat(timespec="milliseconds"),
                            "messageCount": max(1, -(-len(text) // 160)),
                        }
                    )
        return JSONResponse({"bulkId": bulk_id, "messages": answered})

    async def send_messages_api(request: Request) -> Response:
        """The Messages API (`POST /messages-api/1/messages`), for the channels an SMS platform uses: SMS and
        MMS, with a TEXT or IMAGE body. MMS goes only from a number of the account that can send it."""
        account = authenticate(request)
        if account is None:
            return JSONResponse(
                infobip_api_error_body(
                    401, description="The request lacks valid authentication credentials for the requested resource."
                ),
                401,
            )

        def invalid(prop: str, violation: str) -> JSONResponse:
            return JSONResponse(
                infobip_api_error_body(
                    400,
                    description="Request cannot be processed.",
                    violations=[{"property": prop, "violation": violation}],
                ),
                400,
            )

        body = await _json_body(request)
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list) or not messages:
            return invalid("messages", "must not be empty")
        numbers = {_digits(n.number): n for n in state.account_numbers(account.id)}
        prepared: list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]] = []
        for index, message in enumerate(messages):
            where = f"messages[{index}]"
            if not isinstance(message, dict):
                return invalid(where, "must be an object")
            channel, sender = message.get("channel"), message.get("sender")
            if channel not in ("SMS", "MMS"):
                return invalid(f"{where}.channel", "must be one of SMS, MMS (the channels of this account)")
            if not isinstance(sender, str) or not sender:
                return invalid(f"{where}.sender", "must not be blank")
            destinations = message.get("destinations")
            if not isinstance(destinations, list) or not destinations or not all(
                    isinstance(d, dict) and isinstance(d.get("to"), str) and d["to"] for d in destinations):
                return invalid(f"{where}.destinations", "must hold objects with a to")
            content = message.get("content")
            content_body = content.get("body") if isinstance(content, dict) else None
            if not isinstance(content_body, dict) or content_body.get("type") not in ("TEXT", "IMAGE"):
                return invalid(f"{where}.content.body.type", "must be TEXT or IMAGE")
            if content_body["type"] == "TEXT" and not (isinstance(content_body.get("text"), str)
                                                       and content_body["text"]):
                return invalid(f"{where}.content.body.text", "must not be blank")
            if content_body["type"] == "IMAGE" and not (isinstance(content_body.get("url"), str)
                                                        and content_body["url"].startswith(("https://", "http://"))):
                return invalid(f"{where}.content.body.url", "must be a valid URL")
            if channel == "MMS":
                number = numbers.get(_digits(sender))
                if number is None or "MMS" not in number.capabilities:
                    return invalid(f"{where}.sender", f"{sender} is not an MMS-capable number of the account")
            prepared.append((message, destinations, content_body))
        bulk_id = state.new_bulk_id()
        answered: list[dict[str, Any]] = []
        with state.lock:
            for message, destinations, content_body in prepared:
                for destination in destinations:
                    message_id = destination.get("messageId") or state.new_message_id()
                    answered.append({
                        "messageId": message_id,
                        "status": {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED",
                                   "description": "Message sent to next instance"},
                        "destination": destination["to"],
                    })
                    state.outbox.append({
                        "bulkId": bulk_id, "messageId": message_id, "account_id": account.id,
                        "channel": message["channel"], "sender": message["sender"], "to": destination["to"],
                        "text": content_body.get("text"), "media_url": content_body.get("url"),
                        "options": message.get("options") or {}, "webhooks": message.get("webhooks") or {},
                    })
        return JSONResponse({"bulkId": bulk_id, "messages": answered})
    async def sms_logs(request: Request) -> Response:
        account = authenticate(request)
        if account is None:
            return unauthorized()
        wanted = {i for v in request.query_params.getlist("messageId") for i in v.split(",") if i}
        since = request.query_params.get("sentSince")
        try:
            after = datetime.fromisoformat(since) if since else None
        except ValueError:
            return _bad_request("sentSince", "must be a date-time")
        limit = _int(request.query_params.get("limit"), 50)
        if limit is None or not 1 <= limit <= 1000:
            return _bad_request("limit", "must be between 1 and 1000")
        with state.lock:  # the SMS logs: what the Messages API sent (MMS) is not in them
            sent = [m for m in state.outbox if m["account_id"] == account.id and m.get("channel", "SMS") == "SMS"]
        found = [m for m in reversed(sent)
                 if (not wanted or m["messageId"] in wanted)
                 and (after is None or datetime.fromisoformat(m["sentAt"]) >= after)][:limit]
        return JSONResponse({"results": [
            {"sender": m["sender"], "destination": m["to"], "bulkId": m["bulkId"], "messageId": m["messageId"],
             "sentAt": m["sentAt"], "messageCount": m["messageCount"],
             "status": {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED",
                        "description": "Message sent to next instance"}} for m in found]})

    async def on_http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        phrase = HTTPStatus(status).phrase
        return _error(status, phrase.upper().replace(" ", "_"), f"{phrase}: {request.method} {request.url.path}")

    configurations = "/resource-management/1/inbound-message-configurations"
    routes = [
        Route("/account/1/balance", balance, methods=["GET"]),
        Route("/numbers/1/numbers", list_numbers, methods=["GET"]),
        Route(configurations, list_configurations, methods=["GET"]),
        Route(configurations, manage_configuration, methods=["POST"]),
        Route(f"{configurations}/{{key}}", delete_configuration, methods=["DELETE"]),
        Route("/sms/3/messages", send_sms, methods=["POST"]),
        Route("/messages-api/1/messages", send_messages_api, methods=["POST"]),
        Route("/sms/3/logs", sms_logs, methods=["GET"]),
        *admin_routes(state.control, state.outbox_json),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(ControlMiddleware, control=state.control)],
        exception_handlers={404: on_http_error, 405: on_http_error},
    )
