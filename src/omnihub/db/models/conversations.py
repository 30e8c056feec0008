from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from omnihub.db.models.base import Base, created_at_column, enum_check
from omnihub.domain.enums import (
    ConversationStatus,
    DeliveryStatus,
    MessageDirection,
    MessageKind,
    Priority,
)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint(enum_check("status", ConversationStatus), name="status"),
        CheckConstraint(enum_check("priority", Priority), name="priority"),
        # The list is read newest activity first, filtered by inbox, status or assignee; each of these
        # indexes serves one filter with keyset pagination, so no page needs a sort or an OFFSET.
        Index("ix_conversations_activity", text("last_activity_at DESC"), text("id DESC")),
        Index("ix_conversations_inbox_activity", "inbox_id", text("last_activity_at DESC"), text("id DESC")),
        Index(
            "ix_conversations_inbox_status_activity",
            "inbox_id",
            "status",
            text("last_activity_at DESC"),
            text("id DESC"),
        ),
        Index("ix_conversations_status_activity", "status", text("last_activity_at DESC"), text("id DESC")),
        Index("ix_conversations_assignee_activity", "assignee_id", text("last_activity_at DESC"), text("id DESC")),
        Index("ix_conversations_contact_inbox", "contact_id", "inbox_id"),
        # The waiting order (``sort=waiting``): longest waiting first. Only waiting conversations are in it;
        # the others follow in the activity order of the indexes above.
        Index(
            "ix_conversations_waiting",
            "waiting_since",
            "id",
            postgresql_where=text("waiting_since IS NOT NULL"),
        ),
        # The snooze waker asks every few seconds for the snoozed conversations that are due: only those.
        Index(
            "ix_conversations_snoozed_until",
            "snoozed_until",
            postgresql_where=text(f"status = '{ConversationStatus.SNOOZED.value}' AND snoozed_until IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=ConversationStatus.OPEN)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    priority: Mapped[str] = mapped_column(String(16), default=Priority.NONE, server_default=Priority.NONE)
    labels: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    subject: Mapped[str | None] = mapped_column(String(998))
    created_at: Mapped[datetime] = created_at_column()
    last_activity_at: Mapped[datetime] = created_at_column()
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    # Since when the contact waits for an answer: the first incoming message no outgoing reply has followed
    # yet (notes and activities do not answer). Kept by every path that stores messages (services.messages,
    # services.ingest_sql); null when nobody waits.
    waiting_since: Mapped[datetime | None]
    # Where replies go: the address the customer wrote from (or the agent wrote to), never "the contact's
    # newest address". Changed only by an agent who can see the conversation (services.reply_address).
    reply_identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_identities.id", ondelete="SET NULL"), index=True
    )


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # The provider's id is the idempotency key: the same delivery twice is one message.
        UniqueConstraint("inbox_id", "external_id"),
        CheckConstraint(enum_check("direction", MessageDirection), name="direction"),
        CheckConstraint(enum_check("kind", MessageKind), name="kind"),
        CheckConstraint(
            f"delivery_status IS NULL OR {enum_check('delivery_status', DeliveryStatus)}",
            name="delivery_status",
        ),
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default=MessageKind.MESSAGE)
    sender_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    sender_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(512))
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    created_at: Mapped[datetime] = created_at_column()


class Attachment(Base):
    """A file of a message; its bytes live content-addressed (by SHA-256) under the data directory."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = created_at_column()
