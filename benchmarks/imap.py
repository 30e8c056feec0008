"""E-mail import benchmark: mail imported per second from a local Dovecot, and what a check with nothing new costs.

    python benchmarks/imap.py                      # 10,000 messages, batch sizes 50 and 200, 3 rounds; checks of
                                                   # folders of 1,000, 10,000 and 100,000 messages
    python benchmarks/imap.py --quick              # 1,000 messages, one round, folders of 1,000 and 10,000
    python benchmarks/imap.py --only import --batch-sizes 50 --profile /tmp/hub-import.txt
    python benchmarks/imap.py --only import --hub-env PYTHONPATH=/other/checkout/src   # another version of the hub

Everything runs on 127.0.0.1 and stops by itself (``--timeout`` bounds the whole run); every server and
temporary directory it made is gone when it exits.

1. Import (benchmarks/imap_import.py). A Dovecot (tests/mailservers, in /dev/shm) holds a folder of
   ``--messages`` small text mails (``bulk_messages``: each from another sender, so each makes a new
   contact and conversation in the hub). For each batch size, in each of ``--rounds`` rounds, both
   sides import the whole folder:

   * hub: a fresh database on an embedded PostgreSQL, ``omnihub serve`` as a process of its own (one
     uvicorn process, ``OMNIHUB_PULL_SCAN_SECONDS=0.1``), an admin token from the CLI. The clock starts
     when the e-mail inbox is created over REST (IMAP settings pointing at the Dovecot, security
     "none") and stops when the database holds all the messages (counted every 0.1 s);
   * baseline (benchmarks/imap_baseline.py, a process of its own): aioimaplib fetching the same
     messages in the same batch size with the same FETCH items, the raw bytes inserted into a plain
     table of the same PostgreSQL with asyncpg, one transaction per batch with its cursor.

   CPU seconds of the importing process, of PostgreSQL and of Dovecot are taken over each import, and
   the importing process's write() calls (/proc/PID/io): nearly all are statements sent to PostgreSQL,
   so "writes/msg" is the number of database round trips per message.
   Before the first round, the baseline imports once unmeasured, so Dovecot's caches are warm for both.

2. Checks with nothing new (benchmarks/imap_poll.py): the hub's MailboxFollower, driven in this process
   with an in-memory sink whose cursor is at the end of folders of ``--poll-sizes`` messages, through a
   proxy counting IMAP commands and bytes; with IDLE and without (a Dovecot not offering it).

--profile FILE records the hub with py-spy (collapsed stacks) during its first import and prints
where its CPU went; --native adds C and Cython frames (and pauses the hub at each sample: slower).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import signal
import statistics
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import uvloop
from harness import REPO, table

sys.path.insert(0, str(REPO))  # for tests.mailservers

import imap_poll
import imap_profile
from imap_import import Import, measure_imports, seconds_text

from tests.mailservers import DovecotServer, bulk_messages


def import_report(results: list[Import]) -> str:
    rows = []
    for batch_size in sorted({r.batch_size for r in results}):
        medians = {}
        for side in ("baseline", "hub"):
            runs = sorted((r for r in results if r.side == side and r.batch_size == batch_size), key=lambda r: r.rate)
            if runs:
                medians[side] = runs[len(runs) // 2]
        ratios = [
            h.rate / b.rate
            for h in results
            for b in results
            if h.side == "hub"
            and b.side == "baseline"
            and h.batch_size == b.batch_size == batch_size
            and h.round == b.round
        ]
        for side, m in medians.items():
            cpu_ms = 1000 * (m.process_cpu + (m.postgres_cpu or 0) + m.dovecot_cpu) / m.messages
            rows.append(
                [
                    side,
                    str(batch_size),
                    str(m.messages),
                    f"{m.seconds:.1f}",
                    f"{m.rate:.0f}",
                    f"{statistics.median(ratios):.3f}" if side == "hub" and ratios else "",
                    f"{m.process_cpu:.1f}",
                    seconds_text(m.postgres_cpu),
                    f"{m.dovecot_cpu:.1f}",
                    f"{cpu_ms:.2f}",
                    f"{m.writes / m.messages:.2f}",
                ]
            )
    headers = ["side", "batch", "messages", "seconds", "msgs/s", "hub/baseline", "own CPU s", "postgres CPU s"]
    return table([*headers, "dovecot CPU s", "CPU ms/msg (all)", "writes/msg"], rows)


def poll_report(costs: list[imap_poll.PollCost]) -> str:
    rows = []
    for c in costs:
        checks = max(1, c.checks)
        rows.append(
            [
                c.mode,
                f"{c.folder_messages:,}",
                " ".join(c.commands_per_check),
                f"{len(c.commands) / checks:g}",
                f"{c.bytes_from_client / checks:.0f}",
                f"{c.bytes_from_server / checks:.0f}",
                f"{sum(c.check_ms.values()):.2f}",
                " + ".join(f"{name} {ms:.2f}" for name, ms in c.check_ms.items()),
                f"{len(c.startup_commands)} ({' '.join(c.startup_commands)})",
                f"{c.startup_bytes[0]} / {c.startup_bytes[1]}",
            ]
        )
    headers = ["mode", "folder", "commands of one check", "commands", "bytes sent", "bytes received", "ms", "ms each"]
    return table([*headers, "start-up commands", "start-up bytes sent / received"], rows)


def measure_polls(args: argparse.Namespace) -> list[imap_poll.PollCost]:
    costs: list[imap_poll.PollCost] = []
    for idle in (True, False):
        with DovecotServer.start(idle=idle) as dovecot:
            users = {}
            for size in args.poll_sizes:
                users[size] = dovecot.create_user()
                dovecot.bulk_load(users[size], bulk_messages(size))
            costs += uvloop.run(
                imap_poll.poll_costs(
                    dovecot,
                    users,
                    checks=args.checks,
                    repeat=args.repeat,
                    poll_seconds=args.poll_seconds,
                    idle_seconds=args.idle_seconds,
                )
            )
            for cost in costs[-len(users) :]:
                print(
                    f"{cost.mode}, {cost.folder_messages} messages: {cost.commands} "
                    f"{cost.bytes_from_client}/{cost.bytes_from_server} bytes, ms {cost.check_ms}",
                    file=sys.stderr,
                )
                if cost.imported:
                    raise RuntimeError(f"the follower imported {cost.imported} messages from a folder with nothing new")
    return costs


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the main thread after ``seconds``, so every ``with`` above cleans up."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the benchmark did not finish within --timeout {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000, help="messages imported (default 10000)")
    parser.add_argument("--batch-sizes", default="50,200", help="comma-separated batch_size values (default 50,200)")
    parser.add_argument("--rounds", type=int, default=3, help="imports of each side per batch size (default 3)")
    parser.add_argument("--poll-sizes", default="1000,10000,100000", help="folder sizes for the checks")
    parser.add_argument("--checks", type=int, default=2, help="steady-state checks counted per folder (default 2)")
    parser.add_argument("--idle-seconds", type=float, default=5.0, help="the inbox's idle_seconds (at least 5)")
    parser.add_argument("--poll-seconds", type=float, default=1.0, help="the inbox's poll_seconds (at least 1)")
    parser.add_argument("--repeat", type=int, default=50, help="timed repetitions of one check (default 50)")
    parser.add_argument("--quick", action="store_true", help="1,000 messages, one round, folders of 1,000 and 10,000")
    parser.add_argument("--only", choices=["import", "poll"], help="run one part only")
    parser.add_argument("--profile", type=Path, help="record the hub with py-spy during its first import")
    parser.add_argument("--native", action="store_true", help="with --profile: C and Cython frames too (slower)")
    parser.add_argument(
        "--hub-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment of the hub process, e.g. PYTHONPATH=/other/checkout/src to measure another version",
    )
    parser.add_argument("--database-url", help="a PostgreSQL server to use instead of an embedded one")
    parser.add_argument("--stall-seconds", type=float, default=120, help="give up when an import stops this long")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds the whole run may take (default 3600)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if args.quick:
        args.messages, args.rounds, args.checks, args.repeat = 1000, 1, 1, 20
        args.poll_sizes = "1000,10000"
    args.batch_sizes = [int(x) for x in args.batch_sizes.split(",")]
    args.poll_sizes = [int(x) for x in args.poll_sizes.split(",")]
    return args


def main() -> int:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="omnihub-bench-imap-"))
    imports: list[Import] = []
    costs: list[imap_poll.PollCost] = []
    try:
        with time_limit(args.timeout):
            if args.only != "poll":
                imports = measure_imports(args, work)
            if args.only != "import":
                costs = measure_polls(args)
    except BaseException:
        for log in sorted(work.glob("hub-*.log")):
            print(f"--- {log.name} (last lines)\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if imports:
        print(f"\nimport of {args.messages} messages, median of {args.rounds} round(s) per side and batch size")
        print(import_report(imports))
    if costs:
        print("\none steady-state check of a folder with nothing new (the hub's MailboxFollower)")
        print(poll_report(costs))
    if args.profile and imports:
        print("\n" + imap_profile.summary(args.profile))
    if args.json:
        data = {"imports": [asdict(r) for r in imports], "checks": [asdict(c) for c in costs]}
        args.json.write_text(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
