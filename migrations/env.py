"""Alembic environment: migrations run on an async engine, or on a connection handed in by omnihub."""

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from omnihub.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_on_connection(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_with_own_engine() -> None:
    from omnihub.config import Settings
    from omnihub.db.engine import create_engine
    from omnihub.db.location import open_database

    database = open_database(Settings())
    engine = create_engine(database.url, pool_size=1)
    async with engine.connect() as connection:
        await connection.run_sync(run_on_connection)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")

connection = config.attributes.get("connection")
if connection is not None:
    run_on_connection(connection)
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    asyncio.run(run_with_own_engine())
