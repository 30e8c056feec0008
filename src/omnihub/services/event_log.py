"""The event log's statements: moving committed events from the queue into the log, reading it, pruning it.

Services write events into ``event_queue`` in their own transactions (``services.events``); the
sequencer (``realtime.sequencer``) moves them into ``events`` with ``move_committed``, which is the
only writer of the log, and the node's readers follow it with ``read_after``. These run on dedicated
connections (``db.pg``), outside SQLAlchemy's pool, because they LISTEN and hold an advisory lock.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from omnihub.db.pg import RawConnection
from omnihub.domain.events import EventType
from omnihub.services.events import AUDIENCE_KEY, RECIPIENT_KEY

QUEUE_CHANNEL = "omnihub_event_queue"
LOG_CHANNEL = "omnihub_events"
_LEADER_LOCK = 0x6F6D6E6901  # "omni" + 1
# A read of the log that takes longer met a connection that died without a word (a cut network):
# the reader gives up on it and reconnects, instead of waiting for ever.
READ_TIMEOUT = 30.0

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

# PostgreSQL renders the frame, so a frame is serialised once however many agents receive it. The
# audience of an event about several inboxes, and the recipient of a personal event, are taken out of
# its data (see services.events).
_READ_AFTER = f"""
SELECT id, type, inbox_id,
       CASE WHEN data ? '{AUDIENCE_KEY}'
            THEN ARRAY(SELECT jsonb_array_elements_text(data->'{AUDIENCE_KEY}'))::bigint[] END AS audience,
       CASE WHEN type IN ('{EventType.INBOX_MEMBER_ADDED}', '{EventType.INBOX_MEMBER_REMOVED}')
            THEN (data->>'user_id')::bigint END AS member_id,
       (data->>'{RECIPIENT_KEY}')::bigint AS recipient,
       json_build_object(
           'id', id, 'type', type,
           'data', CASE WHEN data ?| array['{AUDIENCE_KEY}', '{RECIPIENT_KEY}']
                        THEN data - '{AUDIENCE_KEY}' - '{RECIPIENT_KEY}' ELSE data END,
           'created_at', created_at
       )::text AS frame
FROM events WHERE id > $1 ORDER BY id LIMIT $2
"""


async def try_to_lead(connection: RawConnection) -> bool:
    """Take the cluster's sequencer lock for this connection's lifetime, if nobody holds it."""
    return bool(await connection.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK))


async def move_committed(connection: RawConnection, *, batch: int) -> int:
    """Move up to ``batch`` committed events from the queue into the log; how many moved."""
    row = await connection.fetchrow(_MOVE, batch)
    return int(row["moved"])


async def prune(connection: RawConnection, *, retention_seconds: float) -> None:
    await connection.execute(_PRUNE, retention_seconds)


async def announce_queued(connection: RawConnection) -> None:
    """Tell the sequencer, on whichever node it runs, that events were queued."""
    await connection.execute("SELECT pg_notify($1, '')", QUEUE_CHANNEL)


async def read_after(connection: RawConnection, after_id: int, limit: int) -> Sequence[Mapping[str, Any]]:
    """The log's events after ``after_id``, oldest first: id, type, inbox_id, audience, member_id, recipient, frame."""
    rows: Sequence[Mapping[str, Any]] = await connection.fetch(_READ_AFTER, after_id, limit, timeout=READ_TIMEOUT)
    return rows


async def log_bounds(connection: RawConnection) -> tuple[int | None, int]:
    """The oldest event id kept (None for an empty log) and the newest (0 for an empty log)."""
    row = await connection.fetchrow("SELECT min(id) AS oldest, coalesce(max(id), 0) AS newest FROM events")
    return row["oldest"], int(row["newest"])


@contextlib.asynccontextmanager
async def pooled_connection(engine: AsyncEngine) -> AsyncIterator[RawConnection]:
    """A connection of the engine's pool, as ``read_after`` takes it (for a resuming client's backlog)."""
    async with engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        yield raw
