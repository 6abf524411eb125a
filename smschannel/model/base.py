"""The base of every resource model and what is derived from it.

A resource model is a pydantic model whose fields are declared with `attr()` or `secret()`
(`smschannel.model.fields`). From it come:

- `attribute_specs(model)`: the flat list of Terraform attributes (a secret `X` becomes `X`,
  `X_env` and `X_fingerprint`), used for the provider schema, the constructs, the registry shapes
  and the docs;
- `check(model, values)`: every validation rule, as one-line problems; values that are not known
  yet (a construct token, Terraform's unknown) are skipped, so the same rules run at synth, at plan
  and in the registry.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from smschannel.errors import Problem
from smschannel.model import fields as f
from smschannel.model.secrets import ENV_NAME, SecretRef

Kind = Literal["string", "number", "bool", "list", "map"]


def _never(value: object) -> bool:
    return False


@dataclass(frozen=True)
class Rule:
    """A rule over several attributes: `check` returns a message (starting with the attribute) or None."""

    attributes: tuple[str, ...]
    check: Callable[[Mapping[str, Any]], str | None]


class ResourceModel(BaseModel):
    """Base of every resource model. Subclasses set the class variables below and declare fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type_name: ClassVar[str]
    """The Terraform resource type, e.g. `smschannel_twilio_credentials`."""
    title: ClassVar[str]
    """What one object is called in messages, e.g. `Twilio credentials`."""
    scope: ClassVar[str]
    """The scope family that guards it: `sms_settings`, `channel_configurations`, `sms_subdomains`."""
    rules: ClassVar[tuple[Rule, ...]] = ()

    @classmethod
    def stem(cls) -> str:
        """The name shared by every layer: `twilio_credentials`."""
        return cls.type_name.removeprefix("smschannel_")


@dataclass(frozen=True)
class AttributeSpec:
    """One Terraform attribute, derived from a model field."""

    name: str
    field: str
    kind: Kind
    description: str
    required: bool = False
    computed: bool = False
    sensitive: bool = False
    replace: bool = False
    volatile: bool = False
    default: Any = None
    element: Kind | None = None
    role: Literal["plain", "secret_value", "secret_env", "fingerprint"] = "plain"
    example: Any = None
    env: str | None = None

    @property
    def optional(self) -> bool:
        return not self.required and (not self.computed or self.default is not None)

    @property
    def is_input(self) -> bool:
        return not self.computed


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    return annotation


def _kind(annotation: Any) -> tuple[Kind, Kind | None]:
    bare = _strip_optional(annotation)
    origin = typing.get_origin(bare)
    if bare is bool:
        return "bool", None
    if bare in (int, float):
        return "number", None
    if bare is str or origin is Literal:
        return "string", None
    if origin in (list, tuple, Sequence):
        return "list", _kind(typing.get_args(bare)[0])[0]
    if origin in (dict, Mapping):
        return "map", _kind(typing.get_args(bare)[1])[0]
    raise TypeError(f"no Terraform kind for {annotation!r}")


def _extra(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


def _default(info: FieldInfo) -> Any:
    return None if info.is_required() else info.default


@cache
def attribute_specs(model: type[ResourceModel]) -> tuple[AttributeSpec, ...]:
    """The Terraform attributes of a model, in declaration order."""
    specs: list[AttributeSpec] = []
    for name, info in model.model_fields.items():
        extra = _extra(info)
        description = info.description or ""
        if extra.get(f.SECRET):
            what = f"`{name}`"
            specs += [
                AttributeSpec(
                    name, name, "string", sensitive=True, role="secret_value",
                    description=f"{description} Give it here (stored in the state, marked sensitive) or "
                    f"name an environment variable in `{name}_env`: exactly one of the two.",
                ),
                AttributeSpec(
                    f"{name}_env", name, "string", role="secret_env", example=extra.get(f.EXAMPLE),
                    description=f"The name of the environment variable that holds {what}, read when "
                    "Terraform plans and applies. The secret then never appears in the configuration, "
                    "the plan or the state. This is the recommended way.",
                ),
                AttributeSpec(
                    f"{name}_fingerprint", name, "string", computed=True, role="fingerprint",
                    description=f"A keyed hash (HMAC-SHA256) of {what}: it changes when the secret "
                    "changes, so a rotated secret shows as an update, and reveals nothing of it.",
                ),
            ]
            continue
        kind, element = _kind(info.annotation)
        specs.append(
            AttributeSpec(
                name, name, kind, description,
                required=info.is_required() and not extra.get(f.COMPUTED),
                computed=bool(extra.get(f.COMPUTED)),
                replace=bool(extra.get(f.REPLACE)),
                volatile=bool(extra.get(f.VOLATILE)),
                sensitive=bool(extra.get(f.SENSITIVE)),
                env=extra.get(f.ENV),
                default=_default(info),
                element=element,
                example=extra.get(f.EXAMPLE),
            )
        )
    # The ID first, then the inputs in declaration order, then what smschannel computes.
    specs.sort(key=lambda s: 0 if s.name == "id" else 2 if s.computed else 1)
    return tuple(specs)


def specs_by_name(model: type[ResourceModel]) -> dict[str, AttributeSpec]:
    return {s.name: s for s in attribute_specs(model)}


def secret_fields(model: type[ResourceModel]) -> tuple[str, ...]:
    return tuple(s.field for s in attribute_specs(model) if s.role == "fingerprint")


def input_names(model: type[ResourceModel]) -> tuple[str, ...]:
    return tuple(s.name for s in attribute_specs(model) if s.is_input)


@cache
def _adapter(model: type[ResourceModel], field: str) -> TypeAdapter[Any]:
    info = model.model_fields[field]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = typing.Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _message(error: Mapping[str, Any], value: Any) -> str:
    kind = error["type"]
    msg = str(error["msg"])
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    shown = repr(value) if not isinstance(value, str) else f'"{value}"'
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"must be one of {expected}, got {shown}"
    return msg.replace("Input should be", "must be", 1) + f", got {shown}"


def check_field(model: type[ResourceModel], field: str, value: Any) -> str | None:
    """Validate one known, non-null value of one field; the message starts after the attribute name.

    Results are remembered per value: a plan validates every resource twice, and many resources
    share values (the same sender number, channel, credentials), so each distinct value is parsed once.
    """
    try:
        return _check_field_cached(model, field, _frozen(value))
    except TypeError:  # a value that cannot be a cache key
        return _check_field(model, field, value)


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return ("__list__", *(_frozen(v) for v in value))
    if isinstance(value, dict):
        return ("__dict__", *sorted((k, _frozen(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _thawed(frozen: Any) -> Any:
    tag, *rest = frozen
    if tag == "__list__":
        return [_thawed(v) for v in rest]
    if tag == "__dict__":
        return {k: _thawed(v) for k, v in rest}
    return rest[0]


@lru_cache(maxsize=8192)
def _check_field_cached(model: type[ResourceModel], field: str, frozen: Any) -> str | None:
    return _check_field(model, field, _thawed(frozen))


def _check_field(model: type[ResourceModel], field: str, value: Any) -> str | None:
    try:
        _adapter(model, field).validate_python(value)
    except ValidationError as exc:
        return _message(exc.errors()[0], value)
    return None


def _check_secret(name: str, values: Mapping[str, Any], is_unknown: Callable[[Any], bool]) -> list[Problem]:
    value, env = values.get(name), values.get(f"{name}_env")
    if is_unknown(value) or is_unknown(env):
        return []
    if value is not None and env is not None:
        return [Problem(name, f"set only one of {name} and {name}_env ({name}_env is recommended: the "
                              "secret then stays out of the configuration, the plan and the state)")]
    if value is None and env is None:
        return [Problem(name, f"{name}_env (recommended) or {name} is required")]
    if env is not None and (not isinstance(env, str) or not ENV_NAME.match(env)):
        return [Problem(f"{name}_env", f'{name}_env must name an environment variable (letters, digits and '
                                       f'"_", not starting with a digit), got "{env}"')]
    if value is not None and (not isinstance(value, str) or not value):
        return [Problem(name, f"{name} must be a non-empty text")]
    return []


def check(
    model: type[ResourceModel],
    values: Mapping[str, Any],
    *,
    is_unknown: Callable[[Any], bool] = _never,
) -> list[Problem]:
    """Every problem with these input values, one per broken rule. Unknown values are skipped."""
    specs = specs_by_name(model)
    problems: list[Problem] = []
    for key, value in values.items():
        spec = specs.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(input_names(model)), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            problems.append(Problem(key, f"{key} is not an attribute of {model.type_name}{hint}"))
        elif spec.computed and value is not None and not is_unknown(value):
            problems.append(Problem(key, f"{key} is computed by smschannel and cannot be set"))
    for spec in attribute_specs(model):
        if spec.role == "secret_value":
            problems += _check_secret(spec.name, values, is_unknown)
        if spec.role != "plain" or spec.computed:
            continue
        value = values.get(spec.name)
        if is_unknown(value):
            continue
        if value is None:
            if spec.required:
                problems.append(Problem(spec.name, f"{spec.name} is required"))
            continue
        message = check_field(model, spec.field, value)
        if message:
            problems.append(Problem(spec.name, f"{spec.name} {message}"))
    broken = {p.attribute for p in problems}
    for rule in model.rules:
        if any(a in broken or is_unknown(values.get(a)) for a in rule.attributes):
            continue
        message = rule.check(values)
        if message:
            problems.append(Problem(rule.attributes[0], message))
    return problems


def fold(model: type[ResourceModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn flat attribute values into the model's fields (secrets become `SecretRef`)."""
    specs = attribute_specs(model)
    out: dict[str, Any] = {}
    for spec in specs:
        if spec.role == "secret_value":
            out[spec.field] = SecretRef(values.get(spec.name), values.get(f"{spec.name}_env"))
        elif spec.role == "plain" and spec.name in values and values[spec.name] is not None:
            out[spec.name] = values[spec.name]
    return out


def defaults(model: type[ResourceModel]) -> dict[str, Any]:
    """The behaviour defaults of optional inputs that have one."""
    return {s.name: s.default for s in attribute_specs(model) if s.is_input and s.default is not None}


__all__ = [
    "AttributeSpec",
    "ResourceModel",
    "Rule",
    "attribute_specs",
    "check",
    "check_field",
    "defaults",
    "fold",
    "input_names",
    "secret_fields",
    "specs_by_name",
]
