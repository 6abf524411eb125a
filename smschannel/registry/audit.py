"""The audit trail: every change to the registry, who made it (the token's name), what it was (before
and after, as the API shows objects: secrets only as fingerprints), when, and from which run and change
reference (the provider sends them as `X-Smschannel-Run-Id` and `X-Smschannel-Change-Ref`). Consent
changes made by inbound messages are in the same trail, made by `inbound:<webhook name>`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smschannel.change_ref import CHANGE_REF_HEADER, RUN_ID_HEADER
from smschannel.registry import storage


@dataclass(frozen=True)
class Author:
    """Who makes a change, and from which run and change reference."""

    actor: str
    run_id: str | None = None
    change_ref: str | None = None

    @classmethod
    def from_headers(cls, actor: str, headers: Mapping[str, str]) -> Author:
        run = headers.get(RUN_ID_HEADER.lower(), "").strip()[:200] or None
        ref = headers.get(CHANGE_REF_HEADER.lower(), "").strip()[:500] or None
        return cls(actor, run, ref)


def record(session: Session, author: Author, *, sandbox: str, action: str, object_type: str, object_id: str,
           before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
    """Add one entry to the trail, in the caller's transaction (it commits with the change)."""
    session.add(storage.AuditRow(
        sandbox=sandbox, actor=author.actor[:200], action=action, object_type=object_type, object_id=object_id[:200],
        before=dict(before) if before is not None else None, after=dict(after) if after is not None else None,
        run_id=author.run_id, change_ref=author.change_ref))


def entries(session: Session, sandbox: str, *, object_id: str | None = None, after_id: int = 0,
            limit: int = 100) -> list[dict[str, Any]]:
    """The trail of a sandbox (with the objects every sandbox shares), oldest first, after `after_id`."""
    query = select(storage.AuditRow).where(storage.AuditRow.sandbox.in_((sandbox, "*")),
                                           storage.AuditRow.id > after_id)
    if object_id:
        query = query.where(storage.AuditRow.object_id == object_id)
    rows = session.scalars(query.order_by(storage.AuditRow.id).limit(limit)).all()
    return [{"id": r.id, "at": (storage.aware(r.at) or r.at).isoformat(), "actor": r.actor, "action": r.action,
             "object_type": r.object_type, "object_id": r.object_id, "sandbox": r.sandbox, "before": r.before,
             "after": r.after, "run_id": r.run_id, "change_ref": r.change_ref} for r in rows]


__all__ = ["CHANGE_REF_HEADER", "RUN_ID_HEADER", "Author", "entries", "record"]
