"""The agents' WebSocket against a real server on 127.0.0.1 with real WebSocket clients."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from omnihub.config import Settings
from omnihub.domain.enums import Role
from omnihub.realtime.client import EventFollower, ResyncRequired
from tests.live import LiveHub, auth, collect, following, running_live_hub, wait_for_count


@pytest.fixture(params=["direct writes", "ASGI sends"])
async def live(request: pytest.FixtureRequest, live_settings: Settings) -> AsyncIterator[LiveHub]:
    """Both ways the gateway writes: under ``omnihub serve`` (direct writes) and under any ASGI server."""
    async with running_live_hub(live_settings, direct_writes=request.param == "direct writes") as hub:
        yield hub


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
        sockets = live.app.state.runtime.gateway.subscribers
        assert [s.writer is not None for s in sockets] == [live.direct_writes] * 2  # the way this run writes
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
