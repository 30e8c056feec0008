"""The composition root: builds the FastAPI application and wires storage, services and workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from fastapi import APIRouter, FastAPI

from omnihub import __version__
from omnihub.api import ws
from omnihub.api.errors import install_error_handlers
from omnihub.api.limits import BodySizeLimit
from omnihub.api.routes import (
    attachments,
    auth,
    contacts,
    conversations,
    deliveries,
    drafts,
    health,
    inboxes,
    me,
    pulls,
    reads,
    setup,
    teams,
    tokens,
    user_list,
    users,
)
from omnihub.api.routes.console import mount_console
from omnihub.config import Settings
from omnihub.db.blobs import BlobStore
from omnihub.db.engine import create_engine, create_session_factory
from omnihub.db.location import open_database
from omnihub.db.migrate import upgrade_to_head
from omnihub.db.pg import asyncpg_dsn
from omnihub.db.session_hooks import call_after_commit
from omnihub.realtime.presence import PresenceTracker
from omnihub.realtime.reader import EventLogReader
from omnihub.realtime.sequencer import EventSequencer, QueueNotifier
from omnihub.realtime.signals import SignalRelay
from omnihub.runtime import Runtime
from omnihub.services.cpu_budget import CpuBudget
from omnihub.services.events import EVENTS_WRITTEN
from omnihub.services.outbox import RetryPolicy
from omnihub.services.setup import issue_setup_code
from omnihub.services.signals import SIGNAL_CHANNEL
from omnihub.workers.outbox import OutboxDeliverer
from omnihub.workers.pullers import PullSupervisor
from omnihub.workers.snooze import SnoozeWaker
from omnihub.workers.typing import TypingForwarder

logger = logging.getLogger(__name__)

# What the CPU workers import before taking work (so that imports never count against a budget).
CPU_WORKER_MODULES = ("omnihub.domain.html", "omnihub_connectors.email.incoming")


def build_deliverers(runtime: Runtime) -> list[OutboxDeliverer]:
    settings = runtime.settings
    policy = RetryPolicy(
        max_attempts=settings.outbox_max_attempts,
        backoff_seconds=settings.outbox_backoff_seconds,
        backoff_max_seconds=settings.outbox_backoff_max_seconds,
    )
    return [
        OutboxDeliverer(
            runtime.sessions,
            store=runtime.store,
            public_url=settings.public_url,
            policy=policy,
            poll_seconds=settings.outbox_poll_seconds,
            lease_seconds=settings.outbox_lease_seconds,
            timeout_seconds=settings.outbound_timeout_seconds,
            allowance=settings.private_network_allowance,
        )
        for _ in range(settings.outbox_workers)
    ]


@contextlib.asynccontextmanager
async def running_hub(settings: Settings) -> AsyncIterator[Runtime]:
    """Open the database (starting the embedded one if needed), migrate, start the workers."""
    database = await asyncio.to_thread(open_database, settings)
    engine = create_engine(database.url, pool_size=settings.db_pool_size)
    await upgrade_to_head(engine)
    sessions = create_session_factory(engine)
    runtime = Runtime(settings, engine, sessions, BlobStore(settings.attachments_dir))
    runtime.deliverers = build_deliverers(runtime)
    runtime.cpu = CpuBudget(
        workers=settings.parse_workers,
        budget_seconds=settings.parse_budget_seconds,
        preload=CPU_WORKER_MODULES,
    )
    runtime.typing = TypingForwarder(
        sessions,
        public_url=settings.public_url,
        timeout_seconds=settings.outbound_timeout_seconds,
        allowance=settings.private_network_allowance,
    )
    dsn = asyncpg_dsn(database.url)
    runtime.sequencer = EventSequencer(dsn, retention_seconds=settings.event_retention_hours * 3600)
    notifier = QueueNotifier(dsn, runtime.sequencer)
    call_after_commit(sessions, EVENTS_WRITTEN, notifier.events_committed)
    tasks = [asyncio.create_task(d.run(), name="outbox-deliverer") for d in runtime.deliverers]
    runtime.snoozes = SnoozeWaker(sessions, poll_seconds=settings.snooze_poll_seconds)
    tasks.append(asyncio.create_task(runtime.snoozes.run(), name="snooze-waker"))
    runtime.presence = PresenceTracker(sessions, runtime.gateway, heartbeat_seconds=settings.presence_heartbeat_seconds)
    relay = SignalRelay(runtime.gateway, runtime.presence, sessions, runtime.token_cache)
    runtime.reader = EventLogReader(
        dsn,
        runtime.gateway.deliver,
        signal_handlers={SIGNAL_CHANNEL: relay.handle},
        on_listening=relay.listening_again,
    )
    runtime.pullers = PullSupervisor(
        dsn,
        sessions,
        context_for=runtime.pull_context,
        public_url=settings.public_url,
        scan_seconds=settings.pull_scan_seconds,
        allowance=settings.private_network_allowance,
        cpu=runtime.cpu,
    )
    if settings.pull_enabled:
        tasks.append(asyncio.create_task(runtime.pullers.run(), name="pull-supervisor"))
    tasks += [
        asyncio.create_task(runtime.reader.run(), name="event-log-reader"),
        asyncio.create_task(runtime.presence.run(), name="presence"),
        asyncio.create_task(runtime.sequencer.run(), name="event-sequencer"),
        asyncio.create_task(notifier.run(), name="event-queue-notifier"),
    ]
    try:
        yield runtime
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for deliverer in runtime.deliverers:
            await deliverer.aclose()
        await runtime.pullers.aclose()
        await runtime.typing.aclose()
        await runtime.cpu.aclose()
        await engine.dispose()
        await asyncio.to_thread(database.close)


def create_app(settings: Settings | None = None, *, show_setup_code: Callable[[str], None] | None = None) -> FastAPI:
    """The hub as an ASGI application. While no user exists, starting it issues a first-run setup code,
    kept as ``app.state.setup_code`` and handed to ``show_setup_code`` (``omnihub serve`` prints it)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running_hub(settings) as runtime:
            app.state.runtime = runtime
            app.state.token_cache = runtime.token_cache
            async with runtime.sessions() as session:
                app.state.setup_code = await issue_setup_code(session)
            if app.state.setup_code is not None and show_setup_code is not None:
                show_setup_code(app.state.setup_code)
            yield

    app = FastAPI(
        title="omnihub",
        version=__version__,
        description=(
            "Omnichannel customer-support hub. Authenticate with `Authorization: Bearer <token>`, or in the "
            "console with the session cookie from `POST /api/v1/auth/login`."
        ),
        lifespan=lifespan,
    )
    install_error_handlers(app)
    api = APIRouter(prefix="/api/v1")
    for module in (auth, setup, me, inboxes, pulls, conversations, reads, drafts, deliveries, contacts):
        api.include_router(module.router)
    for module in (attachments, teams, tokens, users, user_list):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(health.router)
    app.include_router(ws.router)
    mount_console(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    return app
