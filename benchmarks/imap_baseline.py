"""The bare cost of importing a mail folder, without the hub: the baseline of benchmarks/imap.py.

    python benchmarks/imap_baseline.py '<job as JSON>'

One process, one asyncio loop (uvloop, as the hub's uvicorn uses): an aioimaplib client logs in to the
IMAP server, selects the folder, searches all UIDs, and fetches them in batches of ``batch_size`` with
the same FETCH items as the hub (``UID RFC822.SIZE BODY.PEEK[]<0.limit>``). Each batch's raw bytes are
inserted (``executemany``) into a plain table with a primary key (folder, UIDVALIDITY, UID), and the
folder's cursor is upserted, in one transaction per batch, with one asyncpg connection. No parsing, no
contact, conversation, event or deduplication by Message-ID.

It prepares its table, prints READY, waits for "go" on standard input, imports, and prints one JSON line:
``{"messages", "seconds", "cpu", "writes"}`` (its own CPU seconds and write calls while importing); it
keeps its database connection until the next line (or the end) of standard input.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import aioimaplib
import asyncpg
import uvloop

_SCHEMA = """
DROP TABLE IF EXISTS baseline_mail;
DROP TABLE IF EXISTS baseline_cursor;
CREATE TABLE baseline_mail (
    folder text NOT NULL, uidvalidity bigint NOT NULL, uid bigint NOT NULL, raw bytea NOT NULL,
    PRIMARY KEY (folder, uidvalidity, uid)
);
CREATE TABLE baseline_cursor (folder text PRIMARY KEY, uidvalidity bigint NOT NULL, last_uid bigint NOT NULL);
"""
_INSERT = "INSERT INTO baseline_mail (folder, uidvalidity, uid, raw) VALUES ($1, $2, $3, $4)"
_CURSOR = """
INSERT INTO baseline_cursor (folder, uidvalidity, last_uid) VALUES ($1, $2, $3)
ON CONFLICT (folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid
"""
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_UID = re.compile(rb"UID (\d+)")
LIMIT = 50 * 1024 * 1024  # the hub's default max_message_bytes, in the same FETCH


def _check(response: aioimaplib.Response, what: str) -> None:
    if response.result != "OK":
        raise RuntimeError(f"{what} failed: {response.lines!r}")


def fetched(lines: list[Any]) -> list[tuple[int, bytes]]:
    """(UID, bytes) of each message in a FETCH answer: aioimaplib gives each literal as a bytearray
    right after its ``n FETCH (... {k}`` line."""
    mails = []
    for index, line in enumerate(lines[:-1]):
        if isinstance(line, bytes) and isinstance(lines[index + 1], bytearray):
            uid = _UID.search(line)
            if uid is not None:
                mails.append((int(uid.group(1)), bytes(lines[index + 1])))
    return mails


async def import_folder(job: dict[str, Any], database: asyncpg.Connection) -> int:
    imap = aioimaplib.IMAP4(host=job["host"], port=job["port"], timeout=120)
    await imap.wait_hello_from_server()
    _check(await imap.login(job["username"], job["password"]), "LOGIN")
    folder = job.get("folder", "INBOX")
    selected = await imap.select(folder)
    _check(selected, "SELECT")
    uidvalidity = int(_UIDVALIDITY.search(b" ".join(x for x in selected.lines if isinstance(x, bytes)))[1])  # type: ignore[index]
    found = await imap.uid_search("UID 1:*", charset=None)
    _check(found, "UID SEARCH")
    uids = sorted(int(t) for line in found.lines[:-1] for t in line.split() if t.isdigit())
    stored = 0
    size = job["batch_size"]
    for start in range(0, len(uids), size):
        batch = uids[start : start + size]
        answer = await imap.uid("fetch", f"{batch[0]}:{batch[-1]}", f"(UID RFC822.SIZE BODY.PEEK[]<0.{LIMIT}>)")
        _check(answer, "UID FETCH")
        mails = fetched(answer.lines)
        async with database.transaction():
            await database.executemany(_INSERT, [(folder, uidvalidity, uid, raw) for uid, raw in mails])
            await database.execute(_CURSOR, folder, uidvalidity, batch[-1])
        stored += len(mails)
    await imap.logout()
    return stored


def write_calls() -> int:
    """write() and send() calls this process made so far (Linux)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("syscw:"):
            return int(line.split()[1])
    return 0


async def main(job: dict[str, Any]) -> None:
    database = await asyncpg.connect(**job["postgres"])
    try:
        await database.execute(_SCHEMA)
        print("READY", flush=True)
        if (await asyncio.to_thread(sys.stdin.readline)).strip() != "go":
            return
        cpu, started, writes = time.process_time(), time.monotonic(), write_calls()
        messages = await import_folder(job, database)
        seconds, cpu, writes = time.monotonic() - started, time.process_time() - cpu, write_calls() - writes
        count = await database.fetchval("SELECT count(*) FROM baseline_mail")
        if count != messages:
            raise RuntimeError(f"stored {count} rows for {messages} messages")
        print(json.dumps({"messages": messages, "seconds": seconds, "cpu": cpu, "writes": writes}), flush=True)
        # Stay connected until told to go: PostgreSQL's CPU is read from its living backends.
        await asyncio.to_thread(sys.stdin.readline)
    finally:
        await database.close()


if __name__ == "__main__":
    uvloop.run(main(json.loads(sys.argv[1])))
