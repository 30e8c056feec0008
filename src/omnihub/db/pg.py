"""Dedicated PostgreSQL connections for LISTEN/NOTIFY, outside SQLAlchemy's pool."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TypeAlias

import asyncpg

logger = logging.getLogger(__name__)

RawConnection: TypeAlias = asyncpg.Connection
# What a lost or refused connection raises: the loops that keep such a connection reconnect on these.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    TimeoutError,
)


async def connect(dsn: str) -> RawConnection:
    connection: RawConnection = await asyncpg.connect(dsn, timeout=10)
    return connection


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """``postgresql+asyncpg://...`` as asyncpg wants it."""
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if sqlalchemy_url.startswith(prefix):
            return "postgresql://" + sqlalchemy_url[len(prefix) :]
    return sqlalchemy_url


@contextlib.asynccontextmanager
async def listening(
    dsn: str,
    channels: list[str],
    wakeup: asyncio.Event,
    payload_handlers: Mapping[str, Callable[[str], None]] | None = None,
) -> AsyncIterator[asyncpg.Connection]:
    """A connection that sets ``wakeup`` whenever one of ``channels`` is notified.

    A notification on ``channels`` carries no data the caller relies on: it only says "look now".
    Whatever is missed while the connection is down is found by the caller's next read. The channels
    of ``payload_handlers`` carry their data in the payload, handed to their handler; what is sent
    there while the connection is down is lost.
    """
    connection: asyncpg.Connection = await connect(dsn)

    def on_notify(*_: object) -> None:
        wakeup.set()

    def handing_to(handler: Callable[[str], None]) -> Callable[[object, object, object, str], None]:
        def on_payload(_connection: object, _pid: object, _channel: object, payload: str) -> None:
            try:
                handler(payload)
            except Exception:  # one bad payload must not stop the listener
                logger.exception("could not handle a notification")

        return on_payload

    try:
        for channel in channels:
            await connection.add_listener(channel, on_notify)
        for channel, handler in (payload_handlers or {}).items():
            await connection.add_listener(channel, handing_to(handler))
        yield connection
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(connection.close(), timeout=2)
        if not connection.is_closed():
            connection.terminate()
