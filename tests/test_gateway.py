"""The agents' WebSocket against a real server on 127.0.0.1 with real WebSocket clients."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from omnihub.app import create_app
from omnihub.config import Settings
from omnihub.domain.enums import Role
from omnihub.realtime.client import EventFollower, ResyncRequired
from omnihub.realtime.direct_ws import uvicorn_config
from omnihub.services.users import create_api_token, create_user
from tests.callback_server import free_port


class LiveHub:
    def __init__(self, app: Any, port: int) -> None:
        self.app = app
        self.base = f"http://127.0.0.1:{port}"
        self.ws = f"ws://127.0.0.1:{port}/ws"
        self.http = httpx.AsyncClient(base_url=self.base)

    async def token(self, email: str, role: Role) -> tuple[int, str]:
        async with self.app.state.runtime.sessions() as session:
            user = await create_user(session, email=email, name=email.split("@")[0], role=role)
            return user.id, await create_api_token(session, user=user)

    async def inbox(self, token: str, name: str) -> int:
        response = await self.http.post(
            "/api/v1/inboxes", json={"name": name, "channel_type": "api"}, headers=auth(token)
        )
        return int(response.json()["id"])

    async def inbound(self, token: str, inbox: int, external_id: str, content: str = "hi") -> dict[str, Any]:
        body = {"external_id": external_id, "contact": {"identifier": "c-" + external_id}, "content": content}
        response = await self.http.post(f"/api/v1/inboxes/{inbox}/inbound", json=body, headers=auth(token))
        assert response.status_code == 201, response.text
        return dict(response.json())


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"allowed_origins": ["https://console.example"]})


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[LiveHub]:
    port = free_port()
    app = create_app(settings)
    server = uvicorn.Server(uvicorn_config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    hub = LiveHub(app, port)
    yield hub
    await hub.http.aclose()
    server.should_exit = True
    await task


async def collect(follower: EventFollower, count: int, within: float = 10.0) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []

    async def take() -> None:
        async for event in follower.events():
            events.append(event)
            if len(events) == count:
                return

    await asyncio.wait_for(take(), within)
    return events


@contextlib.asynccontextmanager
async def following(follower: EventFollower) -> AsyncIterator[list[dict[str, Any]]]:
    """Follow in the background; the list fills as events arrive."""
    events: list[dict[str, Any]] = []

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


async def wait_for_count(events: list[dict[str, Any]], count: int, within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while len(events) < count:
        assert asyncio.get_running_loop().time() < deadline, f"got {len(events)} of {count} events"
        await asyncio.sleep(0.02)


async def test_agents_see_messages_of_their_inboxes_only(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    agent_id, agent = await live.token("agent@example.com", Role.AGENT)
    mine, other = await live.inbox(admin, "mine"), await live.inbox(admin, "other")
    await live.http.post(f"/api/v1/inboxes/{mine}/members", json={"user_id": agent_id}, headers=auth(admin))

    async with (
        following(EventFollower(live.ws, agent)) as agent_events,
        following(EventFollower(live.ws, admin)) as admin_events,
    ):
        await live.inbound(admin, other, "secret", "not for the agent")
        created = await live.inbound(admin, mine, "visible", "مرحبا")
        await wait_for_count(admin_events, 6)  # contact, conversation and message in each inbox
        await wait_for_count(agent_events, 3)
        await asyncio.sleep(0.3)

    assert {e["data"].get("inbox_id") for e in agent_events if e["type"] != "contact.created"} == {mine}
    [message] = [e for e in agent_events if e["type"] == "message.created"]
    assert message["data"]["content"] == "مرحبا" and message["data"]["id"] == created["message_id"]
    ids = [e["id"] for e in admin_events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


async def test_resume_returns_missed_events_exactly_once_in_order(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    inbox = await live.inbox(admin, "support")
    follower = EventFollower(live.ws, admin)
    async with following(follower) as before:
        await live.inbound(admin, inbox, "1", "first")
        await wait_for_count(before, 3)
    last_seen = follower.last_id

    for n in range(2, 12):  # written while the agent is away
        await live.inbound(admin, inbox, str(n), f"message {n}")

    resumed = EventFollower(live.ws, admin, since=last_seen)
    events = await collect(resumed, 30)
    contents = [e["data"]["content"] for e in events if e["type"] == "message.created"]
    assert contents == [f"message {n}" for n in range(2, 12)]
    assert [e["id"] for e in events] == sorted({e["id"] for e in events})
    assert events[0]["id"] > last_seen


async def test_a_foreign_origin_is_refused(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    headers = auth(admin)

    with pytest.raises(InvalidStatus) as refused:
        async with connect(live.ws, additional_headers=headers, origin="https://evil.example"):  # type: ignore[arg-type]
            pass
    assert refused.value.response.status_code == 403
    for origin in ("https://console.example", live.base):
        async with connect(live.ws, additional_headers=headers, origin=origin) as socket:  # type: ignore[arg-type]
            assert '"ready"' in str(await asyncio.wait_for(socket.recv(), 5))


async def test_without_a_valid_token_the_socket_is_refused(live: LiveHub) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}):
        with pytest.raises(InvalidStatus) as refused:
            async with connect(live.ws, additional_headers=headers):
                pass
        assert refused.value.response.status_code == 403


async def test_a_since_older_than_the_log_asks_for_a_reload(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    inbox = await live.inbox(admin, "support")
    for n in range(3):
        await live.inbound(admin, inbox, str(n))
    async with live.app.state.runtime.engine.begin() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        await asyncio.sleep(0.5)
        await raw.execute("DELETE FROM events WHERE id < 5")  # as retention would

    with pytest.raises(ResyncRequired):
        await collect(EventFollower(live.ws, admin, since=1), 1)
