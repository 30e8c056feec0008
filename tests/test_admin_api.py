"""The admins' routes behind the console's settings: editing inboxes (secrets write-only), roles, team
members and named API tokens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from omnihub.domain.enums import Role
from tests.conftest import Hub, recorded_events

SECRET = "s3cr3t-signing-key-0123456789"


async def make_api_inbox(hub: Hub, admin: dict[str, str], **config: str) -> int:
    response = await hub.client.post(
        "/api/v1/inboxes", json={"name": "Partners", "channel_type": "api", "config": config}, headers=admin
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def stored_config(hub: Hub, inbox_id: int) -> dict[str, object]:
    from omnihub.db.models import Inbox

    async with hub.session() as session:
        inbox = await session.get(Inbox, inbox_id)
        assert inbox is not None
        return dict(inbox.config)


async def test_editing_an_inbox_keeps_its_secret_unless_replaced(hub: Hub, admin: dict[str, str]) -> None:
    inbox = await make_api_inbox(hub, admin, callback_url="https://old.example.com/hook", secret=SECRET)
    url = f"/api/v1/inboxes/{inbox}"

    renamed = await hub.client.patch(
        url, json={"name": "Resellers", "config": {"callback_url": "https://new.example.com/hook"}}, headers=admin
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Resellers"
    assert renamed.json()["config"] == {"callback_url": "https://new.example.com/hook", "secret": "********"}
    assert (await stored_config(hub, inbox))["secret"] == SECRET

    # Sending back what GET shows (the mask) keeps the secret too.
    shown = (await hub.client.get(url, headers=admin)).json()
    assert (await hub.client.patch(url, json={"config": shown["config"]}, headers=admin)).status_code == 200
    assert (await stored_config(hub, inbox))["secret"] == SECRET

    replaced = await hub.client.patch(url, json={"config": {"secret": "another-key-0123456789"}}, headers=admin)
    assert replaced.status_code == 200
    assert (await stored_config(hub, inbox))["secret"] == "another-key-0123456789"

    cleared = await hub.client.patch(url, json={"config": {"callback_url": None}}, headers=admin)
    assert cleared.json()["config"] == {"secret": "********"}
    # No answer and no event ever carried a secret.
    for response in (renamed, replaced, cleared, await hub.client.get("/api/v1/inboxes", headers=admin)):
        assert SECRET not in response.text and "another-key" not in response.text
    updates = await recorded_events(hub, "inbox.updated")
    assert [data["name"] for _, data in updates] == ["Resellers"] * 4
    assert "another-key" not in json.dumps(updates)


async def test_an_edit_is_checked_like_a_new_inbox(hub: Hub, admin: dict[str, str]) -> None:
    inbox = await make_api_inbox(hub, admin, callback_url="https://old.example.com/hook")
    url = f"/api/v1/inboxes/{inbox}"
    bad = [
        {"config": {"callback_url": "not a url"}},
        {"config": {"secret": "short"}},
        {"config": {"unknown": 1}},
        {"name": ""},
        {"name": "two\nlines"},
    ]
    for body in bad:
        response = await hub.client.patch(url, json=body, headers=admin)
        assert response.status_code == 422, body
    assert (await hub.client.get(url, headers=admin)).json()["config"] == {
        "callback_url": "https://old.example.com/hook"
    }
    assert (await hub.client.patch("/api/v1/inboxes/987654", json={"name": "x"}, headers=admin)).status_code == 404


async def test_the_last_admin_cannot_be_made_an_agent(hub: Hub, admin: dict[str, str]) -> None:
    users = (await hub.client.get("/api/v1/users", headers=admin)).json()["items"]
    [me] = [u for u in users if u["email"] == "admin@example.com"]
    refused = await hub.client.put(f"/api/v1/users/{me['id']}/role", json={"role": "agent"}, headers=admin)
    assert refused.status_code == 409

    agent_id, agent = await hub.as_user("bo@example.com")
    promoted = await hub.client.put(f"/api/v1/users/{agent_id}/role", json={"role": "admin"}, headers=admin)
    assert promoted.status_code == 200 and promoted.json()["role"] == "admin"
    assert (await hub.client.get("/api/v1/users", headers=agent)).status_code == 200  # Bo is an admin now

    # With a second admin, the first may step down; then Bo is the last one.
    stepped = await hub.client.put(f"/api/v1/users/{me['id']}/role", json={"role": "agent"}, headers=admin)
    assert stepped.status_code == 200 and stepped.json()["role"] == "agent"
    assert (await hub.client.get("/api/v1/users", headers=admin)).status_code == 403
    last = await hub.client.put(f"/api/v1/users/{agent_id}/role", json={"role": "agent"}, headers=agent)
    assert last.status_code == 409
    missing = await hub.client.put("/api/v1/users/987654/role", json={"role": "agent"}, headers=agent)
    assert missing.status_code == 404
    bad = await hub.client.put(f"/api/v1/users/{agent_id}/role", json={"role": "owner"}, headers=agent)
    assert bad.status_code == 422


async def test_team_members_are_added_listed_and_removed(hub: Hub, admin: dict[str, str]) -> None:
    ann_id, _ = await hub.as_user("ann@example.com")
    team = (await hub.client.post("/api/v1/teams", json={"name": "Billing"}, headers=admin)).json()
    members = f"/api/v1/teams/{team['id']}/members"

    assert (await hub.client.get(members, headers=admin)).json() == {"user_ids": []}
    for _ in range(2):  # adding again changes nothing
        assert (await hub.client.post(members, json={"user_id": ann_id}, headers=admin)).status_code == 204
    assert (await hub.client.get(members, headers=admin)).json() == {"user_ids": [ann_id]}
    assert (await hub.client.post(members, json={"user_id": 987654}, headers=admin)).status_code == 422
    assert (await hub.client.delete(f"{members}/{ann_id}", headers=admin)).status_code == 204
    assert (await hub.client.get(members, headers=admin)).json() == {"user_ids": []}
    assert (await hub.client.get("/api/v1/teams/987654/members", headers=admin)).status_code == 404


async def test_a_named_token_is_shown_once_and_works_until_revoked(hub: Hub, admin: dict[str, str]) -> None:
    ann_id, ann = await hub.as_user("ann@example.com")
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    created = await hub.client.post(
        "/api/v1/tokens", json={"name": "CRM sync", "user_id": ann_id, "expires_at": expires}, headers=admin
    )
    assert created.status_code == 201, created.text
    issued = created.json()
    assert issued["name"] == "CRM sync" and issued["user_email"] == "ann@example.com"
    assert issued["token"].startswith("omh_") and issued["expires_at"] is not None
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    assert (await hub.client.get("/api/v1/me", headers=bearer)).json()["email"] == "ann@example.com"

    listed = (await hub.client.get(f"/api/v1/tokens?user_id={ann_id}", headers=admin)).text
    assert "CRM sync" in listed and issued["token"] not in listed

    # A user issues tokens for themselves only.
    own = await hub.client.post("/api/v1/tokens", json={"name": "script"}, headers=ann)
    assert own.status_code == 201 and own.json()["user_id"] == ann_id and own.json()["expires_at"] is None
    other = await hub.client.post("/api/v1/tokens", json={"name": "x", "user_id": 1}, headers=ann)
    assert other.status_code == 403

    assert (await hub.client.delete(f"/api/v1/tokens/{issued['id']}", headers=admin)).status_code == 204
    assert (await hub.client.get("/api/v1/me", headers=bearer)).status_code == 401


async def test_token_requests_that_make_no_sense_are_refused(hub: Hub, admin: dict[str, str]) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    cases = [
        ({"name": "old", "expires_at": past}, 422),
        ({"name": "naive", "expires_at": "2099-01-01T00:00:00"}, 422),  # no time zone
        ({"name": "console session"}, 422),
        ({"name": ""}, 422),
        ({"name": "nobody", "user_id": 987654}, 404),
    ]
    for body, status in cases:
        response = await hub.client.post("/api/v1/tokens", json=body, headers=admin)
        assert response.status_code == status, (body, response.text)
    gone_id, _ = await hub.as_user("gone@example.com", Role.AGENT)
    await hub.client.post(f"/api/v1/users/{gone_id}/deactivate", headers=admin)
    response = await hub.client.post("/api/v1/tokens", json={"name": "x", "user_id": gone_id}, headers=admin)
    assert response.status_code == 422


async def test_the_small_lists_answer_one_page_like_every_list(hub: Hub, admin: dict[str, str]) -> None:
    await make_api_inbox(hub, admin)
    await hub.client.post("/api/v1/teams", json={"name": "Billing"}, headers=admin)
    ann_id, _ = await hub.as_user("ann@example.com")
    await hub.client.post("/api/v1/tokens", json={"name": "CRM sync", "user_id": ann_id}, headers=admin)

    pages = {path: (await hub.client.get(f"/api/v1/{path}", headers=admin)).json() for path in LISTS}

    for path, page in pages.items():
        assert set(page) == {"items", "next_cursor"} and page["next_cursor"] is None, path
    assert [i["name"] for i in pages["inboxes"]["items"]] == ["Partners"]
    assert [t["name"] for t in pages["teams"]["items"]] == ["Billing"]
    assert {u["email"] for u in pages["users"]["items"]} == {"admin@example.com", "ann@example.com"}
    assert "CRM sync" in {t["name"] for t in pages["tokens"]["items"]}


LISTS = ("inboxes", "teams", "users", "tokens")


async def test_no_route_answers_a_bare_list(hub: Hub) -> None:
    def answer_schema(operation: dict[str, Any]) -> dict[str, Any]:
        ok = operation.get("responses", {}).get("200", {})
        return dict(ok.get("content", {}).get("application/json", {}).get("schema", {}))

    paths = hub.app.openapi()["paths"]
    operations = [(path, method, op) for path, ops in paths.items() for method, op in ops.items()]
    bare = [f"{method.upper()} {path}" for path, method, op in operations if answer_schema(op).get("type") == "array"]
    assert bare == []
    assert answer_schema(paths["/api/v1/teams"]["get"]) == {"$ref": "#/components/schemas/Page_TeamOut_"}
