"""Remote state with locking on a real PostgreSQL (Terraform's `pg` backend): two applies of the same code at
once, as two pipeline runs would do. While one holds the lock, another with no lock timeout fails on the
lock and changes nothing, a third waits for it and then finds nothing to do: every object exists once, in
the registry and in the state."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

from smschannel.registry_client import RegistryClient
from tests.postgres import PostgresServer
from tests.support import Result, Workspace

COUNT = 8


def configuration(facts: dict[str, Any], conn_str: str) -> dict[str, Any]:
    tw = facts["vendors"]["twilio"]
    configs = {f"c{i}": {"name": f"marketing-{i}", "channel": "sms", "sms_type": "marketing",
                         "credentials_id": "${smschannel_twilio_credentials.main.id}",
                         "sender_number": tw["phone_numbers"][0]} for i in range(COUNT)}
    return {
        "terraform": {"required_providers": {"smschannel": {"source": "smschannel/smschannel"}},
                      "backend": {"pg": {"conn_str": conn_str}}},
        "provider": {"smschannel": {}},
        "resource": {"smschannel_twilio_credentials": {"main": {"name": "tw", "account_sid": tw["account_sid"],
                                                                "auth_token_env": "TWILIO_AUTH_TOKEN"}},
                     "smschannel_configuration": configs},
    }


def workspace(root: Path, home: Path, env: dict[str, str], document: dict[str, Any]) -> Workspace:
    root.mkdir()
    (root / "main.tf.json").write_text(json.dumps(document))
    return Workspace(root, home, env)


def lock_held(dsn: str) -> bool:
    """Whether Terraform's pg backend holds its advisory lock on the state."""
    with psycopg.connect(dsn) as connection:
        row = connection.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").fetchone()
    return bool(row and row[0])


def test_two_applies_at_once_share_the_state_through_the_lock(
        tmp_path: Path, tf_home: Path, env: dict[str, str], facts: dict[str, Any], postgres: PostgresServer,
        registry: RegistryClient) -> None:
    postgres.create_database("tfstate")
    conn_str = postgres.dsn("tfstate") + "?sslmode=disable"
    document = configuration(facts, conn_str)
    runs = {name: workspace(tmp_path / name, tf_home, env, document) for name in ("first", "impatient", "patient")}
    for run in runs.values():  # init each (it creates the backend's table once)
        assert run.run("validate").code == 0
    results: dict[str, Result] = {}

    def apply(name: str, *extra: str) -> None:
        results[name] = runs[name].run("apply", "-input=false", "-auto-approve", *extra)

    first = threading.Thread(target=apply, args=("first",))
    first.start()
    deadline = time.monotonic() + 120
    while not lock_held(postgres.dsn("tfstate")):
        assert time.monotonic() < deadline and first.is_alive(), "the first apply never took the lock"
        time.sleep(0.05)
    others = [threading.Thread(target=apply, args=("impatient", "-lock-timeout=0s")),
              threading.Thread(target=apply, args=("patient", "-lock-timeout=300s"))]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(timeout=600)

    assert results["first"].code == 0, str(results["first"])
    assert f"Apply complete! Resources: {COUNT + 1} added" in results["first"].output
    assert results["impatient"].code == 1
    assert "Error acquiring the state lock" in results["impatient"].flat
    assert results["patient"].code == 0, str(results["patient"])
    assert "No changes." in results["patient"].output  # it waited, then read the state the first one wrote
    assert "Apply complete! Resources: 0 added, 0 changed, 0 destroyed." in results["patient"].output
    # Nothing lost, nothing twice: the registry and the shared state hold each object once.
    assert sorted(c["name"] for c in registry.list("configuration")) == sorted(f"marketing-{i}" for i in range(COUNT))
    assert len(registry.list("twilio_credentials")) == 1
    state = runs["patient"].state()
    assert len(state) == COUNT + 1
    assert runs["impatient"].plan().code == 0  # every run sees the same state
    runs["first"].destroy()
    assert registry.list("configuration") == []
