"""Typing and presence: signals passed on at once to the agents connected on every node, never stored.

They are not changes of data, so they do not go through the event log: a signal travels as a
PostgreSQL notification on ``SIGNAL_CHANNEL`` with a small JSON payload, which every node's log
reader receives and hands to its own agents. A node that is not listening at that moment misses it,
which is acceptable for something that is only news while fresh.

Payloads (``kind`` says which):

- ``{"kind": "typing", "inbox_ids": [i], "data": {...}, "created_at": ...}``
- ``{"kind": "presence", "node": n, "users": [{"user_id", "name", "status", "inbox_ids"}], "created_at": ...}``:
  the status of users' connections on node ``n``; status ``null`` when the user's last connection on
  that node has closed. Each node repeats the state of all its users every few seconds, and a
  node's entries expire when it stops, so a crashed node's agents go offline too.
- ``{"kind": "presence_wanted", "node": n}``: node ``n`` has just started listening and asks every
  node to repeat its state now.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.domain.errors import InvalidInput
from omnihub.domain.events import PresenceStatus
from omnihub.services.access import Actor, get_visible_conversation

SIGNAL_CHANNEL = "omnihub_signals"
# PostgreSQL refuses payloads of 8000 bytes or more; presence lists are split below that.
_MAX_PAYLOAD_BYTES = 7000
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


@dataclass(frozen=True, slots=True)
class PresenceEntry:
    user_id: int
    name: str
    status: str | None  # None: no connection of this user on the announcing node any more
    inbox_ids: list[int]


async def announce_typing(session: AsyncSession, actor: Actor, *, conversation_id: int, on: bool) -> None:
    """The actor started (``on``) or stopped typing in a conversation they may see (else ``NotFound``)."""
    conversation = await get_visible_conversation(session, actor, conversation_id)
    data = {
        "conversation_id": conversation.id,
        "inbox_id": conversation.inbox_id,
        "user_id": actor.user_id,
        "name": actor.name,
        "on": on,
    }
    await _notify(session, [{"kind": "typing", "inbox_ids": [conversation.inbox_id], "data": data}])


def presence_status(value: object) -> PresenceStatus:
    """What an agent may set: online or away (offline is what closing the last connection means)."""
    if value not in (PresenceStatus.ONLINE, PresenceStatus.AWAY):
        raise InvalidInput("status", "must be 'online' or 'away'")
    return PresenceStatus(str(value))


async def announce_presence(session: AsyncSession, *, node: str, entries: Sequence[PresenceEntry]) -> None:
    """Users' status on ``node`` (a change, or the node's whole state repeated), split to fit notifications."""
    payloads: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    size = 0
    for entry in entries:
        user = asdict(entry)
        user_size = len(json.dumps(user)) + 1
        if users and size + user_size > _MAX_PAYLOAD_BYTES:
            payloads.append({"kind": "presence", "node": node, "users": users})
            users, size = [], 0
        users.append(user)
        size += user_size
    if users:
        payloads.append({"kind": "presence", "node": node, "users": users})
    await _notify(session, payloads)


async def ask_for_presence(session: AsyncSession, *, node: str) -> None:
    await _notify(session, [{"kind": "presence_wanted", "node": node}])


async def _notify(session: AsyncSession, payloads: list[dict[str, Any]]) -> None:
    created_at = datetime.now(UTC).isoformat()
    for payload in payloads:
        body = json.dumps({**payload, "created_at": created_at}, separators=(",", ":"))
        await session.execute(_NOTIFY, {"channel": SIGNAL_CHANNEL, "payload": body})
    # Sent when the transaction commits; these transactions write nothing, so no writer waits for them.
    await session.commit()
