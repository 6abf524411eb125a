"""The reply outbox: replies are committed with the decision that asks for them (`enqueue`, inside the
webhook's transaction) and delivered by a `Sender` running in every registry process.

    pending ──claim──▶ sending ──▶ sent
       ▲                  │  ├───▶ failed    the vendor refused the message itself (a 4xx other than 429)
       └── retry later ◀──┘  └───▶ expired   not delivered within `max_age` (also from pending)

- Claims are safe across processes: one transaction selects due rows `FOR UPDATE SKIP LOCKED`
  (PostgreSQL; SQLite has one writer at a time) and marks them `sending` with the claiming process.
- Replies to one profile (sandbox, sender number, profile number) keep their order: a row is due only
  when no earlier row of the same conversation is still pending or sending.
- A process beats in `instances` every second. Rows held by a process whose beat stopped (it was
  killed) go back to pending, marked in doubt: the vendor may have accepted them without the result
  being recorded. An in-doubt reply is looked up at the vendor by its reference where the provider can
  (`reply_lookup`), and sent again only where it cannot: that is the only way a reply goes twice, and
  the row counts it (`resent_in_doubt`).
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased

from smschannel.errors import SmschannelError, VendorError, VendorRateLimited, VendorRejected
from smschannel.model.webhook import reply_media
from smschannel.providers import Credentials, provider_for
from smschannel.registry import storage
from smschannel.registry.replies import deliver
from smschannel.registry.service import Services
from smschannel.registry.settings import ReplySettings

log = logging.getLogger("smschannel.registry.outbox")

OPEN = ("pending", "sending")
"""Statuses of a reply not yet done with."""
GATHER = 0.01
"""Seconds the sender waits after being woken, to claim a burst of replies at once."""


def new_reference() -> str:
    """A reply's client reference: unique, short, and made of characters every vendor accepts."""
    return f"smc-{secrets.token_hex(12)}"


def enqueue(session: Session, event: storage.InboundEventRow, webhook: storage.ObjectRow) -> storage.OutboxRow:
    """Add the reply of a decided inbound message to the outbox, in the caller's transaction, with the media
    of the keyword category it answers (as the webhook declares them now)."""
    assert event.reply is not None
    media = reply_media(webhook.attributes, event.action)
    row = storage.OutboxRow(
        event_id=event.id, sandbox=event.sandbox, webhook_id=webhook.id,
        credentials_id=webhook.attributes["credentials_id"], sender_number=event.sender_number,
        profile_number=event.profile_number, text=event.reply, media=media or None, reference=new_reference(),
        status="pending",
        attempts=0, in_doubt=0, resent_in_doubt=0, next_attempt_at=storage.utcnow())
    session.add(row)
    return row


@dataclass(frozen=True)
class Claimed:
    """A reply a sender took, as plain values (the row stays in its session)."""

    id: int
    event_id: int
    sandbox: str
    credentials_id: str
    sender_number: str
    profile_number: str
    text: str
    reference: str
    attempts: int
    in_doubt: bool
    created_at: datetime
    media: tuple[str, ...] = ()


def claim(session: Session, instance: str, limit: int) -> list[Claimed]:
    """Take up to `limit` due replies for `instance`, oldest first, one per conversation at a time."""
    if limit <= 0:
        return []
    row, earlier = storage.OutboxRow, aliased(storage.OutboxRow)
    blocked = select(earlier.id).where(
        earlier.sandbox == row.sandbox, earlier.sender_number == row.sender_number,
        earlier.profile_number == row.profile_number, earlier.id < row.id, earlier.status.in_(OPEN)).exists()
    due = session.scalars(
        select(row).where(row.status == "pending", row.next_attempt_at <= storage.utcnow(), ~blocked)
        .order_by(row.id).limit(limit).with_for_update(skip_locked=True, of=row)).all()
    taken = []
    for found in due:
        found.status, found.claimed_by, found.attempts = "sending", instance, found.attempts + 1
        taken.append(Claimed(found.id, found.event_id, found.sandbox, found.credentials_id, found.sender_number,
                             found.profile_number, found.text, found.reference, found.attempts,
                             found.in_doubt > 0, storage.aware(found.created_at) or storage.utcnow(),
                             tuple(found.media or ())))
    return taken


def take_over(session: Session, *, stale_after: float) -> int:
    """Put back the replies held by processes whose heartbeat stopped, marked in doubt; how many."""
    alive = select(storage.InstanceRow.id).where(
        storage.InstanceRow.heartbeat_at >= storage.utcnow() - timedelta(seconds=stale_after))
    result = session.execute(
        update(storage.OutboxRow)
        .where(storage.OutboxRow.status == "sending",
               (storage.OutboxRow.claimed_by.is_(None)) | storage.OutboxRow.claimed_by.not_in(alive))
        .values(status="pending", claimed_by=None, in_doubt=storage.OutboxRow.in_doubt + 1,
                next_attempt_at=storage.utcnow())
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def expire(session: Session, *, max_age: float) -> int:
    """Mark replies still pending after `max_age` seconds as expired (in consent history too)."""
    old = session.scalars(select(storage.OutboxRow).where(
        storage.OutboxRow.status == "pending",
        storage.OutboxRow.created_at < storage.utcnow() - timedelta(seconds=max_age))
        .with_for_update(skip_locked=True)).all()
    for row in old:
        why = f"expired: not delivered within {max_age:g} s" + (f" (last error: {row.last_error})"
                                                                 if row.last_error else "")
        _finish(session, row, "expired", why[:300])
    return len(old)


def _finish(session: Session, row: storage.OutboxRow, status: str, reply_status: str) -> None:
    row.status, row.finished_at, row.claimed_by = status, storage.utcnow(), None
    event = session.get(storage.InboundEventRow, row.event_id)
    if event is not None:
        event.reply_status = reply_status


@dataclass(frozen=True)
class Backlog:
    """What the outbox holds now: replies not yet done, and the age of the oldest (seconds)."""

    pending: int
    sending: int
    oldest_age: float


def backlog(session: Session) -> Backlog:
    counts = {status: count for status, count in session.execute(
        select(storage.OutboxRow.status, func.count()).where(storage.OutboxRow.status.in_(OPEN))
        .group_by(storage.OutboxRow.status)).all()}
    oldest = session.scalar(select(func.min(storage.OutboxRow.created_at)).where(storage.OutboxRow.status.in_(OPEN)))
    since = storage.aware(oldest)
    age = (storage.utcnow() - since).total_seconds() if since is not None else 0.0
    return Backlog(int(counts.get("pending", 0)), int(counts.get("sending", 0)), max(age, 0.0))


Outcome = Callable[[str, str], None]
"""Told (vendor, outcome) for each attempt: sent, retried, expired or failed (metrics)."""


class Sender:
    """Delivers the outbox's replies from one registry process: a dispatcher thread that beats, takes
    over dead processes' replies, expires old ones and claims due ones for a pool of workers."""

    def __init__(self, services: Services, *, settings: ReplySettings, on_outcome: Outcome | None = None) -> None:
        self.services = services
        self.settings = settings
        self.instance = f"ins_{secrets.token_hex(8)}"
        self._on_outcome = on_outcome or (lambda _vendor, _outcome: None)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy = 0
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._thread: threading.Thread | None = None
        self._random = random.Random()

    # ------------------------------------------------------------------ life
    def start(self) -> None:
        with self.services.db.session() as session:
            session.add(storage.InstanceRow(id=self.instance))
        self._pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="smschannel-reply")
        self._thread = threading.Thread(target=self._run, name=f"smschannel-outbox:{self.instance}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(30)
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        try:
            with self.services.db.session() as session:  # what it still held goes back at once
                session.execute(update(storage.OutboxRow).where(
                    storage.OutboxRow.claimed_by == self.instance, storage.OutboxRow.status == "sending")
                    .values(status="pending", claimed_by=None))
                session.execute(delete(storage.InstanceRow).where(storage.InstanceRow.id == self.instance))
        except Exception:
            log.warning("the outbox sender %s could not say goodbye to the database", self.instance)

    def wake(self) -> None:
        """A reply was queued: look now rather than at the next poll."""
        self._wake.set()

    # ------------------------------------------------------------------ dispatcher
    def _run(self) -> None:
        last_beat = -1.0e9
        clock = threading.Event()
        while not self._stop.is_set():
            try:
                now = time.monotonic()
                if now - last_beat >= 1.0:
                    self._beat()
                    last_beat = now
                self._dispatch()
            except Exception:
                log.exception("the outbox sender failed a round; trying again")
                clock.wait(1.0)
            if self._wake.wait(self.settings.poll) and not self._stop.is_set():
                # Woken by a queued reply: gather the next few for a moment, so a burst of inbound
                # messages costs one claim transaction rather than one each.
                clock.wait(GATHER)
            self._wake.clear()

    def _beat(self) -> None:
        with self.services.db.session() as session:
            beat = session.execute(update(storage.InstanceRow).where(storage.InstanceRow.id == self.instance)
                                   .values(heartbeat_at=storage.utcnow()))
            if not getattr(beat, "rowcount", 1):
                session.add(storage.InstanceRow(id=self.instance))
            take_over(session, stale_after=self.settings.stale_after)
            for _ in range(expire(session, max_age=self.settings.max_age)):
                self._on_outcome("", "expired")
            forgotten = storage.utcnow() - timedelta(seconds=self.settings.stale_after * 20)
            session.execute(delete(storage.InstanceRow).where(storage.InstanceRow.heartbeat_at < forgotten))

    def _dispatch(self) -> None:
        assert self._pool is not None
        with self._lock:
            free = self.settings.workers - self._busy
        if free <= 0:
            return
        with self.services.db.session() as session:
            taken = claim(session, self.instance, free)
            opened = {}
            for reply in taken:  # the credentials, opened once per round and credentials
                if (reply.sandbox, reply.credentials_id) not in opened:
                    cred = storage.find_any(session, reply.sandbox, reply.credentials_id)
                    credentials = self.services.credentials(cred) if cred is not None else None
                    version = (cred.id, cred.updated_at.isoformat()) if cred is not None else None
                    opened[(reply.sandbox, reply.credentials_id)] = (credentials, version)
        for reply in taken:
            with self._lock:
                self._busy += 1
            self._pool.submit(self._work, reply, *opened[(reply.sandbox, reply.credentials_id)])

    def _work(self, reply: Claimed, credentials: Credentials | None, version: tuple[str, str] | None) -> None:
        try:
            self._deliver(reply, credentials, version)
        except Exception:
            log.exception("delivering reply %s failed unexpectedly", reply.reference)
        finally:
            with self._lock:
                self._busy -= 1
            self._wake.set()

    # ------------------------------------------------------------------ one reply
    def _deliver(self, reply: Claimed, credentials: Credentials | None, version: tuple[str, str] | None) -> None:
        if credentials is None:
            self._record(reply, "failed", "failed: the webhook's credentials are gone", vendor="")
            return
        provider = provider_for(credentials.model)
        vendor = provider.name
        if reply.in_doubt and not provider.reply_lookup:
            # Counted before the send: should this process die too before recording it, the count holds.
            with self.services.db.session() as session:
                session.execute(update(storage.OutboxRow).where(storage.OutboxRow.id == reply.id)
                                .values(resent_in_doubt=storage.OutboxRow.resent_in_doubt + 1))
        try:
            done = deliver(credentials, sender=reply.sender_number, to=reply.profile_number, text=reply.text,
                           reference=reply.reference, in_doubt=reply.in_doubt, since=reply.created_at - timedelta(
                               minutes=5), media=reply.media, version=version)
        except VendorError as exc:
            self._failed(reply, exc, vendor)
            return
        except SmschannelError as exc:
            self._record(reply, "failed", f"failed: {exc}"[:300], vendor=vendor)
            return
        note = " (found at the vendor)" if done.found else ""
        self._record(reply, "sent", f"sent: {done.message_id}{note}"[:300], vendor=vendor,
                     message_id=done.message_id)

    def _failed(self, reply: Claimed, exc: VendorError, vendor: str) -> None:
        permanent = isinstance(exc, VendorRejected) and not isinstance(exc, VendorRateLimited)
        if permanent:
            log.warning("reply %s refused by %s: %s", reply.reference, vendor, exc)
            self._record(reply, "failed", f"failed: {exc}"[:300], vendor=vendor)
            return
        maybe_sent = exc.status is None  # a timeout or a dropped connection: the vendor may have acted
        wait = min(self.settings.retry_max, self.settings.retry_initial * 2.0 ** min(reply.attempts - 1, 30))
        wait *= 0.5 + self._random.random() / 2
        if exc.retry_after is not None:
            wait = max(wait, exc.retry_after)
        age = (storage.utcnow() - reply.created_at).total_seconds()
        if age + wait > self.settings.max_age:
            self._record(reply, "expired", f"expired: not delivered within {self.settings.max_age:g} s "
                                           f"(last error: {exc})"[:300], vendor=vendor)
            return
        with self.services.db.session() as session:
            row = session.get(storage.OutboxRow, reply.id, with_for_update=True)
            if row is None or row.status != "sending" or row.claimed_by != self.instance:
                return  # taken over meanwhile
            row.status, row.claimed_by, row.last_error = "pending", None, str(exc)[:300]
            row.next_attempt_at = storage.utcnow() + timedelta(seconds=wait)
            if maybe_sent:
                row.in_doubt += 1
        log.info("reply %s: %s; retrying in %.1f s", reply.reference, exc, wait)
        self._on_outcome(vendor, "retried")

    def _record(self, reply: Claimed, status: str, reply_status: str, *, vendor: str,
                message_id: str | None = None) -> None:
        done: dict[str, object] = {"status": status, "finished_at": storage.utcnow(), "claimed_by": None}
        if status == "sent":
            done.update(vendor_message_id=message_id, last_error=None)
        with self.services.db.session() as session:  # two statements, nothing loaded
            session.execute(update(storage.OutboxRow).where(storage.OutboxRow.id == reply.id).values(**done))
            session.execute(update(storage.InboundEventRow).where(storage.InboundEventRow.id == reply.event_id)
                            .values(reply_status=reply_status))
        self._on_outcome(vendor, status)


__all__ = [
    "GATHER",
    "OPEN",
    "Backlog",
    "Claimed",
    "Sender",
    "backlog",
    "claim",
    "enqueue",
    "expire",
    "new_reference",
    "take_over",
]
