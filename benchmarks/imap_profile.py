"""Recording the hub with py-spy during an import, and summing up where its CPU went: part of benchmarks/imap.py."""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from harness import table

# Parts of the import path, each recognised by a frame in the stack (a sample counts for every part
# whose frame it holds, so shares overlap where one part calls another).
PARTS = [
    ("pulls.commit_batch: storing a batch (SQL, asyncpg, transaction)", r"commit_batch \([^)]*services/pulls\.py"),
    ("  ingest_new: contact, conversation, message, events", r"ingest_new \([^)]*services/ingest_steps\.py"),
    ("  asyncpg (encoding, protocol, in Python)", r"\([^)]*asyncpg/"),
    ("incoming.pulled_item: the message made from the mail", r"pulled_item \([^)]*email/incoming\.py"),
    ("  parse_email: e-mail parser, MIME walk, charsets", r"parse_email \([^)]*email/parsing\.py"),
    ("  email/replies.py: quote and signature split", r"\([^)]*email/replies\.py"),
    ("  nh3 / HTML sanitising", r"sanitize|nh3"),
    ("ImapClient.fetch: FETCH and parsing its answer", r"fetch \([^)]*email/imap_client\.py"),
    ("  aioimaplib: reading the server's answers", r"\([^)]*aioimaplib"),
    ("event sequencer and log reader (omnihub/realtime)", r"\([^)]*omnihub/realtime/"),
    ("SQLAlchemy (sessions, pool)", r"\([^)]*sqlalchemy/"),
]

_FRAME = re.compile(r"^(?P<function>[^ ]+) \((?P<file>[^:)]+)")


@contextlib.contextmanager
def recording(pid: int, output: Path, *, native: bool = False) -> Iterator[None]:
    """py-spy records ``pid`` (without pausing it) until the block ends; ``native`` adds C and Cython frames."""
    py_spy = shutil.which("py-spy")
    if py_spy is None:
        raise RuntimeError("--profile needs py-spy (pip install py-spy)")
    argv = [py_spy, "record", "--pid", str(pid), "--rate", "200", "--format", "raw"]
    # py-spy reads native stacks only from a paused process: --native slows the hub down.
    argv.append("--native" if native else "--nonblocking")
    process = subprocess.Popen(
        [*argv, "--output", str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        yield
    finally:
        process.send_signal(signal.SIGINT)  # py-spy writes what it has and exits
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def summary(collapsed: Path, *, top: int = 20) -> str:
    """Shares of the hub's CPU samples by part of the import path, and the functions that used most themselves."""
    if not collapsed.exists():
        return f"py-spy wrote no profile to {collapsed}"
    stacks: list[tuple[str, int]] = []
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack, int(count)))
    total = sum(count for _, count in stacks) or 1
    rows = []
    for label, pattern in PARTS:
        found = re.compile(pattern)
        share = sum(count for stack, count in stacks if found.search(stack))
        rows.append([label, f"{100 * share / total:.1f}%"])
    own: Counter[str] = Counter()
    for stack, count in stacks:
        leaf = stack.rsplit(";", 1)[-1]
        match = _FRAME.match(leaf)
        own[f"{match['function']} ({match['file']})" if match else leaf] += count
    leaves = [[name, f"{100 * count / total:.1f}%"] for name, count in own.most_common(top)]
    return "\n\n".join(
        [
            f"hub CPU samples: {total}",
            table(["part of the import path (inclusive)", "share of samples"], rows),
            table(["function (self)", "share of samples"], leaves),
        ]
    )
