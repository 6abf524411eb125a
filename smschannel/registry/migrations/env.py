"""Alembic's environment for the registry. `smschannel.registry.migrations` runs it with an open
connection (in `config.attributes["connection"]`), inside the transaction that holds its lock; alembic
then neither begins nor commits. Autogenerate compares against `storage.Base.metadata`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from smschannel.registry.storage import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run the registry's migrations through smschannel.registry.migrations "
                       "(python -m smschannel.registry.migrations --help), which passes a connection")
# render_as_batch: generated ALTERs also work on SQLite (a table copy there, plain ALTER on PostgreSQL).
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
