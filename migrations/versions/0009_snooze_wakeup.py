"""Waking snoozed conversations: an index of the snoozed ones by the time they are due

Revision ID: 0010
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_conversations_snoozed_until",
        "conversations",
        ["snoozed_until"],
        postgresql_where=sa.text("status = 'snoozed' AND snoozed_until IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_conversations_snoozed_until", table_name="conversations")
