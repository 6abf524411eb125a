"""The handler interface and what handlers share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from smschannel.model import ResourceModel

if TYPE_CHECKING:
    from smschannel.registry import storage
    from smschannel.registry.service import Services


class Refused(Exception):
    """A request the registry refuses, with the HTTP status and a message for a person."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


def address(model: type[ResourceModel], name: object) -> str:
    return f'{model.type_name} "{name}"'


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


__all__ = ["Context", "Handler", "Refused", "Saved", "address", "now_text"]
