"""A resuming client's backlog: every event after its last id that it may see, straight from the log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from omnihub.realtime.gateway import Subscriber
from omnihub.realtime.reader import PAGE, read_after


async def send_backlog(
    engine: AsyncEngine, subscriber: Subscriber, since: int, send_text: Callable[[str], Awaitable[None]]
) -> bool:
    """Send every visible event after ``since``; False if the log no longer reaches back that far."""
    async with engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        oldest = await raw.fetchval("SELECT min(id) FROM events")
        newest = await raw.fetchval("SELECT coalesce(max(id), 0) FROM events")
        if since > newest or (oldest is not None and since < oldest - 1):
            return False
        subscriber.last_sent = since
        while True:
            page = await read_after(raw, subscriber.last_sent)
            await subscriber.send_backlog(page, send_text)
            if len(page) < PAGE:
                return True
