"""Writing to the event log, always inside the caller's transaction."""

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Event
from omnihub.domain.events import EventType


async def record_event(
    session: AsyncSession, event_type: EventType, data: dict[str, Any], *, inbox_id: int | None
) -> None:
    await session.execute(insert(Event).values(type=event_type.value, inbox_id=inbox_id, data=data))
