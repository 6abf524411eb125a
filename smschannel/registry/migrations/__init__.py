"""The registry's schema as Alembic migrations, shipped in the package (`versions/`), run from code:
`alembic_config()` builds the configuration, no alembic.ini is read.

`upgrade(engine)` brings a database to the newest revision; `storage.Database` calls it on start.

- A database made before migrations existed (the registry's tables but no `alembic_version` table) is
  stamped at `0001_baseline`, the schema those versions created, then upgraded. Nothing is re-created.
- Several processes may start at once on one database. The upgrade runs in one transaction that first
  takes a lock, then reads the revision again, so only the first process migrates and the others find
  the database at head: on PostgreSQL a transaction-level advisory lock
  (`pg_advisory_xact_lock(LOCK_KEY)`), on SQLite `BEGIN IMMEDIATE`, the database's write lock (the
  others wait, up to the 30 s busy timeout). Either lock ends with the transaction, even on a crash.
- A schema change is a new revision: `python -m smschannel.registry.migrations revision -m "..."`
  compares `storage.Base.metadata` with a scratch database at head and writes `versions/NNNN_<slug>.py`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, pool, text

from smschannel.errors import SmschannelError

BASELINE = "0001_baseline"
"""The schema the registry had when it still created its tables itself (`create_all`)."""
LOCK_KEY = 0x736D_7363_6861_6E6E
"""The PostgreSQL advisory lock held while migrating (the bytes of "smschann")."""
_HERE = Path(__file__).resolve().parent
_REVISION_ID_LENGTH = 32
"""`alembic_version.version_num` is a VARCHAR(32)."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for these migrations; with `connection`, env.py migrates through it."""
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.set_main_option("file_template", "%%(rev)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def current_revisions(connection: Connection) -> set[str]:
    """The revisions the database is at: empty before the first migration."""
    return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision, stamping a pre-migrations database at the baseline."""
    script = scripts()
    heads = set(script.get_heads())
    with engine.connect() as connection:
        if current_revisions(connection) == heads:
            return
    with _migration_lock(engine) as connection:
        revisions = current_revisions(connection)
        unknown = revisions - {s.revision for s in script.walk_revisions()}
        if unknown:
            raise SmschannelError(
                f"the registry database is at revision {', '.join(sorted(unknown))}, which this smschannel "
                f"does not know (its newest is {', '.join(sorted(heads))}): run a newer smschannel")
        if revisions == heads:
            return
        config = alembic_config(connection)
        if not revisions and inspect(connection).has_table("objects"):
            command.stamp(config, BASELINE)
        command.upgrade(config, "heads")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """One transaction that holds the migration lock; committed when the block ends, else rolled back."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # pysqlite sends no BEGIN before DDL, so this is the transaction's start; it takes the write lock.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        yield connection
        connection.commit()


def next_revision_id(message: str) -> str:
    """`NNNN_<slug>`: the next number, then the message's words, within alembic's 32 characters."""
    number = f"{len(list(scripts().walk_revisions())) + 1:04d}_"
    slug = "_".join(re.findall(r"[a-z0-9]+", message.lower()))
    return (number + slug)[:_REVISION_ID_LENGTH].rstrip("_")


def new_revision(message: str, *, database: str | None = None, autogenerate: bool = True) -> Path:
    """Write the next revision file and return its path. Autogenerate compares the models with
    `database` (an SQLAlchemy URL), by default a scratch SQLite database upgraded to head."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(database or f"sqlite:///{scratch}/head.db", poolclass=pool.NullPool)
        try:
            upgrade(engine)
            with engine.connect() as connection:
                made = command.revision(alembic_config(connection), message, autogenerate=autogenerate,
                                        rev_id=next_revision_id(message))
        finally:
            engine.dispose()
    assert made is not None and not isinstance(made, list)
    return Path(made.path)


__all__ = [
    "BASELINE",
    "LOCK_KEY",
    "alembic_config",
    "current_revisions",
    "new_revision",
    "next_revision_id",
    "scripts",
    "upgrade",
]
