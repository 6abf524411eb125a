"""reply media in the outbox: the images an MMS reply carries, from its keyword category

Revision ID: 0003_reply_media_in_the_outbox
Create Date: 2026-11-29 18:47:05.555189
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0003_reply_media_in_the_outbox'
down_revision: str | None = '0002_reply_outbox_audit_trail_to'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('media')

