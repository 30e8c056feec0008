"""Agents change a conversation; each change is in the timeline and in the event log."""

from omnihub.domain.enums import Role
from omnihub.services.users import authenticate_password, create_user
from tests.conftest import Hub, InboundSender, recorded_events


async def test_changes_show_in_timeline_and_event_log(
    hub: Hub, api_inbox: int, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    conversation = (await send_inbound(api_inbox, "m1")).json()["conversation_id"]
    url = f"/api/v1/conversations/{conversation}"
    team = (await hub.client.post("/api/v1/teams", json={"name": "Billing"}, headers=admin)).json()

    changed = await hub.client.patch(
        url, json={"status": "pending", "team_id": team["id"], "priority": "urgent"}, headers=admin
    )
    unchanged = await hub.client.patch(url, json={"status": "pending"}, headers=admin)

    assert changed.status_code == 200 and unchanged.status_code == 200
    assert changed.json()["team_id"] == team["id"]
    timeline = (await hub.client.get(f"{url}/messages", headers=admin)).json()["items"]
    activities = [m["content"] for m in timeline if m["kind"] == "activity"]
    assert activities == [
        "admin set the status to pending",
        "admin assigned the team Billing",
        "admin set the priority to urgent",
    ]
    events = await recorded_events(hub)
    updates = [data for kind, data in events if kind == "conversation.updated"]
    assert len(updates) == 1 and updates[0]["status"] == "pending" and updates[0]["priority"] == "urgent"
    assert [kind for kind, _ in events].count("message.created") == 1 + 3


async def test_first_reply_sets_first_response_time_and_notes_do_not(
    hub: Hub, api_inbox: int, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    conversation = (await send_inbound(api_inbox, "m1")).json()["conversation_id"]
    url = f"/api/v1/conversations/{conversation}"

    await hub.client.post(f"{url}/messages", json={"content": "internal", "private": True}, headers=admin)
    assert (await hub.client.get(url, headers=admin)).json()["first_response_at"] is None
    await hub.client.post(f"{url}/messages", json={"content": "Hello!"}, headers=admin)
    assert (await hub.client.get(url, headers=admin)).json()["first_response_at"] is not None

    empty = await hub.client.post(f"{url}/messages", json={"content": "   "}, headers=admin)
    assert empty.status_code == 422


async def test_inbox_secrets_are_never_returned(hub: Hub, admin: dict[str, str]) -> None:
    secret = "super-secret-signing-key-123"
    created = await hub.client.post(
        "/api/v1/inboxes",
        headers=admin,
        json={
            "name": "CRM",
            "channel_type": "api",
            "config": {"secret": secret, "callback_url": "https://crm.example/hook"},
        },
    )
    listed = await hub.client.get("/api/v1/inboxes", headers=admin)
    single = await hub.client.get(f"/api/v1/inboxes/{created.json()['id']}", headers=admin)

    for response in (created, listed, single):
        assert secret not in response.text
    assert single.json()["config"] == {"secret": "********", "callback_url": "https://crm.example/hook"}


async def test_passwords_are_hashed_with_argon2(hub: Hub) -> None:
    async with hub.session() as session:
        user = await create_user(
            session, email="pw@example.com", name="PW", role=Role.AGENT, password="correct horse battery"
        )
        assert user.password_hash is not None and user.password_hash.startswith("$argon2")
        assert await authenticate_password(session, "PW@example.com", "correct horse battery") is not None
        assert await authenticate_password(session, "pw@example.com", "wrong password") is None


async def test_messages_page_backwards_from_the_newest_with_order_desc(
    hub: Hub, api_inbox: int, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    for n in range(5):
        response = await send_inbound(api_inbox, f"m{n}", content=f"message {n}")
    url = f"/api/v1/conversations/{response.json()['conversation_id']}/messages"

    newest = (await hub.client.get(url, params={"order": "desc", "limit": 2}, headers=admin)).json()
    older = await hub.client.get(
        url, params={"order": "desc", "limit": 2, "cursor": newest["next_cursor"]}, headers=admin
    )
    oldest = await hub.client.get(
        url, params={"order": "desc", "limit": 2, "cursor": older.json()["next_cursor"]}, headers=admin
    )
    forwards = (await hub.client.get(url, headers=admin)).json()["items"]
    wrong = await hub.client.get(url, params={"order": "sideways"}, headers=admin)

    pages = [newest["items"], older.json()["items"], oldest.json()["items"]]
    assert [[m["content"] for m in page] for page in pages] == [
        ["message 4", "message 3"],
        ["message 2", "message 1"],
        ["message 0"],
    ]
    assert oldest.json()["next_cursor"] is None
    assert [m["content"] for m in forwards] == [f"message {n}" for n in range(5)]
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["query", "order"]
