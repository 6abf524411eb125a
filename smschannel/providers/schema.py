"""The `tf` schema of a model: every attribute with its type, flags and Markdown description."""

from __future__ import annotations

from functools import cache
from typing import Any

from tf import types as t
from tf.schema import Attribute, Schema

from smschannel.model.base import AttributeSpec, Kind, ResourceModel, attribute_specs

_SCALARS: dict[str, Any] = {"string": t.String, "number": t.Number, "bool": t.Bool}


def _tf_type(kind: Kind, element: Kind | None) -> Any:
    if kind == "list":
        return t.List(_SCALARS[element or "string"]())
    if kind == "map":
        return t.Map(_SCALARS[element or "string"]())
    return _SCALARS[kind]()


def tf_attribute(spec: AttributeSpec, *, provider_block: bool = False) -> Attribute:
    has_default = spec.is_input and spec.default is not None
    return Attribute(
        spec.name,
        _tf_type(spec.kind, spec.element),
        description=spec.description,
        required=spec.required and not provider_block,
        optional=spec.optional or provider_block,
        # An input with a default is also computed, so the plan can show the default it applies.
        computed=spec.computed or has_default,
        sensitive=spec.sensitive,
        requires_replace=spec.replace,
    )


@cache
def tf_schema(model: type[ResourceModel], *, provider_block: bool = False) -> Schema:
    return Schema(
        version=0,
        description=(model.__doc__ or "").strip(),
        attributes=[tf_attribute(s, provider_block=provider_block) for s in attribute_specs(model)],
    )


__all__ = ["tf_attribute", "tf_schema"]
