"""Importing a mail folder into the hub and into the bare baseline: part 1 of benchmarks/imap.py."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import imap_profile
import psutil
import uvloop
from harness import (
    Postgres,
    cpu_seconds,
    create_admin_token,
    go,
    hub_server,
    postgres,
    postgres_cpu_seconds,
    ready_process,
    running,
)

from tests.connectors.email.helpers import email_config
from tests.mailservers import DovecotServer, MailUser, bulk_messages

HERE = Path(__file__).resolve().parent
HUB_DATABASE = "omnihub_bench_imap"
BASELINE_DATABASE = "omnihub_bench_imap_baseline"


@dataclass
class Import:
    side: str  # "hub" or "baseline"
    batch_size: int
    round: int
    messages: int
    seconds: float
    process_cpu: float  # the hub's or the baseline's own process
    postgres_cpu: float | None
    dovecot_cpu: float
    # write() and send() calls of the importing process: nearly all of them send a statement to PostgreSQL
    writes: int = 0

    @property
    def rate(self) -> float:
        return self.messages / self.seconds


def dovecot_cpu_seconds(dovecot: DovecotServer) -> float:
    """CPU of Dovecot's processes, with that of the ones that have exited (counted in their parent)."""
    total = 0.0
    for pid in dovecot.pids():
        with contextlib.suppress(psutil.NoSuchProcess):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


async def _import_into_hub(
    base_url: str, token: str, pg: Postgres, config: dict[str, Any], expected: int, stall_seconds: float
) -> float:
    """Create the inbox, wait until its messages are all stored; return the seconds that took."""
    import asyncpg

    database = await asyncpg.connect(**pg.asyncpg_dsn(HUB_DATABASE))
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            started = time.monotonic()
            response = await client.post(
                "/api/v1/inboxes",
                headers={"Authorization": f"Bearer {token}"},
                json={"name": "Support", "channel_type": "email", "config": config},
            )
            response.raise_for_status()
            inbox_id = int(response.json()["id"])
            count, progressed = 0, time.monotonic()
            while count < expected:
                await asyncio.sleep(0.1)
                now = await database.fetchval("SELECT count(*) FROM messages WHERE inbox_id = $1", inbox_id)
                if now > count:
                    count, progressed = now, time.monotonic()
                elif time.monotonic() - progressed > stall_seconds:
                    raise RuntimeError(
                        f"the hub stored {count} of {expected} messages, then nothing for {stall_seconds} s"
                    )
            seconds = time.monotonic() - started
        held = await database.fetchval("SELECT count(*) FROM quarantined_items WHERE inbox_id = $1", inbox_id)
        records = await database.fetchval("SELECT count(*) FROM pull_records WHERE inbox_id = $1", inbox_id)
        if held or records != expected or count != expected:
            raise RuntimeError(f"the hub stored {count} messages and {records} records, {held} quarantined")
        return seconds
    finally:
        await database.close()


def hub_import(
    pg: Postgres,
    dovecot: DovecotServer,
    user: MailUser,
    args: argparse.Namespace,
    batch_size: int,
    run: int,
    work: Path,
) -> Import:
    pg.create_database(HUB_DATABASE)
    url, data = pg.url(HUB_DATABASE), work / f"hub-data-{run}"
    token = create_admin_token(url, data)
    env = {"OMNIHUB_PULL_SCAN_SECONDS": "0.1", **dict(pair.split("=", 1) for pair in args.hub_env)}
    hub = hub_server(url, data, log_path=work / f"hub-{run}.log", extra_env=env)
    with running(hub):
        assert hub.process is not None
        process = psutil.Process(hub.process.pid)
        profile = args.profile if args.profile and run == 1 else None
        with (
            imap_profile.recording(hub.process.pid, profile, native=args.native)
            if profile
            else contextlib.nullcontext()
        ):
            before = cpu_seconds(process), postgres_cpu_seconds(pg), dovecot_cpu_seconds(dovecot)
            writes = process.io_counters().write_count
            config = email_config(dovecot, user, smtp_port=25, batch_size=batch_size)
            seconds = uvloop.run(_import_into_hub(hub.base_url, token, pg, config, args.messages, args.stall_seconds))
            writes = process.io_counters().write_count - writes
            after = cpu_seconds(process), postgres_cpu_seconds(pg), dovecot_cpu_seconds(dovecot)
    return Import("hub", batch_size, run, args.messages, seconds, *_differences(before, after), writes)


def baseline_import(
    pg: Postgres, dovecot: DovecotServer, user: MailUser, args: argparse.Namespace, batch_size: int, run: int
) -> Import:
    job = {
        "host": dovecot.host,
        "port": dovecot.port,
        "username": user.name,
        "password": user.password,
        "batch_size": batch_size,
        "postgres": pg.asyncpg_dsn(BASELINE_DATABASE),
    }
    with ready_process(HERE / "imap_baseline.py", job) as process:
        assert process.stdin is not None and process.stdout is not None
        before = postgres_cpu_seconds(pg), dovecot_cpu_seconds(dovecot)
        go(process)
        output = process.stdout.readline()
        after = postgres_cpu_seconds(pg), dovecot_cpu_seconds(dovecot)
        process.stdin.close()
        if process.wait(60) != 0 or not output:
            raise RuntimeError("the baseline failed")
    result = json.loads(output)
    if result["messages"] != args.messages:
        raise RuntimeError(f"the baseline imported {result['messages']} of {args.messages} messages")
    postgres_cpu, dovecot_cpu = _differences(before, after)
    seconds, cpu, writes = result["seconds"], result["cpu"], result["writes"]
    return Import("baseline", batch_size, run, result["messages"], seconds, cpu, postgres_cpu, dovecot_cpu, writes)


def _differences(before: tuple[Any, ...], after: tuple[Any, ...]) -> list[Any]:
    return [None if a is None or b is None else b - a for a, b in zip(before, after, strict=True)]


def measure_imports(args: argparse.Namespace, work: Path) -> list[Import]:
    results: list[Import] = []
    with DovecotServer.start() as dovecot, postgres(args.database_url) as pg:
        user = dovecot.create_user()
        loaded = time.monotonic()
        dovecot.bulk_load(user, bulk_messages(args.messages))
        print(f"{args.messages} messages loaded into Dovecot in {time.monotonic() - loaded:.1f} s", file=sys.stderr)
        pg.create_database(BASELINE_DATABASE)
        warm = baseline_import(pg, dovecot, user, args, args.batch_sizes[0], 0)
        print(f"warm-up (baseline, not counted): {warm.rate:.0f} msgs/s", file=sys.stderr)
        run = 0
        for round_number in range(1, args.rounds + 1):
            for batch_size in args.batch_sizes:
                run += 1
                sides = ["baseline", "hub"] if run % 2 else ["hub", "baseline"]
                for side in sides:
                    if side == "hub":
                        result = hub_import(pg, dovecot, user, args, batch_size, run, work)
                    else:
                        result = baseline_import(pg, dovecot, user, args, batch_size, run)
                    result.round = round_number
                    results.append(result)
                    print(
                        f"round {round_number} batch {batch_size:4} {side:8} {result.rate:7.0f} msgs/s "
                        f"{result.seconds:6.1f} s  CPU s: own {result.process_cpu:.1f} postgres "
                        f"{seconds_text(result.postgres_cpu)} dovecot {result.dovecot_cpu:.1f}",
                        file=sys.stderr,
                    )
    return results


def seconds_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"
