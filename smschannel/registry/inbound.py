"""What the registry does with an inbound message: run the webhook's keyword rules, and record the
decision, any consent change and the reply to send (the outbox, which `outbox.Sender` delivers) in one
transaction. A vendor request ID already seen changes nothing and sends nothing (vendors retry their
callbacks)."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from smschannel.inbound import FeedbackEvent, InboundMessage
from smschannel.keywords import Decision, Engine, Pending
from smschannel.model import BY_STEM, CredentialsModel, WebhookModel
from smschannel.model.webhook import keyword_rules
from smschannel.registry import audit, storage
from smschannel.registry.outbox import enqueue
from smschannel.registry.service import Services

log = logging.getLogger("smschannel.registry.inbound")


class _Engines:
    """Compiled engines per webhook version: building one precomputes its fuzzy tables."""

    def __init__(self, size: int = 256) -> None:
        self._cache: OrderedDict[tuple[str, str], Engine] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, row: storage.ObjectRow) -> Engine:
        key = (row.id, row.updated_at.isoformat())
        with self._lock:
            engine = self._cache.get(key)
            if engine is not None:
                self._cache.move_to_end(key)
                return engine
        engine = Engine(keyword_rules(row.attributes))
        with self._lock:
            self._cache[key] = engine
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return engine


ENGINES = _Engines()


@dataclass(frozen=True)
class Outcome:
    """What happened to one inbound message, as the simulate command and the tests see it."""

    request_id: str
    action: str
    keyword: str | None
    reply: str | None
    consent: str | None
    """The profile's consent with this sender after the message (opted_in, opted_out or None)."""
    duplicate: bool
    reply_status: str

    def as_json(self) -> dict[str, Any]:
        return {"request_id": self.request_id, "action": self.action, "keyword": self.keyword, "reply": self.reply,
                "consent": self.consent, "duplicate": self.duplicate, "reply_status": self.reply_status}


def _pending(row: storage.ConversationRow) -> Pending | None:
    since = storage.aware(row.pending_since)
    if row.pending_kind in ("fuzzy_confirm", "double_opt_in") and since is not None:
        return Pending(row.pending_kind, since)  # type: ignore[arg-type]
    return None


def route(services: Services, webhook: storage.ObjectRow, message: InboundMessage) -> storage.ObjectRow:
    """The webhook that handles `message`: the one the vendor called, unless the message was sent to the
    `inbound_number` of credentials of the same vendor account (same type, same `verified_fields`, any
    sandbox) that have an inbound webhook: then that one, in its sandbox. One vendor callback URL (a Sinch
    service plan has one) so serves every sandbox the account is used in."""
    if message.inbound_number == webhook.attributes.get("sender_number"):
        return webhook
    with services.db.session() as session:
        called = storage.find_any(session, webhook.sandbox, webhook.attributes.get("credentials_id") or "")
        model = BY_STEM.get(called.kind) if called is not None else None
        if called is None or model is None or not issubclass(model, CredentialsModel):
            return webhook
        account = {k: called.attributes.get(k) for k in model.verified_fields}
        owners = [c for c in session.scalars(select(storage.ObjectRow).where(storage.ObjectRow.kind == called.kind))
                  if c.attributes.get("inbound_number") == message.inbound_number
                  and all(c.attributes.get(k) == v for k, v in account.items())]
        for owner in sorted(owners, key=lambda c: c.id != called.id):  # the called credentials first
            target = next((w for w in storage.list_objects(session, owner.sandbox, WebhookModel.stem())
                           if w.attributes.get("credentials_id") == owner.id and w.attributes.get("type") == "inbound"),
                          None)
            if target is not None:
                session.expunge(target)
                return target
    return webhook


def receive(services: Services, webhook: storage.ObjectRow, message: InboundMessage) -> Outcome:
    """Decide on one inbound message and record it with its reply in the outbox (once)."""
    try:
        outcome = _decide(services, webhook, message)
    except IntegrityError:  # the same request arrived twice at once: the other one decided
        outcome = _decide(services, webhook, message)
    if not outcome.duplicate and outcome.reply:
        services.reply_queued()
    return outcome


def _decide(services: Services, webhook: storage.ObjectRow, message: InboundMessage) -> Outcome:
    """In one transaction: the earlier outcome of a request seen before, or the new decision stored with
    the consent change, its audit entry and the reply to send (the outbox)."""
    sender = webhook.attributes["sender_number"]
    with services.db.session() as session:
        seen = session.scalar(select(storage.InboundEventRow).where(
            storage.InboundEventRow.webhook_id == webhook.id,
            storage.InboundEventRow.request_id == message.request_id))
        if seen is not None:
            conversation = session.get(storage.ConversationRow, (webhook.sandbox, sender, seen.profile_number))
            return Outcome(seen.request_id, seen.action, seen.keyword, seen.reply,
                           conversation.consent if conversation else None, True, seen.reply_status)
        key = (webhook.sandbox, sender, message.profile_number)
        conversation = session.get(storage.ConversationRow, key, with_for_update=True)
        if conversation is None:
            conversation = storage.ConversationRow(sandbox=webhook.sandbox, sender_number=sender,
                                                   profile_number=message.profile_number)
            session.add(conversation)
        now = datetime.now(UTC)
        decision: Decision = ENGINES.get(webhook).decide(message.text, pending=_pending(conversation), now=now)
        conversation.pending_kind = decision.pending.kind if decision.pending else None
        conversation.pending_since = decision.pending.since if decision.pending else None
        before = conversation.consent
        if decision.consent is not None:
            conversation.consent = decision.consent
            conversation.consent_changed_at = now
            conversation.consent_request_id = message.request_id
        event = storage.InboundEventRow(
            webhook_id=webhook.id, sandbox=webhook.sandbox, sender_number=sender,
            profile_number=message.profile_number, request_id=message.request_id, text=message.text,
            action=decision.action, keyword=decision.keyword, reply=decision.reply,
            reply_status="queued" if decision.reply else "none", consent=decision.consent,
            fuzzy_score=decision.fuzzy_score, received_at=message.received_at)
        session.add(event)
        session.flush()
        if decision.reply:
            enqueue(session, event, webhook)
        if decision.consent is not None and decision.consent != before:
            audit.record(session, audit.Author(f"inbound:{webhook.name}", message.request_id), sandbox=webhook.sandbox,
                         action="consent", object_type="consent", object_id=f"{sender}:{message.profile_number}",
                         before={"status": before}, after={"status": decision.consent,
                                                           "request_id": message.request_id})
        session.flush()
        return Outcome(message.request_id, decision.action, decision.keyword, decision.reply, conversation.consent,
                       False, event.reply_status)


def record_feedback(services: Services, webhook: storage.ObjectRow, events: list[FeedbackEvent]) -> int:
    """Store delivery statuses; a report seen before is not stored twice. Returns how many were new."""
    new = 0
    with services.db.session() as session:
        for event in events:
            exists = session.scalar(select(storage.DeliveryRow.id).where(
                storage.DeliveryRow.webhook_id == webhook.id, storage.DeliveryRow.request_id == event.request_id,
                storage.DeliveryRow.recipient == (event.recipient or ""),
                storage.DeliveryRow.status_code == (event.status_code or "")))
            if exists is not None:
                continue
            session.add(storage.DeliveryRow(
                webhook_id=webhook.id, sandbox=webhook.sandbox, client_reference=event.client_reference,
                status=event.status, status_code=event.status_code or "", error_code=event.error_code,
                recipient=event.recipient or "", request_id=event.request_id, received_at=event.received_at))
            session.flush()
            new += 1
    return new


__all__ = ["ENGINES", "Outcome", "receive", "record_feedback", "route"]
