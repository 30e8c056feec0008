"""Dedicated PostgreSQL connections for LISTEN/NOTIFY, outside SQLAlchemy's pool."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import asyncpg

logger = logging.getLogger(__name__)


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """``postgresql+asyncpg://...`` as asyncpg wants it."""
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if sqlalchemy_url.startswith(prefix):
            return "postgresql://" + sqlalchemy_url[len(prefix) :]
    return sqlalchemy_url


@contextlib.asynccontextmanager
async def listening(dsn: str, channels: list[str], wakeup: asyncio.Event) -> AsyncIterator[asyncpg.Connection]:
    """A connection that sets ``wakeup`` whenever one of ``channels`` is notified.

    A notification carries no data the caller relies on: it only says "look now". Whatever is
    missed while the connection is down is found by the caller's next read.
    """
    connection: asyncpg.Connection = await asyncpg.connect(dsn, timeout=10)

    def on_notify(*_: object) -> None:
        wakeup.set()

    try:
        for channel in channels:
            await connection.add_listener(channel, on_notify)
        yield connection
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(connection.close(), timeout=2)
        if not connection.is_closed():
            connection.terminate()


class Backoff:
    """Delays for reconnecting: 0.1 s doubling up to a cap, reset after a success."""

    def __init__(self, first: float = 0.1, cap: float = 5.0) -> None:
        self.first = first
        self.cap = cap
        self.current = first

    def reset(self) -> None:
        self.current = self.first

    async def sleep(self) -> None:
        await asyncio.sleep(self.current)
        self.current = min(self.current * 2, self.cap)
