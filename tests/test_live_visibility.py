"""What an open socket shows follows membership changes at once, and contact changes reach the agents who
see that contact."""

from omnihub.domain.enums import Role
from tests.live import Frame, LiveHub, agent_socket, auth, frames_until, message_with


def logged(frames: list[Frame]) -> list[Frame]:
    return [frame for frame in frames if "id" in frame]


async def test_an_agent_added_to_an_inbox_follows_it_at_once_and_stops_when_removed(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    agent_id, agent = await live.token("agent@example.com", Role.AGENT)
    home, other = await live.inbox(admin, "home"), await live.inbox(admin, "other")
    await live.add_member(admin, home, agent_id)

    async with agent_socket(live.ws, additional_headers=auth(agent)) as socket:
        await live.inbound(admin, other, "o1", "before joining")
        await live.inbound(admin, home, "h1", "sentinel 1")  # arrives after the other inbox's message
        before = await frames_until(socket, message_with("sentinel 1"))

        await live.add_member(admin, other, agent_id)
        await live.inbound(admin, other, "o2", "after joining")
        joined = await frames_until(socket, message_with("after joining"))

        removed = await live.http.delete(f"/api/v1/inboxes/{other}/members/{agent_id}", headers=auth(admin))
        assert removed.status_code == 204
        await live.inbound(admin, other, "o3", "after leaving")
        await live.inbound(admin, home, "h2", "sentinel 2")
        left = await frames_until(socket, message_with("sentinel 2"))

    # Only the log's events here (they have an id): presence frames come and go on their own.
    before, joined, left = logged(before), logged(joined), logged(left)
    assert {f["data"].get("inbox_id") for f in before if f["type"] != "contact.created"} == {home}
    assert joined[0] == {**joined[0], "type": "inbox.member_added", "data": {"inbox_id": other, "user_id": agent_id}}
    assert [f["type"] for f in joined[1:]] == ["contact.created", "conversation.created", "message.created"]
    assert left[0]["type"] == "inbox.member_removed" and left[0]["data"] == {"inbox_id": other, "user_id": agent_id}
    assert {f["data"].get("inbox_id") for f in left[1:] if f["type"] != "contact.created"} == {home}
    ids = [f["id"] for f in before + joined + left]
    assert ids == sorted(set(ids))


async def test_contact_changes_reach_the_agents_of_every_inbox_the_contact_writes_in(live: LiveHub) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    first_id, first = await live.token("first@example.com", Role.AGENT)
    outsider_id, outsider = await live.token("outsider@example.com", Role.AGENT)
    inbox_a, inbox_b, inbox_c = [await live.inbox(admin, name) for name in ("a", "b", "c")]
    await live.add_member(admin, inbox_a, first_id)
    await live.add_member(admin, inbox_c, outsider_id)
    # One person in inboxes A and B (an admin merged the two contacts): nameless, then named in inbox B.
    ann = await live.inbound(admin, inbox_a, "a1", "hello", identifier="ann-a")
    ann_b = await live.inbound(admin, inbox_b, "b-1", "hello", identifier="ann-b")
    joined = await live.http.post(
        f"/api/v1/contacts/{ann['contact_id']}/merge", json={"other_id": ann_b["contact_id"]}, headers=auth(admin)
    )
    assert joined.status_code == 200, joined.text
    other = await live.inbound(admin, inbox_b, "b0", "someone else")

    async with (
        agent_socket(live.ws, additional_headers=auth(first)) as first_socket,
        agent_socket(live.ws, additional_headers=auth(outsider)) as outsider_socket,
    ):
        await live.inbound(admin, inbox_b, "b1", "it's me again", identifier="ann-b", name="Ann")
        merged = await live.http.post(
            f"/api/v1/contacts/{ann['contact_id']}/merge", json={"other_id": other["contact_id"]}, headers=auth(admin)
        )
        assert merged.status_code == 200, merged.text
        await live.inbound(admin, inbox_a, "a2", "sentinel A")
        await live.inbound(admin, inbox_c, "c1", "sentinel C")
        seen_by_first = await frames_until(first_socket, message_with("sentinel A"))
        seen_by_outsider = await frames_until(outsider_socket, message_with("sentinel C"))

    seen_by_first, seen_by_outsider = logged(seen_by_first), logged(seen_by_outsider)
    updated = [f for f in seen_by_first if f["type"] == "contact.updated"]
    assert [(f["data"]["id"], f["data"]["name"]) for f in updated] == [(ann["contact_id"], "Ann")]
    assert "_audience" not in updated[0]["data"]  # which other inboxes the contact writes in is not told
    [merge] = [f for f in seen_by_first if f["type"] == "contact.merged"]
    assert merge["data"]["contact"]["id"] == ann["contact_id"]
    assert merge["data"]["merged_contact_id"] == other["contact_id"]
    assert "message.created" not in [f["type"] for f in seen_by_first[:-1]]  # inbox B's messages stay hidden
    assert [f["type"] for f in seen_by_outsider] == ["contact.created", "conversation.created", "message.created"]
