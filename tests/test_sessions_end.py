"""A session that ends (sign-out, revocation, expiry, password change, deactivation) closes its agents'
sockets with 4003 within seconds, on every node, and they get no frame after that."""

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from omnihub.db.models import User
from omnihub.domain.enums import Role
from omnihub.realtime.client import EventFollower, SessionEnded
from omnihub.services.users import create_api_token
from tests.live import CONSOLE_ORIGIN, LiveHub, agent_socket, auth, frames_until
from tests.test_cli import omnihub
from tests.test_console_session import PASSWORD, session_cookie, sign_in
from tests.test_multinode import Node, clean_env

SESSION_ENDED = 4003
Frame = dict[str, Any]


async def close_of(socket: ClientConnection, within: float = 5.0) -> tuple[int, str, list[Frame]]:
    """The close code and reason the server sent, and the frames before it; fails if none comes in time."""
    frames: list[Frame] = []
    async with asyncio.timeout(within):
        try:
            while True:
                frames.append(json.loads(await socket.recv()))
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "the connection dropped without a close frame"
            return closed.rcvd.code, closed.rcvd.reason, frames


def cookie_headers(token: str) -> dict[str, Any]:
    return {"additional_headers": {"Cookie": f"omnihub_session={token}"}, "origin": CONSOLE_ORIGIN}


async def signed_in(live: LiveHub, email: str = "admin@example.com") -> str:
    response = await sign_in(live, email=email)
    assert response.status_code == 200, response.text
    return session_cookie(response)[0]


async def test_signing_out_closes_that_sessions_socket_at_once_and_no_note_reaches_it(live: LiveHub) -> None:
    _, api_token = await live.token("admin@example.com", Role.ADMIN, password=PASSWORD)
    cookie = await signed_in(live)
    inbox = await live.inbox(api_token, "shop")
    conversation = (await live.inbound(api_token, inbox, "1"))["conversation_id"]

    async with (
        agent_socket(live.ws, **cookie_headers(cookie)) as console,
        agent_socket(live.ws, additional_headers=auth(api_token)) as program,
    ):
        async with httpx.AsyncClient(base_url=live.base, cookies={"omnihub_session": cookie}) as browser:
            signed_out = await browser.post("/api/v1/auth/logout", headers={"Origin": CONSOLE_ORIGIN})
        assert signed_out.status_code == 204
        note = await live.http.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"content": "private: refund approved", "private": True},
            headers=auth(api_token),
        )
        assert note.status_code == 201

        code, reason, frames = await close_of(console)
        assert (code, reason) == (SESSION_ENDED, "session ended")
        assert "refund approved" not in json.dumps(frames)
        # The same user's other session (an API token) goes on and does get the note.
        await frames_until(program, lambda f: "refund approved" in json.dumps(f.get("data")))


async def test_revoking_a_token_closes_its_socket_and_only_its_owner_or_an_admin_may(live: LiveHub) -> None:
    agent_id, agent = await live.token("agent@example.com", Role.AGENT)
    admin_id, admin = await live.token("admin@example.com", Role.ADMIN)

    agents_view = (await live.http.get("/api/v1/tokens", headers=auth(agent))).json()["items"]
    admins_view = (await live.http.get("/api/v1/tokens", headers=auth(admin))).json()["items"]
    [agent_token] = agents_view
    admin_token = next(t for t in admins_view if t["user_id"] == admin_id)
    assert agent_token["user_id"] == agent_id and agent_token["user_email"] == "agent@example.com"
    assert {t["user_id"] for t in admins_view} == {agent_id, admin_id}
    assert "token" not in agent_token and "token_hash" not in agent_token

    forbidden = await live.http.delete(f"/api/v1/tokens/{admin_token['id']}", headers=auth(agent))
    assert forbidden.status_code == 404  # as if it did not exist

    async with agent_socket(live.ws, additional_headers=auth(agent)) as socket:
        revoked = await live.http.delete(f"/api/v1/tokens/{agent_token['id']}", headers=auth(admin))
        assert revoked.status_code == 204
        code, _, _ = await close_of(socket)
    assert code == SESSION_ENDED
    assert (await live.http.delete(f"/api/v1/tokens/{agent_token['id']}", headers=auth(admin))).status_code == 404
    listed = (await live.http.get("/api/v1/tokens", headers=auth(admin))).json()["items"]
    assert [t["id"] for t in listed] == [admin_token["id"]]


async def test_a_socket_closes_when_its_token_expires(live: LiveHub) -> None:
    user_id, _ = await live.token("agent@example.com", Role.AGENT)
    async with live.app.state.runtime.sessions() as session:
        user = await session.get_one(User, user_id)
        token = await create_api_token(session, user=user, valid_for=timedelta(seconds=2))

    async with agent_socket(live.ws, additional_headers=auth(token)) as socket:
        started = asyncio.get_running_loop().time()
        code, _, _ = await close_of(socket, within=7)
        lived = asyncio.get_running_loop().time() - started
    assert code == SESSION_ENDED
    assert lived < 2 + 5


async def test_changing_the_password_ends_the_other_console_sessions_only(live: LiveHub) -> None:
    _, api_token = await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
    here, elsewhere = await signed_in(live, "agent@example.com"), await signed_in(live, "agent@example.com")

    async with (
        agent_socket(live.ws, **cookie_headers(elsewhere)) as other_browser,
        agent_socket(live.ws, **cookie_headers(here)) as this_browser,
    ):
        async with httpx.AsyncClient(base_url=live.base, cookies={"omnihub_session": here}) as browser:
            wrong = await browser.post(
                "/api/v1/auth/password",
                json={"current_password": "not it at all", "new_password": "a brand new secret"},
                headers={"Origin": CONSOLE_ORIGIN},
            )
            changed = await browser.post(
                "/api/v1/auth/password",
                json={"current_password": PASSWORD, "new_password": "a brand new secret"},
                headers={"Origin": CONSOLE_ORIGIN},
            )
            still_signed_in = await browser.get("/api/v1/inboxes")
        assert wrong.status_code == 422 and changed.status_code == 204
        assert (await close_of(other_browser))[0] == SESSION_ENDED
        assert still_signed_in.status_code == 200
        await this_browser.send(json.dumps({"type": "presence", "status": "away"}))
        await this_browser.ping()  # still open

    assert (await sign_in(live, PASSWORD)).status_code == 401
    assert (await sign_in(live, "a brand new secret")).status_code == 200
    assert (await live.http.get("/api/v1/inboxes", headers=auth(api_token))).status_code == 200


async def test_an_admin_setting_a_password_or_deactivating_ends_the_users_sessions(live: LiveHub) -> None:
    agent_id, agent_api = await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
    admin_id, admin = await live.token("admin@example.com", Role.ADMIN)
    cookie = await signed_in(live, "agent@example.com")

    async with agent_socket(live.ws, **cookie_headers(cookie)) as console:
        reset = await live.http.put(
            f"/api/v1/users/{agent_id}/password", json={"password": "given by the admin"}, headers=auth(admin)
        )
        assert reset.status_code == 204
        assert (await close_of(console))[0] == SESSION_ENDED
    assert (await sign_in(live, "given by the admin", "agent@example.com")).status_code == 200

    async with agent_socket(live.ws, additional_headers=auth(agent_api)) as program:
        themselves = await live.http.post(f"/api/v1/users/{admin_id}/deactivate", headers=auth(admin))
        deactivated = await live.http.post(f"/api/v1/users/{agent_id}/deactivate", headers=auth(admin))
        assert (themselves.status_code, deactivated.status_code) == (422, 204)
        assert (await close_of(program))[0] == SESSION_ENDED
    assert (await live.http.get("/api/v1/inboxes", headers=auth(agent_api))).status_code == 401
    assert (await sign_in(live, "given by the admin", "agent@example.com")).status_code == 401


async def test_on_two_nodes_guesses_are_limited_and_sessions_end_everywhere(database_url: str, tmp_path: Path) -> None:
    env = {**clean_env(), "OMNIHUB_DATABASE_URL": database_url}
    created = omnihub(
        *("users", "create", "admin@example.com", "--name", "Admin", "--role", "admin", "--password-stdin"),
        env=env,
        stdin=PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr
    program_token = omnihub("tokens", "create", "admin@example.com", "--name", "export", env=env).stdout.strip()
    node_a = Node(database_url, tmp_path / "shared", tmp_path / "a.log")
    node_b = Node(database_url, tmp_path / "shared", tmp_path / "b.log")
    try:
        await asyncio.gather(node_a.wait_healthy(), node_b.wait_healthy())
        async with httpx.AsyncClient(timeout=60) as client:
            guesses = await asyncio.gather(
                *(
                    client.post(
                        f"{(node_a, node_b)[n % 2].url}/api/v1/auth/login",
                        json={"email": "someone@example.com", "password": f"guess {n}"},
                    )
                    for n in range(30)
                )
            )
            statuses = [guess.status_code for guess in guesses]
            assert set(statuses) <= {401, 429} and 1 <= statuses.count(401) <= 5, statuses

            login = await client.post(
                f"{node_a.url}/api/v1/auth/login", json={"email": "admin@example.com", "password": PASSWORD}
            )
            assert login.status_code == 200, login.text
            console_token = login.cookies["omnihub_session"]
            async with (
                agent_socket(node_b.ws, additional_headers=auth(console_token)) as console,
                agent_socket(node_b.ws, additional_headers=auth(program_token)) as program,
            ):
                inboxes_on_b = f"{node_b.url}/api/v1/inboxes"
                assert (await client.get(inboxes_on_b, headers=auth(console_token))).status_code == 200  # cached
                signed_out = await client.post(f"{node_a.url}/api/v1/auth/logout", headers=auth(console_token))
                assert signed_out.status_code == 204
                assert (await close_of(console))[0] == SESSION_ENDED
                # Node B has heard of it: its token cache no longer lets the token in either.
                assert (await client.get(inboxes_on_b, headers=auth(console_token))).status_code == 401

                listed = omnihub("tokens", "list", "admin@example.com", env=env)
                [row] = [line.split("\t") for line in listed.stdout.splitlines()[1:]]
                assert row[1:3] == ["admin@example.com", "export"]
                revoked = omnihub("tokens", "revoke", row[0], env=env)
                assert revoked.returncode == 0, revoked.stderr
                assert (await close_of(program))[0] == SESSION_ENDED
    finally:
        node_a.stop()
        node_b.stop()


async def test_a_session_ended_while_the_node_was_not_listening_closes_when_it_listens_again(live: LiveHub) -> None:
    _, token = await live.token("agent@example.com", Role.AGENT)

    async with agent_socket(live.ws, additional_headers=auth(token)) as socket:
        async with live.app.state.runtime.engine.begin() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            # Revoked with no signal, as if it had been sent while this node's listener was away ...
            await raw.execute("UPDATE api_tokens SET revoked_at = now()")
            # ... and then the listener loses its connection, and reconnects.
            await raw.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE '%FROM events%'"
            )
        assert (await close_of(socket, within=10))[0] == SESSION_ENDED


async def test_the_python_client_stops_with_session_ended_instead_of_reconnecting(live: LiveHub) -> None:
    _, token = await live.token("agent@example.com", Role.AGENT)
    follower = EventFollower(live.ws, token)

    async def follow() -> None:
        async for _ in follower.events():
            pass

    following = asyncio.create_task(follow())
    await asyncio.wait_for(follower.ready.wait(), 10)
    [mine] = (await live.http.get("/api/v1/tokens", headers=auth(token))).json()["items"]
    assert (await live.http.delete(f"/api/v1/tokens/{mine['id']}", headers=auth(token))).status_code == 204

    with pytest.raises(SessionEnded, match="session ended"):
        await asyncio.wait_for(following, 5)
    assert follower.connections == 1
