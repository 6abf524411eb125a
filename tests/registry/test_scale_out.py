"""Two `smschannel serve` processes on one real PostgreSQL server: inbound load spread over both, the
same vendor request ID posted to both at once decided once and replied to once, outbox rows claimed
safely (no reply sent twice), one profile's replies in order across processes, consent consistent;
and readiness failing while the database cannot be reached."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import select

from smschannel.local import LocalStack
from smschannel.registry import storage
from smschannel.registry.settings import ReplySettings
from smschannel.registry_client import RegistryClient
from smschannel.scopes import ALL_SCOPES
from tests.postgres import PostgresServer
from tests.registry.outbox_support import (
    REPLIES,
    ServeProcess,
    clear_faults,
    fault,
    own_registry,
    post,
    sinch_request,
    sinch_webhook,
)

pytestmark = pytest.mark.slow


def _on(process: ServeProcess, url: str) -> str:
    """A webhook URL as seen by another process of the same registry (same path, its address)."""
    return process.url + "/" + url.split("/", 3)[3]


def _counter(process: ServeProcess, name: str) -> float:
    text = httpx.get(f"{process.url}/metrics").text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name + "{"))


def _drained(db: storage.Database, timeout: float = 60.0) -> None:
    from smschannel.registry.outbox import backlog

    deadline = time.monotonic() + timeout
    while True:
        with db.session() as session:
            left = backlog(session)
        if left.pending + left.sending == 0:
            return
        assert time.monotonic() < deadline, f"the outbox still holds {left}"
        time.sleep(0.1)


def test_two_registry_processes_share_one_postgresql(tmp_path: Path, facts: dict[str, Any], local_stack: LocalStack,
                                                     postgres: PostgresServer) -> None:
    url = postgres.create_database("scale_out")
    db = storage.Database(url)
    with db.session() as session:
        token = storage.create_token(session, "scale-out test", {"*": list(ALL_SCOPES)})
    si = facts["vendors"]["sinch"]
    batches = f"/xms/v1/{si['service_plan_id']}/batches"
    processes = [ServeProcess(tmp_path, facts, database=url, name=f"serve{i}") for i in range(2)]
    try:
        for process in processes:
            process.start()
        client = RegistryClient(processes[0].url, token)
        webhook = sinch_webhook(client, facts)
        client.close()
        to = webhook["sender_number"]
        fault(si["url"], status=None, answer_delay=0.05, count=1_000_000, path=batches)
        sent_before = len(local_stack.vendors.sinch.outbox)

        # 1. Load over both, and the same request ID posted to both at once.
        def burst(index: int) -> None:
            request = sinch_request(profile=f"+14155558{index % 40:03d}", text=("STOP", "START", "HELP")[index % 3],
                                    request_id=f"01SCALE{index:05d}", to=to)
            gate = threading.Barrier(2)

            def one(process: ServeProcess) -> None:
                gate.wait()
                assert post(_on(process, webhook["url"]), request).status_code == 200

            pair = [threading.Thread(target=one, args=(p,)) for p in processes]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join()

        for start in range(0, 40, 8):
            workers = [threading.Thread(target=burst, args=(i,)) for i in range(start, start + 8)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()

        # 2. One profile's messages, alternating between the processes: replies keep their order.
        profile = "+14155558999"
        script = ["HELP", "STOP", "START", "HELP", "STOP", "START", "STOP", "HELP", "START", "STOP"]
        for index, text in enumerate(script):
            request = sinch_request(profile=profile, text=text, request_id=f"01ORDER{index:05d}", to=to)
            assert post(_on(processes[index % 2], webhook["url"]), request).status_code == 200
        _drained(db)
        decided = [_counter(p, "smschannel_inbound_decisions_total") for p in processes]
        replied = [_counter(p, "smschannel_replies_total") for p in processes]
    finally:
        clear_faults(si["url"])
        for process in processes:
            process.stop()

    with db.session() as session:
        events = session.scalars(select(storage.InboundEventRow).order_by(storage.InboundEventRow.id)).all()
        rows = session.scalars(select(storage.OutboxRow)).all()
        consent = session.get(storage.ConversationRow, ("prod", to, profile))
        assert consent is not None and consent.consent == "opted_out"
    db.dispose()
    assert Counter(e.request_id for e in events) == Counter(
        [f"01SCALE{i:05d}" for i in range(40)] + [f"01ORDER{i:05d}" for i in range(len(script))])
    assert len(rows) == len(events) and {r.status for r in rows} == {"sent"}
    assert all(count > 0 for count in decided) and sum(decided) == len(events)
    assert sum(replied) == len(rows)
    references = Counter(b.get("client_reference") for b in local_stack.vendors.sinch.outbox[sent_before:])
    assert {r.reference for r in rows} == set(references) and set(references.values()) == {1}
    ordered = [b["body"] for b in local_stack.vendors.sinch.outbox[sent_before:] if b["to"] == [profile]]
    assert ordered == [REPLIES[t] for t in script]
    print(f"\nscale-out: decisions per process {decided}, replies sent per process {replied}")


def test_readiness_fails_while_the_database_cannot_be_reached(tmp_path: Path, facts: dict[str, Any],
                                                              postgres: PostgresServer) -> None:
    url = postgres.create_database("readiness")
    with own_registry(tmp_path, facts, replies=ReplySettings(), sender=False, database=url) as registry:
        ready = f"{registry.url}/v1/readyz"
        assert httpx.get(ready).json() == {"status": "ready"}
        with psycopg.connect(postgres.dsn("postgres"), autocommit=True) as admin:
            admin.execute("ALTER DATABASE readiness ALLOW_CONNECTIONS false")
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'readiness'")
            answer = httpx.get(ready)
            assert answer.status_code == 503
            assert answer.json()["detail"].startswith("the database cannot be reached: ")
            assert httpx.get(f"{registry.url}/v1/healthz").status_code == 200  # alive, not ready
            admin.execute("ALTER DATABASE readiness ALLOW_CONNECTIONS true")
        assert httpx.get(ready).status_code == 200
