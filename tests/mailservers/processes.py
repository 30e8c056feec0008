"""Stopping a server and every process it started, so that no test leaves one behind.

A server is started in a process group of its own; whatever is in that group belongs to it, including
children that outlived their parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def group_members(group: int) -> set[int]:
    """Living (not zombie) processes of a process group, from Linux's /proc."""
    members = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # After "pid (command)": state, parent pid, process group ...
        state, _, process_group = text.rpartition(")")[2].split()[:3]
        if state != "Z" and int(process_group) == group:
            members.add(int(entry))
    return members


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signum)


def _wait_until_empty(group: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while group_members(group):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def stop_process_group(process: subprocess.Popen[bytes], *, timeout: float = 10.0, kill: bool = False) -> None:
    """End `process`, the leader of its own process group (SIGTERM, or SIGKILL to the whole group at once
    with kill=True), and wait until every process of the group is gone."""
    group = process.pid
    if kill:
        _signal_group(group, signal.SIGKILL)
    else:
        process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        process.wait()
    # Most of Dovecot's children exit with the master, but imap processes serving a client linger ten
    # seconds or so: stop them as a stopping server would (shutdown_clients = yes).
    if not _wait_until_empty(group, 0.5):
        _signal_group(group, signal.SIGKILL)
        if not _wait_until_empty(group, timeout):
            raise RuntimeError(f"processes {sorted(group_members(group))} survived SIGKILL")
