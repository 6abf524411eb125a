"""Token lifecycle: list, revoke (by ID or name), optional expiry (`storage.create_token`). Revoked and
expired tokens are refused by `storage.find_token`. Creating and revoking tokens is audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smschannel.errors import SmschannelError
from smschannel.registry import audit, storage


def status(row: storage.TokenRow) -> str:
    if row.revoked_at is not None:
        return "revoked"
    expires = storage.aware(row.expires_at)
    return "expired" if expires is not None and expires <= storage.utcnow() else "active"


def _public(row: storage.TokenRow) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        aware = storage.aware(value)
        return aware.isoformat() if aware is not None else None

    return {"id": row.id, "name": row.name, "grants": dict(row.grants), "status": status(row),
            "created_at": iso(row.created_at), "expires_at": iso(row.expires_at), "revoked_at": iso(row.revoked_at)}


def create(session: Session, name: str, grants: Mapping[str, Sequence[str]], *, expires_at: datetime | None,
           author: audit.Author) -> str:
    """Make a token (audited) and return it: the only time it is seen."""
    token = storage.create_token(session, name, grants, expires_at=expires_at)
    session.flush()
    row = storage.find_token(session, token)
    assert row is not None
    audit.record(session, author, sandbox="*", action="create", object_type="token", object_id=row.id,
                 before=None, after=_public(row))
    return token


def listed(session: Session) -> list[dict[str, Any]]:
    return [_public(r) for r in session.scalars(select(storage.TokenRow).order_by(storage.TokenRow.created_at))]


def revoke(session: Session, which: str, *, author: audit.Author) -> dict[str, Any]:
    """Revoke the token with this ID, or the one token with this name."""
    rows = session.scalars(select(storage.TokenRow).where(
        (storage.TokenRow.id == which) | (storage.TokenRow.name == which))).all()
    if not rows:
        raise SmschannelError(f"no token with the ID or name {which!r}: `smschannel token list` shows them")
    if len(rows) > 1:
        ids = ", ".join(r.id for r in rows)
        raise SmschannelError(f"{len(rows)} tokens are named {which!r} ({ids}): revoke one by its ID")
    row = rows[0]
    before = _public(row)
    if row.revoked_at is None:
        row.revoked_at = storage.utcnow()
    after = _public(row)
    audit.record(session, author, sandbox="*", action="revoke", object_type="token", object_id=row.id,
                 before=before, after=after)
    return after


__all__ = ["create", "listed", "revoke", "status"]
