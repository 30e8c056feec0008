"""Moving committed events from the queue into the event log, in one place for the whole cluster.

Every node runs a sequencer, but only the one holding the advisory lock works; the others wait to
take over. The lock belongs to the leader's connection, so when that node dies or loses its
connection, PostgreSQL releases it and another node's sequencer continues within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from omnihub.db.pg import CONNECTION_ERRORS, RawConnection, connect, listening
from omnihub.domain.backoff import Backoff
from omnihub.services import event_log
from omnihub.services.event_log import QUEUE_CHANNEL

logger = logging.getLogger(__name__)

_BATCH = 1000
_PRUNE_EVERY_SECONDS = 60.0


class EventSequencer:
    def __init__(
        self,
        dsn: str,
        *,
        retention_seconds: float = 72 * 3600,
        poll_seconds: float = 1.0,
        takeover_seconds: float = 2.0,
    ) -> None:
        self.dsn = dsn
        self.retention_seconds = retention_seconds
        self.poll_seconds = poll_seconds
        self.takeover_seconds = takeover_seconds
        self.is_leader = False
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        backoff = Backoff()
        while True:
            try:
                async with listening(self.dsn, [QUEUE_CHANNEL], self._wakeup) as connection:
                    backoff.reset()
                    await self._lead_when_elected(connection)
            except CONNECTION_ERRORS as exc:
                logger.warning("event sequencer lost its database connection (%s); reconnecting", exc)
            finally:
                self.is_leader = False
            await asyncio.sleep(backoff.next_delay())

    async def _lead_when_elected(self, connection: RawConnection) -> None:
        # Polling the lock is deliberate: a blocking pg_advisory_lock could not notice a lost connection.
        while not await event_log.try_to_lead(connection):  # noqa: ASYNC110
            await asyncio.sleep(self.takeover_seconds)
        self.is_leader = True
        logger.info("this node now sequences the event log")
        loop = asyncio.get_running_loop()
        next_prune = loop.time()
        while True:
            self._wakeup.clear()
            while await self.sequence_once(connection) == _BATCH:
                pass
            if loop.time() >= next_prune:
                await event_log.prune(connection, retention_seconds=self.retention_seconds)
                next_prune = loop.time() + _PRUNE_EVERY_SECONDS
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that arrives as
            # the event is set, and the task would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wakeup.wait()

    @staticmethod
    async def sequence_once(connection: RawConnection) -> int:
        return await event_log.move_committed(connection, batch=_BATCH)


class QueueNotifier:
    """Tells the leader, wherever it runs, that events were queued: at most one NOTIFY in flight.

    Called after commit, never inside the writing transaction: a NOTIFY there would take
    PostgreSQL's global notify lock at every commit and serialise all writers.
    """

    def __init__(self, dsn: str, sequencer: EventSequencer) -> None:
        self.dsn = dsn
        self.sequencer = sequencer
        self._pending = asyncio.Event()

    def events_committed(self) -> None:
        if self.sequencer.is_leader:
            self.sequencer.wake()
        else:
            self._pending.set()

    async def run(self) -> None:
        backoff = Backoff()
        while True:
            try:
                connection = await connect(self.dsn)
                try:
                    backoff.reset()
                    while True:
                        await self._pending.wait()
                        self._pending.clear()  # everything committed before this point is covered
                        await event_log.announce_queued(connection)
                finally:
                    connection.terminate()
            except CONNECTION_ERRORS as exc:
                logger.warning("event notifier lost its database connection (%s); reconnecting", exc)
            await asyncio.sleep(backoff.next_delay())
