"""A CDKTF (or CDK Terrain) construct derived from a model: keyword arguments are the model's inputs,
validated in the constructor with the same rules as the provider and the registry (values that are
tokens, such as another construct's `.id`, are skipped), and every attribute is readable as a token.

The constructs of this package are generated (`smschannel/docs/_constructs.py`, `make docs`) with typed
signatures and properties; a construct written by hand for a provider registered from elsewhere only
sets `model` and gets the same behaviour, untyped."""

from __future__ import annotations

from typing import Any, ClassVar

from constructs import Construct

from smschannel import __version__
from smschannel.constructs._cdk import TerraformProvider, TerraformProviderGeneratorMetadata, TerraformResource, Token
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


class ModelConstruct(TerraformResource):
    """Base of every smschannel construct. Subclasses set `model`."""

    model: ClassVar[type[ResourceModel]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for spec in attribute_specs(cls.model):  # what a generated construct does not declare itself
            if spec.role != "secret_value" and spec.kind != "block" and not hasattr(cls, spec.name):
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
