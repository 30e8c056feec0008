"""The agent console: read marks, drafts, first-run setup codes, and each user's console language

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _per_user_and_conversation(table: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        table,
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("conversation_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f(f"fk_{table}_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "conversation_id", name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_conversation_id"), table, ["conversation_id"])


def upgrade() -> None:
    op.add_column("users", sa.Column("locale", sa.String(length=8), nullable=True))
    _per_user_and_conversation(
        "conversation_reads",
        sa.Column("last_read_message_id", sa.BigInteger(), nullable=True),
        sa.Column("marked_unread", sa.Boolean(), server_default="false", nullable=False),
    )
    _per_user_and_conversation(
        "drafts",
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("private", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_table(
        "setup_codes",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_setup_codes_code_hash")),
    )


def downgrade() -> None:
    op.drop_table("setup_codes")
    op.drop_table("drafts")
    op.drop_table("conversation_reads")
    op.drop_column("users", "locale")
