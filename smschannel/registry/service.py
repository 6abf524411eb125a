"""What the registry does with objects: validate, fingerprint secrets, let the kind's handler check and
talk to vendors, store. Routes only translate HTTP to these calls; `Refused` becomes a 4xx."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from smschannel.model import BY_STEM, CredentialsModel, ResourceModel
from smschannel.model.base import attribute_specs, check, derive, fold, inherited, secret_fields
from smschannel.providers import Credentials
from smschannel.registry import storage
from smschannel.registry.bodies import oversized
from smschannel.registry.crypto import SecretBox
from smschannel.registry.kinds import Refused, handler_for
from smschannel.registry.kinds.base import Context
from smschannel.registry.metrics import Metrics
from smschannel.registry.settings import RegistrySettings

SHARED = "*"
"""The sandbox column of objects shared by every sandbox (subdomains)."""


def public(row: storage.ObjectRow) -> dict[str, Any]:
    """The API shape of an object: its attributes, never a secret, never the registry's own notes. The ID of
    an object a sandbox holds one of (its settings) is the sandbox's name."""
    model = BY_STEM.get(row.kind)
    identity = row.sandbox if model is not None and model.per_sandbox else row.id
    return {"id": identity, **row.attributes, "created_at": row.created_at.isoformat(),
            "updated_at": row.updated_at.isoformat()}


def where_stored(model: type[ResourceModel], sandbox: str) -> str:
    return SHARED if model.shared else sandbox


def _nothing() -> None:
    return None


@dataclass
class Services:
    settings: RegistrySettings
    db: storage.Database
    box: SecretBox
    metrics: Metrics = dataclasses.field(default_factory=Metrics)
    reply_queued: Callable[[], None] = _nothing
    """Called when a reply was committed to the outbox: the sender looks at once."""

    @classmethod
    def start(cls, settings: RegistrySettings) -> Services:
        return cls(settings, storage.Database(settings.database_url), SecretBox.from_file(settings.key_file))

    def peek(self, session: Session, sandbox: str, model: type[ResourceModel], object_id: str) -> dict[str, Any] | None:
        """An object as the API shows it, without refreshing it (None when there is none)."""
        row = storage.get_object(session, where_stored(model, sandbox), model.stem(), object_id)
        return public(row) if row is not None else None

    def credentials(self, row: storage.ObjectRow) -> Credentials | None:
        """Stored credentials with their secrets, as their SMS provider takes them (None: not credentials)."""
        model = BY_STEM.get(row.kind)
        if model is None or not issubclass(model, CredentialsModel):
            return None
        return Credentials(model, dict(row.attributes), self.box.open(row.sealed), self.settings.vendors)

    def context(self, session: Session, sandbox: str, model: type[ResourceModel]) -> Context:
        return Context(self, session, where_stored(model, sandbox), model)

    # ------------------------------------------------------------------ validation
    def _validate(self, model: type[ResourceModel], values: Mapping[str, Any], secrets: Mapping[str, str]) -> None:
        probe = dict(values)
        for field in secret_fields(model):
            # The provider sends the value it resolved; `X_env` only records where it came from.
            given_elsewhere = values.get(f"{field}_env") or values.get(f"{field}_file")
            probe[field] = None if given_elsewhere else secrets.get(field)
        problems = check(model, probe)
        if problems:
            where = model.address(values.get("name") or values.get("fqdn") or model.stem())
            raise Refused(422, "\n".join(p.line(where) for p in problems))
        model.model_validate(fold(model, probe))

    @staticmethod
    def _inputs(model: type[ResourceModel], body: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(body, Mapping):
            raise Refused(422, f"{model.type_name}: the request body must be a JSON object of attributes")
        too_big = oversized(body)
        if too_big:
            raise Refused(422, f"{model.address(body.get('name') or body.get('fqdn'))}: {too_big}")
        specs = {s.name: s for s in attribute_specs(model)}
        unknown = sorted(k for k in body if k not in specs and k not in ("secrets", "cleared_secrets"))
        if unknown:
            raise Refused(422, f"{model.type_name}: unknown attributes {', '.join(unknown)}")
        return {k: v for k, v in body.items() if k in specs and specs[k].is_input and specs[k].role != "secret_value"}

    def _secrets(self, model: type[ResourceModel], body: Mapping[str, Any]) -> dict[str, str]:
        if not isinstance(body, Mapping):
            raise Refused(422, f"{model.type_name}: the request body must be a JSON object of attributes")
        given = body.get("secrets") or {}
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise Refused(422, "secrets must be an object of text values")
        known = set(secret_fields(model))
        unknown = sorted(set(given) - known)
        if unknown:
            raise Refused(422, f"{model.type_name}: {unknown[0]} is not a secret of this type")
        return {k: v for k, v in given.items() if v}

    @staticmethod
    def _require_secret_values(model: type[ResourceModel], values: Mapping[str, Any],
                               secrets: Mapping[str, str]) -> None:
        """A required secret, or one named by `X_env` / `X_file`, must come with its value (the provider
        sends the value it read)."""
        for spec in attribute_specs(model):
            if spec.role != "secret_value" or spec.field in secrets:
                continue
            named = values.get(f"{spec.field}_env") or values.get(f"{spec.field}_file")
            if spec.secret_required or named:
                raise Refused(422, f"{model.address(values.get('name'))}: {spec.field}: the secret's value is "
                                   "required (the provider sends the value it read from the environment)")

    def _attributes(self, ctx: Context, values: dict[str, Any], secrets: Mapping[str, str]) -> dict[str, Any]:
        model = ctx.model
        attributes = dict(values)
        for field in secret_fields(model):
            attributes[f"{field}_fingerprint"] = self.box.fingerprint(secrets[field]) if field in secrets else None
        attributes.update(derive(model, values))
        attributes.update(self._inherited(ctx, values))
        return attributes

    # ------------------------------------------------------------------ commands
    def list(self, session: Session, sandbox: str, model: type[ResourceModel]) -> list[dict[str, Any]]:
        ctx = self.context(session, sandbox, model)
        handler = handler_for(model)
        rows = handler.listed(ctx, list(storage.list_objects(session, ctx.sandbox, model.stem())))
        memo: dict[str, Mapping[str, Any]] = {}
        for row in rows:
            handler.refresh(ctx, row)
            self._follow(ctx, row, memo)
        return [public(row) for row in rows]

    def get(self, session: Session, sandbox: str, model: type[ResourceModel], object_id: str) -> dict[str, Any]:
        ctx = self.context(session, sandbox, model)
        row = self.get_row(ctx, object_id)
        handler_for(model).refresh(ctx, row)
        self._follow(ctx, row)
        return public(row)

    def create(
        self, session: Session, sandbox: str, model: type[ResourceModel], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        ctx = self.context(session, sandbox, model)
        secrets = self._secrets(model, body)
        values = {s.name: s.default for s in attribute_specs(model) if s.is_input and s.role == "plain"}
        values.update(self._inputs(model, body))
        self._validate(model, values, secrets)
        self._require_secret_values(model, values, secrets)
        name = self._name(model, {**values, **derive(model, values)}, ctx.sandbox)
        existing = None if model.shared else storage.find_by_name(session, ctx.sandbox, model.stem(), name)
        if existing is not None:  # shared kinds check their own unique key (a subdomain's FQDN)
            raise Refused(409, handler_for(model).taken(ctx, existing))
        saved = handler_for(model).prepare(ctx, self._attributes(ctx, values, secrets), secrets, None)
        row = storage.ObjectRow(id=storage.new_id(model.id_prefix), sandbox=ctx.sandbox, kind=model.stem(),
                                name=name, attributes=saved.attributes, lookup=saved.lookup,
                                internal=saved.internal, sealed=self.box.seal(secrets) if secrets else None)
        session.add(row)
        session.flush()
        return public(row)

    def update(self, session: Session, sandbox: str, model: type[ResourceModel], object_id: str,
               body: Mapping[str, Any]) -> dict[str, Any]:
        ctx = self.context(session, sandbox, model)
        row = self.get_row(ctx, object_id)
        listed = body.get("cleared_secrets") if isinstance(body, Mapping) else None
        if listed is not None and (not isinstance(listed, list) or not all(isinstance(n, str) for n in listed)):
            raise Refused(422, f"{model.type_name}: cleared_secrets must be a list of secret attribute names")
        cleared = set(listed or ())
        secrets = {k: v for k, v in self.box.open(row.sealed).items() if k not in cleared}
        secrets.update(self._secrets(model, body))
        inputs = {s.name: row.attributes.get(s.name) for s in attribute_specs(model)
                  if s.is_input and s.role != "secret_value"}
        inputs.update(self._inputs(model, body))
        self._validate(model, inputs, secrets)
        self._require_secret_values(model, inputs, secrets)
        name = self._name(model, {**inputs, **derive(model, inputs)}, ctx.sandbox)
        if name != row.name and not model.shared:
            clash = storage.find_by_name(session, ctx.sandbox, model.stem(), name)
            if clash is not None:
                raise Refused(409, f'{model.address(name)}: the name is already taken by {clash.id} in sandbox '
                                   f"{sandbox}")
        saved = handler_for(model).prepare(ctx, self._attributes(ctx, inputs, secrets), secrets, row)
        row.attributes, row.lookup, row.internal = saved.attributes, saved.lookup, saved.internal
        row.name = name
        row.sealed = self.box.seal(secrets) if secrets else None
        row.updated_at = storage.utcnow()
        session.add(row)  # a stand-in (settings still at their defaults) is stored on its first write
        session.flush()
        return public(row)

    def delete(self, session: Session, sandbox: str, model: type[ResourceModel], object_id: str) -> str:
        """Delete one object; return what was undone at the vendor, if anything."""
        ctx = self.context(session, sandbox, model)
        row = self.get_row(ctx, object_id)
        handler_for(model).deleting(ctx, row)
        if inspect(row).persistent:  # a stand-in has nothing stored to delete
            session.delete(row)
        return ctx.note

    def get_row(self, ctx: Context, object_id: str) -> storage.ObjectRow:
        row = handler_for(ctx.model).find(ctx, object_id)
        if row is None:
            where = "" if ctx.model.shared else f" in sandbox {ctx.sandbox}"
            hint = " (their id is the sandbox's name)" if ctx.model.per_sandbox else ""
            raise Refused(404, f"no {ctx.model.title} with id {object_id}{where}{hint}")
        return row

    def _inherited(self, ctx: Context, values: Mapping[str, Any],
                   memo: dict[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
        """The computed attributes that follow the sandbox's settings, from storage (the defaults while the
        settings are undeclared). `memo` keeps the settings read for a whole list."""
        if not ctx.model.inherits:
            return {}
        memo = {} if memo is None else memo

        def settings(stem: str) -> Mapping[str, Any]:
            if stem not in memo:
                kind = BY_STEM[stem]
                row = handler_for(kind).find(self.context(ctx.session, ctx.sandbox, kind), ctx.sandbox)
                memo[stem] = row.attributes if row is not None else {}
            return memo[stem]

        return inherited(ctx.model, values, settings)

    def _follow(self, ctx: Context, row: storage.ObjectRow, memo: dict[str, Mapping[str, Any]] | None = None) -> None:
        """Bring the attributes that follow the sandbox's settings up to date when an object is read."""
        fresh = self._inherited(ctx, row.attributes, memo)
        if any(row.attributes.get(k) != v for k, v in fresh.items()):
            row.attributes = {**row.attributes, **fresh}

    @staticmethod
    def _name(model: type[ResourceModel], values: Mapping[str, Any], sandbox: str) -> str:
        if model.per_sandbox:
            return sandbox
        return str(values.get("name") or values.get("fqdn") or "")


__all__ = ["SHARED", "Refused", "Services", "public"]
