"""Which node follows which inbox the hub fetches from: a PostgreSQL advisory lock per inbox.

The locks belong to one dedicated connection of the node (``db.pg``): when the node dies or loses that
connection, PostgreSQL releases them, and another node's next scan takes the inboxes over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from omnihub.db.pg import RawConnection

# The first half of the two-key advisory lock on an inbox (the second is the inbox id).
_LOCK_NAMESPACE = 0x6F6D6E  # "omn"


@dataclass(frozen=True, slots=True)
class InboxChannel:
    id: int
    channel_type: str
    config: dict[str, Any]

    @property
    def config_json(self) -> str:
        """The configuration in one canonical spelling: a change of it means a new connector."""
        return canonical_config(self.config)


def canonical_config(config: Any) -> str:
    """``config`` (a dict, or jsonb as the driver hands it over) in one spelling, to compare two of them."""
    return json.dumps(_config(config), sort_keys=True)


async def all_inboxes(connection: RawConnection) -> list[InboxChannel]:
    rows = await connection.fetch("SELECT id, channel_type, config FROM inboxes ORDER BY id")
    return [InboxChannel(row["id"], row["channel_type"], _config(row["config"])) for row in rows]


async def try_to_follow(connection: RawConnection, inbox_id: int) -> bool:
    """Take the inbox for this node, if no other node follows it."""
    return bool(await connection.fetchval("SELECT pg_try_advisory_lock($1, $2)", _LOCK_NAMESPACE, inbox_id))


async def stop_following(connection: RawConnection, inbox_id: int) -> None:
    await connection.execute("SELECT pg_advisory_unlock($1, $2)", _LOCK_NAMESPACE, inbox_id)


def _config(value: Any) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(value) if isinstance(value, str) else value
    return config
