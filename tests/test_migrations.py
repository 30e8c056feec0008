"""The migrations produce exactly the schema the models declare, and can be walked down and up."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from omnihub.db.engine import create_engine
from omnihub.db.migrate import alembic_config
from omnihub.db.models import Base


def schema_differences(connection: Connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_schema_equals_the_models(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    async with engine.connect() as connection:
        differences = await connection.run_sync(schema_differences)
    await engine.dispose()

    assert differences == []


def walk_down_and_up(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "base")
    command.upgrade(config, "head")


async def test_migrations_downgrade_and_upgrade_again(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    async with engine.begin() as connection:
        await connection.run_sync(walk_down_and_up)
    async with engine.connect() as connection:
        differences = await connection.run_sync(schema_differences)
    await engine.dispose()

    assert differences == []
