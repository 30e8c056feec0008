"""Typing, viewing and presence: signals passed on at once to the agents connected on every node, never stored.

They are not changes of data, so they do not go through the event log: a signal travels as a
PostgreSQL notification on ``SIGNAL_CHANNEL`` with a small JSON payload, which every node's log
reader receives and hands to its own agents. A node that is not listening at that moment misses it,
which is acceptable for something that is only news while fresh.

Payloads (``kind`` says which):

- ``{"kind": "typing", "inbox_ids": [i], "data": {...}, "created_at": ...}``: ``data`` names the
  conversation and either the agent (``user_id``) or the contact (``contact_id``) who is typing.
- ``{"kind": "viewing", "inbox_ids": [i], "data": {...}, "created_at": ...}``: ``data`` names the
  conversation, the agent and their socket (``socket_id``), and whether they have it open (``on``).
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

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Contact, ContactIdentity, Conversation
from omnihub.domain.errors import InvalidInput, NotFound
from omnihub.domain.events import PresenceStatus
from omnihub.domain.identities import IdentityKey
from omnihub.services.access import Actor, get_visible_conversation, get_visible_inbox, require_channel_type

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


async def announce_typing(session: AsyncSession, actor: Actor, *, conversation_id: int, on: bool) -> Conversation:
    """The actor started (``on``) or stopped typing in a conversation they may see (else ``NotFound``);
    returns that conversation."""
    conversation = await get_visible_conversation(session, actor, conversation_id)
    data = {
        "conversation_id": conversation.id,
        "inbox_id": conversation.inbox_id,
        "user_id": actor.user_id,
        "name": actor.name,
        "on": on,
    }
    await _notify(session, [{"kind": "typing", "inbox_ids": [conversation.inbox_id], "data": data}])
    return conversation


async def announce_viewing(
    session: AsyncSession, actor: Actor, *, conversation_id: int, socket_id: str
) -> Conversation:
    """The actor has a conversation they may see (else ``NotFound``) open on the socket ``socket_id``;
    returns that conversation. Receivers forget it unless it is repeated (see docs/realtime.md)."""
    conversation = await get_visible_conversation(session, actor, conversation_id)
    await _announce_viewing(session, actor, conversation.id, conversation.inbox_id, socket_id, on=True)
    return conversation


async def announce_viewing_ended(
    session: AsyncSession, actor: Actor, *, conversation_id: int, inbox_id: int, socket_id: str
) -> None:
    """The socket no longer has the conversation open: to the inbox it was announced to (no access check:
    it only withdraws what ``announce_viewing`` said, even if the actor has since left the inbox)."""
    await _announce_viewing(session, actor, conversation_id, inbox_id, socket_id, on=False)


async def _announce_viewing(
    session: AsyncSession, actor: Actor, conversation_id: int, inbox_id: int, socket_id: str, *, on: bool
) -> None:
    data = {
        "conversation_id": conversation_id,
        "inbox_id": inbox_id,
        "user_id": actor.user_id,
        "name": actor.name,
        "socket_id": socket_id,
        "on": on,
    }
    await _notify(session, [{"kind": "viewing", "inbox_ids": [inbox_id], "data": data}])


async def announce_contact_typing(
    session: AsyncSession,
    actor: Actor,
    *,
    inbox_id: int,
    channel_type: str,
    contact: IdentityKey,
    on: bool,
    conversation_id: int | None = None,
) -> None:
    """A channel reports that a contact started (``on``) or stopped typing: to the agents of the inbox.

    The conversation is ``conversation_id`` if given (it must be the contact's, in this inbox), else
    the contact's latest conversation in the inbox, the one their next message would continue.
    ``NotFound`` for an inbox the actor may not see or a contact with no conversation there.
    """
    inbox = await get_visible_inbox(session, actor, inbox_id)
    require_channel_type(inbox_id, inbox.channel_type, channel_type)
    query = (
        select(Conversation.id, Contact.id, Contact.name)
        .join(Contact, Contact.id == Conversation.contact_id)
        .join(ContactIdentity, ContactIdentity.contact_id == Contact.id)
        .where(
            Conversation.inbox_id == inbox_id,
            ContactIdentity.kind == contact.kind,
            ContactIdentity.scope == contact.scope,
            ContactIdentity.address == contact.address,
        )
        .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
        .limit(1)
    )
    if conversation_id is not None:
        query = query.where(Conversation.id == conversation_id)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound("conversation")
    data = {"conversation_id": row[0], "inbox_id": inbox_id, "contact_id": row[1], "name": row[2], "on": on}
    await _notify(session, [{"kind": "typing", "inbox_ids": [inbox_id], "data": data}])


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
