"""The fan-out benchmark's baseline: a bare ``websockets`` server that broadcasts to every connection.

    python benchmarks/fanout_baseline.py --port 8765

Every connection to ``/ws`` is an agent: it gets a ``ready`` frame, then every broadcast. A connection
to ``/control`` sends one JSON job, ``{"rate": R, "count": M, "frame_bytes": B}``; the server then
broadcasts M frames at R per second with ``websockets.asyncio.server.broadcast`` and answers ``done``.
Each frame looks like the hub's ``message.created`` frame (padded to about B bytes) and carries the
wall-clock time it was due (start + seq / R), so time spent falling behind the rate counts.
``GET /healthz`` answers 200. It listens on 127.0.0.1 only, with uvloop when installed (as uvicorn runs
the hub).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import signal
import time
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.http11 import Request, Response

HOST = "127.0.0.1"
agents: set[ServerConnection] = set()


def process_request(connection: ServerConnection, request: Request) -> Response | None:
    if request.path == "/healthz":
        return connection.respond(HTTPStatus.OK, "ok\n")
    return None


def frame_template(frame_bytes: int) -> str:
    """A frame shaped like the hub's, with ``{seq}`` and ``{ts}`` to fill in."""
    head = (
        '{"id" : %(id)d, "type" : "message.created", "data" : {"id": %(id)d, "inbox_id": 1, '
        '"conversation_id": 1, "direction": "incoming", "content": "fanout:%(seq)d:%(ts).6f: '
    )
    tail = '", "attachments": []}, "created_at" : "2024-01-01T00:00:00+00:00"}'
    sample = head % {"id": 100000, "seq": 100000, "ts": time.time()} + tail
    padding = "x" * max(0, frame_bytes - len(sample))
    return head + padding.replace("%", "%%") + tail


async def broadcast_job(job: dict[str, Any]) -> None:
    rate, count = float(job["rate"]), int(job["count"])
    template = frame_template(int(job.get("frame_bytes", 600)))
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    wall_start = time.time() + 0.05
    for seq in range(count):
        delay = start + seq / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        # The time the frame was due, as the hub's sender stamps its requests: a server that cannot keep
        # the rate shows it in its latency.
        broadcast(agents, template % {"id": seq + 1, "seq": seq, "ts": wall_start + seq / rate})


async def handler(connection: ServerConnection) -> None:
    assert connection.request is not None
    if connection.request.path.startswith("/control"):
        job = json.loads(await connection.recv())
        await broadcast_job(job)
        await connection.send("done")
        return
    agents.add(connection)
    try:
        await connection.send(json.dumps({"type": "ready", "data": {"last_id": 0}}))
        async for _ in connection:
            pass
    finally:
        agents.discard(connection)


async def run(port: int) -> None:
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(handler, HOST, port, process_request=process_request, compression=None, backlog=4096):
        await stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        asyncio.run(run(args.port))
    else:
        with contextlib.suppress(KeyboardInterrupt):
            uvloop.run(run(args.port))


if __name__ == "__main__":
    main()
