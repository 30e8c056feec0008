"""The 404 rule: an agent sees only inboxes they are a member of; everything else is "not found".

The route table below must name every route of the REST API: a new route fails this test until it
says what an agent outside the inbox gets from it.
"""

import base64

import pytest

from omnihub.domain.enums import Role
from tests.conftest import Hub


@pytest.fixture
async def world(hub: Hub, admin: dict[str, str]) -> dict[str, object]:
    """Inbox A (the agent is a member) and inbox B (not), each with a conversation and an attachment."""
    agent_id, agent = await hub.as_user("agent@example.com", Role.AGENT)
    ids: dict[str, object] = {"agent_id": agent_id, "agent": agent}
    for key in ("a", "b"):
        inbox = (
            await hub.client.post("/api/v1/inboxes", json={"name": key, "channel_type": "api"}, headers=admin)
        ).json()["id"]
        created = (
            await hub.client.post(
                f"/api/v1/inboxes/{inbox}/inbound",
                headers=admin,
                json={
                    "external_id": f"{key}-1",
                    "contact": {"identifier": f"person-{key}"},
                    "content": "hi",
                    "attachments": [{"filename": "x.txt", "data_base64": base64.b64encode(b"x").decode()}],
                },
            )
        ).json()
        messages = (
            await hub.client.get(f"/api/v1/conversations/{created['conversation_id']}/messages", headers=admin)
        ).json()
        ids[key] = {
            "inbox": inbox,
            "conversation": created["conversation_id"],
            "contact": created["contact_id"],
            "attachment": messages["items"][0]["attachments"][0]["id"],
        }
    member = await hub.client.post(
        f"/api/v1/inboxes/{ids['a']['inbox']}/members",  # type: ignore[index]
        json={"user_id": agent_id},
        headers=admin,
    )
    assert member.status_code == 204
    return ids


def hidden_requests(b: dict[str, int], a: dict[str, int]) -> dict[tuple[str, str], tuple[str, dict | None]]:
    """(method, route path) -> (URL touching inbox B's data, JSON body) for every REST route."""
    inbound = {"external_id": "z", "contact": {"identifier": "z"}, "content": "x"}
    return {
        ("GET", "/api/v1/inboxes/{inbox_id}"): (f"/api/v1/inboxes/{b['inbox']}", None),
        ("PATCH", "/api/v1/inboxes/{inbox_id}"): (f"/api/v1/inboxes/{b['inbox']}", {"name": "renamed"}),
        ("GET", "/api/v1/inboxes/{inbox_id}/members"): (f"/api/v1/inboxes/{b['inbox']}/members", None),
        ("POST", "/api/v1/inboxes/{inbox_id}/members"): (f"/api/v1/inboxes/{b['inbox']}/members", {"user_id": 1}),
        ("DELETE", "/api/v1/inboxes/{inbox_id}/members/{user_id}"): (f"/api/v1/inboxes/{b['inbox']}/members/1", None),
        ("POST", "/api/v1/inboxes/{inbox_id}/inbound"): (f"/api/v1/inboxes/{b['inbox']}/inbound", inbound),
        ("POST", "/api/v1/inboxes/{inbox_id}/typing"): (
            f"/api/v1/inboxes/{b['inbox']}/typing",
            {"contact": {"identifier": "person-b"}, "on": True},
        ),
        ("GET", "/api/v1/inboxes/{inbox_id}/sync"): (f"/api/v1/inboxes/{b['inbox']}/sync", None),
        ("GET", "/api/v1/inboxes/{inbox_id}/quarantine"): (f"/api/v1/inboxes/{b['inbox']}/quarantine", None),
        ("GET", "/api/v1/inboxes/{inbox_id}/quarantine/{item_id}/raw"): (
            f"/api/v1/inboxes/{b['inbox']}/quarantine/1/raw",
            None,
        ),
        ("POST", "/api/v1/inboxes/{inbox_id}/quarantine/{item_id}/retry"): (
            f"/api/v1/inboxes/{b['inbox']}/quarantine/1/retry",
            None,
        ),
        ("GET", "/api/v1/conversations"): (f"/api/v1/conversations?inbox_id={b['inbox']}", None),
        ("POST", "/api/v1/conversations"): (
            "/api/v1/conversations",
            {"inbox_id": b["inbox"], "email": "new@example.com", "content": "Hello"},
        ),
        ("GET", "/api/v1/conversations/{conversation_id}"): (f"/api/v1/conversations/{b['conversation']}", None),
        ("PATCH", "/api/v1/conversations/{conversation_id}"): (
            f"/api/v1/conversations/{b['conversation']}",
            {"status": "resolved"},
        ),
        ("PUT", "/api/v1/conversations/{conversation_id}/reply-address"): (
            f"/api/v1/conversations/{b['conversation']}/reply-address",
            {"identity_id": 1},
        ),
        ("GET", "/api/v1/conversations/{conversation_id}/messages"): (
            f"/api/v1/conversations/{b['conversation']}/messages",
            None,
        ),
        ("POST", "/api/v1/conversations/{conversation_id}/messages"): (
            f"/api/v1/conversations/{b['conversation']}/messages",
            {"content": "psst", "private": True},
        ),
        ("GET", "/api/v1/conversations/{conversation_id}/messages/{message_id}/delivery"): (
            f"/api/v1/conversations/{b['conversation']}/messages/1/delivery",
            None,
        ),
        ("POST", "/api/v1/conversations/{conversation_id}/read"): (
            f"/api/v1/conversations/{b['conversation']}/read",
            {},
        ),
        ("POST", "/api/v1/conversations/{conversation_id}/unread"): (
            f"/api/v1/conversations/{b['conversation']}/unread",
            None,
        ),
        ("GET", "/api/v1/conversations/{conversation_id}/draft"): (
            f"/api/v1/conversations/{b['conversation']}/draft",
            None,
        ),
        ("PUT", "/api/v1/conversations/{conversation_id}/draft"): (
            f"/api/v1/conversations/{b['conversation']}/draft",
            {"content": "half a reply"},
        ),
        ("DELETE", "/api/v1/conversations/{conversation_id}/draft"): (
            f"/api/v1/conversations/{b['conversation']}/draft",
            None,
        ),
        ("GET", "/api/v1/contacts/{contact_id}"): (f"/api/v1/contacts/{b['contact']}", None),
        ("PATCH", "/api/v1/contacts/{contact_id}"): (f"/api/v1/contacts/{b['contact']}", {"name": "Renamed"}),
        ("POST", "/api/v1/contacts/{contact_id}/merge"): (
            f"/api/v1/contacts/{a['contact']}/merge",
            {"other_id": b["contact"]},
        ),
        ("GET", "/api/v1/attachments/{attachment_id}"): (f"/api/v1/attachments/{b['attachment']}", None),
    }


# Routes whose answer to an agent is not about one inbox's data: they list what the agent may see,
# or are admin-only actions that reveal nothing (403).
LISTS = {
    ("GET", "/api/v1/inboxes"),
    ("GET", "/api/v1/contacts"),
    ("GET", "/api/v1/teams"),
    ("GET", "/api/v1/conversations/counts"),
}
# Routes about the caller's own sign-in and tokens, which touch no inbox (tests/test_console_session.py,
# tests/test_sessions_end.py: another user's token is "not found").
OWN_SESSION = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password"),
    ("GET", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{token_id}"),
    ("GET", "/api/v1/me"),
    ("PATCH", "/api/v1/me"),
    # First run only: 409 once any user exists (tests/test_console_api.py).
    ("GET", "/api/v1/setup"),
    ("POST", "/api/v1/setup"),
}
# The hub's own settings, the same for every inbox and every signed-in user (tests/test_attachment_limits.py).
HUB_SETTINGS = {
    ("GET", "/api/v1/attachments/limits"),
}
ADMIN_ONLY = {
    ("POST", "/api/v1/inboxes"): {"name": "x", "channel_type": "api"},
    ("POST", "/api/v1/teams"): {"name": "Billing"},
    ("GET", "/api/v1/teams/{team_id}/members"): None,
    ("POST", "/api/v1/teams/{team_id}/members"): {"user_id": 1},
    ("DELETE", "/api/v1/teams/{team_id}/members/{user_id}"): None,
    ("PUT", "/api/v1/users/{user_id}/role"): {"role": "admin"},
    # For themselves everyone may (tests/test_admin_api.py); for someone else only an admin.
    ("POST", "/api/v1/tokens"): {"name": "x", "user_id": 1},
    ("PUT", "/api/v1/users/{user_id}/password"): {"password": "a new password"},
    ("POST", "/api/v1/users/{user_id}/deactivate"): None,
    ("GET", "/api/v1/users"): None,
    ("POST", "/api/v1/users"): {"email": "new@example.com", "name": "New", "role": "admin", "password": "long enough"},
}


def api_routes(hub: Hub) -> set[tuple[str, str]]:
    paths = hub.app.openapi()["paths"]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1")
        for method in operations
    }


async def test_every_route_hides_other_inboxes_with_404(hub: Hub, world: dict) -> None:
    requests = hidden_requests(world["b"], world["a"])
    known = set(requests) | LISTS | OWN_SESSION | HUB_SETTINGS | set(ADMIN_ONLY)
    assert api_routes(hub) == known, "a route is missing from this test"

    for (method, _), (url, body) in requests.items():
        response = await hub.client.request(method, url, json=body, headers=world["agent"])
        assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.text}"
        # The same answer as for something that does not exist at all: nothing leaks.
        missing = await hub.client.request(
            method, url.replace(str(world["b"]["inbox"]), "987654"), json=body, headers=world["agent"]
        )
        if "inbox" in url:
            assert missing.json() == response.json()


async def test_agent_lists_show_only_member_inboxes(hub: Hub, world: dict, admin: dict[str, str]) -> None:
    agent = world["agent"]
    inboxes = (await hub.client.get("/api/v1/inboxes", headers=agent)).json()["items"]
    conversations = (await hub.client.get("/api/v1/conversations", headers=agent)).json()["items"]
    contacts = (await hub.client.get("/api/v1/contacts", headers=agent)).json()["items"]

    assert [i["id"] for i in inboxes] == [world["a"]["inbox"]]
    assert [c["id"] for c in conversations] == [world["a"]["conversation"]]
    assert [c["id"] for c in contacts] == [world["a"]["contact"]]
    assert len((await hub.client.get("/api/v1/conversations", headers=admin)).json()["items"]) == 2


async def test_agent_works_normally_in_their_inbox(hub: Hub, world: dict) -> None:
    agent, a = world["agent"], world["a"]
    conversation = f"/api/v1/conversations/{a['conversation']}"

    assert (await hub.client.get(conversation, headers=agent)).status_code == 200
    note = await hub.client.post(f"{conversation}/messages", json={"content": "VIP", "private": True}, headers=agent)
    assert note.status_code == 201 and note.json()["private"] is True
    patched = await hub.client.patch(conversation, json={"assignee_id": world["agent_id"]}, headers=agent)
    assert patched.json()["assignee_id"] == world["agent_id"]
    assert (await hub.client.get(f"/api/v1/attachments/{a['attachment']}", headers=agent)).status_code == 200


async def test_admin_actions_are_forbidden_to_agents(hub: Hub, world: dict) -> None:
    for (method, path), body in ADMIN_ONLY.items():
        response = await hub.client.request(method, path, json=body, headers=world["agent"])
        assert response.status_code == 403, f"{method} {path}"
    rename = await hub.client.patch(
        f"/api/v1/inboxes/{world['a']['inbox']}", json={"name": "mine now"}, headers=world["agent"]
    )
    assert rename.status_code == 403
    own_inbox = await hub.client.post(
        f"/api/v1/inboxes/{world['a']['inbox']}/members", json={"user_id": world["agent_id"]}, headers=world["agent"]
    )
    assert own_inbox.status_code == 403
    leave = await hub.client.delete(
        f"/api/v1/inboxes/{world['a']['inbox']}/members/{world['agent_id']}", headers=world["agent"]
    )
    assert leave.status_code == 403


async def test_requests_without_a_valid_token_get_401(hub: Hub, world: dict) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = await hub.client.get("/api/v1/conversations", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


async def test_assignee_must_work_in_the_inbox(hub: Hub, world: dict, admin: dict[str, str]) -> None:
    outsider_id, _ = await hub.as_user("outsider@example.com", Role.AGENT)
    response = await hub.client.patch(
        f"/api/v1/conversations/{world['a']['conversation']}", json={"assignee_id": outsider_id}, headers=admin
    )
    assert response.status_code == 422
    assert "member" in response.text


async def test_an_agent_renames_only_contacts_they_can_see(hub: Hub, world: dict, admin: dict[str, str]) -> None:
    a, b, agent = world["a"], world["b"], world["agent"]
    renamed = await hub.client.patch(f"/api/v1/contacts/{a['contact']}", json={"name": " Dana Doe "}, headers=agent)
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Dana Doe"

    refused = await hub.client.patch(f"/api/v1/contacts/{b['contact']}", json={"name": "Mallory"}, headers=agent)
    assert refused.status_code == 404
    assert (await hub.client.get(f"/api/v1/contacts/{b['contact']}", headers=admin)).json()["name"] is None


async def test_the_assignee_choice_lists_the_inbox_s_active_members(hub: Hub, world: dict, admin: dict) -> None:
    a, agent = world["a"], world["agent"]
    members = (await hub.client.get(f"/api/v1/inboxes/{a['inbox']}/members", headers=agent)).json()
    assert members["members"] == [{"id": world["agent_id"], "name": "agent"}]
    assert (await hub.client.get(f"/api/v1/inboxes/{world['b']['inbox']}/members", headers=agent)).status_code == 404


async def test_a_contact_shows_an_agent_only_their_inboxes_conversations_and_identities(
    hub: Hub, world: dict, admin: dict[str, str]
) -> None:
    a, b, agent = world["a"], world["b"], world["agent"]
    merged = await hub.client.post(
        f"/api/v1/contacts/{a['contact']}/merge", json={"other_id": b["contact"]}, headers=admin
    )
    assert merged.status_code == 200
    assert {c["inbox_id"] for c in merged.json()["conversations"]} == {a["inbox"], b["inbox"]}

    seen = (await hub.client.get(f"/api/v1/contacts/{a['contact']}", headers=agent)).json()
    assert [c["id"] for c in seen["conversations"]] == [a["conversation"]]
    assert [(i["address"], i["inbox_id"]) for i in seen["identities"]] == [("person-a", a["inbox"])]
    # Searching by an identity the agent cannot see finds nothing.
    assert (await hub.client.get("/api/v1/contacts?q=person-b", headers=agent)).json()["items"] == []
    assert len((await hub.client.get("/api/v1/contacts?q=person-b", headers=admin)).json()["items"]) == 1


async def test_merging_contacts_with_conversations_the_agent_cannot_see_is_for_admins(
    hub: Hub, world: dict, admin: dict[str, str]
) -> None:
    a, b, agent = world["a"], world["b"], world["agent"]
    await hub.client.post(f"/api/v1/contacts/{a['contact']}/merge", json={"other_id": b["contact"]}, headers=admin)
    newcomer = await hub.client.post(
        f"/api/v1/inboxes/{a['inbox']}/inbound",
        headers=admin,
        json={"external_id": "a-2", "contact": {"identifier": "person-a2"}, "content": "me again"},
    )
    newcomer_id = newcomer.json()["contact_id"]
    another = await hub.client.post(
        f"/api/v1/inboxes/{a['inbox']}/inbound",
        headers=admin,
        json={"external_id": "a-3", "contact": {"identifier": "person-a3"}, "content": "and me"},
    )

    # Both contacts are visible to the agent, but one has a conversation in inbox B: an admin's action.
    refused = await hub.client.post(
        f"/api/v1/contacts/{newcomer_id}/merge", json={"other_id": a["contact"]}, headers=agent
    )
    assert refused.status_code == 403
    still = (await hub.client.get(f"/api/v1/contacts/{a['contact']}", headers=admin)).json()
    assert {c["inbox_id"] for c in still["conversations"]} == {a["inbox"], b["inbox"]}

    allowed = await hub.client.post(
        f"/api/v1/contacts/{newcomer_id}/merge", json={"other_id": another.json()["contact_id"]}, headers=agent
    )
    assert allowed.status_code == 200
    assert len(allowed.json()["conversations"]) == 2
