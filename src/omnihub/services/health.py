"""Whether this node can work: its database answers."""

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine


async def database_problem(engine: AsyncEngine) -> str | None:
    """None when the database answers a query; else the kind of failure (never its text: it may name hosts)."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        return type(exc).__name__
    return None
