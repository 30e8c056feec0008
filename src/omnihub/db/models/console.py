"""What the agent console keeps per user: read marks, drafts, and the first-run setup codes."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnihub.db.models.base import Base, created_at_column


class ConversationRead(Base):
    """How far a user has read a conversation; no row means nothing read yet.

    ``last_read_message_id`` is compared with message ids (which only grow), so "unread" is "an incoming
    message with a higher id", answered from the messages' (conversation_id, id) index.
    """

    __tablename__ = "conversation_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # "Mark as unread": unread whatever was read, until the user reads the conversation again.
    marked_unread: Mapped[bool] = mapped_column(default=False, server_default="false")


class Draft(Base):
    """A reply or note being written, one per user and conversation, seen only by its author."""

    __tablename__ = "drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    content: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(default=False, server_default="false")
    updated_at: Mapped[datetime] = created_at_column()


class SetupCode(Base):
    """A first-run setup code printed by a starting node; only its SHA-256 is kept (see services.setup)."""

    __tablename__ = "setup_codes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
