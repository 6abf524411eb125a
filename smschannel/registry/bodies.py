"""The request bodies of the object routes, documented per object type in the OpenAPI document and
derived from the models (never retyped): the input attributes with their types and ranges, the
`secrets` object holding the secret values by name, and on update `cleared_secrets`.

Every text, list and map also gets a size limit here when its model sets none (`TEXT_MAX`,
`ITEMS_MAX`); `oversized` applies the same limits to a request, so the document and the registry agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from smschannel.model import RESOURCES, ResourceModel
from smschannel.model.base import attribute_specs, secret_fields

TEXT_MAX = 4000
"""The longest text any attribute takes when its model names no limit (characters)."""
ITEMS_MAX = 200
"""The most items a list or map attribute takes when its model names no limit."""
SECRET_MAX = 8000
REF = "#/components/schemas/{model}"


def _name(model: type[ResourceModel], use: str) -> str:
    return f"{model.__name__.removesuffix('Model')}{use.capitalize()}"


def body_ref(model: type[ResourceModel], use: str) -> dict[str, str]:
    return {"$ref": REF.format(model=_name(model, use))}


def _limited(schema: Any) -> Any:
    """The schema with a size limit on every text, list and map that has none."""
    if isinstance(schema, list):
        return [_limited(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _limited(v) for k, v in schema.items()}
    if out.get("type") == "string" and "maxLength" not in out and "enum" not in out and "const" not in out:
        out["maxLength"] = TEXT_MAX
    if out.get("type") == "array" and "maxItems" not in out:
        out["maxItems"] = ITEMS_MAX
    if out.get("type") == "object" and isinstance(out.get("additionalProperties"), dict):
        out.setdefault("maxProperties", ITEMS_MAX)
    return out


@cache
def _schemas(model: type[ResourceModel]) -> dict[str, Any]:
    """The create and update bodies of one type, plus the shared pieces they refer to."""
    document = model.model_json_schema(ref_template=REF)
    fields = document["properties"]
    properties: dict[str, Any] = {}
    required: list[str] = []
    for spec in attribute_specs(model):
        if not spec.is_input or spec.role == "secret_value":
            continue
        if spec.role in ("secret_env", "secret_file"):
            properties[spec.name] = {"anyOf": [{"type": "string", "maxLength": 200}, {"type": "null"}],
                                     "description": spec.description}
            continue
        schema = {k: v for k, v in fields[spec.field].items() if not k.startswith("x-")}
        properties[spec.name] = _limited(schema)
        if spec.required:
            required.append(spec.name)
    secrets = secret_fields(model)
    if secrets:
        properties["secrets"] = {
            "type": "object", "additionalProperties": False, "description": "The secrets' values, by attribute name.",
            "properties": {name: {"type": "string", "maxLength": SECRET_MAX} for name in secrets}}
    create = {"type": "object", "title": _name(model, "create"), "additionalProperties": False,
              "properties": properties, "required": required}
    update_properties = dict(properties)
    if secrets:
        update_properties["cleared_secrets"] = {
            "type": "array", "maxItems": len(secrets), "items": {"type": "string", "enum": list(secrets)},
            "description": "Optional secrets to forget."}
    update = {"type": "object", "title": _name(model, "update"), "additionalProperties": False,
              "properties": update_properties}
    shared = {name: _limited(schema) for name, schema in document.get("$defs", {}).items()}
    return {**shared, _name(model, "create"): create, _name(model, "update"): update}


def install(app: FastAPI) -> None:
    """Make `app.openapi()` carry the request bodies of every object type."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, routes=app.routes)
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in RESOURCES:
                schemas.update(_schemas(model))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def oversized(value: Any, path: str = "") -> str | None:
    """Where a request value breaks the generic limits, as `attribute: why`; None when it keeps them."""
    if isinstance(value, str):
        if "\x00" in value:
            return f"{path}: must not contain a NUL character"
        if len(value) > TEXT_MAX:
            return f"{path}: at most {TEXT_MAX} characters, got {len(value)}"
        return None
    if isinstance(value, list):
        if len(value) > ITEMS_MAX:
            return f"{path}: at most {ITEMS_MAX} items, got {len(value)}"
        return next((p for i, v in enumerate(value) if (p := oversized(v, f"{path}[{i}]"))), None)
    if isinstance(value, Mapping):
        if len(value) > ITEMS_MAX:
            return f"{path}: at most {ITEMS_MAX} entries, got {len(value)}"
        for key, item in value.items():
            found = oversized(key, f"{path} key") or oversized(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    return None


__all__ = ["ITEMS_MAX", "SECRET_MAX", "TEXT_MAX", "body_ref", "install", "oversized"]
