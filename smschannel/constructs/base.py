"""A CDKTF construct derived from a model: keyword arguments are the model's inputs, validated in the
constructor with the same rules as the provider and the registry (values that are tokens, such as
another construct's `.id`, are skipped), and every attribute is readable as a token."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, ClassVar

from cdktf import TerraformProvider, TerraformProviderGeneratorMetadata, TerraformResource, Token
from constructs import Construct

from smschannel import __version__
from smschannel.errors import ValidationFailed
from smschannel.model.base import AttributeSpec, ResourceModel, attribute_specs, check

_META = TerraformProviderGeneratorMetadata(provider_name="smschannel", provider_version_constraint=__version__)
_GETTERS = {
    "string": "get_string_attribute",
    "number": "get_number_attribute",
    "bool": "get_boolean_attribute",
    "list": "get_list_attribute",
    "map": "get_string_map_attribute",
}
_META_ARGS = ("depends_on", "lifecycle", "provider", "count", "for_each")


def is_token(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(is_token(v) for v in value)
    if isinstance(value, dict):
        return any(is_token(v) for v in value.values())
    return isinstance(value, str | int | float) and not isinstance(value, bool) and Token.is_unresolved(value)


def _prop_doc(spec: AttributeSpec) -> str:
    need = "required" if spec.required else "optional"
    kind = "dict with " + ", ".join(s.name for s in spec.block) if spec.kind == "block" else spec.kind
    replace = " Changing it replaces the object." if spec.replace else ""
    return f"    {spec.name} ({kind}, {need}): {spec.description}{replace}"


class ModelConstruct(TerraformResource):
    """Base of every smschannel construct. Subclasses set `model`."""

    model: ClassVar[type[ResourceModel]]
    if TYPE_CHECKING:
        id: str
        """The object's registry ID, as a token (every resource type has one)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        specs = attribute_specs(cls.model)
        inputs = [s for s in specs if s.is_input]
        params = [
            inspect.Parameter("scope", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Construct),
            inspect.Parameter("id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
            *(inspect.Parameter(s.name, inspect.Parameter.KEYWORD_ONLY,
                                default=inspect.Parameter.empty if s.required else None) for s in inputs),
            *(inspect.Parameter(a, inspect.Parameter.KEYWORD_ONLY, default=None) for a in _META_ARGS),
        ]
        summary = (cls.model.__doc__ or "").strip()
        cls.__doc__ = (f"`{cls.model.type_name}`: {summary}\n\nKeyword arguments:\n"
                       + "\n".join(_prop_doc(s) for s in inputs)
                       + "\n\nRead-only attributes (tokens): "
                       + ", ".join(s.name for s in specs if s.role != "secret_value"))

        def __init__(self: ModelConstruct, scope: Construct, id: str, **props: Any) -> None:
            ModelConstruct.__init__(self, scope, id, **props)

        __init__.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        __init__.__doc__ = cls.__doc__
        __init__.__qualname__ = f"{cls.__name__}.__init__"
        cls.__init__ = __init__  # type: ignore[method-assign]
        for spec in specs:
            if spec.role != "secret_value" and spec.kind != "block" and not hasattr(TerraformResource, spec.name):
                setattr(cls, spec.name, property(_getter(spec)))

    def __init__(self, scope: Construct, id: str, **props: Any) -> None:
        meta = {k: props.pop(k) for k in _META_ARGS if k in props}
        super().__init__(scope, id, terraform_resource_type=self.model.type_name,
                         terraform_generator_metadata=_META, **meta)
        values = {k: (v.get_string_attribute("id") if isinstance(v, ModelConstruct) else v) for k, v in props.items()}
        problems = check(self.model, values, is_unknown=is_token)
        if problems:
            raise ValidationFailed(f"{self.model.type_name}.{self.friendly_unique_id}", problems)
        self._values = {k: v for k, v in values.items() if v is not None}

    def _synthesize_attributes(self) -> dict[str, Any]:
        return dict(self._values)


def _getter(spec: AttributeSpec) -> Any:
    method = _GETTERS[spec.kind]

    def get(self: ModelConstruct) -> Any:
        return getattr(self, method)(spec.name)

    get.__doc__ = spec.description
    return get


class ModelProvider(TerraformProvider):
    """Base of the provider construct: its keyword arguments are the provider block's settings."""

    model: ClassVar[type[ResourceModel]]

    def __init__(self, scope: Construct, id: str, **config: Any) -> None:
        super().__init__(scope, id, terraform_resource_type="smschannel", terraform_generator_metadata=_META,
                         terraform_provider_source="smschannel/smschannel")
        alias = config.pop("alias", None)
        problems = check(self.model, config, is_unknown=is_token)
        if problems:
            raise ValidationFailed('provider "smschannel"', problems)
        self._values = {k: v for k, v in config.items() if v is not None}
        if alias:
            self._values["alias"] = alias

    def _synthesize_attributes(self) -> dict[str, Any]:
        return dict(self._values)


__all__ = ["ModelConstruct", "ModelProvider", "is_token"]
