"""The handler interface and what handlers share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from smschannel.errors import Problem
from smschannel.model import CredentialsModel, ResourceModel, credentials_for_id
from smschannel.providers import Credentials
from smschannel.registry import storage

if TYPE_CHECKING:
    from smschannel.registry.service import Services


class Refused(Exception):
    """A request the registry refuses, with the HTTP status and a message for a person."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)

    @classmethod
    def problem(cls, model: type[ResourceModel], values: object, problem: Problem, status: int = 422) -> Refused:
        """Refuse a broken rule, worded as the plan words it: `<address>: <attribute> ...`."""
        return cls(status, problem.line(model.address(values)))


def now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Context:
    services: Services
    session: Session
    sandbox: str
    model: type[ResourceModel]
    note: str = ""
    """What a delete did at the vendor, said back to the caller."""

    @property
    def where(self) -> str:
        return self.model.type_name

    def credentials(self, credentials_id: str) -> tuple[type[CredentialsModel], storage.ObjectRow] | None:
        """The credentials an ID names in this sandbox, with their type; None when there are none."""
        row = storage.find_any(self.session, self.sandbox, credentials_id)
        model = credentials_for_id(credentials_id)
        return (model, row) if model is not None and row is not None and row.kind == model.stem() else None

    def opened(self, model: type[CredentialsModel], row: storage.ObjectRow) -> Credentials:
        """Stored credentials with their secrets, as their SMS provider takes them."""
        return Credentials(model, row.attributes, self.services.box.open(row.sealed), self.services.settings.vendors)


@dataclass
class Saved:
    """What a handler adds to the inputs before they are stored."""

    attributes: dict[str, Any]
    lookup: str | None = None
    internal: dict[str, Any] = field(default_factory=dict)


class Handler:
    """The default: store the inputs as they are."""

    def prepare(
        self,
        ctx: Context,
        values: dict[str, Any],
        secrets: Mapping[str, str],
        previous: storage.ObjectRow | None,
    ) -> Saved:
        """Check what the model cannot check alone, talk to vendors, and return what to store."""
        return Saved(dict(values), previous.lookup if previous else None,
                     dict(previous.internal or {}) if previous else {})

    def deleting(self, ctx: Context, row: storage.ObjectRow) -> None:
        """Undo at vendors what `prepare` did, before the row goes."""

    def refresh(self, ctx: Context, row: storage.ObjectRow) -> None:
        """Bring computed values up to date when the object is read (e.g. a status that waits on DNS)."""

    def find(self, ctx: Context, object_id: str) -> storage.ObjectRow | None:
        """The object an ID names in the context's sandbox (a row not stored yet when the kind has a stand-in)."""
        return storage.get_object(ctx.session, ctx.sandbox, ctx.model.stem(), object_id)

    def listed(self, ctx: Context, rows: list[storage.ObjectRow]) -> list[storage.ObjectRow]:
        """What a list answers, from the stored rows."""
        return rows

    def taken(self, ctx: Context, existing: storage.ObjectRow) -> str:
        """Why a create is refused when an object of the same name exists."""
        return (f'{ctx.model.address(existing.name)}: the name is already taken by {existing.id} in sandbox '
                f"{ctx.sandbox}; import that one or choose another name")


__all__ = ["Context", "Handler", "Refused", "Saved", "now_text"]
