"""The registry's tables (SQLAlchemy) and the few queries it runs. ORM rows never leave this module's
callers in the registry: routes turn them into plain dicts."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, LargeBinary, String, UniqueConstraint, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ObjectRow(Base):
    """One object of any resource type: its attributes as JSON, its secrets sealed."""

    __tablename__ = "objects"
    __table_args__ = (UniqueConstraint("sandbox", "kind", "name", name="one_name_per_kind"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    sandbox: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class TokenRow(Base):
    """An API token: only its SHA-256 is stored, with the scopes it grants per sandbox."""

    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    grants: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Database:
    """An engine and a session factory; `create_all` on start (the schema is small and additive)."""

    def __init__(self, url: str) -> None:
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, grants: Mapping[str, Sequence[str]]) -> str:
    """Store a new token and return it (the only time it is seen)."""
    token = "smc_" + secrets.token_urlsafe(32)
    session.add(TokenRow(id=new_id("tok"), name=name, token_hash=hash_token(token),
                         grants={k: list(v) for k, v in grants.items()}))
    return token


def find_token(session: Session, token: str) -> TokenRow | None:
    return session.scalar(select(TokenRow).where(TokenRow.token_hash == hash_token(token)))


def list_objects(session: Session, sandbox: str, kind: str) -> Sequence[ObjectRow]:
    return session.scalars(
        select(ObjectRow).where(ObjectRow.sandbox == sandbox, ObjectRow.kind == kind).order_by(ObjectRow.created_at)
    ).all()


def get_object(session: Session, sandbox: str, kind: str, object_id: str) -> ObjectRow | None:
    row = session.get(ObjectRow, object_id)
    if row is None or row.sandbox != sandbox or row.kind != kind:
        return None
    return row


def find_by_name(session: Session, sandbox: str, kind: str, name: str) -> ObjectRow | None:
    return session.scalar(
        select(ObjectRow).where(ObjectRow.sandbox == sandbox, ObjectRow.kind == kind, ObjectRow.name == name)
    )


def find_any(session: Session, sandbox: str, object_id: str) -> ObjectRow | None:
    row = session.get(ObjectRow, object_id)
    return row if row is not None and row.sandbox == sandbox else None


__all__ = [
    "Database",
    "ObjectRow",
    "TokenRow",
    "create_token",
    "find_any",
    "find_by_name",
    "find_token",
    "get_object",
    "hash_token",
    "list_objects",
    "new_id",
    "utcnow",
]
