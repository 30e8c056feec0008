"""Moving committed events from the queue into the event log, in one place for the whole cluster.

Every node runs a sequencer, but only the one holding the advisory lock works; the others wait to
take over. The lock belongs to the leader's connection, so when that node dies or loses its
connection, PostgreSQL releases it and another node's sequencer continues within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

from omnihub.domain.backoff import Backoff
from omnihub.realtime.pg import listening

logger = logging.getLogger(__name__)

QUEUE_CHANNEL = "omnihub_event_queue"
LOG_CHANNEL = "omnihub_events"
_LEADER_LOCK = 0x6F6D6E6901  # "omni" + 1
_BATCH = 1000

# One statement, one transaction, one round trip: the moved rows get their log ids in queue order, and
# no other transaction inserts into the log, so ids become visible strictly in increasing order. The
# readers' notification is part of the same transaction, so it is sent when (and only if) the events
# are visible; only this one writer sends it, so it costs no other writer anything.
_MOVE = f"""
WITH moved AS (
    DELETE FROM event_queue
    WHERE id IN (SELECT id FROM event_queue ORDER BY id LIMIT $1)
    RETURNING id, type, inbox_id, data, created_at
), logged AS (
    INSERT INTO events (type, inbox_id, data, created_at)
    SELECT type, inbox_id, data, created_at FROM moved ORDER BY id
    RETURNING id
)
SELECT count(*) AS moved,
       CASE WHEN count(*) > 0 THEN pg_notify('{LOG_CHANNEL}', max(id)::text) END AS notified
FROM logged
"""


# The newest event always stays, so the log's position survives any quiet period.
_PRUNE = """
DELETE FROM events
WHERE created_at < now() - make_interval(secs => $1) AND id < (SELECT max(id) FROM events)
"""
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
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                logger.warning("event sequencer lost its database connection (%s); reconnecting", exc)
            finally:
                self.is_leader = False
            await asyncio.sleep(backoff.next_delay())

    async def _lead_when_elected(self, connection: asyncpg.Connection) -> None:
        # Polling the lock is deliberate: a blocking pg_advisory_lock could not notice a lost connection.
        while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK):  # noqa: ASYNC110
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
                await connection.execute(_PRUNE, self.retention_seconds)
                next_prune = loop.time() + _PRUNE_EVERY_SECONDS
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that arrives as
            # the event is set, and the task would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wakeup.wait()

    @staticmethod
    async def sequence_once(connection: asyncpg.Connection) -> int:
        row = await connection.fetchrow(_MOVE, _BATCH)
        return int(row["moved"])


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
                connection = await asyncpg.connect(self.dsn, timeout=10)
                try:
                    backoff.reset()
                    while True:
                        await self._pending.wait()
                        self._pending.clear()  # everything committed before this point is covered
                        await connection.execute("SELECT pg_notify($1, '')", QUEUE_CHANNEL)
                finally:
                    connection.terminate()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                logger.warning("event notifier lost its database connection (%s); reconnecting", exc)
            await asyncio.sleep(backoff.next_delay())
