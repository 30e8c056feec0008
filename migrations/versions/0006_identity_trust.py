"""Identity trust: how each identity was learnt, through which inbox, and where a conversation's replies go

Before, identities were global and any channel could attach an e-mail address to a contact, and replies
went to the contact's newest e-mail address. Existing identities are taken as learnt from their channel
(``channel``) through the first inbox of that channel the contact wrote in; each conversation replies to
the identity its channel knows the contact by (for e-mail, the contact's first address).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "contact_identities",
        sa.Column("provenance", sa.String(length=16), server_default="channel", nullable=False),
    )
    op.add_column("contact_identities", sa.Column("inbox_id", sa.BigInteger(), nullable=True))
    op.create_check_constraint(
        op.f("ck_contact_identities_provenance"),
        "contact_identities",
        "provenance IN ('channel', 'agent', 'claimed')",
    )
    op.create_foreign_key(
        op.f("fk_contact_identities_inbox_id_inboxes"),
        "contact_identities",
        "inboxes",
        ["inbox_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_contact_identities_inbox_id"), "contact_identities", ["inbox_id"])
    op.drop_constraint(op.f("uq_contact_identities_kind_scope_address"), "contact_identities", type_="unique")
    op.create_index(
        "uq_contact_identities_trusted",
        "contact_identities",
        ["kind", "scope", "address"],
        unique=True,
        postgresql_where=sa.text("provenance <> 'claimed'"),
    )
    op.create_index(
        "uq_contact_identities_claimed",
        "contact_identities",
        ["contact_id", "kind", "scope", "address"],
        unique=True,
        postgresql_where=sa.text("provenance = 'claimed'"),
    )
    op.execute(
        """
        UPDATE contact_identities ci SET inbox_id = (
            SELECT min(c.inbox_id) FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
            WHERE c.contact_id = ci.contact_id AND i.channel_type = ci.kind
              AND (ci.scope = '' OR ci.scope = i.id::text)
        )
        """
    )

    op.add_column("conversations", sa.Column("reply_identity_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(
        op.f("fk_conversations_reply_identity_id_contact_identities"),
        "conversations",
        "contact_identities",
        ["reply_identity_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_conversations_reply_identity_id"), "conversations", ["reply_identity_id"])
    op.execute(
        """
        UPDATE conversations c SET reply_identity_id = (
            SELECT ci.id FROM contact_identities ci JOIN inboxes i ON i.id = c.inbox_id
            WHERE ci.contact_id = c.contact_id AND ci.kind = i.channel_type
              AND (ci.scope = '' OR ci.scope = i.id::text)
            ORDER BY ci.id LIMIT 1
        )
        """
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_conversations_reply_identity_id"), table_name="conversations")
    op.drop_constraint(
        op.f("fk_conversations_reply_identity_id_contact_identities"), "conversations", type_="foreignkey"
    )
    op.drop_column("conversations", "reply_identity_id")
    # Claimed identities duplicate others; the global uniqueness of before cannot hold with them.
    op.execute("DELETE FROM contact_identities WHERE provenance = 'claimed'")
    op.drop_index("uq_contact_identities_claimed", table_name="contact_identities")
    op.drop_index("uq_contact_identities_trusted", table_name="contact_identities")
    op.create_unique_constraint(
        op.f("uq_contact_identities_kind_scope_address"), "contact_identities", ["kind", "scope", "address"]
    )
    op.drop_index(op.f("ix_contact_identities_inbox_id"), table_name="contact_identities")
    op.drop_constraint(op.f("fk_contact_identities_inbox_id_inboxes"), "contact_identities", type_="foreignkey")
    op.drop_constraint(op.f("ck_contact_identities_provenance"), "contact_identities", type_="check")
    op.drop_column("contact_identities", "inbox_id")
    op.drop_column("contact_identities", "provenance")
