"""Bringing an inbound message into the conversation model: contact, conversation, message, events.

This is the hub's hottest write path, so it talks to PostgreSQL through the asyncpg connection
underneath SQLAlchemy (a pooled connection of the engine for ``receive_inbound``, the session's own
for ``ingest_inbound``), with hand-written statements that each do as much as one round trip can:

1. (one statement) the inbox and the caller's right to see it, an earlier message with the same
   external id, and the contact that owns the sender's identities, whose row is locked;
2. only for a first message: the new contact and its first identity (a few more for extra
   identities or a missing name);
3. (one statement) the contact's latest conversation in the inbox, locked, then updated (reopened if
   resolved or snoozed) or a new one created, and the message inserted;
4. (one statement) the events, built from the rows the statements returned, in the same transaction.

Locking the contact serialises one person's messages: step 3 reads the conversations only after the
lock is held, in a statement of its own, so it sees whatever a concurrent message committed. The JSON
of the events comes from ``services.views``, as everywhere else, applied to the rows the statements
return. See docs/benchmarks.md for what this path costs against a bare FastAPI + asyncpg insert.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TypeVar, cast

import asyncpg  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.util import greenlet_spawn

from omnihub.channels.spi import InboundAttachment, InboundMessage
from omnihub.db.engine import SessionFactory
from omnihub.db.models import Attachment, Contact, Conversation, EventQueueEntry, Inbox, Message
from omnihub.domain.conversations import status_after_inbound
from omnihub.domain.enums import ConversationStatus, DeliveryStatus, IdentityKind, MessageDirection, MessageKind
from omnihub.domain.errors import InvalidInput, NotFound
from omnihub.domain.events import EventType
from omnihub.domain.html import sanitize_html
from omnihub.domain.identities import IdentityKey
from omnihub.services.access import Actor
from omnihub.services.attachments import AttachmentPolicy
from omnihub.services.contacts import inbound_identity_keys
from omnihub.services.events import EVENTS_WRITTEN, with_audience
from omnihub.services.views import contact_view, conversation_view, message_view

_Model = TypeVar("_Model")


@dataclass(frozen=True, slots=True)
class IngestResult:
    message_id: int
    conversation_id: int
    contact_id: int
    created: bool  # False when the message had been ingested before (same external id)


# -- statements --------------------------------------------------------------------------------------

# The identities are passed as three parallel arrays (kind, scope, address), in the order of
# ``inbound_identity_keys``: the first key that has an owner decides who wrote.
_OWNER_CTE = """
owner AS (
    SELECT ci.contact_id, count(*) OVER () AS found
    FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(kind, scope, address, position)
    JOIN contact_identities ci ON ci.kind = k.kind AND ci.scope = k.scope AND ci.address = k.address
    ORDER BY k.position
    LIMIT 1
), locked AS (
    SELECT c.id, c.name, c.email, c.phone, c.created_at
    FROM contacts c
    WHERE c.id = (SELECT contact_id FROM owner)
    FOR UPDATE
)"""

_OWNER_COLUMNS = """
    (SELECT contact_id FROM owner) AS owner_id, (SELECT found FROM owner) AS found,
    l.id, l.name, l.email, l.phone, l.created_at"""

# Step 1 of the API channel: $4 inbox, $5 external id, $6 is the caller an admin, $7 the caller.
_RECEIVE = f"""
WITH {_OWNER_CTE}
SELECT i.channel_type, m.id AS message_id, m.conversation_id, mc.contact_id AS message_contact_id,
{_OWNER_COLUMNS}
FROM inboxes i
LEFT JOIN messages m ON m.inbox_id = i.id AND m.external_id = $5::varchar
LEFT JOIN conversations mc ON mc.id = m.conversation_id
LEFT JOIN locked l ON true
WHERE i.id = $4::bigint
  AND ($6::boolean OR EXISTS (SELECT 1 FROM inbox_members im WHERE im.inbox_id = i.id AND im.user_id = $7::bigint))
"""

# The contact owning the identities, locked; always one row (owner_id is NULL when nobody owns them).
_LOCK_OWNER = f"""
WITH {_OWNER_CTE}
SELECT {_OWNER_COLUMNS}
FROM (SELECT 1) AS one
LEFT JOIN locked l ON true
"""

_EXISTING = """
SELECT m.id, m.conversation_id, c.contact_id
FROM messages m JOIN conversations c ON c.id = m.conversation_id
WHERE m.inbox_id = $1::bigint AND m.external_id = $2::varchar
"""

# A new contact claiming its first identity; ``claimed`` is false when a concurrent transaction
# claimed it first (and then committed), in which case that transaction's contact is the person.
_CREATE_CONTACT = """
WITH created AS (
    INSERT INTO contacts (name, email, phone) VALUES ($1::varchar, $2::varchar, $3::varchar)
    RETURNING id, name, email, phone, created_at
), claimed AS (
    INSERT INTO contact_identities (contact_id, kind, scope, address)
    SELECT created.id, $4::varchar, $5::varchar, $6::varchar FROM created
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT created.*, EXISTS (SELECT 1 FROM claimed) AS claimed FROM created
"""

_DELETE_CONTACT = "DELETE FROM contacts WHERE id = $1::bigint"

_CLAIM_IDENTITIES = """
INSERT INTO contact_identities (contact_id, kind, scope, address)
SELECT $1::bigint, k.kind, k.scope, k.address FROM unnest($2::text[], $3::text[], $4::text[]) AS k(kind, scope, address)
ON CONFLICT DO NOTHING
"""

# Naming a known contact is news for every inbox they write in: the inboxes come back for the event.
_NAME_CONTACT = """
UPDATE contacts SET name = $2::varchar, updated_at = now() WHERE id = $1::bigint
RETURNING ARRAY(SELECT DISTINCT inbox_id FROM conversations WHERE contact_id = $1::bigint) AS inbox_ids
"""


def _status_after_inbound_sql(column: str) -> str:
    """``status_after_inbound`` as a SQL CASE, generated from the domain rule so the two cannot drift."""
    changes = [(s, status_after_inbound(s)) for s in ConversationStatus if status_after_inbound(s) != s]
    whens = " ".join(f"WHEN '{before.value}' THEN '{after.value}'" for before, after in changes)
    return f"(CASE {column} {whens} ELSE {column} END)" if changes else column


_CONVERSATION_COLUMNS = (
    "id",
    "inbox_id",
    "contact_id",
    "status",
    "assignee_id",
    "team_id",
    "priority",
    "labels",
    "subject",
    "created_at",
    "last_activity_at",
    "first_response_at",
    "resolved_at",
    "snoozed_until",
)
_MESSAGE_COLUMNS = (
    "id",
    "conversation_id",
    "inbox_id",
    "direction",
    "kind",
    "sender_contact_id",
    "sender_user_id",
    "text",
    "html",
    "external_id",
    "delivery_status",
    "failure_reason",
    "created_at",
)

# Step 3: $1 inbox, $2 contact, $3 subject, $4 text, $5 html, $6 external id, $7 metadata (JSON text).
# The conversation is read in a statement that starts after the contact lock is held, so it sees any
# conversation a concurrent message of the same person committed.
_NEW_STATUS = _status_after_inbound_sql("c.status")
_THREAD = f"""
WITH previous AS (
    SELECT id, status FROM conversations
    WHERE inbox_id = $1::bigint AND contact_id = $2::bigint
    ORDER BY last_activity_at DESC, id DESC
    LIMIT 1
    FOR UPDATE
), updated AS (
    UPDATE conversations c
    SET status = {_NEW_STATUS},
        resolved_at = CASE WHEN {_NEW_STATUS} <> c.status THEN NULL ELSE c.resolved_at END,
        snoozed_until = CASE WHEN {_NEW_STATUS} <> c.status THEN NULL ELSE c.snoozed_until END,
        last_activity_at = now()
    FROM previous
    WHERE c.id = previous.id
    RETURNING {", ".join(f"c.{name}" for name in _CONVERSATION_COLUMNS)}, previous.status AS previous_status
), created AS (
    INSERT INTO conversations (inbox_id, contact_id, status, subject, last_activity_at)
    SELECT $1::bigint, $2::bigint, '{ConversationStatus.OPEN.value}', $3::varchar, now()
    WHERE NOT EXISTS (SELECT 1 FROM previous)
    RETURNING {", ".join(_CONVERSATION_COLUMNS)}, NULL::varchar AS previous_status
), conversation AS (
    SELECT * FROM updated UNION ALL SELECT * FROM created
), message AS (
    INSERT INTO messages (conversation_id, inbox_id, direction, kind, sender_contact_id, text, html,
                          external_id, delivery_status, extra)
    SELECT conversation.id, $1::bigint, '{MessageDirection.INCOMING.value}', '{MessageKind.MESSAGE.value}', $2::bigint,
           $4::text, $5::text, $6::varchar, '{DeliveryStatus.DELIVERED.value}', $7::text::jsonb
    FROM conversation
    RETURNING {", ".join(_MESSAGE_COLUMNS)}
)
SELECT {", ".join(f"conversation.{name}" for name in _CONVERSATION_COLUMNS)}, conversation.previous_status,
       {", ".join(f"message.{name} AS message_{name}" for name in _MESSAGE_COLUMNS)}
FROM conversation, message
"""

_INSERT_ATTACHMENTS = """
INSERT INTO attachments (message_id, filename, content_type, size, sha256, content_id)
SELECT $1::bigint, a.filename, a.content_type, a.size, a.sha256, a.content_id
FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY
     AS a(filename, content_type, size, sha256, content_id, position)
ORDER BY a.position
RETURNING id, message_id, filename, content_type, size, sha256, content_id, created_at
"""

# Into the queue ``services.events.record_event`` writes to; the sequencer moves them into the log.
_RECORD_EVENTS = f"""
INSERT INTO {EventQueueEntry.__tablename__} (type, inbox_id, data)
SELECT e.type, $1::bigint, e.data::jsonb FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(type, data, position)
ORDER BY e.position
"""


# -- entry points ------------------------------------------------------------------------------------


async def receive_inbound(
    sessions: SessionFactory,
    actor: Actor,
    *,
    inbox_id: int,
    channel_type: str,
    inbound: InboundMessage,
    attachments: AttachmentPolicy,
    default_phone_region: str | None = None,
) -> IngestResult:
    """A channel hands in a message for ``inbox_id`` on behalf of ``actor``: ``ingest_inbound`` after checks.

    The inbox must be visible to the actor (else ``NotFound``) and of ``channel_type`` (else
    ``InvalidInput``); these checks share the ingest's first statement.

    The work runs in a transaction of its own on a pooled connection of the factory's engine, driven
    directly through asyncpg (no session: opening and closing one costs more than a round trip).
    Once it has committed, the factory's after-commit hooks run as for a session that wrote events,
    so the event sequencer is woken at once.
    """
    # Normalising the identities may reject them, which must be reported only for a visible inbox and
    # a new message (as before); until then the first statement looks for no owner.
    try:
        keys, invalid = inbound_identity_keys(inbound.contact, default_phone_region), None
    except InvalidInput as exc:
        keys, invalid = [], exc

    engine = sessions.kw.get("bind")
    if not isinstance(engine, AsyncEngine):
        raise TypeError("receive_inbound needs a session factory bound to an AsyncEngine")
    pooled = await engine.raw_connection()
    raw: asyncpg.Connection = pooled.driver_connection
    try:
        async with raw.transaction():
            row = await raw.fetchrow(_RECEIVE, *_receive_params(actor, inbox_id, inbound, keys))
            existing = _checked(row, inbox_id, channel_type, inbound, invalid, attachments)
            if existing is not None:
                return existing
            result = await _ingest_new(raw, inbox_id, inbound, keys, row, attachments)
    except asyncpg.IntegrityConstraintViolationError:
        # The same external id was stored by a concurrent request between our check and our insert.
        found = await raw.fetchrow(_EXISTING, inbox_id, inbound.external_id)
        if found is None:
            raise
        return IngestResult(found[0], found[1], found[2], created=False)
    except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError):
        await greenlet_spawn(pooled.invalidate)
        raise
    finally:
        if not raw.is_closed() and raw.is_in_transaction():
            # Interrupted in the middle of a rollback (a cancelled request): never pool a busy connection.
            await greenlet_spawn(pooled.invalidate)
        await greenlet_spawn(pooled.close)
    _announce_committed_events(sessions)
    return result


def _announce_committed_events(sessions: SessionFactory) -> None:
    """Run the factory's after-commit hooks as for a session that wrote events (``EVENTS_WRITTEN``).

    The session never touches a connection, so committing it does no I/O and needs no greenlet.
    """
    session = sessions().sync_session
    session.info[EVENTS_WRITTEN] = True
    session.commit()


def _receive_params(actor: Actor, inbox_id: int, inbound: InboundMessage, keys: list[IdentityKey]) -> tuple[Any, ...]:
    return (*_key_arrays(keys), inbox_id, inbound.external_id, actor.is_admin, actor.user_id)


def _checked(
    row: Mapping[Any, Any] | None,
    inbox_id: int,
    channel_type: str,
    inbound: InboundMessage,
    invalid: InvalidInput | None,
    attachments: AttachmentPolicy,
) -> IngestResult | None:
    """The message already received, if it was; raises for an invisible or unfit inbox, or bad input."""
    if row is None:
        raise NotFound("inbox")
    if row["channel_type"] != channel_type:
        raise InvalidInput(
            "inbox_id", f"inbox {inbox_id} is a {row['channel_type']} inbox, not an {channel_type} inbox"
        )
    attachments.check(inbound.attachments)
    if row["message_id"] is not None:
        return IngestResult(row["message_id"], row["conversation_id"], row["message_contact_id"], created=False)
    if invalid is not None:
        raise invalid
    return None


async def ingest_inbound(
    session: AsyncSession,
    *,
    inbox: Inbox,
    inbound: InboundMessage,
    attachments: AttachmentPolicy,
    default_phone_region: str | None = None,
) -> IngestResult:
    """Store one inbound message exactly once and thread it into the contact's conversation.

    The contact's latest conversation in the inbox continues (a resolved or snoozed one reopens);
    a contact writing for the first time gets a new conversation. Runs in the session's transaction
    and commits it.
    """
    attachments.check(inbound.attachments)
    connection = await session.connection()
    try:
        # Through SQLAlchemy, so that its transaction begins; the later statements share it.
        found: Any = (await connection.exec_driver_sql(_EXISTING, (inbox.id, inbound.external_id))).first()
        if found is not None:
            await session.commit()
            return IngestResult(found[0], found[1], found[2], created=False)
        keys = inbound_identity_keys(inbound.contact, default_phone_region)
        raw = await _driver_connection(connection)
        owner = await raw.fetchrow(_LOCK_OWNER, *_key_arrays(keys))
        result = await _ingest_new(raw, inbox.id, inbound, keys, owner, attachments)
        session.info[EVENTS_WRITTEN] = True
        await session.commit()
    except asyncpg.IntegrityConstraintViolationError:
        return await _after_conflict(session, inbox.id, inbound.external_id)
    except BaseException:
        await session.rollback()
        raise
    return result


async def _after_conflict(session: AsyncSession, inbox_id: int, external_id: str) -> IngestResult:
    """The same external id was stored by a concurrent request between our check and our insert."""
    await session.rollback()
    connection = await session.connection()  # a new transaction, maybe on another pooled connection
    found: Any = (await connection.exec_driver_sql(_EXISTING, (inbox_id, external_id))).first()
    await session.commit()
    if found is None:
        raise RuntimeError(f"inbound message {external_id!r} conflicted with a message that does not exist")
    return IngestResult(found[0], found[1], found[2], created=False)


# -- the steps ---------------------------------------------------------------------------------------


async def _driver_connection(connection: AsyncConnection) -> asyncpg.Connection:
    pooled = await connection.get_raw_connection()
    driver: asyncpg.Connection = pooled.driver_connection
    return driver


def _view_object(model: type[_Model], values: Mapping[str, Any]) -> _Model:
    """A plain object carrying a row's values, for the views in ``services.views`` (which only read
    attributes): a real ORM instance costs tens of microseconds to build, for an object no session sees."""
    return cast(_Model, SimpleNamespace(**values))


def _key_arrays(keys: Sequence[IdentityKey]) -> tuple[list[str], list[str], list[str]]:
    return [k.kind for k in keys], [k.scope for k in keys], [k.address for k in keys]


async def _ingest_new(
    raw: asyncpg.Connection,
    inbox_id: int,
    inbound: InboundMessage,
    keys: list[IdentityKey],
    owner: Mapping[Any, Any] | None,
    attachments: AttachmentPolicy,
) -> IngestResult:
    """Steps 2 to 4, inside the caller's transaction; ``owner`` is a row shaped like ``_LOCK_OWNER``'s."""
    events: list[tuple[EventType, dict[str, Any]]] = []
    contact, created, renamed_in = await _resolve_contact(raw, inbound, keys, owner)
    if created:
        events.append((EventType.CONTACT_CREATED, contact_view(contact)))
    elif renamed_in is not None:
        events.append((EventType.CONTACT_UPDATED, with_audience(contact_view(contact), renamed_in)))

    row = await raw.fetchrow(
        _THREAD,
        inbox_id,
        contact.id,
        inbound.subject,
        inbound.text,
        sanitize_html(inbound.html) if inbound.html else None,
        inbound.external_id,
        json.dumps(dict(inbound.metadata)),
    )
    assert row is not None
    conversation = _view_object(Conversation, {name: row[name] for name in _CONVERSATION_COLUMNS})
    message = _view_object(Message, {name: row[f"message_{name}"] for name in _MESSAGE_COLUMNS})
    stored = await _store_attachments(raw, attachments, message.id, inbound.attachments)

    previous_status = row["previous_status"]
    if previous_status is None:
        events.append((EventType.CONVERSATION_CREATED, conversation_view(conversation)))
    elif conversation.status != previous_status:
        events.append((EventType.CONVERSATION_UPDATED, conversation_view(conversation)))
    events.append((EventType.MESSAGE_CREATED, message_view(message, stored)))
    await raw.execute(_RECORD_EVENTS, inbox_id, [t.value for t, _ in events], [json.dumps(d) for _, d in events])
    return IngestResult(message.id, conversation.id, contact.id, created=True)


async def _resolve_contact(
    raw: asyncpg.Connection, inbound: InboundMessage, keys: list[IdentityKey], owner: Mapping[Any, Any] | None
) -> tuple[Contact, bool, list[int] | None]:
    """The contact behind the message, its row locked (or new in this transaction), whether it is new, and
    if the message named a known contact who had no name, the inboxes of their conversations."""
    created = False
    for _ in range(5):
        if owner is not None and owner["id"] is not None:
            break
        if owner is not None and owner["owner_id"] is not None:
            # The owner vanished (merged away) between finding and locking it: look again.
            owner = await raw.fetchrow(_LOCK_OWNER, *_key_arrays(keys))
            continue
        new = await raw.fetchrow(
            _CREATE_CONTACT,
            inbound.contact.name,
            next((k.address for k in keys if k.kind == IdentityKind.EMAIL), None),
            next((k.address for k in keys if k.kind == IdentityKind.PHONE), None),
            keys[0].kind,
            keys[0].scope,
            keys[0].address,
        )
        assert new is not None
        if new["claimed"]:
            owner, created = new, True
            break
        # Another transaction created this person a moment ago: use theirs, drop ours.
        await raw.execute(_DELETE_CONTACT, new["id"])
        owner = await raw.fetchrow(_LOCK_OWNER, *_key_arrays(keys[:1]))
    else:
        raise RuntimeError("could not settle the contact of an inbound message")
    assert owner is not None
    contact = _view_object(Contact, {name: owner[name] for name in ("id", "name", "email", "phone", "created_at")})
    found = 1 if created else owner["found"]
    if found != len(keys):
        await raw.execute(_CLAIM_IDENTITIES, contact.id, *_key_arrays(keys))
    renamed_in = None
    if not contact.name and inbound.contact.name:
        renamed_in = list(await raw.fetchval(_NAME_CONTACT, contact.id, inbound.contact.name))
        contact.name = inbound.contact.name
    return contact, created, renamed_in


async def _store_attachments(
    raw: asyncpg.Connection, policy: AttachmentPolicy, message_id: int, files: tuple[InboundAttachment, ...]
) -> list[Attachment]:
    """What ``services.attachments.store_attachments`` does, on the raw connection."""
    if not files:
        return []
    policy.check(files)
    digests = [await policy.store.put(file.content) for file in files]
    rows = await raw.fetch(
        _INSERT_ATTACHMENTS,
        message_id,
        [(file.filename or "attachment")[:255] for file in files],
        [(file.content_type or "application/octet-stream")[:255] for file in files],
        [len(file.content) for file in files],
        digests,
        [file.content_id for file in files],
    )
    return [_view_object(Attachment, dict(row)) for row in sorted(rows, key=lambda r: r["id"])]
