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

Kind = Literal["string", "number", "bool", "list", "map", "block"]


def _never(value: object) -> bool:
    return False


@dataclass(frozen=True)
class Rule:
    """A rule over several attributes: `check` returns a message (starting with the attribute) or None."""

    attributes: tuple[str, ...]
    check: Callable[[Mapping[str, Any]], str | list[Problem] | None]


@dataclass(frozen=True)
class Inherited:
    """A computed attribute that holds an input's value, or, while the input is unset, a setting of the
    sandbox's one object of another type (`ResourceModel.per_sandbox`): the registry resolves it whenever
    the object is written or read, so it follows the setting."""

    attribute: str
    settings: str
    """The stem of the settings type, e.g. `channel_settings`."""
    setting: str


@dataclass(frozen=True)
class Derived:
    """A computed attribute that is a pure function of some inputs, so plans can show its value."""

    attributes: tuple[str, ...]
    compute: Callable[[Mapping[str, Any]], Any]


class BlockModel(BaseModel):
    """A nested block (at most one per resource): its fields are declared with `attr()` too."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    rules: ClassVar[tuple[Rule, ...]] = ()


class ResourceModel(BaseModel):
    """Base of every resource model. Subclasses set the class variables below and declare fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    type_name: ClassVar[str]
    """The Terraform resource type, e.g. `smschannel_twilio_credentials`."""
    title: ClassVar[str]
    """What one object is called in messages, e.g. `Twilio credentials`."""
    scope: ClassVar[str]
    """The scope family that guards it: `sms_settings`, `channel_configurations`, `sms_subdomains`."""
    rules: ClassVar[tuple[Rule, ...]] = ()
    derived: ClassVar[dict[str, Derived]] = {}
    """Computed attributes that are a pure function of the inputs: plans show their value."""
    inherits: ClassVar[dict[str, Inherited]] = {}
    """Computed attributes that follow the sandbox's settings while their input is unset."""
    shared: ClassVar[bool] = False
    """Whether the objects are shared by every sandbox (subdomains) instead of living in one."""
    id_prefix: ClassVar[str] = "obj"
    per_sandbox: ClassVar[bool] = False
    """Whether a sandbox holds exactly one object of the type (its settings): its `id` is the sandbox's name
    and, until declared, it holds the defaults."""

    @classmethod
    def scope_for(cls, action: Literal["read", "write", "delete"]) -> str:
        """The scope an action needs: deleting what every sandbox shares has its own scope; elsewhere
        deleting is writing."""
        if action == "delete" and not cls.shared:
            action = "write"
        return f"{cls.scope}.{action}"

    @classmethod
    def doc_notes(cls) -> str:
        """Markdown that the generated docs add after the hand-written notes of `templates/`, for facts
        that live in code (a table of defaults, say); empty by default."""
        return ""

    @classmethod
    def stem(cls) -> str:
        """The name shared by every layer: `twilio_credentials`."""
        return cls.type_name.removeprefix("smschannel_")

    @classmethod
    def address(cls, subject: object = None) -> str:
        """How every message names an object: `smschannel_webhook "inbound-us"`, or the type alone while
        the name is not known. `subject` is the object's values (its `name`, else its `fqdn`) or its name."""
        name = (subject.get("name") or subject.get("fqdn")) if isinstance(subject, Mapping) else subject
        return f'{cls.type_name} "{name}"' if isinstance(name, str) else cls.type_name


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
    role: Literal["plain", "secret_value", "secret_env", "secret_file", "fingerprint"] = "plain"
    example: Any = None
    env: str | None = None
    block: tuple[AttributeSpec, ...] = ()
    """The attributes of a nested block (kind `block`)."""
    secret_required: bool = True
    vendor_endpoint: bool = False
    """A provider setting that holds the address of a vendor's API (`twilio_url`, ...)."""

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


def _block_model(annotation: Any) -> type[BlockModel] | None:
    bare = _strip_optional(annotation)
    return bare if isinstance(bare, type) and issubclass(bare, BlockModel) else None


def _kind(annotation: Any) -> tuple[Kind, Kind | None]:
    bare = _strip_optional(annotation)
    origin = typing.get_origin(bare)
    if _block_model(bare) is not None:
        return "block", None
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
def attribute_specs(model: type[ResourceModel] | type[BlockModel]) -> tuple[AttributeSpec, ...]:
    """The Terraform attributes of a model, in declaration order."""
    specs: list[AttributeSpec] = []
    for name, info in model.model_fields.items():
        extra = _extra(info)
        description = info.description or ""
        if extra.get(f.SECRET):
            what = f"`{name}`"
            required = bool(extra.get(f.REQUIRED, True))
            ways = f"`{name}_env`" + (f" or a file in `{name}_file`" if extra.get(f.FILE) else "")
            how = "exactly one way" if required else "at most one way"
            specs += [
                AttributeSpec(
                    name, name, "string", sensitive=True, role="secret_value", secret_required=required,
                    description=f"{description} Give it here (stored in the state, marked sensitive), or name "
                    f"an environment variable in {ways}: {how}.",
                ),
                AttributeSpec(
                    f"{name}_env", name, "string", role="secret_env", example=extra.get(f.EXAMPLE),
                    secret_required=required,
                    description=f"The name of the environment variable that holds {what}, read when "
                    "Terraform plans and applies. The secret then never appears in the configuration, "
                    "the plan or the state. This is the recommended way.",
                ),
                *([AttributeSpec(
                    f"{name}_file", name, "string", role="secret_file", secret_required=required,
                    description=f"The path of a file that holds {what}, read when Terraform plans and applies "
                    "(on the machine that runs Terraform).",
                )] if extra.get(f.FILE) else []),
                AttributeSpec(
                    f"{name}_fingerprint", name, "string", computed=True, role="fingerprint",
                    description=f"A keyed hash (HMAC-SHA256) of {what}. It changes when the secret "
                    "changes, so a rotated secret shows as an update; the secret cannot be recovered from it.",
                ),
            ]
            continue
        kind, element = _kind(info.annotation)
        block = _block_model(info.annotation)
        specs.append(
            AttributeSpec(
                name, name, kind, description,
                required=info.is_required() and not extra.get(f.COMPUTED),
                computed=bool(extra.get(f.COMPUTED)),
                replace=bool(extra.get(f.REPLACE)),
                volatile=bool(extra.get(f.VOLATILE)),
                sensitive=bool(extra.get(f.SENSITIVE)),
                env=extra.get(f.ENV),
                vendor_endpoint=bool(extra.get(f.VENDOR_ENDPOINT)),
                default=_default(info),
                element=element,
                example=extra.get(f.EXAMPLE),
                block=attribute_specs(block) if block is not None else (),
            )
        )
    # The ID first, then the inputs in declaration order, then what smschannel computes.
    specs.sort(key=lambda s: 0 if s.name == "id" else 2 if s.computed else 1)
    return tuple(specs)


def specs_by_name(model: type[ResourceModel] | type[BlockModel]) -> dict[str, AttributeSpec]:
    return {s.name: s for s in attribute_specs(model)}


def secret_fields(model: type[ResourceModel]) -> tuple[str, ...]:
    return tuple(s.field for s in attribute_specs(model) if s.role == "fingerprint")


def input_names(model: type[ResourceModel] | type[BlockModel]) -> tuple[str, ...]:
    return tuple(s.name for s in attribute_specs(model) if s.is_input)


@cache
def _adapter(model: type[ResourceModel] | type[BlockModel], field: str) -> TypeAdapter[Any]:
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


def check_field(model: type[ResourceModel] | type[BlockModel], field: str, value: Any) -> str | None:
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
def _check_field_cached(model: type[ResourceModel] | type[BlockModel], field: str, frozen: Any) -> str | None:
    return _check_field(model, field, _thawed(frozen))


def _check_field(model: type[ResourceModel] | type[BlockModel], field: str, value: Any) -> str | None:
    try:
        _adapter(model, field).validate_python(value)
    except ValidationError as exc:
        return _message(exc.errors()[0], value)
    return None


def _check_secret(name: str, values: Mapping[str, Any], is_unknown: Callable[[Any], bool],
                  required: bool = True, has_file: bool = False) -> list[Problem]:
    value, env, file = values.get(name), values.get(f"{name}_env"), values.get(f"{name}_file")
    if is_unknown(value) or is_unknown(env) or is_unknown(file):
        return []
    ways = [n for n, v in ((name, value), (f"{name}_env", env), (f"{name}_file", file)) if v is not None]
    if len(ways) > 1:
        return [Problem(name, f"set only one of {' and '.join(ways)} ({name}_env is recommended: the "
                              "secret then stays out of the configuration, the plan and the state)")]
    if not ways:
        alternatives = f"{name}_env (recommended), {name}_file or {name}" if has_file else \
            f"{name}_env (recommended) or {name}"
        return [Problem(name, f"{alternatives} is required")] if required else []
    if file is not None and (not isinstance(file, str) or not file):
        return [Problem(f"{name}_file", f"{name}_file must be a file path")]
    if env is not None and (not isinstance(env, str) or not ENV_NAME.match(env)):
        return [Problem(f"{name}_env", f'{name}_env must name an environment variable (letters, digits and '
                                       f'"_", not starting with a digit), got "{env}"')]
    if value is not None and (not isinstance(value, str) or not value):
        return [Problem(name, f"{name} must be a non-empty text")]
    return []


def check(
    model: type[ResourceModel] | type[BlockModel],
    values: Mapping[str, Any],
    *,
    is_unknown: Callable[[Any], bool] = _never,
    prefix: str = "",
) -> list[Problem]:
    """Every problem with these input values, one per broken rule. Unknown values are skipped.

    A nested block is checked with its own model; its problems name `block.attribute`.
    """
    specs = specs_by_name(model)
    owner = getattr(model, "type_name", prefix.rstrip(".") + " block")
    problems: list[Problem] = []
    for key, value in values.items():
        spec = specs.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(input_names(model)), n=1)
            hint = f'; did you mean "{prefix}{close[0]}"?' if close else ""
            problems.append(Problem(prefix + key, f"{prefix}{key} is not an attribute of {owner}{hint}"))
        elif spec.computed and value is not None and not is_unknown(value):
            problems.append(Problem(prefix + key, f"{prefix}{key} is computed by smschannel and cannot be set"))
    for spec in attribute_specs(model):
        if spec.role == "secret_value":
            problems += _check_secret(spec.name, values, is_unknown, spec.secret_required,
                                      has_file=f"{spec.name}_file" in specs)
        if spec.role != "plain" or spec.computed:
            continue
        value = values.get(spec.name)
        name = prefix + spec.name
        if is_unknown(value):
            continue
        if value is None:
            if spec.required:
                problems.append(Problem(name, f"{name} is required"))
            continue
        if spec.kind == "block":
            if not isinstance(value, Mapping):
                problems.append(Problem(name, f"{name} must be a block of attributes, got {value!r}"))
                continue
            block = _block_model(model.model_fields[spec.field].annotation)
            assert block is not None
            problems += check(block, value, is_unknown=is_unknown, prefix=f"{name}.")
            continue
        message = check_field(model, spec.field, value)
        if message:
            problems.append(Problem(name, f"{name} {message}"))
    broken = {p.attribute for p in problems}
    for rule in model.rules:
        if any(prefix + a in broken or is_unknown(values.get(a)) for a in rule.attributes):
            continue
        verdict = rule.check(values)
        if isinstance(verdict, list):  # a rule that reports several problems at once
            problems += [Problem(prefix + p.attribute, prefix + p.message) for p in verdict]
            continue
        if verdict:
            message = verdict
            # The message starts with the attribute it is about (`opt_in.keywords: ...`): point there.
            lead = message.split(" ", 1)[0].rstrip(":")
            about = lead if lead.split(".")[0] in specs else rule.attributes[0]
            problems.append(Problem(prefix + about, prefix + message if prefix else message))
    return problems


def fold(model: type[ResourceModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn flat attribute values into the model's fields (secrets become `SecretRef`)."""
    specs = attribute_specs(model)
    out: dict[str, Any] = {}
    for spec in specs:
        if spec.role == "secret_value":
            out[spec.field] = SecretRef.of(values, spec.name)
        elif spec.role == "plain" and spec.name in values and values[spec.name] is not None:
            out[spec.name] = values[spec.name]
    return out


def defaults(model: type[ResourceModel]) -> dict[str, Any]:
    """The behaviour defaults of optional inputs that have one."""
    return {s.name: s.default for s in attribute_specs(model) if s.is_input and s.default is not None}


def inherited(model: type[ResourceModel], values: Mapping[str, Any],
              settings: Callable[[str], Mapping[str, Any]]) -> dict[str, Any]:
    """The computed attributes that follow the sandbox's settings (`ResourceModel.inherits`): each takes its
    input when set, else the setting. `settings(stem)` gives the sandbox's object of that type (its defaults
    while undeclared)."""
    out: dict[str, Any] = {}
    for name, rule in model.inherits.items():
        own = values.get(rule.attribute)
        out[name] = own if own is not None else settings(rule.settings).get(rule.setting)
    return out


def derive(
    model: type[ResourceModel], values: Mapping[str, Any], *, is_unknown: Callable[[Any], bool] = _never
) -> dict[str, Any]:
    """The computed attributes that follow from the inputs (see `ResourceModel.derived`); one whose
    inputs are not all known yet is left out."""
    return {name: d.compute(values) for name, d in model.derived.items()
            if not any(is_unknown(values.get(a)) for a in d.attributes)}


__all__ = [
    "AttributeSpec",
    "BlockModel",
    "Derived",
    "Inherited",
    "ResourceModel",
    "Rule",
    "attribute_specs",
    "check",
    "check_field",
    "defaults",
    "derive",
    "fold",
    "inherited",
    "input_names",
    "secret_fields",
    "specs_by_name",
]
