"""The fan-out benchmark's agents: one load process holding many WebSocket connections.

``benchmarks/fanout.py`` starts a few of these with multiprocessing and talks to each over a pipe:

    {"cmd": "connect", ...}  -> connect the agents, answer when every one is ready (or has failed)
    {"cmd": "status"}        -> how many are connected, how many frames were received so far
    {"cmd": "finish"}        -> close everything, answer with the receipts and exit

Each agent is a ``websockets`` asyncio client (compression off, no client pings) that reads frames
as bytes and looks only for the benchmark's marker ``fanout:<seq>:<send time>:`` in ``message.created``
frames: the latency of a receipt is ``time.time()`` at receipt minus the send time in the frame. A
hub connection closed with 4000 ("too far behind") or dropped for another reason reconnects with
``?since=<last id>``, as omnihub's own client does, so its later receipts arrive late, not never.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import resource
import time
from array import array
from collections import Counter
from multiprocessing.connection import Connection
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

MARKER = re.compile(rb"fanout:(\d+):(\d+\.\d+):")
MESSAGE_CREATED = b'"message.created"'
HUB_ID = re.compile(rb'^\{"id" ?: ?(\d+)')


def raise_open_files_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit (children inherit it); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Agents:
    def __init__(self, job: dict[str, Any]) -> None:
        self.url: str = job["url"]
        self.headers: dict[str, str] = job["headers"]
        self.count: int = job["agents"]
        self.messages: int = job["messages"]  # sequence numbers are 0 .. messages-1
        self.resume: bool = job.get("resume", True)
        self.latencies = array("d")
        self.received = 0
        self.duplicates = 0
        self.frames = 0
        self.frame_bytes = 0
        self.connected = 0
        self.ready = 0
        self.failed = 0
        self.reconnects = 0
        self.closes: Counter[str] = Counter()
        self.stopping = False
        self.tasks: list[asyncio.Task[None]] = []
        self.sockets: set[ClientConnection] = set()
        self.all_ready = asyncio.Event()
        self.handshakes = asyncio.Semaphore(job.get("handshake_concurrency", 64))

    async def start(self) -> None:
        self.tasks = [asyncio.create_task(self.agent()) for _ in range(self.count)]
        if self.count == 0:
            self.all_ready.set()
        await self.all_ready.wait()

    def _settled(self) -> None:
        if self.ready + self.failed >= self.count:
            self.all_ready.set()

    async def agent(self) -> None:
        seen = bytearray(self.messages)
        last_id: int | None = None
        first = True
        while not self.stopping:
            url = self.url if last_id is None or not self.resume else f"{self.url}?since={last_id}"
            last: bytes | None = None
            try:
                async with self.handshakes:
                    socket = await connect(
                        url,
                        additional_headers=self.headers,
                        compression=None,
                        ping_interval=None,
                        open_timeout=120,
                        close_timeout=2,
                        max_queue=64,
                    )
            except (OSError, InvalidHandshake, TimeoutError) as exc:
                self.closes[f"connect failed: {type(exc).__name__}"] += 1
                if first:
                    self.failed += 1
                    self._settled()
                    return
                await asyncio.sleep(0.5)
                continue
            self.sockets.add(socket)
            self.connected += 1
            try:
                while True:
                    raw = await socket.recv(decode=False)
                    if raw.startswith(b'{"type"'):  # the hub's "ready" (the baseline sends one too)
                        control = json.loads(raw)
                        if control.get("type") == "ready":
                            last_id = control.get("data", {}).get("last_id", last_id)
                            if first:
                                first = False
                                self.ready += 1
                                self._settled()
                        continue
                    now = time.time()
                    last = raw
                    self.frames += 1
                    self.frame_bytes += len(raw)
                    if MESSAGE_CREATED in raw:
                        match = MARKER.search(raw)
                        if match is not None:
                            seq = int(match[1])
                            if seq < self.messages:
                                if seen[seq]:
                                    self.duplicates += 1
                                else:
                                    seen[seq] = 1
                                    self.received += 1
                                    self.latencies.append(now - float(match[2]))
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
                if not self.stopping:
                    self.closes[f"closed {code}"] += 1
                    self.reconnects += 1
                if code == 4001:
                    last_id = None
                    continue
            finally:
                self.sockets.discard(socket)
                self.connected -= 1
                if last is not None:
                    match_id = HUB_ID.match(last)
                    if match_id is not None:
                        last_id = int(match_id[1])
                if first:  # closed before "ready": counts as failed, once
                    first = False
                    self.failed += 1
                    self._settled()
            if not self.stopping:
                await asyncio.sleep(0.05)

    def status(self) -> dict[str, Any]:
        return {
            "connected": self.connected,
            "ready": self.ready,
            "failed": self.failed,
            "received": self.received,
            "frames": self.frames,
            "closes": dict(self.closes),
        }

    async def finish(self) -> dict[str, Any]:
        self.stopping = True
        sockets = list(self.sockets)
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for socket in sockets:
            socket.transport.abort()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            **self.status(),
            "duplicates": self.duplicates,
            "reconnects": self.reconnects,
            "frame_bytes": self.frame_bytes,
            "cpu": usage.ru_utime + usage.ru_stime,
            "latencies": self.latencies.tobytes(),
        }


async def serve_commands(pipe: Connection) -> None:
    loop = asyncio.get_running_loop()
    agents: Agents | None = None
    while True:
        command: dict[str, Any] = await loop.run_in_executor(None, pipe.recv)
        if command["cmd"] == "connect":
            agents = Agents(command)
            started = time.monotonic()
            await agents.start()
            pipe.send({**agents.status(), "seconds": time.monotonic() - started})
        elif command["cmd"] == "status":
            pipe.send(agents.status() if agents else {})
        elif command["cmd"] == "finish":
            pipe.send(await agents.finish() if agents else {})
            return


def main(pipe: Connection) -> None:
    """The load process's entry point (a multiprocessing target)."""
    raise_open_files_limit()
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        runner: Any = asyncio.run
    else:
        runner = uvloop.run
    with contextlib.suppress(KeyboardInterrupt):
        runner(serve_commands(pipe))
    pipe.close()


if __name__ == "__main__":  # pragma: no cover - a quick manual check: python fanout_agents.py URL TOKEN N
    import sys

    async def probe() -> None:
        job = {
            "url": sys.argv[1],
            "headers": {"Authorization": f"Bearer {sys.argv[2]}"},
            "agents": int(sys.argv[3]),
            "messages": 0,
        }
        agents = Agents(job)
        await agents.start()
        print(json.dumps(agents.status()))
        await agents.finish()

    asyncio.run(probe())
