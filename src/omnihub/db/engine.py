"""Engine and session factory."""

import time
from typing import Any

import asyncpg  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

SessionFactory = async_sessionmaker[AsyncSession]
Session = AsyncSession  # for the adapters, which are handed sessions but never build queries
# What a lost database raises through SQLAlchemy (or the socket beneath it): loops retry on these.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (exc.SQLAlchemyError, OSError, TimeoutError)

# A pooled connection that sat unused for longer than this is checked with a ping before it is
# handed out; one in steady use is not (see ``_ping_idle_connections``).
PING_AFTER_IDLE_SECONDS = 1.0


def to_async_url(url: str) -> str:
    """Accept the usual ``postgresql://`` URLs and pick the asyncpg driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """An engine whose pool opens at most ``2 * pool_size`` connections.

    All of them are kept once opened: a pool of ``pool_size`` with as many "overflow" connections
    would close each overflow connection when it comes back, so a load needing more than
    ``pool_size`` at once would open (fork a PostgreSQL backend) and close a connection per request.
    """
    engine = create_async_engine(to_async_url(url), pool_size=2 * pool_size, max_overflow=0)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: AsyncEngine) -> None:
    """Pessimistic disconnect handling, paid only by connections that were idle.

    ``pool_pre_ping`` would cost every checkout three round trips (the asyncpg dialect pings inside
    BEGIN ... ROLLBACK). A connection that was in use a moment ago is not pinged: if the server went
    away since, the statement fails, SQLAlchemy recognises the disconnect and replaces the pool's
    connections, as it does for a failure in the middle of a request anyway.
    """
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def checkin(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["omnihub_idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def checkout(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection) -> None:
        idle_since = record.info.get("omnihub_idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # a new connection, or one in steady use
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and tries another (or a new one).
            raise exc.DisconnectionError() from error


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


async def driver_connection(connection: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under a SQLAlchemy one, for statements that SQLAlchemy would slow down."""
    pooled = await connection.get_raw_connection()
    driver: asyncpg.Connection = pooled.driver_connection
    return driver


async def transaction_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under ``session``, with the session's transaction begun on it.

    SQLAlchemy's asyncpg adapter sends BEGIN with the first statement it runs; statements sent
    straight to asyncpg before that would each commit on their own.
    """
    connection = await session.connection()
    await connection.exec_driver_sql("SELECT 1")
    return await driver_connection(connection)
