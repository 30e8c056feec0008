"""Who has a conversation open ("viewing" frames), and read marks as personal events: each reaches only
the agents it may reach, over real WebSocket clients, on one node and across two."""

import json
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

from omnihub.domain.enums import Role
from tests.live import Frame, LiveHub, agent_socket, auth, frames_until, message_with
from tests.test_multinode import Node, admin_token, create_inbox, user_token


def viewing(conversation_id: int | None) -> str:
    return json.dumps({"type": "viewing", "conversation_id": conversation_id})


def is_viewing(frame: Frame) -> bool:
    return frame["type"] == "viewing"


def of_type(frames: list[Frame], frame_type: str) -> list[Frame]:
    return [f for f in frames if f["type"] == frame_type]


async def test_viewing_reaches_the_agents_of_that_inbox_only_and_ends_when_the_agent_leaves(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    sam_id, sam = await live.token("sam@example.com", Role.AGENT)
    ann_id, ann = await live.token("ann@example.com", Role.AGENT)
    outsider_id, outsider = await live.token("outsider@example.com", Role.AGENT)
    shop, other = await live.inbox(admin, "shop"), await live.inbox(admin, "other")
    for user_id in (sam_id, ann_id):
        await live.add_member(admin, shop, user_id)
    await live.add_member(admin, other, outsider_id)
    conversation = (await live.inbound(admin, shop, "s1"))["conversation_id"]
    second = (await live.inbound(admin, shop, "s2"))["conversation_id"]
    hidden = (await live.inbound(admin, other, "o1"))["conversation_id"]

    async with (
        agent_socket(live.ws, additional_headers=auth(ann)) as watching,
        agent_socket(live.ws, additional_headers=auth(admin)) as admin_watching,
        agent_socket(live.ws, additional_headers=auth(outsider)) as elsewhere,
    ):
        async with agent_socket(live.ws, additional_headers=auth(sam)) as sams:
            await sams.send(viewing(conversation))
            opened = await frames_until(watching, is_viewing)
            admin_saw = await frames_until(admin_watching, is_viewing)
            await sams.send(viewing(hidden))
            refused = await frames_until(sams, lambda f: f["type"] == "error")
            await sams.send(json.dumps({"type": "viewing", "conversation_id": "12"}))
            malformed = await frames_until(sams, lambda f: f["type"] == "error")
            await sams.send(viewing(second))  # switching withdraws the first one at once
            switched = [*await frames_until(watching, is_viewing), *await frames_until(watching, is_viewing)]
        # Sam closes the tab: the conversation he had open is withdrawn by the server.
        left = await frames_until(watching, is_viewing)
        await live.inbound(admin, other, "o2", "sentinel")
        elsewhere_frames = await frames_until(elsewhere, message_with("sentinel"))

    data = opened[-1]["data"]
    socket_id = data.pop("socket_id")
    assert data == {"conversation_id": conversation, "inbox_id": shop, "user_id": sam_id, "name": "sam", "on": True}
    assert len(socket_id) >= 8 and "id" not in opened[-1] and opened[-1]["created_at"]
    assert admin_saw[-1]["data"]["conversation_id"] == conversation
    assert refused[-1]["data"] == {"detail": "conversation not found"}
    assert "viewing" in malformed[-1]["data"]["detail"]
    # What Ann sees: the first conversation closed, then the second open, then that one closed too.
    closed_then_opened = [(f["data"]["conversation_id"], f["data"]["on"]) for f in switched]
    assert closed_then_opened == [(conversation, False), (second, True)]
    assert (left[-1]["data"]["conversation_id"], left[-1]["data"]["on"]) == (second, False)
    assert left[-1]["data"]["socket_id"] == socket_id
    # The agent of another inbox hears nothing of it; the hidden conversation was never announced.
    assert of_type(elsewhere_frames, "viewing") == []


async def test_a_read_mark_reaches_only_the_readers_own_sockets_live_and_on_resume(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    sam_id, sam = await live.token("sam@example.com", Role.AGENT)
    ann_id, ann = await live.token("ann@example.com", Role.AGENT)
    shop = await live.inbox(admin, "shop")
    for user_id in (sam_id, ann_id):
        await live.add_member(admin, shop, user_id)
    first = await live.inbound(admin, shop, "s1", "first")
    conversation = first["conversation_id"]

    async def post(path: str) -> dict[str, Any]:
        response = await live.http.post(f"/api/v1/conversations/{conversation}/{path}", headers=auth(sam))
        assert response.status_code == 200, response.text
        return dict(response.json())

    async with (
        agent_socket(live.ws, additional_headers=auth(sam)) as sams_other_tab,
        agent_socket(live.ws, additional_headers=auth(ann)) as colleague,
        agent_socket(live.ws, additional_headers=auth(admin)) as admins,
    ):
        read = await post("read")
        seen_read = await frames_until(sams_other_tab, lambda f: f["type"] == "read_mark.updated")
        unread = await post("unread")
        seen_unread = await frames_until(sams_other_tab, lambda f: f["type"] == "read_mark.updated")
        await post("unread")  # already unread: nothing changes, nobody is told
        await live.inbound(admin, shop, "s2", "sentinel")
        after_repeat = await frames_until(sams_other_tab, message_with("sentinel"))
        colleague_frames = await frames_until(colleague, message_with("sentinel"))
        admin_frames = await frames_until(admins, message_with("sentinel"))

    expected = {"conversation_id": conversation, "last_read_message_id": first["message_id"], "unread": False}
    assert seen_read[-1]["data"] == read == expected
    assert isinstance(seen_read[-1]["id"], int)  # an event of the log: resumable
    assert seen_unread[-1]["data"] == unread and unread["unread"] is True
    assert of_type(after_repeat, "read_mark.updated") == []
    assert of_type(colleague_frames, "read_mark.updated") == []
    assert of_type(admin_frames, "read_mark.updated") == []

    # Resuming from before the reads: Sam's socket gets them from the log, Ann's and the admin's do not.
    since = seen_read[-1]["id"] - 1
    backlogs = {}
    for name, token in (("sam", sam), ("ann", ann), ("admin", admin)):
        await live.inbound(admin, shop, f"e-{name}", f"end-{name}")
        async with connect(f"{live.ws}?since={since}", additional_headers=auth(token), open_timeout=10) as socket:
            backlogs[name] = await frames_until(socket, message_with(f"end-{name}"))
    assert [f["data"]["unread"] for f in of_type(backlogs["sam"], "read_mark.updated")] == [False, True]
    assert of_type(backlogs["ann"], "read_mark.updated") == of_type(backlogs["admin"], "read_mark.updated") == []


async def test_viewing_on_one_node_is_seen_on_another_and_withdrawn_when_its_socket_closes(
    database_url: str, tmp_path: Path
) -> None:
    watcher = admin_token(database_url)
    agent_id, agent = user_token(database_url, "agent@example.com", "agent")
    node_a = Node(database_url, tmp_path / "shared", tmp_path / "a.log")
    node_b = Node(database_url, tmp_path / "shared", tmp_path / "b.log")
    try:
        await node_a.wait_healthy()
        await node_b.wait_healthy()
        inbox = await create_inbox(node_a, watcher)
        async with httpx.AsyncClient(base_url=node_a.url, headers=auth(watcher)) as http:
            await http.post(f"/api/v1/inboxes/{inbox}/members", json={"user_id": agent_id})
            body = {"external_id": "1", "contact": {"identifier": "visitor"}, "content": "hi"}
            conversation = (await http.post(f"/api/v1/inboxes/{inbox}/inbound", json=body)).json()["conversation_id"]

        async with agent_socket(node_b.ws, additional_headers=auth(watcher)) as watching:
            async with agent_socket(node_a.ws, additional_headers=auth(agent)) as on_a:
                await on_a.send(viewing(conversation))
                opened = await frames_until(watching, is_viewing)
            closed = await frames_until(watching, is_viewing)
    finally:
        node_a.stop()
        node_b.stop()

    assert (opened[-1]["data"]["user_id"], opened[-1]["data"]["on"]) == (agent_id, True)
    assert (closed[-1]["data"]["conversation_id"], closed[-1]["data"]["on"]) == (conversation, False)
