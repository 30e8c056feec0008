"""A hub served by a real uvicorn on 127.0.0.1 in the test's process, and real WebSocket clients for it."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from omnihub.app import create_app
from omnihub.config import Settings
from omnihub.domain.enums import Role
from omnihub.realtime.client import EventFollower
from omnihub.realtime.direct_ws import uvicorn_config
from omnihub.services.users import create_api_token, create_user
from tests.callback_server import free_port

CONSOLE_ORIGIN = "https://console.example"
Frame = dict[str, Any]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class LiveHub:
    def __init__(self, app: Any, port: int, *, direct_writes: bool = True) -> None:
        self.app = app
        self.direct_writes = direct_writes
        self.base = f"http://127.0.0.1:{port}"
        self.ws = f"ws://127.0.0.1:{port}/ws"
        self.http = httpx.AsyncClient(base_url=self.base)

    async def token(self, email: str, role: Role, password: str | None = None) -> tuple[int, str]:
        async with self.app.state.runtime.sessions() as session:
            user = await create_user(session, email=email, name=email.split("@")[0], role=role, password=password)
            return user.id, await create_api_token(session, user=user)

    async def inbox(self, token: str, name: str) -> int:
        response = await self.http.post(
            "/api/v1/inboxes", json={"name": name, "channel_type": "api"}, headers=auth(token)
        )
        return int(response.json()["id"])

    async def add_member(self, admin: str, inbox: int, user_id: int) -> None:
        response = await self.http.post(
            f"/api/v1/inboxes/{inbox}/members", json={"user_id": user_id}, headers=auth(admin)
        )
        assert response.status_code == 204, response.text

    async def inbound(
        self, token: str, inbox: int, external_id: str, content: str = "hi", **contact: Any
    ) -> dict[str, Any]:
        body = {
            "external_id": external_id,
            "contact": {"identifier": "c-" + external_id, **contact},
            "content": content,
        }
        response = await self.http.post(f"/api/v1/inboxes/{inbox}/inbound", json=body, headers=auth(token))
        assert response.status_code == 201, response.text
        return dict(response.json())


@contextlib.asynccontextmanager
async def running_live_hub(settings: Settings, *, direct_writes: bool = True) -> AsyncIterator[LiveHub]:
    """As ``omnihub serve`` runs it; ``direct_writes=False`` runs uvicorn's own WebSocket protocol, as any
    other ASGI server would, so the gateway falls back to ASGI sends."""
    port = free_port()
    app = create_app(settings)
    if direct_writes:
        config = uvicorn_config(app, host="127.0.0.1", port=port, log_level="warning")
    else:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    hub = LiveHub(app, port, direct_writes=direct_writes)
    try:
        yield hub
    finally:
        await hub.http.aclose()
        server.should_exit = True
        await task


async def collect(follower: EventFollower, count: int, within: float = 10.0) -> list[Frame]:
    events: list[Frame] = []

    async def take() -> None:
        async for event in follower.events():
            events.append(event)
            if len(events) == count:
                return

    await asyncio.wait_for(take(), within)
    return events


@contextlib.asynccontextmanager
async def following(follower: EventFollower) -> AsyncIterator[list[Frame]]:
    """Follow in the background; the list fills as events arrive."""
    events: list[Frame] = []

    async def take() -> None:
        async for event in follower.events():
            events.append(event)

    task = asyncio.create_task(take())
    await asyncio.wait_for(follower.ready.wait(), 10)
    try:
        yield events
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def wait_for_count(events: list[Frame], count: int, within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while len(events) < count:
        assert asyncio.get_running_loop().time() < deadline, f"got {len(events)} of {count} events"
        await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def agent_socket(url: str, **options: Any) -> AsyncIterator[ClientConnection]:
    """A plain WebSocket to ``/ws``, after its ``ready`` frame (for the frames without an id too)."""
    async with connect(url, open_timeout=10, **options) as socket:
        ready = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ready["type"] == "ready", ready
        yield socket


async def frames_until(socket: ClientConnection, done: Callable[[Frame], bool], within: float = 10.0) -> list[Frame]:
    """Every frame up to and including the first one ``done`` accepts."""
    frames: list[Frame] = []
    async with asyncio.timeout(within):
        while True:
            frame = json.loads(await socket.recv())
            frames.append(frame)
            if done(frame):
                return frames


def message_with(content: str) -> Callable[[Frame], bool]:
    return lambda frame: frame["type"] == "message.created" and frame["data"]["content"] == content
