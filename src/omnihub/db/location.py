"""Where the database is: an external server by URL, or the embedded one in the data directory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omnihub.config import Settings
from omnihub.db.embedded import start_embedded_postgres


@dataclass
class DatabaseLocation:
    url: str
    embedded_server: Any = None  # the embedded server's handle keeps it alive

    def close(self) -> None:
        """Let go of the embedded server; the last process using it stops it.

        embedded-postgres would do this at interpreter exit, but uvicorn ends on SIGTERM by re-raising the
        signal, which skips exit handlers, so the hub lets go explicitly on shutdown.
        """
        if self.embedded_server is not None:
            self.embedded_server.cleanup()
            self.embedded_server = None


def open_database(settings: Settings) -> DatabaseLocation:
    if settings.database_url:
        return DatabaseLocation(settings.database_url)
    server, url = start_embedded_postgres(settings.postgres_dir.resolve())
    return DatabaseLocation(url, server)
