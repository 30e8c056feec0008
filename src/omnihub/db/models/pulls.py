from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from omnihub.db.models.base import Base, created_at_column, enum_check
from omnihub.domain.enums import PullOutcome, QuarantineState


class PullCursor(Base):
    """How far a pull connector got in one stream (a mail folder), and what it last reported.

    ``cursor`` changes only in the transaction that stores the items it covers; ``progress`` and
    ``error`` are informational and written as they happen.
    """

    __tablename__ = "pull_cursors"

    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id", ondelete="CASCADE"), primary_key=True)
    stream: Mapped[str] = mapped_column(String(255), primary_key=True)
    cursor: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    progress: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = created_at_column()


class PullRecord(Base):
    """Every item a pull connector handed in, whatever became of it.

    Outlives the message it created (a deleted conversation must not come back on a rescan), and its
    ``dedupe_key`` (a Message-ID) recognises the same mail fetched under another key.
    """

    __tablename__ = "pull_records"
    __table_args__ = (
        UniqueConstraint("inbox_id", "source_key"),
        CheckConstraint(enum_check("outcome", PullOutcome), name="outcome"),
        Index("ix_pull_records_inbox_id_dedupe_key", "inbox_id", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(512))
    dedupe_key: Mapped[str | None] = mapped_column(String(998))
    outcome: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at_column()


class QuarantinedItem(Base):
    """Raw input that could not be made into a message, kept with the reason until an admin retries it."""

    __tablename__ = "quarantined_items"
    __table_args__ = (
        CheckConstraint(enum_check("state", QuarantineState), name="state"),
        Index("ix_quarantined_items_inbox_id_id", "inbox_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    inbox_id: Mapped[int] = mapped_column(ForeignKey("inboxes.id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(512))
    reason: Mapped[str] = mapped_column(Text)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    raw_size: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16), default=QuarantineState.HELD)
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()
