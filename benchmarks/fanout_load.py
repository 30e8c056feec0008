"""The fan-out benchmark's load: the processes holding the agents, the inbound messages, the baseline's job."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from collections import Counter
from collections.abc import Coroutine
from multiprocessing.connection import Connection
from typing import Any, TypeVar
from urllib.parse import urlsplit

import fanout_agents
from harness import HOST
from rawhttp import KeepAlivePool
from websockets.asyncio.client import connect

T = TypeVar("T")
CONTACTS = 50


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop when installed, as the servers do: the sender then costs less CPU."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


class LoadProcesses:
    """``count`` load processes (spawned), each holding a share of the agents."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        for _ in range(count):
            parent, child = context.Pipe()
            process = context.Process(target=fanout_agents.main, args=(child,), daemon=True)
            process.start()
            child.close()
            self.pipes.append(parent)
            self.processes.append(process)

    def ask_all(self, commands: list[dict[str, Any]], timeout: float) -> list[dict[str, Any]]:
        for pipe, command in zip(self.pipes, commands, strict=True):
            pipe.send(command)
        deadline = time.monotonic() + timeout
        answers = []
        for pipe in self.pipes:
            if not pipe.poll(max(0.0, deadline - time.monotonic())):
                raise RuntimeError(f"a load process did not answer {commands[0]['cmd']!r} in {timeout:.0f} s")
            answers.append(pipe.recv())
        return answers

    def connect(
        self, url: str, token: str, agents: int, messages: int, *, resume: bool, timeout: float
    ) -> tuple[list[dict[str, Any]], float]:
        shares = [
            agents // len(self.pipes) + (1 if i < agents % len(self.pipes) else 0) for i in range(len(self.pipes))
        ]
        started = time.monotonic()
        answers = self.ask_all(
            [
                {
                    "cmd": "connect",
                    "url": url,
                    "headers": {"Authorization": f"Bearer {token}"},
                    "agents": share,
                    "messages": messages,
                    "resume": resume,
                }
                for share in shares
            ],
            timeout,
        )
        return answers, time.monotonic() - started

    def status(self, *, catch_up: bool = True) -> list[dict[str, Any]]:
        """Each process's figures; ``catch_up=False`` leaves the recorded chunks unparsed (see fanout_agents):
        "received" is then out of date, "quiet_seconds" is not."""
        return self.ask_all([{"cmd": "status", "catch_up": catch_up}] * len(self.pipes), 60)

    def finish(self) -> list[dict[str, Any]]:
        try:
            return self.ask_all([{"cmd": "finish"}] * len(self.pipes), 120)
        finally:
            self.close()

    def close(self) -> None:
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.terminate()
                process.join(5)
        for pipe in self.pipes:
            pipe.close()


def inbound_body(seq: int, ts: float, prefix: str) -> dict[str, Any]:
    return {
        "external_id": f"{prefix}-{seq}",
        "contact": {"identifier": f"fanout-contact-{seq % CONTACTS}", "name": f"Customer {seq % CONTACTS}"},
        "content": f"fanout:{seq}:{ts:.6f}: Hello, this is message {seq}. Where is my order #{100000 + seq}?",
    }


async def send_inbound(
    base_url: str, token: str, inbox: int, count: int, rate: float, prefix: str, seq_offset: int = 0
) -> tuple[Counter[str], float, list[float]]:
    """POST ``count`` messages at ``rate`` per second on an absolute schedule, without waiting for answers.

    Each message carries ``time.time()`` taken when its request is due (open loop: a slow answer does not
    delay the next request); returns the statuses, the rate achieved and each request's duration."""
    statuses: Counter[str] = Counter()
    durations: list[float] = []
    url = f"/api/v1/inboxes/{inbox}/inbound"
    address = urlsplit(base_url)
    # At most 64 requests in flight, the others wait for a connection. The send time is the scheduled one,
    # so time spent waiting (the hub not keeping up) counts in the latency.
    pool = KeepAlivePool(
        address.hostname or HOST, address.port or 80, headers={"Authorization": f"Bearer {token}"}, max_connections=64
    )

    async def one(seq: int) -> None:
        ts = time.time()
        body = json.dumps(inbound_body(seq, ts, prefix)).encode()
        for attempt in range(3):
            try:
                status, _ = await pool.post(url, body)
            except (ConnectionError, OSError) as exc:
                # e.g. a keep-alive connection the overloaded server closed just as it was reused: the
                # same external id again is safe (the hub stores it once) and keeps the first send time.
                statuses[f"{type(exc).__name__} (retried)" if attempt < 2 else type(exc).__name__] += 1
                continue
            durations.append(time.time() - ts)
            statuses[str(status)] += 1
            return

    loop = asyncio.get_running_loop()
    tasks = []
    start = loop.time() + 0.05
    try:
        for n in range(count):
            delay = start + n / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(seq_offset + n)))
        sent = loop.time() - start
        await asyncio.gather(*tasks)
    finally:
        pool.close()
    return statuses, (count - 1) / sent if count > 1 and sent > 0 else float(count), sorted(durations)


async def run_baseline_job(port: int, count: int, rate: float, frame_bytes: int) -> float:
    async with connect(f"ws://{HOST}:{port}/control", compression=None, open_timeout=30) as control:
        started = time.monotonic()
        await control.send(json.dumps({"rate": rate, "count": count, "frame_bytes": frame_bytes}))
        assert await control.recv() == "done"
        seconds = time.monotonic() - started
    return (count - 1) / seconds if count > 1 and seconds > 0 else float(count)


def wait_for_receipts(load: LoadProcesses, expected: int, drain_seconds: float, quiet_seconds: float = 0.5) -> None:
    """Until every expected frame has arrived or ``drain_seconds`` have passed.

    The agents count what they received only once they have parsed their recorded chunks, which takes a
    while; they are asked to only after no chunk has arrived for ``quiet_seconds``, so that parsing does
    not delay the receipt (and the time) of frames still coming in.
    """
    deadline = time.monotonic() + drain_seconds
    while time.monotonic() < deadline:
        quiet = all(s.get("quiet_seconds", 0.0) >= quiet_seconds for s in load.status(catch_up=False))
        if quiet and sum(s.get("received", 0) for s in load.status()) >= expected:
            return
        time.sleep(0.25)
