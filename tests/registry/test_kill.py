"""The registry killed with SIGKILL at seeded random moments under a stream of inbound messages, and
started again on the same database: no decision lost or doubled, every decided message's reply at its
vendor, each profile's replies in order, and a reply sent twice only where the process died between
the vendor's acceptance and its record, on a vendor with no idempotency feature (Twilio), as counted by
the registry. Sinch replies carry a client reference the registry looks up: never twice.

    .venv/bin/python -m pytest -s -p no:cacheprovider tests/registry/test_kill.py   # prints the figures
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from smschannel.local import LocalStack
from smschannel.registry import storage
from smschannel.registry_client import RegistryClient
from smschannel.scopes import ALL_SCOPES
from tests.registry.outbox_support import (
    REPLIES,
    ServeProcess,
    clear_faults,
    fault,
    post,
    sinch_request,
    sinch_webhook,
    twilio_request,
    twilio_webhook,
)

SEED = 9
MESSAGES = 200
KILLS = 6
CLIENTS = 4
PROFILES_PER_VENDOR = 16
VENDOR_DELAY = 0.25
"""Seconds each vendor takes to answer a send it has already accepted: kills land inside sends."""

pytestmark = pytest.mark.slow


def test_sigkill_under_load_loses_nothing_and_doubles_only_unknowable_sends(
        tmp_path: Path, facts: dict[str, Any], local_stack: LocalStack) -> None:
    rng = random.Random(SEED)
    registry = ServeProcess(tmp_path, facts, database=str(tmp_path / "registry.db"))
    db = storage.Database(f"sqlite:///{registry.database}")
    with db.session() as session:
        token = storage.create_token(session, "kill test", {"*": list(ALL_SCOPES)})
    tw, si = facts["vendors"]["twilio"], facts["vendors"]["sinch"]
    slow = {tw["url"]: f"/2010-04-01/Accounts/{tw['account_sid']}/Messages.json",
            si["url"]: f"/xms/v1/{si['service_plan_id']}/batches"}
    registry.start()
    try:
        client = RegistryClient(registry.url, token)
        hooks = {"twilio": twilio_webhook(client, facts), "sinch": sinch_webhook(client, facts)}
        client.close()
        profiles = {v: [f"+1415556{k}{i:03d}" for i in range(PROFILES_PER_VENDOR)] for k, v in
                    enumerate(("twilio", "sinch"))}
        before = {"twilio": len(local_stack.vendors.twilio.outbox), "sinch": len(local_stack.vendors.sinch.outbox)}
        stream = []
        for index in range(MESSAGES):
            vendor = ("twilio", "sinch")[index % 2]
            profile = rng.choice(profiles[vendor])
            stream.append((index, vendor, profile, rng.choice(("STOP", "START", "HELP"))))
        lanes: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
        for message in stream:  # one client per profile: its messages go in order
            lanes[int(message[2][-3:]) % CLIENTS].append(message)
        kill_points = sorted(rng.sample(range(20, MESSAGES - 20), KILLS))
        kill_pauses = [rng.uniform(0.0, 0.4) for _ in kill_points]
        for url, path in slow.items():
            fault(url, status=None, answer_delay=VENDOR_DELAY, count=1_000_000, path=path)
        acknowledged = [0]
        lock = threading.Lock()
        alive = threading.Event()
        alive.set()

        def request_for(index: int, vendor: str, profile: str, text: str) -> tuple[bytes, dict[str, str]]:
            hook = hooks[vendor]
            request_id = f"SM{SEED:02d}{index:030d}" if vendor == "twilio" else f"01KILL{SEED:02d}{index:06d}"
            if vendor == "twilio":
                return twilio_request(facts, hook["url"], profile=profile, text=text, request_id=request_id,
                                      to=hook["sender_number"])
            return sinch_request(profile=profile, text=text, request_id=request_id, to=hook["sender_number"])

        def lane(messages: list[tuple[int, str, str, str]]) -> None:
            for index, vendor, profile, text in messages:
                while True:  # the vendor calls again until the registry answers (as vendors do)
                    alive.wait()
                    try:
                        answer = post(hooks[vendor]["url"], request_for(index, vendor, profile, text), timeout=5)
                        if answer.status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.1)
                with lock:
                    acknowledged[0] += 1
                time.sleep(0.02)

        threads = [threading.Thread(target=lane, args=(lanes[k],)) for k in sorted(lanes)]
        for thread in threads:
            thread.start()
        for point, pause in zip(kill_points, kill_pauses, strict=True):
            while acknowledged[0] < point:
                time.sleep(0.005)
            time.sleep(pause)
            alive.clear()
            registry.kill()
            registry.start()
            alive.set()
        for thread in threads:
            thread.join(300)
        _wait_drained(db)
    finally:
        for url in slow:
            clear_faults(url)
        registry.stop()

    with db.session() as session:
        events = session.scalars(select(storage.InboundEventRow).order_by(storage.InboundEventRow.id)).all()
        rows = {r.event_id: r for r in session.scalars(select(storage.OutboxRow))}
        by_webhook = {h["id"]: v for v, h in hooks.items()}
        decided = Counter(e.request_id for e in events)
        lost = MESSAGES - len(decided)
        doubled = sum(n - 1 for n in decided.values())
        assert {rows[e.id].status for e in events if e.reply} == {"sent"}
        resent = Counter(by_webhook[rows[e.id].webhook_id] for e in events if rows[e.id].resent_in_doubt
                         for _ in range(rows[e.id].resent_in_doubt))
        in_doubt = sum(1 for r in rows.values() if r.in_doubt)
        expected = {v: [(e.profile_number, e.reply or "") for e in events if by_webhook[e.webhook_id] == v]
                    for v in hooks}
        references = {rows[e.id].reference for e in events if by_webhook[e.webhook_id] == "sinch"}
        final_consent = {(c.profile_number): c.consent for c in session.scalars(select(storage.ConversationRow))}
    db.dispose()

    sent = {"twilio": [(m.to, m.body) for m in local_stack.vendors.twilio.outbox[before["twilio"]:]
                       if m.to in profiles["twilio"]],
            "sinch": [(b["to"][0], b["body"]) for b in local_stack.vendors.sinch.outbox[before["sinch"]:]
                      if b.get("client_reference") in references]}
    doubles = {v: sum((Counter(sent[v]) - Counter(expected[v])).values()) for v in hooks}
    missing = {v: sum((Counter(expected[v]) - Counter(sent[v])).values()) for v in hooks}
    print(f"\nkill test (seed {SEED}): {registry.kills} SIGKILLs over {MESSAGES} messages; decisions lost {lost}, "
          f"doubled {doubled}; replies missing {missing}; in-doubt replies {in_doubt}; double sends "
          f"{doubles} (resent without a vendor look-up: {dict(resent)})")
    assert registry.kills == KILLS
    assert (lost, doubled) == (0, 0)
    assert missing == {"twilio": 0, "sinch": 0}
    assert doubles["sinch"] == 0
    assert doubles["twilio"] <= resent["twilio"]
    for vendor in hooks:  # each profile's replies in the order its messages were decided
        for profile in profiles[vendor]:
            wanted = [body for to, body in expected[vendor] if to == profile]
            got = iter(body for to, body in sent[vendor] if to == profile)
            assert all(any(body == g for g in got) for body in wanted), (vendor, profile)
    for vendor in hooks:  # consent follows each profile's last STOP or START, in the order sent
        for profile in profiles[vendor]:
            last = [text for _, v, p, text in stream if p == profile and text in ("STOP", "START")]
            if last:
                assert final_consent[profile] == ("opted_out" if last[-1] == "STOP" else "opted_in")
    assert all(body in REPLIES.values() for _, body in sent["twilio"] + sent["sinch"])


def _wait_drained(db: storage.Database, timeout: float = 120.0) -> None:
    from smschannel.registry.outbox import backlog

    deadline = time.monotonic() + timeout
    while True:
        with db.session() as session:
            left = backlog(session)
        if left.pending + left.sending == 0:
            return
        assert time.monotonic() < deadline, f"the outbox still holds {left}"
        time.sleep(0.1)
