"""The routes vendors call (`/inbound/{token}`, `/feedback/{token}`), and the two that people use
around them: simulate a vendor's call, and read consent."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Body, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select

from smschannel.inbound import FeedbackEvent, InboundMessage, PayloadError
from smschannel.model import WebhookModel
from smschannel.providers import Credentials, SignatureRejected, WebhookRequest, provider_for_vendor
from smschannel.registry import storage
from smschannel.registry.deps import ServicesDep, require_scope
from smschannel.registry.inbound import receive, record_feedback, route
from smschannel.registry.service import Services

router = APIRouter(tags=["inbound"])
SIMULATE_WAIT = 10.0
"""How long a simulation waits for the reply to leave the outbox before answering `queued`."""


def _webhook(services: Services, token: str, kind: str) -> storage.ObjectRow:
    with services.db.session() as session:
        row = storage.find_by_lookup(session, token)
        if row is None or row.kind != WebhookModel.stem() or row.attributes.get("type") != kind:
            raise HTTPException(404, "unknown webhook")
        session.expunge(row)
        return row


def _parse(services: Services, webhook: storage.ObjectRow, body: bytes, headers: dict[str, str],
           query: str) -> list[InboundMessage | FeedbackEvent]:
    def credentials() -> Credentials | None:
        with services.db.session() as session:
            cred = storage.find_any(session, webhook.sandbox, webhook.attributes["credentials_id"])
            return services.credentials(cred) if cred is not None else None

    provider = provider_for_vendor(webhook.attributes["vendor"])
    try:
        return provider.parse(WebhookRequest(body, headers, query, webhook.attributes), credentials)
    except SignatureRejected as exc:
        raise HTTPException(403, str(exc)) from None


REQUEST_ID_MAX = 200
"""The longest vendor request ID kept (every vendor's IDs are far shorter)."""
FIELD_MAX = {"request_id": REQUEST_ID_MAX, "profile_number": 32, "client_reference": 200, "recipient": 32,
             "status_code": 100, "error_code": 100}


def _bounded(item: InboundMessage | FeedbackEvent) -> InboundMessage | FeedbackEvent:
    """The item within the registry's limits: NUL characters dropped from text (no database keeps them
    faithfully), identifiers no longer than their columns (else 400: no vendor sends such IDs)."""
    for name, limit in FIELD_MAX.items():
        value = getattr(item, name, None)
        if isinstance(value, str) and len(value) > limit:
            raise HTTPException(400, f"{name} is longer than {limit} characters ({len(value)})")
    if isinstance(item, InboundMessage) and "\x00" in item.text:
        return replace(item, text=item.text.replace("\x00", ""))
    return item


def _handle(services: Services, token: str, kind: str, body: bytes, headers: dict[str, str],
            query: str) -> Response:
    counter = services.metrics.inbound_requests
    try:
        response = _answer(services, token, kind, body, headers, query)
    except HTTPException as exc:
        counter.labels(kind, str(exc.status_code)).inc()
        raise
    counter.labels(kind, str(response.status_code)).inc()
    return response


def _answer(services: Services, token: str, kind: str, body: bytes, headers: dict[str, str],
            query: str) -> Response:
    webhook = _webhook(services, token, kind)
    try:
        items = [_bounded(i) for i in _parse(services, webhook, body, headers, query)]
    except PayloadError as exc:
        raise HTTPException(400, str(exc)) from None
    except RecursionError:
        raise HTTPException(400, "the body nests too deeply to be read") from None
    feedback = [i for i in items if isinstance(i, FeedbackEvent)]
    outcomes = []
    for item in items:
        if isinstance(item, InboundMessage):
            outcome = receive(services, route(services, webhook, item), item)
            if not outcome.duplicate:
                services.metrics.decisions.labels(outcome.action).inc()
            outcomes.append(outcome.as_json())
    stored = record_feedback(services, webhook, feedback) if feedback else 0
    acknowledgement = provider_for_vendor(webhook.attributes["vendor"]).acknowledgement
    if acknowledgement is not None:
        content, media_type = acknowledgement
        return Response(content, media_type=media_type)
    return JSONResponse({"accepted": len(items), "new_delivery_reports": stored, "outcomes": outcomes})


@router.post("/inbound/{token}", name="inbound", include_in_schema=False)
async def inbound(token: str, request: Request) -> Response:
    body = await request.body()
    return await run_in_threadpool(_handle, request.app.state.services, token, "inbound", body,
                                   dict(request.headers), request.url.query)


@router.post("/feedback/{token}", name="feedback", include_in_schema=False)
async def feedback(token: str, request: Request) -> Response:
    body = await request.body()
    return await run_in_threadpool(_handle, request.app.state.services, token, "feedback", body,
                                   dict(request.headers), request.url.query)


@router.post("/v1/sandboxes/{sandbox}/webhook/{webhook_id}/simulate", name="simulate",
             dependencies=[require_scope("sms_settings.write")], tags=["webhook"])
def simulate(sandbox: str, webhook_id: str, services: ServicesDep,
             body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Post one message to the webhook exactly as its vendor would, and say what was decided."""
    profile, text = body.get("from"), body.get("text")
    if not isinstance(profile, str) or not isinstance(text, str):
        raise HTTPException(422, 'give "from" (the profile\'s number) and "text"')
    with services.db.session() as session:
        row = storage.get_object(session, sandbox, WebhookModel.stem(), webhook_id)
        if row is None:
            raise HTTPException(404, f"no webhook with id {webhook_id} in sandbox {sandbox}")
        if row.attributes.get("type") != "inbound":
            raise HTTPException(422, "only inbound webhooks receive messages")
        cred = storage.find_any(session, sandbox, row.attributes["credentials_id"])
        credentials = services.credentials(cred) if cred is not None else None
        if credentials is None:
            raise HTTPException(422, "the webhook's credentials are gone")
        webhook = dict(row.attributes)
    simulated = provider_for_vendor(webhook["vendor"]).simulated_request(credentials, webhook,
                                                                         profile_number=profile, text=text)
    request_id = simulated.request_id
    answer = httpx.post(webhook["url"], content=simulated.body, headers=simulated.headers, timeout=30)
    if answer.status_code >= 400:
        raise HTTPException(502, f"the webhook answered {answer.status_code}: {answer.text[:200]}")
    deadline = time.monotonic() + SIMULATE_WAIT
    while True:  # a person simulating wants to see the reply go out: wait a little for the outbox
        with services.db.session() as session:
            event = session.scalar(select(storage.InboundEventRow).where(
                storage.InboundEventRow.webhook_id == webhook_id, storage.InboundEventRow.request_id == request_id))
            if event is None or event.reply_status != "queued" or time.monotonic() > deadline:
                break
        time.sleep(0.05)
    with services.db.session() as session:
        event = session.scalar(select(storage.InboundEventRow).where(
            storage.InboundEventRow.webhook_id == webhook_id, storage.InboundEventRow.request_id == request_id))
        if event is None:
            raise HTTPException(502, "the webhook accepted the message but recorded no decision")
        conversation = session.get(storage.ConversationRow, (sandbox, event.sender_number, event.profile_number))
        return {"request_id": request_id, "action": event.action, "keyword": event.keyword, "reply": event.reply,
                "reply_status": event.reply_status,
                "consent": conversation.consent if conversation else None,
                "pending": conversation.pending_kind if conversation else None}


@router.get("/v1/sandboxes/{sandbox}/consent", name="consent", tags=["consent"],
            dependencies=[require_scope("consent.read")])
def consent(sandbox: str, services: ServicesDep, profile_number: str | None = None,
            sender_number: str | None = None) -> dict[str, Any]:
    """Current consent per profile number and sender number."""
    query = select(storage.ConversationRow).where(storage.ConversationRow.sandbox == sandbox)
    if profile_number:
        query = query.where(storage.ConversationRow.profile_number == profile_number)
    if sender_number:
        query = query.where(storage.ConversationRow.sender_number == sender_number)
    with services.db.session() as session:
        data = [{"profile_number": c.profile_number, "sender_number": c.sender_number, "status": c.consent,
                 "changed_at": _iso(c.consent_changed_at), "request_id": c.consent_request_id,
                 "pending": c.pending_kind} for c in session.scalars(query)]
    return {"data": data, "count": len(data)}


@router.get("/v1/sandboxes/{sandbox}/consent/history", name="consent_history", tags=["consent"],
            dependencies=[require_scope("consent.read")])
def consent_history(sandbox: str, services: ServicesDep, profile_number: str,
                    sender_number: str | None = None) -> dict[str, Any]:
    """Every decision taken on a profile's messages, oldest first."""
    query = select(storage.InboundEventRow).where(storage.InboundEventRow.sandbox == sandbox,
                                                  storage.InboundEventRow.profile_number == profile_number)
    if sender_number:
        query = query.where(storage.InboundEventRow.sender_number == sender_number)
    with services.db.session() as session:
        data = [{"request_id": e.request_id, "sender_number": e.sender_number, "text": e.text, "action": e.action,
                 "keyword": e.keyword, "consent": e.consent, "reply": e.reply, "reply_status": e.reply_status,
                 "received_at": _iso(e.received_at), "webhook_id": e.webhook_id}
                for e in session.scalars(query.order_by(storage.InboundEventRow.id))]
    return {"data": data, "count": len(data)}


@router.get("/v1/sandboxes/{sandbox}/deliveries", name="deliveries", tags=["consent"],
            dependencies=[require_scope("sms_settings.read")])
def deliveries(sandbox: str, services: ServicesDep, client_reference: str) -> dict[str, Any]:
    """Delivery statuses reported for a client reference."""
    query = select(storage.DeliveryRow).where(storage.DeliveryRow.sandbox == sandbox,
                                              storage.DeliveryRow.client_reference == client_reference)
    with services.db.session() as session:
        data = [{"status": d.status, "status_code": d.status_code, "error_code": d.error_code,
                 "recipient": d.recipient, "request_id": d.request_id, "received_at": _iso(d.received_at)}
                for d in session.scalars(query.order_by(storage.DeliveryRow.id))]
    return {"data": data, "count": len(data)}


def _iso(when: Any) -> str | None:
    aware = storage.aware(when)
    return aware.isoformat() if aware is not None else None


__all__ = ["router"]
