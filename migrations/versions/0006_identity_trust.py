"""Identity trust: how each identity was learnt, through which inbox, and where a conversation's replies go

Before, identities were global and any channel could attach an e-mail address to a contact, and replies
went to the contact's newest e-mail address, so existing identities cannot all be trusted:

- an API identifier is proven (``channel``), learnt through its inbox;
- an e-mail address is proven when mail from it was received in a conversation of its contact, learnt
  through that inbox; else it is the address an agent wrote to (``agent``) when its contact has an
  e-mail conversation that nobody wrote into, and otherwise only a claim (``claimed``);
- any other identity (phone numbers pushed over the API) is a claim.

An e-mail conversation replies to the sender of its latest incoming mail, or else to the address its
agent chose; an API conversation to its contact's identifier in that inbox.

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
    _backfill_identities()
    op.create_index(
        "uq_contact_identities_proven",
        "contact_identities",
        ["kind", "scope", "address"],
        unique=True,
        postgresql_where=sa.text("provenance = 'channel'"),
    )
    op.create_index(
        "uq_contact_identities_chosen",
        "contact_identities",
        ["inbox_id", "kind", "scope", "address"],
        unique=True,
        postgresql_where=sa.text("provenance = 'agent'"),
    )
    op.create_index(
        "uq_contact_identities_claimed",
        "contact_identities",
        ["contact_id", "kind", "scope", "address"],
        unique=True,
        postgresql_where=sa.text("provenance = 'claimed'"),
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
    _backfill_reply_addresses()


# Mail received in a conversation of the contact, from the address: what proves an e-mail identity.
_MAIL_FROM = """
    SELECT c.inbox_id, m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
    JOIN inboxes i ON i.id = c.inbox_id
    WHERE c.contact_id = ci.contact_id AND i.channel_type = 'email' AND m.direction = 'incoming'
      AND lower(m.extra->'email'->'from'->>'address') = ci.address
"""


def _backfill_identities() -> None:
    op.execute(
        """
        UPDATE contact_identities ci SET provenance = 'claimed'
        WHERE ci.kind <> 'api' AND ci.kind <> 'email'
        """
    )
    op.execute(
        """
        UPDATE contact_identities ci SET inbox_id = i.id
        FROM inboxes i WHERE ci.kind = 'api' AND i.channel_type = 'api' AND ci.scope = i.id::text
        """
    )
    op.execute(
        f"""
        UPDATE contact_identities ci SET inbox_id = (
            SELECT found.inbox_id FROM ({_MAIL_FROM}) AS found ORDER BY found.id LIMIT 1
        )
        WHERE ci.kind = 'email' AND EXISTS ({_MAIL_FROM})
        """
    )
    # The rest of the e-mail addresses: the one an agent wrote to, where nobody has written back yet.
    op.execute(
        """
        UPDATE contact_identities ci SET provenance = 'agent', inbox_id = (
            SELECT min(c.inbox_id) FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
            WHERE c.contact_id = ci.contact_id AND i.channel_type = 'email'
        )
        WHERE ci.kind = 'email' AND ci.inbox_id IS NULL AND ci.id = (
            SELECT min(first.id) FROM contact_identities first
            WHERE first.contact_id = ci.contact_id AND first.kind = 'email'
        ) AND EXISTS (
            SELECT 1 FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
            WHERE c.contact_id = ci.contact_id AND i.channel_type = 'email'
              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'incoming')
        )
        """
    )
    op.execute("UPDATE contact_identities SET provenance = 'claimed' WHERE kind = 'email' AND inbox_id IS NULL")


def _backfill_reply_addresses() -> None:
    op.execute(
        """
        UPDATE conversations c SET reply_identity_id = (
            SELECT ci.id FROM contact_identities ci
            WHERE ci.contact_id = c.contact_id AND ci.kind = 'email' AND ci.provenance <> 'claimed'
              AND ci.address IN (
                  SELECT lower(m.extra->'email'->'from'->>'address') FROM messages m
                  WHERE m.conversation_id = c.id AND m.direction = 'incoming'
                  ORDER BY m.id DESC LIMIT 1
              )
        )
        FROM inboxes i WHERE i.id = c.inbox_id AND i.channel_type = 'email'
        """
    )
    op.execute(
        """
        UPDATE conversations c SET reply_identity_id = (
            SELECT ci.id FROM contact_identities ci
            WHERE ci.contact_id = c.contact_id AND ci.kind = 'email' AND ci.provenance = 'agent'
              AND ci.inbox_id = c.inbox_id
            ORDER BY ci.id LIMIT 1
        )
        FROM inboxes i
        WHERE i.id = c.inbox_id AND i.channel_type = 'email' AND c.reply_identity_id IS NULL
        """
    )
    op.execute(
        """
        UPDATE conversations c SET reply_identity_id = (
            SELECT ci.id FROM contact_identities ci
            WHERE ci.contact_id = c.contact_id AND ci.kind = 'api' AND ci.scope = c.inbox_id::text
            ORDER BY ci.id LIMIT 1
        )
        FROM inboxes i WHERE i.id = c.inbox_id AND i.channel_type = 'api'
        """
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_conversations_reply_identity_id"), table_name="conversations")
    op.drop_constraint(
        op.f("fk_conversations_reply_identity_id_contact_identities"), "conversations", type_="foreignkey"
    )
    op.drop_column("conversations", "reply_identity_id")
    # Claimed and chosen identities may duplicate others; the global uniqueness of before cannot hold with them.
    op.execute(
        """
        DELETE FROM contact_identities ci WHERE ci.provenance <> 'channel' AND EXISTS (
            SELECT 1 FROM contact_identities other
            WHERE other.kind = ci.kind AND other.scope = ci.scope AND other.address = ci.address
              AND (other.provenance = 'channel' OR other.id < ci.id)
        )
        """
    )
    op.drop_index("uq_contact_identities_claimed", table_name="contact_identities")
    op.drop_index("uq_contact_identities_chosen", table_name="contact_identities")
    op.drop_index("uq_contact_identities_proven", table_name="contact_identities")
    op.create_unique_constraint(
        op.f("uq_contact_identities_kind_scope_address"), "contact_identities", ["kind", "scope", "address"]
    )
    op.drop_index(op.f("ix_contact_identities_inbox_id"), table_name="contact_identities")
    op.drop_constraint(op.f("fk_contact_identities_inbox_id_inboxes"), "contact_identities", type_="foreignkey")
    op.drop_constraint(op.f("ck_contact_identities_provenance"), "contact_identities", type_="check")
    op.drop_column("contact_identities", "inbox_id")
    op.drop_column("contact_identities", "provenance")
