"""The `tf` schema of a model: every attribute with its type, flags and Markdown description."""

from __future__ import annotations

from functools import cache
from typing import Any

from tf import types as t
from tf.schema import Attribute, Block, NestedBlock, NestMode, Schema

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


class SingleNestedBlock(NestedBlock):  # type: ignore[misc]
    """A block written at most once (`opt_out { ... }`); its value is a dict of plain attributes, or None."""

    def __init__(self, spec: AttributeSpec) -> None:
        super().__init__(spec.name, NestMode.Single, Block(
            attributes=[tf_attribute(s) for s in spec.block], description=spec.description))

    def encode(self, value: Any) -> Any:
        return value

    def decode(self, value: Any) -> Any:
        return value

    def semantically_equal(self, a_decoded: Any, b_decoded: Any) -> bool:
        return bool(a_decoded == b_decoded)


@cache
def tf_schema(model: type[ResourceModel], *, provider_block: bool = False) -> Schema:
    specs = attribute_specs(model)
    return Schema(
        version=0,
        description=(model.__doc__ or "").strip(),
        attributes=[tf_attribute(s, provider_block=provider_block) for s in specs if s.kind != "block"],
        block_types=[SingleNestedBlock(s) for s in specs if s.kind == "block"],
    )


__all__ = ["SingleNestedBlock", "tf_attribute", "tf_schema"]
