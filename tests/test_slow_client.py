"""A client that stops reading is told to resume (4000) and never holds back the others; resuming loses nothing."""

import asyncio
import json
import secrets
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from omnihub.config import Settings
from omnihub.domain.enums import Role
from omnihub.realtime.client import EventFollower
from tests.live import LiveHub, auth, collect, following, running_live_hub


def big() -> str:
    """Large messages fill the slow client's buffers sooner; random, so that compression (on under other
    ASGI servers) cannot shrink them."""
    return secrets.token_urlsafe(15_000)


@pytest.fixture
def live_settings(live_settings: Settings) -> Settings:
    return live_settings.model_copy(update={"ws_max_behind_bytes": 64 * 1024})


@pytest.fixture(params=["direct writes", "ASGI sends"])
async def live(request: pytest.FixtureRequest, live_settings: Settings) -> AsyncIterator[LiveHub]:
    async with running_live_hub(live_settings, direct_writes=request.param == "direct writes") as hub:
        yield hub


def small_window_socket(live: LiveHub) -> socket.socket:
    """A connected socket whose receive buffer is small, so that a client that stops reading stalls its
    sender soon (the kernel's buffers on the server's side still take a few megabytes)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", int(live.base.rsplit(":", 1)[1])))
    sock.setblocking(False)
    return sock


async def read_until_closed(slow: ClientConnection) -> tuple[list[dict[str, Any]], int | None]:
    frames = []
    try:
        async with asyncio.timeout(30):
            async for raw in slow:
                frames.append(json.loads(raw))
    except ConnectionClosed:
        pass
    return frames, slow.close_code


async def test_a_client_that_stops_reading_is_told_to_resume_and_then_misses_nothing(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    inbox = await live.inbox(admin, "support")
    sockets = live.app.state.runtime.gateway.subscribers

    async with following(EventFollower(live.ws, admin)) as fast:
        fast_socket = set(sockets)
        # max_queue=1: the client stops taking data from its socket once one message waits unread.
        async with connect(
            live.ws, sock=small_window_socket(live), additional_headers=auth(admin), max_queue=1
        ) as slow:
            ready = json.loads(await slow.recv())
            [slow_socket] = sockets - fast_socket
            sent = 0
            # The slow client reads nothing while messages pour in, until the hub gives up on it.
            while not slow_socket.overflowed and sent < 600:
                await live.inbound(admin, inbox, f"m{sent:03}", f"{sent:03} {big()}")
                sent += 1
            assert slow_socket.overflowed, "the slow client was never told to resume"
            await wait_for_messages(fast, sent)  # the other client got everything meanwhile
            before_close, code = await read_until_closed(slow)

    assert code == 4000
    seen = [frame for frame in before_close if "id" in frame]
    last_seen = seen[-1]["id"] if seen else ready["data"]["last_id"]
    missing = [event for event in fast if event["id"] > last_seen]
    rest = await collect(EventFollower(live.ws, admin, since=last_seen), count=len(missing))
    assert rest == missing  # exactly once, in order
    contents = [e["data"]["content"][:3] for e in seen + rest if e["type"] == "message.created"]
    assert contents == [f"{n:03}" for n in range(sent)]


async def wait_for_messages(events: list[dict[str, Any]], count: int) -> None:
    async with asyncio.timeout(30):
        while sum(e["type"] == "message.created" for e in events) < count:  # noqa: ASYNC110 - a list being filled
            await asyncio.sleep(0.02)
