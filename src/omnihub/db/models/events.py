from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from omnihub.db.models.base import Base, created_at_column


class EventQueueEntry(Base):
    """An event written by a service, in the same transaction as the change it describes.

    Its id is not what clients see: ids handed out before commit can become visible out of order
    (a transaction that took id 10 may commit after the one that took id 11), and a client that
    resumed after 11 would never see 10. The sequencer moves committed entries into ``events``.
    """

    __tablename__ = "event_queue"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    inbox_id: Mapped[int | None] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()


class Event(Base):
    """The event log that agents' screens follow: ids increase in the order events became visible.

    Only the sequencer (one per cluster, elected by an advisory lock) inserts here, one transaction
    at a time, so a reader that has seen id N can never later find a committed row below N.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    inbox_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
