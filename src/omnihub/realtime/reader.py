"""Following the event log on this node: every new event, once, in order, to the local gateway."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from omnihub.db.pg import CONNECTION_ERRORS, RawConnection, listening
from omnihub.domain.backoff import Backoff
from omnihub.domain.events import EventType
from omnihub.realtime.frames import AgentFrame, MembershipChange
from omnihub.services import event_log
from omnihub.services.event_log import LOG_CHANNEL

logger = logging.getLogger(__name__)

PAGE = 1000


def _agent_frame(row: Mapping[str, Any]) -> AgentFrame:
    inbox_id: int | None = row["inbox_id"]
    inbox_ids = () if inbox_id is None else (inbox_id,)
    if row["audience"]:
        inbox_ids = tuple(dict.fromkeys([*inbox_ids, *row["audience"]]))
    membership = None
    if row["member_id"] is not None and inbox_id is not None:
        membership = MembershipChange(row["type"] == EventType.INBOX_MEMBER_ADDED, inbox_id, row["member_id"])
    return AgentFrame(row["frame"], inbox_ids, row["id"], membership, row["recipient"])


async def read_after(connection: RawConnection, after_id: int, limit: int = PAGE) -> list[AgentFrame]:
    return [_agent_frame(row) for row in await event_log.read_after(connection, after_id, limit)]


class EventLogReader:
    """Reads the log after every notification of the sequencer (or each ``poll_seconds``) and awaits
    ``deliver`` for each page, which answers how long it spent writing.

    After a delivery that took a while (many sockets) the reader pauses for half as long (at most
    ``max_pause_seconds``) before it reads again: the events of that time gather into one page, written
    to each socket at once. Each write is a system call, on the server and on the client, so the cost
    per event falls as the load grows, and the writing never takes more than two thirds of the loop's
    time. Under light load deliveries are quick and so is the pause. (A longer pause costs latency: at
    1,000 agents and 100 events/s, pausing twice as long as the delivery instead of half as long saved
    a sixth of the hub's CPU and added 8-10 ms to the median event.)
    """

    def __init__(
        self,
        dsn: str,
        deliver: Callable[[Sequence[AgentFrame]], Awaitable[float]],
        *,
        poll_seconds: float = 1.0,
        max_pause_seconds: float = 0.02,
        signal_handlers: Mapping[str, Callable[[str], None]] | None = None,
        on_listening: Callable[[], None] | None = None,
    ) -> None:
        self.dsn = dsn
        self.deliver = deliver
        self.poll_seconds = poll_seconds
        self.max_pause_seconds = max_pause_seconds
        self.signal_handlers = signal_handlers or {}
        self.on_listening = on_listening
        self.last_id: int | None = None
        self.ready = asyncio.Event()
        self._wakeup = asyncio.Event()

    async def run(self) -> None:
        backoff = Backoff()
        while True:
            try:
                async with listening(self.dsn, [LOG_CHANNEL], self._wakeup, self.signal_handlers) as connection:
                    backoff.reset()
                    if self.last_id is None:
                        _, self.last_id = await event_log.log_bounds(connection)
                    self.ready.set()
                    if self.on_listening is not None:
                        self.on_listening()
                    await self._follow(connection)
            except CONNECTION_ERRORS as exc:
                # Nothing is lost: the next connection reads on from the last id delivered.
                logger.warning("event log reader lost its database connection (%s); reconnecting", exc)
            await asyncio.sleep(backoff.next_delay())

    async def _follow(self, connection: RawConnection) -> None:
        assert self.last_id is not None
        while True:
            self._wakeup.clear()
            events = await read_after(connection, self.last_id)
            if events:
                self.last_id = events[-1].id or self.last_id
                writing = await self.deliver(events)
                await asyncio.sleep(min(writing / 2, self.max_pause_seconds))
                if len(events) == PAGE or self._wakeup.is_set():
                    continue
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that arrives as
            # the event is set, and the task would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wakeup.wait()
