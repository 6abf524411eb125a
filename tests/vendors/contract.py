"""Validate HTTP exchanges against the vendor contracts in tests/contracts/ with openapi-core.

The subsets there are verbatim copies of the vendors' operations. Loading them, this harness makes
them strict, so that an emulator answering garbage cannot pass:

- every object schema that lists `properties` is closed (`additionalProperties: false`): a field
  the vendor does not document fails;
- for Twilio, every documented response field is required: Twilio serialises every field of a
  resource, null when empty, so a missing one means the emulator drifted;
- a query parameter the operation does not declare fails (openapi-core ignores those).

And it fills the gaps the vendors' files leave, each written down in `GAPS` below with its reason.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
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


class Contract:
    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.spec = spec
        self.server = spec["servers"][0]["url"]
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


@cache
def load_contract(name: str) -> Contract:
    spec = json.loads((CONTRACTS / f"{name}.subset.json").read_text(encoding="utf-8"))
    for gap in GAPS:
        if gap.contract == name:
            gap.patch(spec)
    close_objects(spec)
    if name.startswith("twilio"):
        require_all(spec["components"]["schemas"])
        for op in _operations(spec):
            require_all(op["responses"])
    return Contract(name, spec)


CONTRACT_NAMES = ("twilio_api_v2010", "twilio_messaging_v1", "sinch_sms")


def contract_for(request: httpx.Request) -> Contract:
    path = request.url.path
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
    try:
        contract.api.validate_request(_OpenAPIRequest(request, contract.server))
    except OpenAPIError as exc:
        raise ContractViolation(f"{op.operation_id} request: {_explain(exc)}") from exc
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
