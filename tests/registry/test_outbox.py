"""The reply outbox: the webhook answers without waiting for the vendor, replies arrive exactly once
after a vendor outage (503, then 429 with Retry-After), in order per profile, expire after their
maximum age (shown in consent history), and a send whose outcome is unknown is looked up at vendors
that can tell (Sinch) and sent again only where they cannot (Twilio)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smschannel.local import LocalStack
from smschannel.registry import storage
from smschannel.registry.settings import ReplySettings
from tests.registry.outbox_support import (
    REPLIES,
    OwnRegistry,
    clear_faults,
    fault,
    own_registry,
    post,
    sinch_request,
    sinch_webhook,
    twilio_request,
    twilio_webhook,
    wait_drained,
)

FAST = ReplySettings(retry_initial=0.05, retry_max=0.4, stale_after=0.5, poll=0.05)


def _replies_to(local_stack: LocalStack, profiles: set[str], before: int) -> list[tuple[str, str]]:
    return [(m.to, m.body) for m in local_stack.vendors.twilio.outbox[before:] if m.to in profiles]


def _attempts(registry: Any) -> int:
    with registry.services.db.session() as session:
        return sum(r.attempts for r in session.scalars(select(storage.OutboxRow)))


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_vendor_outage_delays_replies_but_loses_and_doubles_none(tmp_path: Path, facts: dict[str, Any],
                                                                   local_stack: LocalStack) -> None:
    tw = facts["vendors"]["twilio"]
    messages_path = f"/2010-04-01/Accounts/{tw['account_sid']}/Messages.json"
    with own_registry(tmp_path, facts, replies=FAST) as registry:
        client = registry.client()
        webhook = twilio_webhook(client, facts)
        profiles = [f"+1415555{7000 + i:04d}" for i in range(4)]
        script = ["HELP", "STOP", "START", "HELP", "STOP"]
        before = len(local_stack.vendors.twilio.outbox)
        fault(tw["url"], status=503, count=100000, path=messages_path)  # down until the test says otherwise
        try:
            answers = []
            for step, text in enumerate(script):
                for index, profile in enumerate(profiles):
                    request = twilio_request(facts, webhook["url"], profile=profile, text=text,
                                             request_id=f"SM{step:02d}{index:030d}", to=webhook["sender_number"])
                    answers.append(post(webhook["url"], request))
            # Every webhook was answered while the vendor was down: none waited for it.
            assert all(a.status_code == 200 for a in answers)
            wait_for(lambda: _attempts(registry) >= 3 * len(profiles))  # the sender keeps trying
            assert _replies_to(local_stack, set(profiles), before) == []
            clear_faults(tw["url"])  # back, but rate-limiting for a while
            fault(tw["url"], status=429, retry_after="1", count=8, path=messages_path)
            wait_drained(registry.services)
        finally:
            clear_faults(tw["url"])
        sent = _replies_to(local_stack, set(profiles), before)
        expected = [(p, REPLIES[t]) for t in script for p in profiles]
        assert Counter(sent) == Counter(expected)  # every reply exactly once
        for profile in profiles:  # in order per profile
            assert [body for to, body in sent if to == profile] == [REPLIES[t] for t in script]
        with registry.services.db.session() as session:
            rows = session.scalars(select(storage.OutboxRow)).all()
            assert {r.status for r in rows} == {"sent"} and max(r.attempts for r in rows) > 1
            assert sum(r.resent_in_doubt for r in rows) == 0


def test_metrics_count_retries_and_sends(tmp_path: Path, facts: dict[str, Any], local_stack: LocalStack) -> None:
    import httpx

    tw = facts["vendors"]["twilio"]
    with own_registry(tmp_path, facts, replies=FAST) as registry:
        webhook = twilio_webhook(registry.client(), facts)
        fault(tw["url"], status=503, count=2, path=f"/2010-04-01/Accounts/{tw['account_sid']}/Messages.json")
        post(webhook["url"], twilio_request(facts, webhook["url"], profile="+14155557100", text="HELP",
                                            request_id="SM" + "m" * 32, to=webhook["sender_number"]))
        wait_drained(registry.services)
        text = httpx.get(f"{registry.url}/metrics").text
    assert 'smschannel_replies_total{outcome="sent",vendor="twilio"} 1.0' in text
    assert 'smschannel_inbound_decisions_total{action="help"} 1.0' in text
    assert 'smschannel_inbound_requests_total{kind="inbound",status="200"} 1.0' in text
    assert 'smschannel_outbox_backlog{status="pending"} 0.0' in text
    assert "smschannel_outbox_oldest_age_seconds 0.0" in text
    assert 'smschannel_request_duration_seconds_count{method="POST",route="/inbound/{token}"} 1.0' in text


def test_a_reply_not_delivered_in_time_expires_and_consent_history_says_so(
        tmp_path: Path, facts: dict[str, Any], local_stack: LocalStack) -> None:
    si = facts["vendors"]["sinch"]
    replies = ReplySettings(max_age=0.5, retry_initial=0.05, retry_max=0.1, stale_after=0.5, poll=0.05)
    with own_registry(tmp_path, facts, replies=replies) as registry:
        client = registry.client()
        webhook = sinch_webhook(client, facts)
        fault(si["url"], status=503, count=1000, path=f"/xms/v1/{si['service_plan_id']}/batches")
        try:
            answer = post(webhook["url"], sinch_request(profile="+14155557200", text="STOP",
                                                        request_id="01EXPIRE", to=webhook["sender_number"]))
            assert answer.json()["outcomes"][0]["reply_status"] == "queued"
            wait_drained(registry.services)
        finally:
            clear_faults(si["url"])
        [event] = client.raw("GET", "/v1/sandboxes/prod/consent/history",
                             params={"profile_number": "+14155557200"})["data"]
    assert event["consent"] == "opted_out"
    assert event["reply_status"].startswith("expired: not delivered within 0.5 s (last error: Sinch is unavailable")


def _in_doubt(registry: OwnRegistry, webhook: dict[str, Any], facts: dict[str, Any],
              request: tuple[bytes, dict[str, str]], *, already_sent: bool) -> storage.OutboxRow:
    """Decide one message with no sender running, then make its reply look like a dead process's send
    (claimed by an instance whose heartbeat stopped), accepted by the vendor first when `already_sent`."""
    from smschannel.registry.replies import deliver

    assert post(webhook["url"], request).status_code == 200
    with registry.services.db.session() as session:
        row = session.scalars(select(storage.OutboxRow)).one()
        dead = storage.InstanceRow(id="ins_dead", heartbeat_at=storage.utcnow() - timedelta(minutes=5))
        session.add(dead)
        row.status, row.claimed_by, row.attempts = "sending", dead.id, 1
        cred = storage.find_any(session, row.sandbox, row.credentials_id)
        assert cred is not None
        credentials = registry.services.credentials(cred)
        session.expunge(row)
    assert credentials is not None
    if already_sent:
        deliver(credentials, sender=row.sender_number, to=row.profile_number, text=row.text, reference=row.reference,
                in_doubt=False, since=storage.utcnow())
    return row


def test_a_dead_process_send_is_found_at_sinch_and_not_sent_again(tmp_path: Path, facts: dict[str, Any],
                                                                  local_stack: LocalStack) -> None:
    database = str(tmp_path / "shared.db")
    with own_registry(tmp_path / "a", facts, replies=FAST, sender=False, database=database) as first:
        webhook = sinch_webhook(first.client(), facts)
        request = sinch_request(profile="+14155557300", text="STOP", request_id="01DOUBT", to=webhook["sender_number"])
        row = _in_doubt(first, webhook, facts, request, already_sent=True)
    with own_registry(tmp_path / "b", facts, replies=FAST, database=database) as second:
        wait_drained(second.services)
        with second.services.db.session() as session:
            done = session.get(storage.OutboxRow, row.id)
            assert done is not None
            assert (done.status, done.in_doubt, done.resent_in_doubt) == ("sent", 1, 0)
            event = session.get(storage.InboundEventRow, done.event_id)
            assert event is not None and event.reply_status.endswith("(found at the vendor)")
    batches = [b for b in local_stack.vendors.sinch.outbox if b.get("client_reference") == row.reference]
    assert len(batches) == 1


def test_a_dead_process_send_goes_again_on_twilio_and_is_counted(tmp_path: Path, facts: dict[str, Any],
                                                                 local_stack: LocalStack) -> None:
    database = str(tmp_path / "shared.db")
    profile = "+14155557400"
    with own_registry(tmp_path / "a", facts, replies=FAST, sender=False, database=database) as first:
        webhook = twilio_webhook(first.client(), facts)
        request = twilio_request(facts, webhook["url"], profile=profile, text="HELP", request_id="SM" + "d" * 32,
                                 to=webhook["sender_number"])
        before = len(local_stack.vendors.twilio.outbox)
        row = _in_doubt(first, webhook, facts, request, already_sent=True)
    with own_registry(tmp_path / "b", facts, replies=FAST, database=database) as second:
        wait_drained(second.services)
        with second.services.db.session() as session:
            done = session.get(storage.OutboxRow, row.id)
            assert done is not None and (done.status, done.in_doubt, done.resent_in_doubt) == ("sent", 1, 1)
    # Twilio offers no idempotency key nor look-up: the reply went twice, and the row says so.
    assert _replies_to(local_stack, {profile}, before) == [(profile, REPLIES["HELP"])] * 2
