"""Stopping a server and every process it started, so that no test leaves one behind."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

# A process is named by its pid and its start time, so that a recycled pid is never signalled by mistake.
ProcessKey = tuple[int, int]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rpartition(")")[2].split()
    return fields[0], int(fields[1]), int(fields[19])


def descendants(pid: int) -> set[ProcessKey]:
    """Every living process below `pid` (Linux /proc)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None and stat[0] != "Z":
            children.setdefault(stat[1], []).append((int(entry), stat[2]))
    found: set[ProcessKey] = set()
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child[0])
    return found


def _alive(key: ProcessKey) -> bool:
    stat = _stat(key[0])
    return stat is not None and stat[0] != "Z" and stat[2] == key[1]


def _signal(keys: set[ProcessKey], signum: int) -> None:
    for key in keys:
        if _alive(key):
            with contextlib.suppress(ProcessLookupError):
                os.kill(key[0], signum)


def stop_process_tree(process: subprocess.Popen[bytes], *, timeout: float = 10.0, kill: bool = False) -> None:
    """End `process` (SIGTERM, or SIGKILL with kill=True) and wait until all its descendants are gone too."""
    below = descendants(process.pid)
    if kill:
        _signal(below, signal.SIGKILL)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # Dovecot's children notice that the master is gone and exit by themselves; stragglers are killed.
    for signum in (None, signal.SIGKILL):
        if signum is not None:
            _signal(below, signum)
        deadline = time.monotonic() + timeout
        while any(_alive(key) for key in below):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        else:
            return
    raise RuntimeError(f"processes {sorted(key[0] for key in below if _alive(key))} survived SIGKILL")
