"""The registry's tables (SQLAlchemy) and the few queries it runs. ORM rows never leave this module's
callers in the registry: routes turn them into plain dicts."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Double,
    Engine,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool

from smschannel.registry import migrations


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
    lookup: Mapped[str | None] = mapped_column(String(300), unique=True, nullable=True)
    """A unique key some kinds need: a webhook's URL token, a subdomain's FQDN."""
    internal: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What the registry keeps for itself and never returns (e.g. the vendor setting a webhook replaced)."""
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
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """After this time the token is refused (None: it does not expire)."""
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ConversationRow(Base):
    """Where one profile stands with one sender number in a sandbox: consent and any pending question."""

    __tablename__ = "conversations"

    sandbox: Mapped[str] = mapped_column(String(64), primary_key=True)
    sender_number: Mapped[str] = mapped_column(String(32), primary_key=True)
    profile_number: Mapped[str] = mapped_column(String(32), primary_key=True)
    consent: Mapped[str | None] = mapped_column(String(16), nullable=True)
    consent_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    consent_request_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    pending_kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    pending_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class InboundEventRow(Base):
    """One inbound message and the decision taken on it. One row per vendor request ID and webhook:
    a retried callback finds its row and changes nothing."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("webhook_id", "request_id", name="one_decision_per_request"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    webhook_id: Mapped[str] = mapped_column(String(40), index=True)
    sandbox: Mapped[str] = mapped_column(String(64))
    sender_number: Mapped[str] = mapped_column(String(32))
    profile_number: Mapped[str] = mapped_column(String(32), index=True)
    request_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(32))
    keyword: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    reply_status: Mapped[str] = mapped_column(String(300), default="none")
    consent: Mapped[str | None] = mapped_column(String(16), nullable=True)
    """The consent change this message made (opted_in / opted_out), if any."""
    fuzzy_score: Mapped[float | None] = mapped_column(Double, nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeliveryRow(Base):
    """One delivery status a vendor reported for a sent message, by client reference."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "request_id", "recipient", "status_code", name="one_report"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    webhook_id: Mapped[str] = mapped_column(String(40), index=True)
    sandbox: Mapped[str] = mapped_column(String(64))
    client_reference: Mapped[str | None] = mapped_column(String(200), index=True, nullable=True)
    status: Mapped[str] = mapped_column(String(32))
    status_code: Mapped[str] = mapped_column(String(100), default="")
    error_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    recipient: Mapped[str] = mapped_column(String(32), default="")
    request_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """A reply to send, committed with the decision that asked for it (the outbox). The sender claims
    due rows, sends them through the webhook's vendor and records the result; `reference` is the
    client reference (or idempotency key) the vendor gets, so a send whose result was lost can be
    looked up instead of repeated where the vendor allows it."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("reference", name="one_reply_per_reference"),
        Index("outbox_by_conversation", "sandbox", "sender_number", "profile_number", "status", "id"),
        Index("outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(Integer, unique=True)
    sandbox: Mapped[str] = mapped_column(String(64))
    webhook_id: Mapped[str] = mapped_column(String(40))
    credentials_id: Mapped[str] = mapped_column(String(40))
    sender_number: Mapped[str] = mapped_column(String(32))
    profile_number: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    media: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    """The URLs of the images sent with the text (an MMS), from the matched keyword category; None: text only."""
    reference: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    """pending, sending, sent, failed or expired."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    in_doubt: Mapped[int] = mapped_column(Integer, default=0)
    """How many times a send of this reply may have reached the vendor without its answer recorded."""
    resent_in_doubt: Mapped[int] = mapped_column(Integer, default=0)
    """How many of those were sent again because the vendor has no way to look the first one up."""
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    vendor_message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)


class InstanceRow(Base):
    """A running registry process; its sender beats here. Rows claimed by a process whose beat stopped
    (killed, or its machine gone) are taken over by the others."""

    __tablename__ = "instances"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AuditRow(Base):
    """One change to the registry: who (the token's name), what (before and after, secrets only as
    fingerprints), when, and from which run and change reference."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sandbox: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    change_ref: Mapped[str | None] = mapped_column(String(500), nullable=True)


def aware(when: datetime | None) -> datetime | None:
    """SQLite gives times back without their zone; every time smschannel stores is UTC."""
    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


class Database:
    """An engine and a session factory. On start the schema is brought to the newest migration
    (`migrations.upgrade`: a database from before migrations is stamped at the baseline first)."""

    def __init__(self, url: str) -> None:
        self.url = url
        kwargs: dict[str, Any] = {}
        sqlite = url.startswith("sqlite")
        if sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=10, pool_recycle=1800)
            if url.startswith("postgresql"):
                kwargs["connect_args"] = {"connect_timeout": 5}
        migrating = create_engine(url, poolclass=NullPool, connect_args=kwargs.get("connect_args", {}))
        try:
            migrations.upgrade(migrating)
        finally:
            migrating.dispose()
        self.engine: Engine = create_engine(url, **kwargs)
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # Every transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE): a transaction
            # that read first and wrote later would otherwise fail at once ("database is locked") when
            # another connection wrote in between, whatever the busy timeout.
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.dialect = self.engine.dialect.name
        self._local_writer = threading.RLock() if sqlite else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        if self._local_writer is None:
            with self._sessions() as session, session.begin():
                yield session
            return
        # SQLite: one transaction at a time in this process. Threads queue on a lock here and go as soon
        # as it is free, rather than in SQLite's busy handler, which polls with sleeps of up to 100 ms.
        with self._local_writer, self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    connection.isolation_level = None  # pysqlite sends no BEGIN of its own: _sqlite_begin does
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, grants: Mapping[str, Sequence[str]], *,
                 expires_at: datetime | None = None) -> str:
    """Store a new token and return it (the only time it is seen)."""
    token = "smc_" + secrets.token_urlsafe(32)
    session.add(TokenRow(id=new_id("tok"), name=name, token_hash=hash_token(token),
                         grants={k: list(v) for k, v in grants.items()}, expires_at=expires_at))
    return token


def find_token(session: Session, token: str) -> TokenRow | None:
    """The token's row when it is known, not revoked and not expired; else None."""
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    expires = aware(row.expires_at)
    if expires is not None and expires <= utcnow():
        return None
    return row


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


def find_by_lookup(session: Session, lookup: str) -> ObjectRow | None:
    return session.scalar(select(ObjectRow).where(ObjectRow.lookup == lookup))


def find_any(session: Session, sandbox: str, object_id: str) -> ObjectRow | None:
    row = session.get(ObjectRow, object_id)
    return row if row is not None and row.sandbox == sandbox else None


__all__ = [
    "AuditRow",
    "ConversationRow",
    "Database",
    "DeliveryRow",
    "InboundEventRow",
    "InstanceRow",
    "ObjectRow",
    "OutboxRow",
    "TokenRow",
    "aware",
    "create_token",
    "find_any",
    "find_by_lookup",
    "find_by_name",
    "find_token",
    "get_object",
    "hash_token",
    "list_objects",
    "new_id",
    "utcnow",
]
