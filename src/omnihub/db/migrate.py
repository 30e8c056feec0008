"""Applying the alembic migrations from inside omnihub (``serve`` and ``migrate``)."""

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

# Two nodes starting together must not both run the same migration.
_MIGRATION_LOCK_KEY = 0x6F6D6E69  # "omni"


# Where a wheel carries the migrations: the build copies the top-level ``migrations/`` here (setup.py).
PACKAGED_MIGRATIONS = Path(__file__).resolve().parents[1] / "_migrations"
# Where they are in a source checkout (an editable install runs from it).
SOURCE_TREE_MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def migrations_dir() -> Path:
    """The alembic folder: ``OMNIHUB_MIGRATIONS_DIR``, else the installed package's, else the checkout's.

    Never the working directory's ``migrations/``: that could be another project's.
    """
    configured = os.environ.get("OMNIHUB_MIGRATIONS_DIR")
    candidates = [Path(configured)] if configured else [PACKAGED_MIGRATIONS, SOURCE_TREE_MIGRATIONS]
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"alembic migrations not found in {' or '.join(map(str, candidates))}")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def _upgrade(connection: Connection) -> None:
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def upgrade_to_head(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
