"""The fan-out benchmark's agents: one load process holding many WebSocket connections, as cheaply as possible.

``benchmarks/fanout.py`` starts a few of these with multiprocessing and talks to each over a pipe:

    {"cmd": "connect", ...}  -> connect the agents, answer when every one is ready (or has failed)
    {"cmd": "status"}        -> how many are connected, how many frames were received so far
    {"cmd": "finish"}        -> close everything, answer with the receipts and exit

The agents run on the same cores as the servers they measure, so every microsecond an agent spends
on a frame is taken from the server. A ``websockets`` client costs about 15 µs per frame here (a
task wake-up, its frame parser, a message queue, UTF-8 decoding); these agents are a bare
``asyncio.Protocol`` instead: the upgrade request written by hand (no compression offered), and a
frame parser that only reads headers, finds the benchmark's marker ``fanout:<seq>:<send time>:``
in text frames and answers pings and closes. No task runs per connection while frames arrive.

Once a connection is live, an agent only records each chunk the socket delivers with ``time.time()``
and parses the recorded chunks later, as a packet capture would: when the server may have sent a
close (a chunk holding 0x88, the first byte of a close frame, which the benchmark's ASCII text
frames contain only in the occasional length field), when the connection ends and when the
benchmark asks for the figures (after the sending, once no chunk has arrived for a while). Pings
are found and answered at once without parsing the chunk. A frame's latency is still taken at the
time its last byte arrived; only the work of reading it moves out of the measured window, as it
would be for agents on their own machines. The same agents measure the hub and the bare
``websockets`` baseline, so the comparison stays fair. They do not check UTF-8 or that frames are
unmasked, and an incomplete frame waits as a byte string joined to the next chunk (fine for frames
of a few hundred bytes): enough for measuring, not a general client.

A hub connection closed with 4000 ("too far behind") or dropped reconnects with ``?since=<last id>``,
as omnihub's own client does, so its later receipts arrive late, not never.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import json
import os
import re
import resource
import time
from array import array
from collections import Counter
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import urlsplit

MARKER = re.compile(rb"fanout:(\d+):(\d+\.\d+):")
HUB_ID = re.compile(rb'\{"id" ?: ?(\d+)')
READY = b'{"type": "ready"'
# A server's ping: uvicorn and websockets send 4 random bytes. Text frames of ASCII JSON hold neither
# 0x89 followed by 0x04 nor 0x88 (the first byte of a close frame) but, rarely, in a length field.
PING = re.compile(rb"\x89\x04(.{4})", re.DOTALL)
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def raise_open_files_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit (children inherit it); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def client_frame(opcode: int, payload: bytes) -> bytes:
    """A masked client frame (control frames only: pong and close, at most 125 bytes)."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


class Agent(asyncio.Protocol):
    """One connection; ``agents`` collects what every agent receives."""

    def __init__(self, agents: Agents, request: bytes, key: bytes, seen: bytearray) -> None:
        self.agents = agents
        self.seen = seen  # which sequence numbers this agent has received, across its reconnections
        self.request = request
        self.accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())
        self.transport: asyncio.Transport | None = None
        self.pending = b""  # an incomplete frame (or handshake) from the previous chunk
        self.upgraded = False
        self.ready = False
        self.handshake: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self.close_code: int | None = None
        self.close_received = False
        self.last_id: int | None = None
        # Chunks received since the last catch_up and when they arrived (no tuple per chunk: the cycle
        # collector would walk them all, and its pauses would delay the agents' reading).
        self.chunks: list[bytes] = []
        self.arrivals = array("d")
        self.last_arrival = 0.0
        self.replaying = False  # parsing recorded chunks (see catch_up), not one that just arrived

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(self.request)  # type: ignore[union-attr]

    def connection_lost(self, exc: Exception | None) -> None:
        self.catch_up()
        if not self.handshake.done():
            self.handshake.set_result(False)
        if not self.closed.done():
            self.closed.set_result(self.close_code)

    def data_received(self, data: bytes) -> None:
        if self.ready:
            self.arrivals.append(time.time())
            self.chunks.append(data)
            if b"\x89" in data:
                for ping in PING.finditer(data):
                    self.transport.write(client_frame(0xA, ping[1]))  # type: ignore[union-attr]
            if b"\x88" in data:
                self.catch_up()  # perhaps a close frame: parse now, answer it, stop reading
            return
        self.parse(data, time.time())

    def catch_up(self) -> None:
        """Parse the recorded chunks, in order, each with the time it arrived."""
        chunks, arrivals = self.chunks, self.arrivals
        if not chunks:
            return
        self.chunks, self.arrivals, self.last_arrival = [], array("d"), arrivals[-1]
        self.replaying = True
        try:
            for data, arrived in zip(chunks, arrivals, strict=True):
                if self.close_received:  # nothing after a close frame counts (nor would it arrive live)
                    return
                self.parse(data, arrived)
        finally:
            self.replaying = False

    def parse(self, data: bytes, arrived: float) -> None:
        if self.pending:
            data = self.pending + data
            self.pending = b""
        if not self.upgraded:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                self.pending = data
                return
            head = data[:end]
            if b" 101 " not in head.split(b"\r\n", 1)[0] or self.accept not in head:
                self.handshake.set_result(False)
                self.transport.close()  # type: ignore[union-attr]
                return
            self.upgraded = True
            data = data[end + 4 :]
        self.frames(data, arrived)

    def frames(self, data: bytes, arrived: float) -> None:
        """Every complete frame in ``data``: the hot path of the whole load process, so in two flat passes.

        The first walks the frame headers only (to find where the complete frames end, and the rare frame
        that is not an event: ``ready``, ping, close); the second finds the markers of all of them at once.
        A marker cannot occur in a frame header, so searching the whole run of text frames is exact.
        """
        position, size, last_text, frames, run_start = 0, len(data), -1, 0, 0
        while size - position >= 2:
            length = data[position + 1] & 0x7F
            start = position + 2
            if length == 126:
                if size - position < 4:
                    break
                length, start = (data[position + 2] << 8) | data[position + 3], position + 4
            elif length == 127:
                if size - position < 10:
                    break
                length, start = int.from_bytes(data[position + 2 : position + 10], "big"), position + 10
            end = start + length
            if end > size:
                break
            if data[position] == 0x81 and self.ready:  # a complete, unfragmented text frame: an event
                frames += 1
                last_text = start
            else:
                self.markers(data, run_start, position, arrived)
                run_start = end
                if not self.control(data[position] & 0x0F, data[start:end]):
                    return
            position = end
        self.markers(data, run_start, position, arrived)
        self.agents.frames += frames
        if last_text >= 0:
            match = HUB_ID.match(data, last_text)
            if match is not None:
                self.last_id = int(match[1])
        if position < size:
            self.pending = data[position:]

    def markers(self, data: bytes, start: int, end: int, arrived: float) -> None:
        if start >= end:
            return
        agents, seen, messages, record = self.agents, self.seen, self.agents.messages, self.agents.latencies.append
        agents.frame_bytes += end - start
        received = duplicates = 0
        for match in MARKER.finditer(data, start, end):
            seq = int(match[1])
            if seq >= messages:
                continue
            if seen[seq]:
                duplicates += 1
                continue
            seen[seq] = 1
            received += 1
            record(arrived - float(match[2]))
        agents.received += received
        agents.duplicates += duplicates

    def control(self, opcode: int, payload: bytes) -> bool:
        """A frame that is not an event; False once the connection is closing."""
        if opcode == 1 and payload.startswith(READY):
            self.on_ready(payload)
        elif opcode == 9 and not self.replaying:  # a recorded ping was answered when it arrived
            self.transport.write(client_frame(0xA, payload))  # type: ignore[union-attr]
        elif opcode == 8:
            self.close_received = True
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
            self.transport.write(client_frame(0x8, payload[:2]))  # type: ignore[union-attr]
            self.transport.close()  # type: ignore[union-attr]
            return False
        return True

    def on_ready(self, payload: bytes) -> None:
        self.last_id = json.loads(payload)["data"].get("last_id", self.last_id)
        self.ready = True
        if not self.handshake.done():
            self.handshake.set_result(True)


class Agents:
    def __init__(self, job: dict[str, Any]) -> None:
        url = urlsplit(job["url"])
        self.host, self.port, self.path = url.hostname or "127.0.0.1", url.port or 80, url.path
        self.headers: dict[str, str] = job["headers"]
        self.count: int = job["agents"]
        self.messages: int = job["messages"]  # sequence numbers are 0 .. messages-1
        self.resume: bool = job.get("resume", True)
        self.latencies = array("d")
        self.received = self.duplicates = self.frames = self.frame_bytes = 0
        self.connected = self.ready = self.failed = self.reconnects = 0
        self.closes: Counter[str] = Counter()
        self.stopping = False
        self.tasks: list[asyncio.Task[None]] = []
        self.live: set[Agent] = set()
        self.handshakes = asyncio.Semaphore(job.get("handshake_concurrency", 64))
        self.all_ready = asyncio.Event()

    def request(self, last_id: int | None) -> tuple[bytes, bytes]:
        path = self.path if last_id is None or not self.resume else f"{self.path}?since={last_id}"
        key = base64.b64encode(os.urandom(16))
        lines = [
            f"GET {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key.decode()}",
            "Sec-WebSocket-Version: 13",
            *(f"{name}: {value}" for name, value in self.headers.items()),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode(), key

    async def start(self) -> None:
        self.tasks = [asyncio.create_task(self.agent()) for _ in range(self.count)]
        if self.count == 0:
            self.all_ready.set()
        await self.all_ready.wait()

    def _settled(self) -> None:
        if self.ready + self.failed >= self.count:
            self.all_ready.set()

    async def agent(self) -> None:
        """Connect, wait until the connection ends, reconnect (with ``since`` for the hub) until stopped."""
        loop = asyncio.get_running_loop()
        last_id: int | None = None
        first = True
        seen = bytearray(self.messages)
        while not self.stopping:
            request, key = self.request(last_id)
            try:
                async with self.handshakes:
                    factory = functools.partial(Agent, self, request, key, seen)
                    _, agent = await asyncio.wait_for(loop.create_connection(factory, self.host, self.port), 120)
                    upgraded = await asyncio.wait_for(agent.handshake, 120)
            except (OSError, TimeoutError) as exc:
                upgraded, agent = False, None
                self.closes[f"connect failed: {type(exc).__name__}"] += 1
            if not upgraded:
                if agent is not None:
                    self.closes["refused"] += 1
                if first:
                    self.failed += 1
                    self._settled()
                    return
                await asyncio.sleep(0.5)
                continue
            assert agent is not None
            if first:
                first = False
                self.ready += 1
                self._settled()
            self.connected += 1
            self.live.add(agent)
            code = await agent.closed
            self.live.discard(agent)
            self.connected -= 1
            last_id = agent.last_id
            if self.stopping:
                return
            self.closes[f"closed {code}"] += 1
            self.reconnects += 1
            if code == 4001:
                last_id = None
            await asyncio.sleep(0.05)

    def status(self, *, catch_up: bool = True) -> dict[str, Any]:
        if catch_up:
            for agent in self.live:
                agent.catch_up()
        last_arrival = max(
            (agent.arrivals[-1] if agent.arrivals else agent.last_arrival for agent in self.live), default=0.0
        )
        return {
            "quiet_seconds": time.time() - last_arrival,
            "connected": self.connected,
            "ready": self.ready,
            "failed": self.failed,
            "received": self.received,
            "frames": self.frames,
            "closes": dict(self.closes),
            "cpu": cpu_seconds(),
        }

    async def finish(self) -> dict[str, Any]:
        self.stopping = True
        for agent in list(self.live):
            if agent.transport is not None:
                agent.transport.abort()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        return {
            **self.status(),
            "duplicates": self.duplicates,
            "reconnects": self.reconnects,
            "frame_bytes": self.frame_bytes,
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
            pipe.send(agents.status(catch_up=command.get("catch_up", True)) if agents else {})
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
