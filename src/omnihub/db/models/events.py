from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from omnihub.db.models.base import Base, created_at_column


class Event(Base):
    """The event log: one row per change agents must see, ids increasing.

    ``tx_id`` is the writing transaction's id. Ids are handed out before commit, so a reader that
    only trusted ids could skip a row whose transaction commits late; comparing ``tx_id`` with the
    snapshot's oldest running transaction tells which rows can no longer appear behind the cursor.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tx_id: Mapped[int] = mapped_column(BigInteger, server_default=text("pg_current_xact_id()::text::bigint"))
    type: Mapped[str] = mapped_column(String(64))
    inbox_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
