"""API tokens can expire: console sessions always do, tokens for programs when asked to

Console session tokens expired ``OMNIHUB_SESSION_HOURS`` after ``created_at``, computed at every
request; they now carry ``expires_at``, set when issued. Existing sessions get the default 12 hours.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE api_tokens SET expires_at = created_at + interval '12 hours' WHERE name = 'console session'"
    )


def downgrade() -> None:
    op.drop_column("api_tokens", "expires_at")
