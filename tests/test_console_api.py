"""What the agent console needs from the server: its files (with a strict CSP), first-run setup, the
signed-in user, read marks, drafts, list views and counts, and paged contacts."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from omnihub.api.routes.console import CONSOLE_DIR, CONTENT_SECURITY_POLICY, LONG_CACHE, NO_CACHE, mount_console
from omnihub.domain.enums import Role
from omnihub.services.setup import issue_setup_code
from tests.callback_server import free_port
from tests.conftest import Hub, InboundSender


def assert_console_headers(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


# --- serving the console


async def test_root_redirects_to_the_console_which_serves_its_page_with_strict_headers(hub: Hub) -> None:
    root = await hub.client.get("/")
    assert root.status_code == 307 and root.headers["location"] == "/console/"

    page = await hub.client.get("/console/")
    assert page.status_code == 200
    assert page.content == (CONSOLE_DIR / "index.html").read_bytes()
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == NO_CACHE
    assert_console_headers(page)
    again = await hub.client.get("/console/", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304

    bare = await hub.client.get("/console")
    assert bare.status_code in (307, 308) and bare.headers["location"].endswith("/console/")


@pytest.mark.parametrize(
    "path", ["/console/%2e%2e/app.py", "/console/..%2fapp.py", "/console/.env", "/console/nothing.js", "/console/%00"]
)
async def test_nothing_outside_the_console_folder_or_hidden_is_served(hub: Hub, path: str) -> None:
    response = await hub.client.get(path)
    assert response.status_code == 404
    assert_console_headers(response)


async def test_console_files_only_answer_reads(hub: Hub) -> None:
    assert (await hub.client.post("/console/")).status_code == 405
    assert (await hub.client.head("/console/")).status_code == 200


async def test_only_content_hashed_files_are_cached_for_long(tmp_path: Path) -> None:
    for name in ("app.3f9a1c2e.js", "index-D3kX9q_a.css", "app.js", "catalogue-messages.js", ".secret"):
        (tmp_path / name).write_text("x")
    app = FastAPI()
    mount_console(app, tmp_path)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://omnihub.test") as client:
        cached = {
            name: (await client.get(f"/console/{name}")).headers["cache-control"] for name in os.listdir(tmp_path)
        }
        js = await client.get("/console/app.js")
    assert cached == {
        "app.3f9a1c2e.js": LONG_CACHE,
        "index-D3kX9q_a.css": LONG_CACHE,
        "app.js": NO_CACHE,
        "catalogue-messages.js": NO_CACHE,
        ".secret": NO_CACHE,  # a 404
    }
    assert "javascript" in js.headers["content-type"]
    assert_console_headers(js)


# --- first run


def setup_body(code: str, **changes: str) -> dict[str, str]:
    return {"code": code, "email": "Owner@Example.com", "name": "Owner", "password": "a long password"} | changes


async def test_first_admin_is_created_with_the_setup_code_and_signed_in(hub: Hub) -> None:
    code = hub.app.state.setup_code
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert (await hub.client.get("/api/v1/setup")).json() == {"needed": True}

    wrong = await hub.client.post("/api/v1/setup", json=setup_body("AAAA-BBBB-CCCC"))
    assert wrong.status_code == 403
    assert "omnihub_session" not in hub.client.cookies
    created = await hub.client.post("/api/v1/setup", json=setup_body(code.lower().replace("-", " ")))
    assert created.status_code == 200, created.text
    assert created.json()["role"] == "admin" and created.json()["email"] == "owner@example.com"

    me = await hub.client.get("/api/v1/me")  # the session cookie set by setup, as after signing in
    assert me.status_code == 200
    assert me.json() == {
        "id": created.json()["user_id"],
        "email": "owner@example.com",
        "name": "Owner",
        "role": "admin",
        "locale": None,
    }
    assert (await hub.client.get("/api/v1/setup")).json() == {"needed": False}
    hub.client.cookies.clear()
    again = await hub.client.post("/api/v1/setup", json=setup_body(code, email="second@example.com"))
    assert again.status_code == 409
    signed_in = await hub.client.post(
        "/api/v1/auth/login", json={"email": "owner@example.com", "password": "a long password"}
    )
    assert signed_in.status_code == 200


async def test_a_code_printed_by_another_node_works(hub: Hub) -> None:
    async with hub.session() as session:
        other_nodes_code = await issue_setup_code(session)
    assert other_nodes_code is not None and other_nodes_code != hub.app.state.setup_code
    created = await hub.client.post("/api/v1/setup", json=setup_body(other_nodes_code))
    assert created.status_code == 200
    async with hub.session() as session:
        assert await issue_setup_code(session) is None  # set up: no node issues codes any more


async def test_guessing_the_setup_code_is_locked_out(hub: Hub) -> None:
    limit = hub.settings.sign_in_max_failures
    for _ in range(limit):
        assert (await hub.client.post("/api/v1/setup", json=setup_body("WRONG"))).status_code == 403
    locked = await hub.client.post("/api/v1/setup", json=setup_body(hub.app.state.setup_code))
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert (await hub.client.get("/api/v1/setup")).json() == {"needed": True}


@pytest.mark.parametrize(
    "changes",
    [{"password": "short"}, {"email": "not an address"}, {"name": "a\r\nb"}, {"code": "x" * 65}, {"extra": "1"}],
)
async def test_hostile_setup_input_gets_422_and_creates_nobody(hub: Hub, changes: dict[str, str]) -> None:
    response = await hub.client.post("/api/v1/setup", json=setup_body(hub.app.state.setup_code) | changes)
    assert response.status_code == 422
    assert (await hub.client.get("/api/v1/setup")).json() == {"needed": True}


def test_serve_prints_the_setup_code_that_creates_the_first_admin(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNIHUB_")}
    command = [sys.executable, "-m", "omnihub.cli", "serve", "--data-dir", str(tmp_path / "d"), "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while (found := re.search(r"setup code: +(\S+)", log.read_text())) is None:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/console/" in printed and str((tmp_path / "d").resolve()) in printed
        url = f"http://127.0.0.1:{port}"
        while True:  # the code is printed before uvicorn listens
            try:
                created = httpx.post(
                    f"{url}/api/v1/setup",
                    json={"code": found.group(1), "email": "o@example.com", "name": "O", "password": "a long password"},
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert created.status_code == 200, created.text
        assert "omnihub_session" in created.cookies
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- the signed-in user


async def test_me_stores_the_console_language(hub: Hub) -> None:
    _, agent = await hub.as_user("agent@example.com", Role.AGENT)
    assert (await hub.client.get("/api/v1/me", headers=agent)).json()["locale"] is None
    changed = await hub.client.patch("/api/v1/me", json={"locale": "he"}, headers=agent)
    assert changed.status_code == 200 and changed.json()["locale"] == "he"
    assert (await hub.client.get("/api/v1/me", headers=agent)).json()["locale"] == "he"
    for bad in ({"locale": "fr"}, {"locale": "he", "role": "admin"}, {"locale": 5}, {}):
        assert (await hub.client.patch("/api/v1/me", json=bad, headers=agent)).status_code == 422
    assert (await hub.client.get("/api/v1/me", headers=agent)).json()["role"] == "agent"
    cleared = await hub.client.patch("/api/v1/me", json={"locale": None}, headers=agent)
    assert cleared.json()["locale"] is None
    assert (await hub.client.get("/api/v1/me")).status_code == 401


# --- read marks


async def test_unread_follows_incoming_messages_per_user(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    _, other_admin = await hub.as_user("other@example.com", Role.ADMIN)
    conversation = (await send_inbound(api_inbox, "m1")).json()["conversation_id"]
    url = f"/api/v1/conversations/{conversation}"

    async def unread(headers: dict[str, str]) -> bool:
        listed = (await hub.client.get("/api/v1/conversations", headers=headers)).json()["items"]
        single = (await hub.client.get(url, headers=headers)).json()["unread"]
        assert [c["unread"] for c in listed] == [single]
        return bool(single)

    assert await unread(admin) and await unread(other_admin)
    read = await hub.client.post(f"{url}/read", headers=admin)  # no body: up to the latest message
    assert read.status_code == 200 and read.json()["unread"] is False
    assert not await unread(admin) and await unread(other_admin)

    reply = await hub.client.post(f"{url}/messages", json={"content": "On it"}, headers=admin)
    assert reply.status_code == 201
    assert not await unread(admin), "the agent's own reply is nothing new to read"
    await send_inbound(api_inbox, "m2")
    assert await unread(admin)
    first = (await hub.client.get(f"{url}/messages", headers=admin)).json()["items"][0]["id"]
    partly = await hub.client.post(f"{url}/read", json={"message_id": first}, headers=admin)
    assert partly.json() == {"conversation_id": conversation, "last_read_message_id": first, "unread": True}
    assert (await hub.client.post(f"{url}/read", json={}, headers=admin)).json()["unread"] is False

    marked = await hub.client.post(f"{url}/unread", headers=admin)
    assert marked.status_code == 200 and marked.json()["unread"] is True
    assert await unread(admin)
    assert (await hub.client.post(f"{url}/read", headers=admin)).json()["unread"] is False


async def test_reading_up_to_a_message_of_another_conversation_is_not_found(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    first = (await send_inbound(api_inbox, "m1", identifier="a")).json()["conversation_id"]
    second = (await send_inbound(api_inbox, "m2", identifier="b")).json()["conversation_id"]
    other_message = (await hub.client.get(f"/api/v1/conversations/{second}/messages", headers=admin)).json()
    response = await hub.client.post(
        f"/api/v1/conversations/{first}/read", json={"message_id": other_message["items"][0]["id"]}, headers=admin
    )
    assert response.status_code == 404
    for bad in ({"message_id": "x"}, {"message_id": 1, "more": 1}, [1]):
        assert (
            await hub.client.post(f"/api/v1/conversations/{first}/read", json=bad, headers=admin)
        ).status_code == 422
    assert (await hub.client.get(f"/api/v1/conversations/{first}", headers=admin)).json()["unread"] is True


# --- drafts


async def test_a_draft_is_kept_for_its_author_only(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    _, colleague = await hub.as_user("colleague@example.com", Role.ADMIN)
    conversation = (await send_inbound(api_inbox, "m1")).json()["conversation_id"]
    url = f"/api/v1/conversations/{conversation}/draft"
    nothing_yet = {"conversation_id": conversation, "content": "", "private": False, "updated_at": None}
    assert (await hub.client.get(url, headers=admin)).json() == nothing_yet

    saved = await hub.client.put(url, json={"content": "Dear Ms כהן,", "private": True}, headers=admin)
    assert saved.status_code == 200
    replaced = await hub.client.put(url, json={"content": "Dear Ms Cohen,"}, headers=admin)
    assert replaced.json()["content"] == "Dear Ms Cohen," and replaced.json()["private"] is False
    got = await hub.client.get(url, headers=admin)
    assert got.json() == replaced.json()
    assert (await hub.client.get(url, headers=colleague)).json() == nothing_yet

    for bad in ({"content": "x" * 100_001}, {"content": "a\u0000b"}, {"content": "x", "author": 2}, {}):
        assert (await hub.client.put(url, json=bad, headers=admin)).status_code == 422
    assert (await hub.client.get(url, headers=admin)).json()["content"] == "Dear Ms Cohen,"
    assert (await hub.client.put(url, json={"content": "x" * 100_000}, headers=admin)).status_code == 200

    assert (await hub.client.delete(url, headers=admin)).status_code == 204
    assert (await hub.client.get(url, headers=admin)).json() == nothing_yet
    assert (await hub.client.delete(url, headers=admin)).status_code == 204


# --- list views, filters and counts


async def test_views_filters_and_counts(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    agent_id, agent = await hub.as_user("agent@example.com", Role.AGENT)
    await hub.client.post(f"/api/v1/inboxes/{api_inbox}/members", json={"user_id": agent_id}, headers=admin)
    team = (await hub.client.post("/api/v1/teams", json={"name": "Billing"}, headers=admin)).json()["id"]
    ids = [(await send_inbound(api_inbox, f"m{n}", identifier=f"c{n}")).json()["conversation_id"] for n in range(4)]
    changes = [
        {"assignee_id": agent_id, "labels": ["VIP"], "priority": "high"},
        {"assignee_id": agent_id, "status": "resolved"},
        {"team_id": team, "labels": ["vip", "refund"]},
        {},
    ]
    for conversation, change in zip(ids, changes, strict=True):
        if change:
            patched = await hub.client.patch(f"/api/v1/conversations/{conversation}", json=change, headers=admin)
            assert patched.status_code == 200, patched.text

    async def listed(query: str) -> list[int]:
        response = await hub.client.get(f"/api/v1/conversations?{query}", headers=agent)
        assert response.status_code == 200, response.text
        return sorted(c["id"] for c in response.json()["items"])

    assert await listed("view=mine") == [ids[0], ids[1]]
    assert await listed("view=mine&status=open") == [ids[0]]
    assert await listed("view=unassigned") == [ids[2], ids[3]]
    assert await listed("view=all") == sorted(ids)
    assert await listed("label=VIP") == [ids[0], ids[2]]
    assert await listed("label=refund&view=unassigned") == [ids[2]]
    assert await listed("priority=high") == [ids[0]]
    assert await listed(f"team_id={team}") == [ids[2]]
    assert await listed("channel_type=api") == sorted(ids)
    assert await listed("channel_type=email") == []

    counts = await hub.client.get("/api/v1/conversations/counts", headers=agent)
    assert counts.json() == {"mine": 1, "unassigned": 2, "all": 3}
    _, outsider = await hub.as_user("outsider@example.com", Role.AGENT)
    assert (await hub.client.get("/api/v1/conversations/counts", headers=outsider)).json() == {
        "mine": 0,
        "unassigned": 0,
        "all": 0,
    }
    assert (await hub.client.get("/api/v1/conversations", headers=outsider)).json()["items"] == []


async def test_a_filtered_view_pages_with_its_cursor(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    ids = [(await send_inbound(api_inbox, f"m{n}", identifier=f"c{n}")).json()["conversation_id"] for n in range(5)]
    await hub.client.patch(f"/api/v1/conversations/{ids[2]}", json={"labels": ["other"]}, headers=admin)
    seen: list[int] = []
    cursor = ""
    while True:
        page = (await hub.client.get(f"/api/v1/conversations?view=unassigned&limit=2{cursor}", headers=admin)).json()
        seen += [c["id"] for c in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))


@pytest.mark.parametrize(
    "query",
    ["view=everything", "priority=extreme", "channel_type=a%20b", "channel_type=" + "a" * 33, "label=a%00b", "label="],
)
async def test_hostile_list_filters_get_422(hub: Hub, admin: dict[str, str], query: str) -> None:
    assert (await hub.client.get(f"/api/v1/conversations?{query}", headers=admin)).status_code == 422


# --- contacts are paged like every list


async def test_contacts_page_with_a_cursor(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    for n in range(3):
        await send_inbound(api_inbox, f"m{n}", identifier=f"person-{n}", name=f"Person {n}")
    first = (await hub.client.get("/api/v1/contacts?limit=2", headers=admin)).json()
    assert [c["name"] for c in first["items"]] == ["Person 2", "Person 1"]
    rest = (await hub.client.get(f"/api/v1/contacts?limit=2&cursor={first['next_cursor']}", headers=admin)).json()
    assert [c["name"] for c in rest["items"]] == ["Person 0"] and rest["next_cursor"] is None
    assert (await hub.client.get("/api/v1/contacts?cursor=garbage!", headers=admin)).status_code == 422
