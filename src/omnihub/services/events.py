"""Writing events, always inside the caller's transaction."""

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import EventQueueEntry
from omnihub.domain.events import EventType

# Set on a session that wrote events, so that committing it can wake the sequencer at once.
EVENTS_WRITTEN = "omnihub.events_written"


async def record_event(
    session: AsyncSession, event_type: EventType, data: dict[str, Any], *, inbox_id: int | None
) -> None:
    await session.execute(insert(EventQueueEntry).values(type=event_type.value, inbox_id=inbox_id, data=data))
    session.info[EVENTS_WRITTEN] = True
