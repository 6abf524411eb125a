"""One generic `tf` resource driven by a model: validate, plan, create, read, update, delete, import.

Each resource type is `resource_class(model, hooks)`: the model gives the schema and the rules; the
hooks (`smschannel.terraform.hooks`) add what a type checks at plan time and reports after apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from tf.iface import (
    CreateContext,
    DeleteContext,
    ImportContext,
    ReadContext,
    Resource,
    UpdateContext,
    UpgradeContext,
)
from tf.schema import Schema
from tf.types import Unknown
from tf.utils import Diagnostics

from smschannel.errors import RegistryNotFound, SmschannelError
from smschannel.model.base import AttributeSpec, ResourceModel, attribute_specs, check, derive, secret_fields
from smschannel.model.secrets import SecretRef, fingerprint
from smschannel.scopes import has_scope, missing_scope_message
from smschannel.terraform.context import ProviderContext
from smschannel.terraform.hooks import Hooks, PlanChange
from smschannel.terraform.schema import tf_schema


def is_unknown(value: Any) -> bool:
    if value is Unknown:
        return True
    if isinstance(value, list):
        return any(is_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(is_unknown(v) for v in value.values())
    return False


class ModelResource(Resource):  # type: ignore[misc]
    model: ClassVar[type[ResourceModel]]
    hooks: ClassVar[Hooks]

    def __init__(self, provider: Any) -> None:
        self.provider = provider

    @property
    def ctx(self) -> ProviderContext:
        context: ProviderContext = self.provider.context
        return context

    @classmethod
    def get_name(cls) -> str:
        return cls.model.stem()

    @classmethod
    def get_schema(cls) -> Schema:
        return tf_schema(cls.model)

    @classmethod
    def specs(cls) -> tuple[AttributeSpec, ...]:
        return attribute_specs(cls.model)

    # ------------------------------------------------------------------ validate
    def validate(self, diags: Diagnostics, type_name: str, config: dict[str, Any]) -> None:
        inputs = {s.name: config.get(s.name) for s in self.specs() if s.is_input}
        where = self.model.address(inputs)
        for problem in check(self.model, inputs, is_unknown=is_unknown):
            diags.add_error(f"Invalid {problem.attribute}", problem.line(where), path=problem.attribute.split("."))

    # ------------------------------------------------------------------ plan
    def plan_change(
        self, diags: Diagnostics, prior: dict[str, Any] | None, config: dict[str, Any] | None
    ) -> tuple[dict[str, Any] | None, list[str]]:
        """The planned state and the attributes that force replacement."""
        if config is None:  # destroy
            assert prior is not None
            self._require_scope(diags, "delete", prior)
            return None, []
        planned: dict[str, Any] = {}
        for spec in self.specs():
            if spec.is_input:
                value = config.get(spec.name)
                planned[spec.name] = spec.default if value is None else value
        self._plan_fingerprints(diags, planned)
        planned.update(derive(self.model, planned, is_unknown=is_unknown))
        changed = prior is None or any(
            _differs(prior.get(s.name), planned.get(s.name))
            for s in self.specs() if s.is_input or s.role == "fingerprint" or s.name in self.model.derived
        )
        for spec in self.specs():
            if spec.name in self.model.derived and spec.name not in planned:
                planned[spec.name] = Unknown  # some input is not known yet
            if spec.computed and spec.role != "fingerprint" and spec.name not in self.model.derived:
                keep = prior is not None and not (spec.volatile and changed)
                planned[spec.name] = prior.get(spec.name) if keep and prior is not None else Unknown
        replace = [] if prior is None else [
            s.name for s in self.specs() if s.replace and _differs(prior.get(s.name), planned.get(s.name))
        ]
        if changed:
            self._require_scope(diags, "write", planned)
            if not diags.has_errors():
                self.hooks.plan(PlanChange(self.ctx, self.model, diags, prior, planned))
        return planned, replace

    def _plan_fingerprints(self, diags: Diagnostics, planned: dict[str, Any]) -> None:
        where = self.model.address(planned)
        for field in secret_fields(self.model):
            ref = SecretRef.of(planned, field)
            if any(is_unknown(v) for v in (ref.value, ref.env, ref.file)):
                planned[f"{field}_fingerprint"] = Unknown
                continue
            secret, why = ref.read()
            if secret is None:
                self._unreadable(diags, where, field, ref, why)
                planned[f"{field}_fingerprint"] = None if not ref.given else Unknown
                continue
            try:
                planned[f"{field}_fingerprint"] = fingerprint(self.ctx.fingerprint_key(), secret)
            except SmschannelError as exc:
                diags.add_error("Cannot reach the smschannel registry", f"{where}: {exc}")
                planned[f"{field}_fingerprint"] = Unknown

    @staticmethod
    def _unreadable(diags: Diagnostics, where: str, field: str, ref: SecretRef, why: str | None) -> None:
        if why is None:
            return
        attribute, source = (f"{field}_env", ref.env) if ref.env is not None else (f"{field}_file", ref.file)
        summary = f"Unset environment variable {source}" if ref.env is not None else f"Unreadable file {source}"
        diags.add_error(summary, f"{where}: {attribute} {why}", path=[attribute])

    def _require_scope(self, diags: Diagnostics, action: Literal["write", "delete"], values: Mapping[str, Any]) -> None:
        scope = self.model.scope_for(action)
        try:
            grants = self.ctx.grants()
        except SmschannelError as exc:
            diags.add_error("Cannot check the token's scopes", f"{self.model.address(values)}: {exc}")
            return
        sandbox = self.ctx.settings.sandbox
        if not has_scope(grants, sandbox, scope):
            diags.add_error(
                f"Missing permission {scope}",
                f"{self.model.address(values)}: {missing_scope_message(scope, sandbox)}, so this change "
                "cannot be applied with it",
            )

    # ------------------------------------------------------------------ CRUD
    def _secrets(self, diags: Diagnostics, values: Mapping[str, Any]) -> dict[str, str] | None:
        """The secrets to send to the registry, read now (apply) from their value, variable or file."""
        secrets: dict[str, str] = {}
        for field in secret_fields(self.model):
            ref = SecretRef.of(values, field)
            secret, why = ref.read()
            if why is not None:
                self._unreadable(diags, self.model.address(values), field, ref, why)
                return None
            if secret is not None:
                secrets[field] = secret
        return secrets

    def _body(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {s.name: values.get(s.name) for s in self.specs() if s.is_input and s.role != "secret_value"}

    def _state(self, obj: Mapping[str, Any], current: Mapping[str, Any] | None) -> dict[str, Any]:
        state = {s.name: obj.get(s.name) for s in self.specs() if s.role != "secret_value"}
        for field in secret_fields(self.model):  # the registry never returns a secret
            state[field] = current.get(field) if current else None
        return state

    def create(self, ctx: CreateContext, planned: dict[str, Any]) -> dict[str, Any] | None:
        secrets = self._secrets(ctx.diagnostics, planned)
        if secrets is None:
            return None
        try:
            obj = self.ctx.registry.create(self.model.stem(), self._body(planned), secrets)
        except SmschannelError as exc:
            ctx.diagnostics.add_error(f"Cannot create {self.model.title}", str(exc))
            return None
        self.ctx.remember(self.model.stem(), obj)
        self.hooks.applied(self.ctx, self.model, ctx.diagnostics, obj)
        return self._state(obj, planned)

    def read(self, ctx: ReadContext, current: dict[str, Any]) -> dict[str, Any] | None:
        try:
            obj = self.ctx.lookup(self.model.stem(), current.get("id") or "")
        except SmschannelError as exc:
            ctx.diagnostics.add_error(f"Cannot read {self.model.title}", f"{self.model.address(current)}: {exc}")
            return current
        return None if obj is None else self._state(obj, current)

    def update(self, ctx: UpdateContext, current: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any] | None:
        secrets = self._secrets(ctx.diagnostics, planned)
        if secrets is None:
            return None
        rotated = {f: secrets[f] for f in secrets
                   if current.get(f"{f}_fingerprint") != planned.get(f"{f}_fingerprint")}
        cleared = [f for f in secret_fields(self.model) if f not in secrets and current.get(f"{f}_fingerprint")]
        try:
            obj = self.ctx.registry.update(self.model.stem(), current["id"], self._body(planned), rotated,
                                           cleared=cleared)
        except SmschannelError as exc:
            ctx.diagnostics.add_error(f"Cannot update {self.model.title}", str(exc))
            return None
        self.ctx.remember(self.model.stem(), obj)
        self.hooks.applied(self.ctx, self.model, ctx.diagnostics, obj)
        return self._state(obj, planned)

    def delete(self, ctx: DeleteContext, current: dict[str, Any]) -> None:
        try:
            note = self.ctx.registry.delete(self.model.stem(), current["id"])
            if note:
                ctx.diagnostics.add_warning(f"Deleted {self.model.title}", f"{self.model.address(current)}: {note}")
        except RegistryNotFound:
            pass  # already gone: that is what was asked
        except SmschannelError as exc:
            ctx.diagnostics.add_error(f"Cannot delete {self.model.title}", f"{self.model.address(current)}: {exc}")
            return
        self.ctx.remember(self.model.stem(), None, current["id"])

    def import_(self, ctx: ImportContext, id: str) -> dict[str, Any] | None:
        try:
            obj = self.ctx.registry.get(self.model.stem(), id)
        except SmschannelError as exc:
            ctx.diagnostics.add_error(
                f"Cannot import {self.model.title}",
                f"{self.model.type_name}: {exc}. The import ID is the object's id in the registry.",
            )
            return None
        return self._state(obj, None)

    def upgrade(self, ctx: UpgradeContext, version: int, old: dict[str, Any]) -> dict[str, Any] | None:
        return old  # schema version 0 is the only one so far


def _differs(a: Any, b: Any) -> bool:
    if a is Unknown or b is Unknown:
        return True
    return bool(a != b)


def resource_class(model: type[ResourceModel], hooks: Hooks) -> type[ModelResource]:
    name = "".join(part.title() for part in model.stem().split("_")) + "Resource"
    return type(name, (ModelResource,), {"model": model, "hooks": hooks})


__all__ = ["ModelResource", "is_unknown", "resource_class"]
