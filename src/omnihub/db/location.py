"""Where the database is: an external server by URL, or the embedded one in the data directory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omnihub.config import Settings
from omnihub.db.embedded import start_embedded_postgres


@dataclass
class DatabaseLocation:
    url: str
    embedded_server: Any = None  # the pgserver handle keeps the embedded server alive


def open_database(settings: Settings) -> DatabaseLocation:
    if settings.database_url:
        return DatabaseLocation(settings.database_url)
    server, url = start_embedded_postgres(settings.postgres_dir.resolve())
    return DatabaseLocation(url, server)
