"""What the registry does with objects: validate, verify, store, activate. Routes only translate
HTTP to these calls; `Refused` becomes a 4xx with its message."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from smschannel.errors import VendorError
from smschannel.model import BY_STEM, RESOURCES, ConfigurationModel, CredentialsModel, ResourceModel
from smschannel.model.base import attribute_specs, check, fold, secret_fields
from smschannel.registry import storage
from smschannel.registry.crypto import SecretBox
from smschannel.registry.settings import RegistrySettings
from smschannel.vendor_checks import check_sender, verify_credentials

log = logging.getLogger("smschannel.registry")

CREDENTIAL_KINDS = {m.stem(): m for m in RESOURCES if issubclass(m, CredentialsModel)}


class Refused(Exception):
    """A request the registry refuses, with the HTTP status and a message for a person."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


def address(model: type[ResourceModel], name: object) -> str:
    return f'{model.type_name} "{name}"'


def public(row: storage.ObjectRow) -> dict[str, Any]:
    """The API shape of an object: its attributes, never a secret."""
    return {"id": row.id, **row.attributes, "created_at": row.created_at.isoformat(),
            "updated_at": row.updated_at.isoformat()}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Services:
    settings: RegistrySettings
    db: storage.Database
    box: SecretBox

    @classmethod
    def start(cls, settings: RegistrySettings) -> Services:
        return cls(settings, storage.Database(settings.database_url), SecretBox.from_file(settings.key_file))

    # ------------------------------------------------------------------ validation
    def _validate(self, model: type[ResourceModel], values: Mapping[str, Any], secrets: Mapping[str, str]) -> None:
        probe = dict(values)
        for field in secret_fields(model):
            # The provider sends the value it resolved; `X_env` only records where it came from.
            probe[field] = None if values.get(f"{field}_env") else secrets.get(field)
        problems = check(model, probe)
        if problems:
            where = address(model, values.get("name"))
            raise Refused(422, "\n".join(p.line(where) for p in problems))
        model.model_validate(fold(model, probe))

    @staticmethod
    def _inputs(model: type[ResourceModel], body: Mapping[str, Any]) -> dict[str, Any]:
        names = {s.name for s in attribute_specs(model) if s.is_input and s.role != "secret_value"}
        unknown = sorted(k for k in body if k not in names and k != "secrets" and k not in
                         {s.name for s in attribute_specs(model)})
        if unknown:
            raise Refused(422, f"{model.type_name}: unknown attributes {', '.join(unknown)}")
        return {k: v for k, v in body.items() if k in names}

    # ------------------------------------------------------------------ commands
    def create(
        self, session: Session, sandbox: str, model: type[ResourceModel], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        secrets = _secrets_of(body)
        values = {s.name: s.default for s in attribute_specs(model) if s.is_input and s.role == "plain"}
        values.update(self._inputs(model, body))
        self._validate(model, values, secrets)
        missing = [f for f in secret_fields(model) if not secrets.get(f)]
        if missing:
            raise Refused(422, f"{address(model, values['name'])}: {missing[0]}: the secret's value is "
                               "required (the provider sends the value it read from the environment)")
        existing = storage.find_by_name(session, sandbox, model.stem(), values["name"])
        if existing is not None:
            raise Refused(409, f"{model.title} named \"{values['name']}\" already exist in sandbox {sandbox} "
                               f"(id {existing.id}); import it or choose another name")
        row = storage.ObjectRow(id=storage.new_id(_prefix(model)), sandbox=sandbox, kind=model.stem(),
                                name=values["name"], attributes={}, sealed=None)
        attributes = self._apply(session, sandbox, model, values, secrets, previous=None)
        row.attributes = attributes
        row.sealed = self.box.seal(secrets) if secrets else None
        session.add(row)
        session.flush()
        return public(row)

    def update(self, session: Session, sandbox: str, model: type[ResourceModel], object_id: str,
               body: Mapping[str, Any]) -> dict[str, Any]:
        row = self.get_row(session, sandbox, model, object_id)
        secrets = {**self.box.open(row.sealed), **_secrets_of(body)}
        inputs = {s.name: row.attributes.get(s.name) for s in attribute_specs(model)
                  if s.is_input and s.role != "secret_value"}
        inputs.update(self._inputs(model, body))
        self._validate(model, inputs, secrets)
        name = str(inputs["name"])
        if name != row.name:
            clash = storage.find_by_name(session, sandbox, model.stem(), name)
            if clash is not None:
                raise Refused(409, f"{model.title} named \"{inputs['name']}\" already exist in sandbox {sandbox} "
                                   f"(id {clash.id})")
        row.attributes = self._apply(session, sandbox, model, inputs, secrets, previous=row.attributes)
        row.name = name
        row.sealed = self.box.seal(secrets) if secrets else None
        row.updated_at = storage.utcnow()
        session.flush()
        return public(row)

    def delete(self, session: Session, sandbox: str, model: type[ResourceModel], object_id: str) -> None:
        row = self.get_row(session, sandbox, model, object_id)
        if issubclass(model, CredentialsModel):
            for config in storage.list_objects(session, sandbox, ConfigurationModel.stem()):
                if config.attributes.get("credentials_id") == row.id:
                    config.attributes = {**config.attributes, "status": "deactivated",
                                         "status_reason": f"its credentials {row.id} were deleted"}
        session.delete(row)

    def get_row(self, session: Session, sandbox: str, model: type[ResourceModel], object_id: str) -> storage.ObjectRow:
        row = storage.get_object(session, sandbox, model.stem(), object_id)
        if row is None:
            raise Refused(404, f"no {model.title} with id {object_id} in sandbox {sandbox}")
        return row

    # ------------------------------------------------------------------ what each kind adds
    def _apply(self, session: Session, sandbox: str, model: type[ResourceModel], values: dict[str, Any],
               secrets: Mapping[str, str], previous: Mapping[str, Any] | None) -> dict[str, Any]:
        attributes = dict(values)
        for field in secret_fields(model):
            attributes[f"{field}_fingerprint"] = self.box.fingerprint(secrets[field])
        if issubclass(model, CredentialsModel):
            changed = previous is None or any(
                attributes.get(k) != previous.get(k)
                for k in (*model.verified_fields, *(f"{f}_fingerprint" for f in secret_fields(model)))
            )
            if changed:
                self._verify(model, attributes, secrets)
                attributes["verified_at"] = _now()
            else:
                attributes["verified_at"] = previous.get("verified_at") if previous else None
        if model is ConfigurationModel:
            attributes.update(self._activate(session, sandbox, attributes))
        return attributes

    def _verify(self, model: type[CredentialsModel], attributes: Mapping[str, Any], secrets: Mapping[str, str]) -> None:
        try:
            verify_credentials(model.vendor, attributes, secrets, self.settings.vendors)
        except VendorError as exc:
            raise Refused(422, f"{address(model, attributes['name'])}: verify connection failed: {exc}") from exc

    def _activate(self, session: Session, sandbox: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
        """Check the credentials can carry the channel, then ask the vendor about the sender."""
        where = address(ConfigurationModel, attributes["name"])
        cred = storage.find_any(session, sandbox, attributes["credentials_id"])
        cred_model = CREDENTIAL_KINDS.get(cred.kind) if cred is not None else None
        if cred is None or cred_model is None:
            raise Refused(422, f"{where}: credentials_id: no credentials with id {attributes['credentials_id']} "
                               f"in sandbox {sandbox}")
        channel = attributes["channel"]
        if channel not in cred_model.channels:
            raise Refused(422, f"{where}: credentials_id: {cred_model.title} cannot carry the {channel} channel "
                               f"({_carriers(channel)})")
        try:
            reason = check_sender(cred_model.vendor, cred.attributes, self.box.open(cred.sealed),
                                  attributes["sender_number"], self.settings.vendors)
        except VendorError as exc:
            reason = f"{cred_model.vendor} check failed: {exc}"
        if reason:
            return {"status": "failed", "status_reason": reason}
        return {"status": "active", "status_reason": ""}


def _carriers(channel: str) -> str:
    names = sorted(m.title for m in CREDENTIAL_KINDS.values() if channel in m.channels)
    return f"{channel.upper()} needs " + (" or ".join(names) if names else "credentials that smschannel "
                                           "does not support yet")


def _secrets_of(body: Mapping[str, Any]) -> dict[str, str]:
    secrets = body.get("secrets") or {}
    if not isinstance(secrets, dict) or not all(isinstance(v, str) for v in secrets.values()):
        raise Refused(422, "secrets must be an object of text values")
    return {k: v for k, v in secrets.items() if v}


def _prefix(model: type[ResourceModel]) -> str:
    return "".join(part[:3] for part in model.stem().split("_"))


def model_for(stem: str) -> type[ResourceModel]:
    return BY_STEM[stem]


__all__ = ["Refused", "Services", "address", "public"]
