"""A resuming client's backlog: every event after its last id that it may see, straight from the log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from omnihub.realtime.gateway import Subscriber
from omnihub.realtime.reader import PAGE, read_after
from omnihub.services import event_log

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine


async def send_backlog(
    engine: AsyncEngine, subscriber: Subscriber, since: int, send_text: Callable[[str], Awaitable[None]]
) -> bool:
    """Send every visible event after ``since``; False if the log no longer reaches back that far."""
    async with event_log.pooled_connection(engine) as raw:
        oldest, newest = await event_log.log_bounds(raw)
        if since > newest or (oldest is not None and since < oldest - 1):
            return False
        subscriber.last_sent = since
        while True:
            page = await read_after(raw, subscriber.last_sent)
            await subscriber.send_backlog(page, send_text)
            if len(page) < PAGE:
                return True
