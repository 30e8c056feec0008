"""The embedded PostgreSQL: a real server (from the ``pgserver`` package) inside the data directory.

``pgserver`` counts the processes using one data directory: the first starts the server, later ones
(``omnihub users create`` while ``serve`` runs) reuse it, and the last to exit stops it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DATABASE_NAME = "omnihub"


def start_embedded_postgres(pgdata: Path) -> tuple[Any, str]:
    """Start (or join) the server in ``pgdata``; return the handle and an asyncpg SQLAlchemy URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as in containers and CI.
        warnings.simplefilter("ignore")
        from pgserver.postgres_server import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        logger.info("created database %s in %s", DATABASE_NAME, pgdata)
    url = f"postgresql+asyncpg://postgres@/{DATABASE_NAME}?host={info.socket_dir}"
    return server, url
