"""Killing the hub in the middle of a mailbox import loses nothing and repeats nothing; with two nodes,
exactly one follows the mailbox and the other takes over when it dies."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import asyncpg
import httpx

from omnihub.db.pg import asyncpg_dsn
from tests.connectors.email.helpers import email_config
from tests.mailservers import DovecotServer, MailUser, bulk_messages
from tests.test_multinode import Node, admin_token

MESSAGES = 1000
FAST_SCAN = {"OMNIHUB_PULL_SCAN_SECONDS": "0.5"}


async def counts(database_url: str) -> tuple[int, int, int]:
    """(messages, distinct external ids, fetched-item records) in the database."""
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        row = await connection.fetchrow(
            "SELECT (SELECT count(*) FROM messages), (SELECT count(DISTINCT external_id) FROM messages),"
            " (SELECT count(*) FROM pull_records)"
        )
        assert row is not None
        return row[0], row[1], row[2]
    finally:
        await connection.close()


async def wait_for_count(database_url: str, at_least: int, within: float = 120.0) -> int:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        stored = (await counts(database_url))[0]
        if stored >= at_least:
            return stored
        assert asyncio.get_running_loop().time() < deadline, f"only {stored} messages after {within} s"
        await asyncio.sleep(0.05)


async def create_mailbox_inbox(node: Node, token: str, dovecot: DovecotServer, user: MailUser) -> int:
    config = email_config(dovecot, user, smtp_port=1, batch_size=25)
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{node.url}/api/v1/inboxes",
            headers={"Authorization": f"Bearer {token}"},
            json={"name": "Support", "channel_type": "email", "config": config},
        )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def kill(node: Node) -> None:
    node.process.send_signal(signal.SIGKILL)
    node.process.wait(timeout=10)


async def inbox_cursor(database_url: str) -> dict[str, int]:
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        value = await connection.fetchval("SELECT cursor FROM pull_cursors WHERE stream = 'INBOX'")
    finally:
        await connection.close()
    return json.loads(value) if value else {}


async def import_killed_midway(
    database_url: str, data: Path, log: Path, *, dovecot: DovecotServer, user: MailUser, expected: int
) -> None:
    """Start a node, SIGKILL it in the middle of the folder, start another, wait for all of it."""
    folder = dovecot.status(user)
    first = Node(database_url, data, log, env=FAST_SCAN)
    try:
        await first.wait_healthy()
        deadline = asyncio.get_running_loop().time() + 120
        while True:
            cursor = await inbox_cursor(database_url)
            if cursor.get("uidvalidity") == folder.uidvalidity and cursor.get("last_uid", 0) >= 100:
                break
            assert asyncio.get_running_loop().time() < deadline, f"no progress: {cursor}"
            await asyncio.sleep(0.02)
        kill(first)
    finally:
        if first.process.poll() is None:
            kill(first)
    cursor = await inbox_cursor(database_url)
    assert cursor["last_uid"] < folder.uidnext - 1, "the import finished before the kill: nothing was tested"

    second = Node(database_url, data, log, env=FAST_SCAN)
    try:
        await second.wait_healthy()
        await wait_for_count(database_url, expected)
        await asyncio.sleep(2)  # a duplicate would arrive now, if any were coming
    finally:
        second.stop()


async def test_sigkill_during_import_and_after_a_uidvalidity_change(
    database_url: str, tmp_path: Path, dovecot: DovecotServer
) -> None:
    user = dovecot.create_user()
    dovecot.bulk_load(user, bulk_messages(MESSAGES))
    token = admin_token(database_url)
    node = Node(database_url, tmp_path / "data", tmp_path / "setup.log", env={"OMNIHUB_PULL_ENABLED": "false"})
    try:
        await node.wait_healthy()
        await create_mailbox_inbox(node, token, dovecot, user)
    finally:
        node.stop()

    await import_killed_midway(
        database_url, tmp_path / "data", tmp_path / "import.log", dovecot=dovecot, user=user, expected=MESSAGES
    )
    assert await counts(database_url) == (MESSAGES, MESSAGES, MESSAGES)

    # The server is rebuilt: same mail, new UIDVALIDITY and UIDs. A few new messages come with it.
    dovecot.reset_uidvalidity(user)
    dovecot.bulk_load(user, bulk_messages(5, subject="After the migration"))
    await import_killed_midway(
        database_url, tmp_path / "data", tmp_path / "rescan.log", dovecot=dovecot, user=user, expected=MESSAGES + 5
    )
    stored, distinct, _ = await counts(database_url)
    assert (stored, distinct) == (MESSAGES + 5, MESSAGES + 5)


async def test_one_node_follows_the_mailbox_and_another_takes_over(
    database_url: str, tmp_path: Path, dovecot: DovecotServer
) -> None:
    user = dovecot.create_user()
    token = admin_token(database_url)
    nodes = [Node(database_url, tmp_path / "data", tmp_path / f"node{n}.log", env=FAST_SCAN) for n in range(2)]
    try:
        await asyncio.gather(*(node.wait_healthy() for node in nodes))
        inbox_id = await create_mailbox_inbox(nodes[0], token, dovecot, user)
        dovecot.bulk_load(user, bulk_messages(20))
        await wait_for_count(database_url, 20, within=30)

        sessions = dovecot.doveadm("who", "-1", user.name).strip().splitlines()[1:]
        assert len(sessions) == 1, sessions  # one IMAP connection: one node follows the mailbox
        async with httpx.AsyncClient() as client:
            sync = await client.get(
                f"{nodes[0].url}/api/v1/inboxes/{inbox_id}/sync", headers={"Authorization": f"Bearer {token}"}
            )
        follower_node = sync.json()["streams"][0]["progress"]["node"]
        owner = next(node for node in nodes if follower_node.endswith(f":{node.process.pid}"))
        kill(owner)

        dovecot.bulk_load(user, bulk_messages(5, subject="After the failover"))
        await wait_for_count(database_url, 25, within=30)
    finally:
        for node in nodes:
            if node.process.poll() is None:
                node.stop()
    assert await counts(database_url) == (25, 25, 25)
