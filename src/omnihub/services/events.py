"""Writing events, always inside the caller's transaction."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import EventQueueEntry
from omnihub.domain.events import EventType

# Set on a session that wrote events, so that committing it can wake the sequencer at once.
EVENTS_WRITTEN = "omnihub.events_written"

# An event that concerns several inboxes (a contact with conversations in some of them) keeps their
# ids under this key of its data. The log reader takes it out of the frame, so clients never see it:
# it would tell an agent about inboxes they are not a member of.
AUDIENCE_KEY = "_audience"
# A personal event (what one user read, say) keeps that user's id under this key: only their own sockets
# receive it, admins included (the log reader takes it out of the frame as well).
RECIPIENT_KEY = "_recipient"


def with_audience(data: dict[str, Any], inbox_ids: Iterable[int]) -> dict[str, Any]:
    return {**data, AUDIENCE_KEY: sorted(set(inbox_ids))}


async def record_event(
    session: AsyncSession,
    event_type: EventType,
    data: dict[str, Any],
    *,
    inbox_id: int | None,
    audience: Iterable[int] = (),
) -> None:
    """Queue an event of ``inbox_id``; members of the ``audience`` inboxes may see it as well (admins see all)."""
    audience = list(audience)
    if audience:
        data = with_audience(data, audience)
    await session.execute(insert(EventQueueEntry).values(type=event_type.value, inbox_id=inbox_id, data=data))
    session.info[EVENTS_WRITTEN] = True


async def record_personal_event(
    session: AsyncSession, event_type: EventType, data: dict[str, Any], *, user_id: int, inbox_id: int | None
) -> None:
    """Queue an event for the sockets of ``user_id`` only (no other user, not even an admin, receives it).

    ``inbox_id`` says what it is about; it does not widen who receives it.
    """
    data = {**data, RECIPIENT_KEY: user_id}
    await session.execute(insert(EventQueueEntry).values(type=event_type.value, inbox_id=inbox_id, data=data))
    session.info[EVENTS_WRITTEN] = True
