"""The baseline: the schema the registry created itself (`Base.metadata.create_all`) before it had
migrations, table for table, as storage.py defined it at commit 0952f8d. A database made then has
these tables and no `alembic_version`; `migrations.upgrade` stamps it at this revision.

Revision ID: 0001_baseline
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_baseline"
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "objects",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("sandbox", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.Column("lookup", sa.String(length=300), nullable=True),
        sa.Column("internal", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sandbox", "kind", "name", name="one_name_per_kind"),
        sa.UniqueConstraint("lookup"),
    )
    op.create_index("ix_objects_sandbox", "objects", ["sandbox"], unique=False)
    op.create_index("ix_objects_kind", "objects", ["kind"], unique=False)

    op.create_table(
        "tokens",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("grants", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )

    op.create_table(
        "conversations",
        sa.Column("sandbox", sa.String(length=64), nullable=False),
        sa.Column("sender_number", sa.String(length=32), nullable=False),
        sa.Column("profile_number", sa.String(length=32), nullable=False),
        sa.Column("consent", sa.String(length=16), nullable=True),
        sa.Column("consent_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_request_id", sa.String(length=200), nullable=True),
        sa.Column("pending_kind", sa.String(length=32), nullable=True),
        sa.Column("pending_since", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("sandbox", "sender_number", "profile_number"),
    )

    op.create_table(
        "inbound_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("webhook_id", sa.String(length=40), nullable=False),
        sa.Column("sandbox", sa.String(length=64), nullable=False),
        sa.Column("sender_number", sa.String(length=32), nullable=False),
        sa.Column("profile_number", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("keyword", sa.String(length=100), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("reply_status", sa.String(length=300), nullable=False),
        sa.Column("consent", sa.String(length=16), nullable=True),
        sa.Column("fuzzy_score", sa.Double(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("webhook_id", "request_id", name="one_decision_per_request"),
    )
    op.create_index("ix_inbound_events_webhook_id", "inbound_events", ["webhook_id"], unique=False)
    op.create_index("ix_inbound_events_profile_number", "inbound_events", ["profile_number"], unique=False)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("webhook_id", sa.String(length=40), nullable=False),
        sa.Column("sandbox", sa.String(length=64), nullable=False),
        sa.Column("client_reference", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("status_code", sa.String(length=100), nullable=False),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("webhook_id", "request_id", "recipient", "status_code", name="one_report"),
    )
    op.create_index("ix_deliveries_webhook_id", "deliveries", ["webhook_id"], unique=False)
    op.create_index("ix_deliveries_client_reference", "deliveries", ["client_reference"], unique=False)


def downgrade() -> None:
    for table in ("deliveries", "inbound_events", "conversations", "tokens", "objects"):
        op.drop_table(table)
