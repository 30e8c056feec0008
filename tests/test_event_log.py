"""The event log is read by following ids: a reader never misses an event, even under concurrent writers."""

import asyncio

import asyncpg

from omnihub.db.pg import asyncpg_dsn
from omnihub.realtime.sequencer import EventSequencer
from omnihub.services import event_log
from tests.conftest import Hub, InboundSender, wait_until


async def test_a_follower_of_ids_sees_every_event_once_under_concurrent_writes(
    hub: Hub, api_inbox: int, send_inbound: InboundSender
) -> None:
    dsn = asyncpg_dsn(hub.settings.database_url or "")
    reader = await asyncpg.connect(dsn)
    seen: list[int] = []
    writing = True

    async def follow() -> None:
        last = 0
        while writing or last < await reader.fetchval("SELECT coalesce(max(id), 0) FROM events"):
            rows = await reader.fetch("SELECT id FROM events WHERE id > $1 ORDER BY id", last)
            seen.extend(row["id"] for row in rows)
            last = rows[-1]["id"] if rows else last
            await asyncio.sleep(0.002)

    follower = asyncio.create_task(follow())
    await asyncio.gather(*(send_inbound(api_inbox, f"m{n}", identifier=f"p{n % 7}") for n in range(120)))
    watcher = await asyncpg.connect(dsn)
    while await watcher.fetchval("SELECT count(*) FROM event_queue"):  # noqa: ASYNC110 - polling the database
        await asyncio.sleep(0.02)
    await watcher.close()
    writing = False
    await follower
    everything = [row["id"] for row in await reader.fetch("SELECT id FROM events ORDER BY id")]
    types = await reader.fetch("SELECT type, count(*) FROM events GROUP BY type")
    await reader.close()

    assert seen == everything
    assert dict((r["type"], r["count"]) for r in types)["message.created"] == 120


async def test_only_one_sequencer_leads_and_another_takes_over(hub: Hub) -> None:
    dsn = asyncpg_dsn(hub.settings.database_url or "")
    await wait_until(lambda: asyncio.sleep(0, result=hub.runtime.sequencer.is_leader))
    standby = EventSequencer(dsn, takeover_seconds=0.1)
    task = asyncio.create_task(standby.run())
    await asyncio.sleep(0.5)
    assert not standby.is_leader

    # The leader's connection dies (its node crashed): the lock goes with it.
    admin = await asyncpg.connect(dsn)
    await admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_locks"
        " WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
    )
    await admin.close()
    for _ in range(50):
        if standby.is_leader:
            break
        await asyncio.sleep(0.1)
    task.cancel()
    assert standby.is_leader


async def test_events_older_than_the_retention_are_pruned_but_the_newest_stays(
    hub: Hub, api_inbox: int, send_inbound: InboundSender
) -> None:
    dsn = asyncpg_dsn(hub.settings.database_url or "")
    for n in range(3):
        await send_inbound(api_inbox, f"m{n}")
    connection = await asyncpg.connect(dsn)
    while await connection.fetchval("SELECT count(*) FROM event_queue"):  # noqa: ASYNC110 - polling the database
        await asyncio.sleep(0.02)
    await connection.execute("UPDATE events SET created_at = now() - interval '100 hours'")
    newest = await connection.fetchval("SELECT max(id) FROM events")
    before = await connection.fetchval("SELECT count(*) FROM events")

    sequencer = EventSequencer(dsn, retention_seconds=72 * 3600)
    other = await asyncpg.connect(dsn)
    await sequencer.sequence_once(other)  # a pass of the leader, run by hand on a connection of our own
    await event_log.prune(other, retention_seconds=sequencer.retention_seconds)
    remaining = [r["id"] for r in await connection.fetch("SELECT id FROM events")]
    await other.close()
    await connection.close()

    assert before > 1
    assert remaining == [newest]
