"""The snooze waker: opens snoozed conversations when their time comes, on every node.

Every node runs one. There is no lease or leader: each pass is one transaction that takes the due
conversations with ``FOR UPDATE SKIP LOCKED`` (``services.snooze.wake_due``), so nodes polling at the same
moment share the work and never wake a conversation twice. A node that dies mid-pass rolls back; the
next pass of any node picks those conversations up again. The clock is injectable so that tests drive
passes directly at any time they like.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from omnihub.db.engine import SessionFactory
from omnihub.services import snooze

logger = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class SnoozeWaker:
    def __init__(
        self,
        sessions: SessionFactory,
        *,
        poll_seconds: float,
        batch: int = 100,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.sessions = sessions
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.clock = clock

    async def run(self) -> None:
        while True:
            try:
                woken = await self.wake_due()
            except Exception:
                logger.exception("snooze pass failed; retrying after the poll interval")
                woken = 0
            if woken < self.batch:  # a full batch: more may be due, go on at once
                await asyncio.sleep(self.poll_seconds)

    async def wake_due(self) -> int:
        """One pass: open what is due by the clock; returns how many conversations it opened."""
        async with self.sessions() as session:
            woken = await snooze.wake_due(session, now=self.clock(), limit=self.batch)
        if woken:
            logger.info("snooze ended for %s conversation(s)", len(woken))
        return len(woken)
