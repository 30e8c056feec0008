"""Following the event log on this node: every new event, once, in order, to the local gateway."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import asyncpg

from omnihub.realtime.pg import Backoff, listening
from omnihub.realtime.sequencer import LOG_CHANNEL

logger = logging.getLogger(__name__)

PAGE = 1000

# PostgreSQL renders the frame, so a frame is serialised once however many agents receive it.
_READ_AFTER = """
SELECT id, inbox_id,
       json_build_object('id', id, 'type', type, 'data', data, 'created_at', created_at)::text AS frame
FROM events WHERE id > $1 ORDER BY id LIMIT $2
"""


@dataclass(frozen=True, slots=True)
class LogEvent:
    id: int
    inbox_id: int | None
    frame: str


async def read_after(connection: asyncpg.Connection, after_id: int, limit: int = PAGE) -> list[LogEvent]:
    rows = await connection.fetch(_READ_AFTER, after_id, limit)
    return [LogEvent(row["id"], row["inbox_id"], row["frame"]) for row in rows]


class EventLogReader:
    def __init__(self, dsn: str, deliver: Callable[[Sequence[LogEvent]], None], *, poll_seconds: float = 1.0) -> None:
        self.dsn = dsn
        self.deliver = deliver
        self.poll_seconds = poll_seconds
        self.last_id: int | None = None
        self.ready = asyncio.Event()
        self._wakeup = asyncio.Event()

    async def run(self) -> None:
        backoff = Backoff()
        while True:
            try:
                async with listening(self.dsn, [LOG_CHANNEL], self._wakeup) as connection:
                    backoff.reset()
                    if self.last_id is None:
                        self.last_id = int(await connection.fetchval("SELECT coalesce(max(id), 0) FROM events"))
                    self.ready.set()
                    await self._follow(connection)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                # Nothing is lost: the next connection reads on from the last id delivered.
                logger.warning("event log reader lost its database connection (%s); reconnecting", exc)
            await backoff.sleep()

    async def _follow(self, connection: asyncpg.Connection) -> None:
        assert self.last_id is not None
        while True:
            self._wakeup.clear()
            events = await read_after(connection, self.last_id)
            if events:
                self.last_id = events[-1].id
                self.deliver(events)
                if len(events) == PAGE:
                    continue
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that arrives as
            # the event is set, and the task would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wakeup.wait()
