"""Validate HTTP exchanges against the vendor contracts in tests/contracts/ with openapi-core.

The subsets there are verbatim copies of the vendors' operations. Loading them, this harness makes
them strict, so that an emulator answering garbage cannot pass:

- every object schema that lists `properties` is closed (`additionalProperties: false`): a field
  the vendor does not document fails;
- for Twilio, every documented response field is required: Twilio serialises every field of a
  resource, null when empty, so a missing one means the emulator drifted;
- a query parameter the operation does not declare fails (openapi-core ignores those).

And it fills the gaps the vendors' files leave, each written down in `GAPS` below with its reason.

Infobip's files model subtypes with `allOf` and discriminator `mapping`s, which openapi-core does not
follow (it only honours a discriminator beside a `oneOf`/`anyOf`): `resolve_polymorphism` flattens
every `allOf` into one object and turns each discriminated base into a `oneOf` of its mapped
subtypes, so the closed objects above still accept exactly what the subtype documents.

Vendors' callbacks (`webhooks` in OpenAPI 3.1, `x-webhooks` in the Sinch file) are served as
synthetic `POST /_webhooks/{name}` operations: `check_webhook(contract, name, payload)` validates an
inbound payload the way `check_request` validates a client's request.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from werkzeug.datastructures import Headers, ImmutableMultiDict

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"

# Twilio's error body, as Twilio documents it (https://www.twilio.com/docs/usage/twilios-response);
# neither Twilio file describes error responses.
TWILIO_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message", "more_info", "status"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "more_info": {"type": "string"},
        "status": {"type": "integer"},
    },
}


class ContractViolation(AssertionError):
    """An exchange broke the vendor's contract."""


@dataclass(frozen=True)
class Gap:
    """A place where the vendor's file does not describe what the API does, and what we assume."""

    contract: str
    why: str
    patch: Callable[[dict[str, Any]], None]


def _operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in spec["paths"].values():
        for method, op in item.items():
            if method in ("get", "post", "put", "delete", "patch"):
                yield op


SCHEMAS = "#/components/schemas/"
WEBHOOK_PREFIX = "/_webhooks/"


def resolve_polymorphism(spec: dict[str, Any]) -> None:
    """Flatten every `allOf` schema; make every discriminated base a `oneOf` of its mapped subtypes.

    A subtype written as `allOf: [base, {own properties}]` becomes one object holding the base's and
    its own properties and required fields (the base's discriminator left out). A base that carries
    a discriminator `mapping` but no `oneOf`/`anyOf`/`allOf` becomes
    `{oneOf: [mapped subtypes], discriminator}`, which openapi-schema-validator resolves by the
    discriminating value: an unmapped value fails.
    """
    schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
    original = copy.deepcopy(schemas)

    def flat(node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            return flat(original[node["$ref"].removeprefix(SCHEMAS)])
        out = {k: copy.deepcopy(v) for k, v in node.items() if k not in ("allOf", "discriminator")}
        properties: dict[str, Any] = {}
        required: set[str] = set()
        for part in node.get("allOf", []):
            merged = flat(part)
            properties.update(merged.get("properties", {}))
            required.update(merged.get("required", []))
            if "type" in merged:
                out.setdefault("type", merged["type"])
        properties.update(out.get("properties", {}))
        required.update(out.get("required", []))
        if properties:
            out["properties"] = properties
        if required:
            out["required"] = sorted(required)
        return out

    for name, node in original.items():
        if "allOf" in node:
            schemas[name] = flat(node)
    for name, node in original.items():
        mapping = (node.get("discriminator") or {}).get("mapping")
        if mapping and not any(k in node for k in ("oneOf", "anyOf", "allOf")):
            targets = [t for t in mapping.values() if t.removeprefix(SCHEMAS) in schemas]
            schemas[name] = {
                "oneOf": [{"$ref": target} for target in targets],
                "discriminator": copy.deepcopy(node["discriminator"]),
            }


def _infobip_errors(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    if "ApiException" in schemas:
        schemas["ApiException"]["required"] = ["requestError"]
        schemas["ApiRequestError"]["required"] = ["serviceException"]
        schemas["ApiRequestErrorDetails"]["required"] = ["messageId", "text"]
        body = {"$ref": f"{SCHEMAS}ApiException"}
    else:
        body = {"$ref": f"{SCHEMAS}ApiError"}
    for op in _operations(spec):
        for status, answer in op["responses"].items():
            if status[0] in "45" and "content" not in answer and "$ref" not in answer:
                answer["content"] = {"application/json": {"schema": copy.deepcopy(body)}}
        op["responses"].setdefault(
            "default", {"description": "Infobip error", "content": {"application/json": {"schema": body}}}
        )


def _infobip_balance_media_type(spec: dict[str, Any]) -> None:
    answer = spec["paths"]["/account/1/balance"]["get"]["responses"]["200"]
    answer["content"] = {"application/json": answer["content"].pop("*/*")}


def _infobip_mo_received_at(spec: dict[str, Any]) -> None:
    received = spec["components"]["schemas"][
        "20085a4036d67f66ebf204560d55d58a7c131c15d42c8ed9442747c488e08630.SmsMoReport"
    ]["properties"]["receivedAt"]
    received.pop("format")
    received["pattern"] = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:?\d{2})$"


def _sinch_mo_text(spec: dict[str, Any]) -> None:
    inbound = spec["components"]["schemas"]["inboundsObject"]
    inbound["properties"]["client_reference"] = {"type": "string"}
    inbound["required"] = ["body", "from", "id", "received_at", "to", "type"]


def webhooks_as_paths(spec: dict[str, Any]) -> None:
    """Serve each webhook (`webhooks`, or `x-webhooks`) as `POST /_webhooks/{name}`, unauthenticated."""
    hooks = spec.get("webhooks") or spec.get("x-webhooks") or {}
    for name, item in hooks.items():
        post = copy.deepcopy(item["post"])
        post["operationId"] = name
        post["security"] = []
        spec["paths"][f"{WEBHOOK_PREFIX}{name}"] = {"post": post}


def _twilio_errors(spec: dict[str, Any]) -> None:
    for op in _operations(spec):
        op["responses"]["default"] = {
            "description": "Twilio error",
            "content": {"application/json": {"schema": copy.deepcopy(TWILIO_ERROR_SCHEMA)}},
        }


def _sinch_listed_batches(spec: dict[str, Any]) -> None:
    listing = spec["paths"]["/xms/v1/{service_plan_id}/batches"]["get"]["responses"]["200"]
    listing["content"]["application/json"]["schema"]["properties"]["batches"]["items"] = {
        "$ref": "#/components/schemas/sendBatchCreated"
    }


def _sinch_errors(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["errorResponseObj"]["required"] = ["code", "text"]
    for op in _operations(spec):
        op["responses"]["default"] = {
            "description": "Sinch error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/errorResponseObj"}}},
        }


GAPS = (
    Gap(
        "twilio_api_v2010",
        "the file declares no error responses; Twilio documents one error body",
        _twilio_errors,
    ),
    Gap("twilio_messaging_v1", "the file declares no error responses; same error body", _twilio_errors),
    Gap(
        "sinch_sms",
        "the 2021 file lists batches with the request shape (sendBatchObject); the API lists created"
        " batches, with id, created_at, modified_at and canceled (sendBatchCreated)",
        _sinch_listed_batches,
    ),
    Gap(
        "sinch_sms",
        "the file declares errorResponseObj for 400/403 of one operation only; Sinch answers every"
        " error (401 included) with it, and always with both fields",
        _sinch_errors,
    ),
    *(
        Gap(
            name,
            "Infobip's error bodies leave every field optional and some errors (404, undeclared statuses)"
            " without a body; Infobip always sends requestError.serviceException with messageId and text"
            " (ApiError on /sms/3), so every error answer must carry it",
            _infobip_errors,
        )
        for name in ("infobip_account", "infobip_numbers", "infobip_resources", "infobip_sms")
    ),
    Gap(
        "infobip_account",
        "the balance answer is declared as `*/*`; Infobip answers application/json (the schema is JSON)",
        _infobip_balance_media_type,
    ),
    Gap(
        "infobip_sms_webhooks",
        "receivedAt is declared `format: date-time` but documented (and sent, e.g."
        " 2019-11-09T16:00:00.000+0000) as yyyy-MM-dd'T'HH:mm:ss.SSSZ, which is not RFC 3339;"
        " the harness checks that pattern instead",
        _infobip_mo_received_at,
    ),
    Gap(
        "sinch_sms_webhooks",
        "the 2021 inboundsObject has no required fields and no client_reference; Sinch's current docs"
        " (MOText) require body, from, id, received_at, to and type and add client_reference",
        _sinch_mo_text,
    ),
)


def close_objects(node: Any) -> None:
    """`additionalProperties: false` on every object schema that lists properties."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            close_objects(value)
    elif isinstance(node, list):
        for item in node:
            close_objects(item)


def require_all(node: Any) -> None:
    """Every listed property required, on every object schema below `node`."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            node["required"] = sorted(node["properties"])
        for value in node.values():
            require_all(value)
    elif isinstance(node, list):
        for item in node:
            require_all(item)


@dataclass(frozen=True)
class Operation:
    contract: str
    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    query_names: frozenset[str]
    form_names: frozenset[str] | None  # None: the body is not form-encoded


def _server_url(spec: dict[str, Any]) -> str:
    """The first server's URL with its variables at their defaults; a stand-in host when none is given
    (Infobip's base URL is per account; webhook subsets keep no servers). Requests are matched by
    path, so the host never decides anything."""
    servers = spec.get("servers") or [{"url": "https://api.infobip.com"}]
    url: str = servers[0]["url"]
    for name, variable in servers[0].get("variables", {}).items():
        url = url.replace(f"{{{name}}}", str(variable["default"]))
    return url


class Contract:
    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.spec = spec
        self.server = _server_url(spec)
        self.api = OpenAPI.from_dict(spec)
        self.operations = list(self._index())

    def _index(self) -> Iterator[Operation]:
        for template, item in self.spec["paths"].items():
            shared = item.get("parameters", [])
            for method, op in item.items():
                if method not in ("get", "post", "put", "delete", "patch"):
                    continue
                params = [self._resolve(p) for p in [*shared, *op.get("parameters", [])]]
                form = op.get("requestBody", {}).get("content", {}).get("application/x-www-form-urlencoded")
                form_names = frozenset(self._resolve(form["schema"])["properties"]) if form else None
                regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
                yield Operation(
                    self.name,
                    op["operationId"],
                    method.upper(),
                    template,
                    re.compile(regex),
                    frozenset(p["name"] for p in params if p["in"] == "query"),
                    form_names,
                )

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def operation(self, request: httpx.Request) -> Operation | None:
        for op in self.operations:
            if op.method == request.method and op.pattern.match(request.url.path):
                return op
        return None


def contract_path(name: str) -> Path:
    """`{name}.subset.json` (copied from a vendor file) or `{name}.handwritten.json` (from public docs)."""
    copied = CONTRACTS / f"{name}.subset.json"
    return copied if copied.exists() else CONTRACTS / f"{name}.handwritten.json"


@cache
def load_contract(name: str) -> Contract:
    spec = json.loads(contract_path(name).read_text(encoding="utf-8"))
    for gap in GAPS:
        if gap.contract == name:
            gap.patch(spec)
    resolve_polymorphism(spec)
    webhooks_as_paths(spec)
    close_objects(spec)
    if name.startswith("twilio"):
        require_all(spec["components"]["schemas"])
        for op in _operations(spec):
            require_all(op["responses"])
    return Contract(name, spec)


CONTRACT_NAMES = ("twilio_api_v2010", "twilio_messaging_v1", "sinch_sms")
INFOBIP_CONTRACT_NAMES = ("infobip_account", "infobip_numbers", "infobip_resources", "infobip_sms",
                          "infobip_messages")
"""The last is hand-written: no stored vendor file holds the Messages API (MMS)."""
SINCH_CONVERSATION_CONTRACT = "sinch_conversation"  # hand-written: Sinch publishes no file we store
WEBHOOK_CONTRACT_NAMES = ("infobip_sms_webhooks", "sinch_sms_webhooks")

_PREFIXES = (
    ("/v1/projects/", SINCH_CONVERSATION_CONTRACT),
    ("/account/1/", "infobip_account"),
    ("/numbers/1/", "infobip_numbers"),
    ("/resource-management/1/", "infobip_resources"),
    ("/sms/3/", "infobip_sms"),
    ("/messages-api/1/", "infobip_messages"),
)


def contract_for(request: httpx.Request) -> Contract:
    path = request.url.path
    for prefix, name in _PREFIXES:
        if path.startswith(prefix):
            return load_contract(name)
    if path.startswith("/2010-04-01/"):
        return load_contract("twilio_api_v2010")
    if path.startswith("/v1/"):
        return load_contract("twilio_messaging_v1")
    if path.startswith("/xms/v1/"):
        return load_contract("sinch_sms")
    raise ContractViolation(f"no contract covers {request.method} {path}")


class _OpenAPIRequest:
    def __init__(self, request: httpx.Request, host_url: str) -> None:
        query = parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)
        self.host_url = host_url
        self.path = request.url.path
        self.method = request.method.lower()
        self.body: bytes | None = request.content or None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )


class _OpenAPIResponse:
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(dict(response.headers))
        self.data = response.content


def _explain(exc: BaseException) -> str:
    parts = [str(exc)]
    cause = exc.__cause__
    while cause is not None:
        parts.append(str(cause))
        for error in getattr(cause, "schema_errors", ()) or ():
            parts.append(f"  at {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}")
        cause = cause.__cause__
    return "\n".join(parts)


def check_request(request: httpx.Request) -> Operation:
    """Raise ContractViolation unless `request` is a valid call of a contract operation."""
    contract = contract_for(request)
    op = contract.operation(request)
    if op is None:
        raise ContractViolation(f"{contract.name} has no operation {request.method} {request.url.path}")
    unknown = {name for name, _ in parse_qsl(request.url.query.decode("ascii"))} - op.query_names
    if unknown:
        raise ContractViolation(f"{op.operation_id}: query parameters not in the contract: {sorted(unknown)}")
    if op.form_names is not None:  # openapi-core drops undeclared form fields before validating
        fields = {name for name, _ in parse_qsl(request.content.decode("utf-8"), keep_blank_values=True)}
        if fields - op.form_names:
            raise ContractViolation(
                f"{op.operation_id}: form fields not in the contract: {sorted(fields - op.form_names)}"
            )
    # Infobip's files declare APIKeyHeader and IBSSOTokenHeader as the same `Authorization` header, so
    # openapi-core accepts any value there; smschannel uses the API key, documented as `App <key>`.
    if contract.name.startswith("infobip") and not request.headers.get("authorization", "").startswith("App "):
        raise ContractViolation(f"{op.operation_id}: Infobip's API key goes in 'Authorization: App <key>'")
    _validate_request(contract, op, request)
    return op


def _validate_request(contract: Contract, op: Operation, request: httpx.Request) -> None:
    try:
        contract.api.validate_request(_OpenAPIRequest(request, contract.server))
    except OpenAPIError as exc:
        raise ContractViolation(f"{op.operation_id} request: {_explain(exc)}") from exc


def check_webhook(
    contract: str, webhook: str, payload: bytes | Mapping[str, Any], *, content_type: str = "application/json"
) -> Operation:
    """Raise ContractViolation unless `payload` is a valid body of the vendor's `webhook` callback;
    return the webhook's (synthetic) operation.

    `contract` is one of WEBHOOK_CONTRACT_NAMES, `webhook` the callback's name in it (Infobip:
    "receive-inbound-sms-messages"; Sinch: "incomingSMS"); `payload` is the raw body or its JSON.
    The body is as strict as any answer here: every documented object is closed.
    """
    loaded = load_contract(contract)
    path = f"{WEBHOOK_PREFIX}{webhook}"
    op = next((o for o in loaded.operations if o.template == path), None)
    if op is None:
        raise ContractViolation(f"{contract} has no webhook {webhook!r}")
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    request = httpx.Request("POST", f"{loaded.server}{path}", content=body, headers={"Content-Type": content_type})
    _validate_request(loaded, op, request)
    return op


def check_response(request: httpx.Request, response: httpx.Response) -> Operation:
    """Raise ContractViolation unless `response` is a valid answer to `request`."""
    contract = contract_for(request)
    op = contract.operation(request)
    if op is None:
        raise ContractViolation(f"{contract.name} has no operation {request.method} {request.url.path}")
    try:
        contract.api.validate_response(_OpenAPIRequest(request, contract.server), _OpenAPIResponse(response))
    except OpenAPIError as exc:
        raise ContractViolation(
            f"{op.operation_id} response {response.status_code}: {_explain(exc)}"
        ) from exc
    return op
