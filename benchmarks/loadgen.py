"""The ingest benchmark's load generator, run in its own process so it does not share the server's loop.

One asyncio process (uvloop when installed) running C workers, each with its own httpx.AsyncClient
holding one keep-alive connection (one shared client with a pool of C connections costs about three
times as much CPU per request at C=16, and this process shares the 2 cores with the servers); the
bodies are serialised before the clock starts. It reads its job as JSON on the
command line and prints the result as JSON on its last line. With "handshake": true it prints READY
after the warm-up and starts measuring when a line arrives on its standard input.

Job: {"url": ..., "token": ..., "inbox_id": ..., "messages": N, "concurrency": C, "warmup": W,
      "prefix": "run1", "messages_per_contact": 10, "seed": 1}
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sys
import time
from collections import Counter
from typing import Any

import httpx


def bodies(prefix: str, count: int, messages_per_contact: int, seed: int) -> list[bytes]:
    """``count`` inbound messages; each contact writes ``messages_per_contact`` of them, spread over the run,
    so the first message of a contact creates it (and its conversation) and the others find it again."""
    contacts = max(1, count // messages_per_contact)
    owners = [i % contacts for i in range(count)]
    random.Random(seed).shuffle(owners)
    return [
        json.dumps(
            {
                "external_id": f"{prefix}-msg-{i}",
                "contact": {"identifier": f"{prefix}-contact-{owner}", "name": f"Customer {owner}"},
                "content": f"Hello, this is message {i}. Where is my order #{100000 + i}?",
            }
        ).encode()
        for i, owner in enumerate(owners)
    ]


async def run(job: dict[str, Any]) -> dict[str, Any]:
    concurrency = int(job["concurrency"])
    path = f"/api/v1/inboxes/{job['inbox_id']}/inbound"
    headers = {"Authorization": f"Bearer {job['token']}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    statuses: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(base_url=job["url"], limits=limits, timeout=60.0))
            for _ in range(concurrency)
        ]

        async def drive(queue: list[bytes], latencies: list[float] | None) -> None:
            async def worker(client: httpx.AsyncClient) -> None:
                while queue:
                    body = queue.pop()
                    started = time.perf_counter()
                    try:
                        response = await client.post(path, content=body, headers=headers)
                    except httpx.HTTPError as exc:
                        errors[type(exc).__name__] += 1
                        continue
                    if latencies is not None:
                        latencies.append(time.perf_counter() - started)
                        statuses[response.status_code] += 1

            await asyncio.gather(*(worker(client) for client in clients))

        warmup = bodies(
            job["prefix"] + "-warmup", int(job["warmup"]), int(job["messages_per_contact"]), int(job["seed"]) + 1
        )
        await drive(warmup[::-1], None)
        measured = bodies(job["prefix"], int(job["messages"]), int(job["messages_per_contact"]), int(job["seed"]))
        latencies: list[float] = []
        if job.get("handshake"):
            # Tell the parent the warm-up is over and wait for its go (it samples CPU counters meanwhile).
            print("READY", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        cpu_started = time.process_time()
        started = time.perf_counter()
        await drive(measured[::-1], latencies)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    latencies.sort()
    return {
        "elapsed": elapsed,
        "cpu": cpu,
        "requests": len(latencies),
        "rate": len(latencies) / elapsed if elapsed else 0.0,
        "latencies": latencies,
        "statuses": {str(k): v for k, v in statuses.items()},
        "errors": dict(errors),
    }


def main() -> None:
    job = json.loads(sys.argv[1])
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(job))
    else:
        result = uvloop.run(run(job))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
