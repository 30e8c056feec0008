"""Typing and presence: sent by agents' sockets, passed on to the agents who may see them, on every node."""

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import httpx
from omnihub_connectors.api.signing import receiver_secret
from standardwebhooks import Webhook
from websockets.asyncio.client import ClientConnection

from omnihub.domain.enums import Role
from tests.callback_server import callback_server
from tests.live import Frame, LiveHub, agent_socket, auth, frames_until, message_with
from tests.test_multinode import Node, admin_token, create_inbox, user_token


def typing(conversation_id: int, on: bool = True) -> str:
    return json.dumps({"type": "typing", "conversation_id": conversation_id, "on": on})


def presence_of(user_id: int, status: str) -> Callable[[Frame], bool]:
    return lambda f: f["type"] == "presence" and f["data"]["user_id"] == user_id and f["data"]["status"] == status


async def test_typing_reaches_the_agents_of_that_inbox_only(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    writer_id, writer = await live.token("writer@example.com", Role.AGENT)
    colleague_id, colleague = await live.token("colleague@example.com", Role.AGENT)
    outsider_id, outsider = await live.token("outsider@example.com", Role.AGENT)
    shop, other = await live.inbox(admin, "shop"), await live.inbox(admin, "other")
    for user_id in (writer_id, colleague_id):
        await live.add_member(admin, shop, user_id)
    await live.add_member(admin, other, outsider_id)
    conversation = (await live.inbound(admin, shop, "s1"))["conversation_id"]
    hidden = (await live.inbound(admin, other, "o1"))["conversation_id"]

    async with (
        agent_socket(live.ws, additional_headers=auth(writer)) as writing,
        agent_socket(live.ws, additional_headers=auth(colleague)) as watching,
        agent_socket(live.ws, additional_headers=auth(outsider)) as elsewhere,
    ):
        await writing.send(typing(conversation))
        seen = await frames_until(watching, lambda f: f["type"] == "typing")
        await writing.send(typing(hidden))
        refused = await frames_until(writing, lambda f: f["type"] == "error")
        await writing.send("not json")
        unreadable = await frames_until(writing, lambda f: f["type"] == "error")
        await writing.send(typing(conversation, on=False))
        stopped = await frames_until(watching, lambda f: f["type"] == "typing")
        await live.inbound(admin, other, "o2", "sentinel")
        elsewhere_frames = await frames_until(elsewhere, message_with("sentinel"))

    data = {"conversation_id": conversation, "inbox_id": shop, "user_id": writer_id, "name": "writer", "on": True}
    assert seen[-1]["data"] == data and "id" not in seen[-1] and seen[-1]["created_at"]
    assert stopped[-1]["data"]["on"] is False
    assert refused[-1]["data"] == {"detail": "conversation not found"}
    assert "typing" in unreadable[-1]["data"]["detail"]
    assert "typing" not in [f["type"] for f in elsewhere_frames]


async def test_a_contact_typing_on_the_api_channel_reaches_the_agents_of_the_inbox(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    agent_id, agent = await live.token("agent@example.com", Role.AGENT)
    shop = await live.inbox(admin, "shop")
    await live.add_member(admin, shop, agent_id)
    first = await live.inbound(admin, shop, "d1", name="Dana")
    other = await live.inbound(admin, shop, "e1", name="Eli")

    async def contact_typing(identifier: str, **body: object) -> httpx.Response:
        payload = {"contact": {"identifier": identifier}, **body}
        return await live.http.post(f"/api/v1/inboxes/{shop}/typing", json=payload, headers=auth(admin))

    async with agent_socket(live.ws, additional_headers=auth(agent)) as watching:
        started = await contact_typing("c-d1", on=True)
        seen = await frames_until(watching, lambda f: f["type"] == "typing")
        stopped = await contact_typing("c-d1", on=False, conversation_id=first["conversation_id"])
        seen_stop = await frames_until(watching, lambda f: f["type"] == "typing")
        stranger = await contact_typing("c-nobody", on=True)
        not_theirs = await contact_typing("c-d1", on=True, conversation_id=other["conversation_id"])
        unsaid = await contact_typing("c-d1")

    assert started.status_code == stopped.status_code == 204
    assert seen[-1]["data"] == {
        "conversation_id": first["conversation_id"],
        "inbox_id": shop,
        "contact_id": first["contact_id"],
        "name": "Dana",
        "on": True,
    }
    assert seen_stop[-1]["data"]["on"] is False
    assert stranger.status_code == not_theirs.status_code == 404
    assert stranger.json()["detail"] == "conversation not found"
    assert unsaid.status_code == 422


async def test_an_agents_typing_reaches_the_api_channels_callback_signed(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    secret = "typing-secret-0123456789"
    async with callback_server() as receiver:
        created = await live.http.post(
            "/api/v1/inboxes",
            json={"name": "shop", "channel_type": "api", "config": {"callback_url": receiver.url, "secret": secret}},
            headers=auth(admin),
        )
        inbox = created.json()["id"]
        conversation = await live.inbound(admin, inbox, "t1")
        async with agent_socket(live.ws, additional_headers=auth(admin)) as typing_agent:
            await typing_agent.send(typing(conversation["conversation_id"]))
            for _ in range(200):
                if receiver.received:
                    break
                await asyncio.sleep(0.02)

    [callback] = receiver.received
    # Signed as Standard Webhooks libraries check it (raises on a bad signature or an old timestamp).
    Webhook(receiver_secret(secret)).verify(callback.body, callback.headers)
    assert callback.headers["webhook-id"].startswith("typing_")
    assert json.loads(callback.body) == {
        "event": "typing",
        "conversation_id": conversation["conversation_id"],
        "inbox_id": inbox,
        "agent": {"name": "admin"},
        "on": True,
        "contact": {"id": conversation["contact_id"], "identifier": "c-t1"},
    }


async def test_presence_follows_an_agents_connections_on_every_node_and_a_crash(
    database_url: str, tmp_path: Path
) -> None:
    watcher = admin_token(database_url)
    agent_id, agent = user_token(database_url, "agent@example.com", "agent")
    # Short enough for a crashed node's agents to expire within the test, long enough that a busy machine's
    # slow heartbeat does not look like a crash.
    fast_heartbeat = {"OMNIHUB_PRESENCE_HEARTBEAT_SECONDS": "1"}
    node_a = Node(database_url, tmp_path / "shared", tmp_path / "a.log", fast_heartbeat)
    node_b = Node(database_url, tmp_path / "shared", tmp_path / "b.log", fast_heartbeat)
    try:
        await asyncio.gather(node_a.wait_healthy(), node_b.wait_healthy())
        inbox = await create_inbox(node_a, watcher)
        async with httpx.AsyncClient(base_url=node_a.url, headers=auth(watcher)) as http:
            await http.post(f"/api/v1/inboxes/{inbox}/members", json={"user_id": agent_id})
            body = {"external_id": "1", "contact": {"identifier": "visitor"}, "content": "hi"}
            conversation = (await http.post(f"/api/v1/inboxes/{inbox}/inbound", json=body)).json()["conversation_id"]

        async with agent_socket(node_b.ws, additional_headers=auth(watcher)) as watching:
            async with (
                agent_socket(node_a.ws, additional_headers=auth(agent)) as on_a,
                agent_socket(node_b.ws, additional_headers=auth(agent)) as on_b,
            ):
                await frames_until(watching, presence_of(agent_id, "online"))
                await on_a.send(typing(conversation))  # typed on node A, seen on node B
                typed = await frames_until(watching, lambda f: f["type"] == "typing")
                await away(on_a)  # still online on node B
                await away(on_b)
                went_away = await frames_until(watching, presence_of(agent_id, "away"))
                await on_b.close()
                await on_a.send(typing(conversation, on=False))  # node A's socket is still there ...
                still_there = await frames_until(watching, lambda f: f["type"] == "typing")
            # ... and only now is the agent offline.
            went_offline = await frames_until(watching, presence_of(agent_id, "offline"))

            async with agent_socket(node_a.ws, additional_headers=auth(agent)):
                await frames_until(watching, presence_of(agent_id, "online"))
                node_a.crash()  # no goodbye from node A: its announcements stop and expire
                crashed = await frames_until(watching, presence_of(agent_id, "offline"), within=30)
    finally:
        node_a.stop()
        node_b.stop()

    assert typed[-1]["data"]["user_id"] == agent_id and typed[-1]["data"]["conversation_id"] == conversation
    assert statuses(went_away, agent_id) == ["away"]  # not while one connection was still online
    assert statuses(still_there, agent_id) == []
    assert statuses(went_offline, agent_id) == ["offline"]
    assert crashed[-1]["data"] == {"user_id": agent_id, "name": "Agent", "status": "offline"}


def statuses(frames: list[Frame], user_id: int) -> list[str]:
    return [f["data"]["status"] for f in frames if f["type"] == "presence" and f["data"]["user_id"] == user_id]


async def away(socket: ClientConnection) -> None:
    await socket.send(json.dumps({"type": "presence", "status": "away"}))
