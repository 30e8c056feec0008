"""Conversations remember since when their contact waits for an answer (the list's waiting order)

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The first incoming message after the last outgoing reply (ids grow with time), as the services keep it:
# auto-replies ("automated" in the metadata) do not make anyone wait, notes and activities answer nobody.
BACKFILL = """
UPDATE conversations c SET waiting_since = w.since
FROM (
    SELECT m.conversation_id, min(m.created_at) AS since
    FROM messages m
    WHERE m.direction = 'incoming' AND m.kind = 'message' AND NOT (m.extra ? 'automated')
      AND m.id > coalesce((SELECT max(r.id) FROM messages r
                           WHERE r.conversation_id = m.conversation_id
                             AND r.direction = 'outgoing' AND r.kind = 'message'), 0)
    GROUP BY m.conversation_id
) w
WHERE c.id = w.conversation_id
"""


def upgrade() -> None:
    op.add_column("conversations", sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)
    op.create_index(
        "ix_conversations_waiting",
        "conversations",
        ["waiting_since", "id"],
        postgresql_where=sa.text("waiting_since IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_conversations_waiting", table_name="conversations")
    op.drop_column("conversations", "waiting_since")
