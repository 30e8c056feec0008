"""Pull connectors: cursors, a record of every fetched item, quarantine

Mailboxes (and other channels the hub fetches from) keep a durable cursor per stream, a record of
each item fetched (so nothing is imported twice, even after its conversation was deleted), and a
quarantine for raw input that could not be parsed.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pull_cursors",
        sa.Column("inbox_id", sa.BigInteger(), nullable=False),
        sa.Column("stream", sa.String(length=255), nullable=False),
        sa.Column("cursor", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("progress", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["inbox_id"], ["inboxes.id"], name=op.f("fk_pull_cursors_inbox_id_inboxes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("inbox_id", "stream", name=op.f("pk_pull_cursors")),
    )
    op.create_table(
        "pull_records",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("inbox_id", sa.BigInteger(), nullable=False),
        sa.Column("source_key", sa.String(length=512), nullable=False),
        sa.Column("dedupe_key", sa.String(length=998), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('imported', 'duplicate', 'quarantined')", name=op.f("ck_pull_records_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["inbox_id"], ["inboxes.id"], name=op.f("fk_pull_records_inbox_id_inboxes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_pull_records_message_id_messages"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pull_records")),
        sa.UniqueConstraint("inbox_id", "source_key", name=op.f("uq_pull_records_inbox_id_source_key")),
    )
    op.create_index("ix_pull_records_inbox_id_dedupe_key", "pull_records", ["inbox_id", "dedupe_key"])
    op.create_index(op.f("ix_pull_records_message_id"), "pull_records", ["message_id"])
    op.create_table(
        "quarantined_items",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("inbox_id", sa.BigInteger(), nullable=False),
        sa.Column("source_key", sa.String(length=512), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("raw_size", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="1", nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("state IN ('held', 'released')", name=op.f("ck_quarantined_items_state")),
        sa.ForeignKeyConstraint(
            ["inbox_id"], ["inboxes.id"], name=op.f("fk_quarantined_items_inbox_id_inboxes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_quarantined_items_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_items")),
    )
    op.create_index("ix_quarantined_items_inbox_id_id", "quarantined_items", ["inbox_id", "id"])


def downgrade() -> None:
    op.drop_table("quarantined_items")
    op.drop_table("pull_records")
    op.drop_table("pull_cursors")
