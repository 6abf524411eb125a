"""The registry's schema under Alembic, on real SQLite files: the models match the newest revision,
data written at the baseline survives every revision, a database from before migrations is stamped
and kept, and several registries may open one database at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, create_engine, inspect, pool, text

from smschannel.errors import SmschannelError
from smschannel.registry import migrations, storage

TOKEN = "smc_test-token"
# One row per table, written with plain SQL in the baseline's columns, as a registry of that time left them.
BASELINE_ROWS: dict[str, dict[str, Any]] = {
    "objects": {"id": "cfg_0123456789abcdef", "sandbox": "prod", "kind": "configuration", "name": "main",
                "attributes": '{"name": "main", "channel": "sms"}', "sealed": b"\x00sealed", "lookup": "hook-token",
                "internal": '{"previous_url": "https://old.example"}', "created_at": "2026-01-02 03:04:05.000000",
                "updated_at": "2026-01-02 03:04:05.000000"},
    "tokens": {"id": "tok_0123456789abcdef", "name": "ci", "token_hash": storage.hash_token(TOKEN),
               "grants": '{"prod": ["sms_settings.read"]}', "created_at": "2026-01-02 03:04:05.000000"},
    "conversations": {"sandbox": "prod", "sender_number": "+14155550100", "profile_number": "+14155550123",
                      "consent": "opted_out", "consent_changed_at": "2026-01-02 03:04:06.000000",
                      "consent_request_id": "SM1", "pending_kind": None, "pending_since": None},
    "inbound_events": {"id": 7, "webhook_id": "whk_0123456789abcdef", "sandbox": "prod",
                       "sender_number": "+14155550100", "profile_number": "+14155550123", "request_id": "SM1",
                       "text": "STOP", "action": "opt_out", "keyword": "STOP", "reply": "You are unsubscribed.",
                       "reply_status": "sent", "consent": "opted_out", "fuzzy_score": 0.5,
                       "received_at": "2026-01-02 03:04:06.000000", "created_at": "2026-01-02 03:04:06.000000"},
    "deliveries": {"id": 3, "webhook_id": "whk_0123456789abcdef", "sandbox": "prod", "client_reference": "ref-1",
                   "status": "delivered", "status_code": "0", "error_code": None, "recipient": "+14155550123",
                   "request_id": "DR1", "received_at": "2026-01-02 03:04:07.000000"},
}


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'registry.db'}"


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    made = create_engine(url, poolclass=pool.NullPool)
    yield made
    made.dispose()


def revisions_in_order() -> list[str]:
    return [script.revision for script in reversed(list(migrations.scripts().walk_revisions()))]


def upgrade_to(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), revision)


def fill_with_baseline_rows(engine: Engine) -> None:
    with engine.begin() as connection:
        for table, row in BASELINE_ROWS.items():
            columns = ", ".join(row)
            values = ", ".join(f":{column}" for column in row)
            connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


def assert_rows_kept(engine: Engine) -> None:
    with engine.connect() as connection:
        for table in BASELINE_ROWS:
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1, table


def assert_registry_reads_baseline_rows(db: storage.Database) -> None:
    """What the registry reads back, through its own models."""
    with db.session() as session:
        token = storage.find_token(session, TOKEN)
        assert token is not None and token.name == "ci" and token.grants == {"prod": ["sms_settings.read"]}
        row = storage.get_object(session, "prod", "configuration", "cfg_0123456789abcdef")
        assert row is not None and row.attributes == {"name": "main", "channel": "sms"}
        assert row.sealed == b"\x00sealed" and row.internal == {"previous_url": "https://old.example"}
        assert storage.find_by_lookup(session, "hook-token") is row
        conversation = session.get(storage.ConversationRow, ("prod", "+14155550100", "+14155550123"))
        assert conversation is not None and conversation.consent == "opted_out"
        event = session.get(storage.InboundEventRow, 7)
        assert event is not None and (event.text, event.action, event.fuzzy_score) == ("STOP", "opt_out", 0.5)
        delivery = session.get(storage.DeliveryRow, 3)
        assert delivery is not None and (delivery.client_reference, delivery.status) == ("ref-1", "delivered")


def assert_at_head(engine: Engine) -> None:
    with engine.connect() as connection:
        assert migrations.current_revisions(connection) == set(migrations.scripts().get_heads())


def test_the_models_match_the_newest_revision(engine: Engine) -> None:
    """A change to storage.py without a migration fails here: add one (see README, "The registry's database")."""
    migrations.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, storage.Base.metadata) == []


def test_revisions_form_one_line_from_the_baseline() -> None:
    script = migrations.scripts()
    assert script.get_bases() == [migrations.BASELINE]
    assert len(script.get_heads()) == 1
    for number, revision in enumerate(revisions_in_order(), start=1):
        assert revision.startswith(f"{number:04d}_") and len(revision) <= 32, revision


def test_rows_written_at_the_baseline_survive_every_revision(engine: Engine, url: str) -> None:
    first, *later = revisions_in_order()
    assert first == migrations.BASELINE
    upgrade_to(engine, first)
    fill_with_baseline_rows(engine)
    for revision in later:
        upgrade_to(engine, revision)
        assert_rows_kept(engine)
    db = storage.Database(url)
    assert_at_head(db.engine)
    assert_registry_reads_baseline_rows(db)
    db.dispose()


def test_a_database_from_before_migrations_is_stamped_and_keeps_its_data(tmp_path: Path, engine: Engine,
                                                                        url: str) -> None:
    # What `Base.metadata.create_all` made before migrations existed: the baseline's tables, read back
    # from a scratch database at the baseline (storage.py may since have moved on), and no alembic_version.
    scratch = create_engine(f"sqlite:///{tmp_path / 'scratch.db'}", poolclass=pool.NullPool)
    upgrade_to(scratch, migrations.BASELINE)
    baseline = MetaData()
    baseline.reflect(scratch, only=list(BASELINE_ROWS))
    scratch.dispose()
    baseline.create_all(engine)
    fill_with_baseline_rows(engine)
    assert not inspect(engine).has_table("alembic_version")

    db = storage.Database(url)
    assert_at_head(db.engine)
    assert_rows_kept(db.engine)
    assert_registry_reads_baseline_rows(db)
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), storage.Base.metadata) == []
    db.dispose()


def test_two_registries_open_one_database(url: str) -> None:
    first, second = storage.Database(url), storage.Database(url)
    with first.session() as session:
        token = storage.create_token(session, "ci", {"prod": ["sms_settings.read"]})
    with second.session() as session:
        assert storage.find_token(session, token) is not None
    first.dispose()
    second.dispose()


@pytest.mark.parametrize("made_before_migrations", [False, True], ids=["new", "pre-migrations"])
def test_registries_starting_together_migrate_once(engine: Engine, url: str, made_before_migrations: bool) -> None:
    if made_before_migrations:
        upgrade_to(engine, migrations.BASELINE)
        fill_with_baseline_rows(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
    starting = 4
    barrier = threading.Barrier(starting)
    opened: list[storage.Database] = []
    failures: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            opened.append(storage.Database(url))
        except BaseException as exc:  # reported below, with the thread's error
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(starting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert_at_head(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    if made_before_migrations:
        assert_registry_reads_baseline_rows(opened[0])
    for db in opened:
        db.dispose()


def test_a_database_newer_than_this_smschannel_is_refused(engine: Engine, url: str) -> None:
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    (head,) = migrations.scripts().get_heads()
    with pytest.raises(SmschannelError) as refused:
        storage.Database(url)
    assert str(refused.value) == (f"the registry database is at revision 9999_from_the_future, which this smschannel "
                                  f"does not know (its newest is {head}): run a newer smschannel")


def test_next_revision_id_numbers_and_fits_alembic_version() -> None:
    number = len(revisions_in_order()) + 1
    assert migrations.next_revision_id("Add objects.notes!") == f"{number:04d}_add_objects_notes"
    long = migrations.next_revision_id("keep the vendor's delivery receipts for ninety days")
    assert long == f"{number:04d}_keep_the_vendor_s_delivery"  # cut at 32 characters, no trailing "_"


def test_the_helper_upgrades_a_database(engine: Engine, url: str) -> None:
    from smschannel.registry.migrations.__main__ import main

    main(["upgrade", "--database", url])
    assert_at_head(engine)
