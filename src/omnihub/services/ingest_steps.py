"""The steps of storing one inbound message, on a raw asyncpg connection inside the caller's transaction.

Shared by the ingest entry points (``services.ingest``) and the import of fetched items
(``services.pulls``); the statements are in ``services.ingest_sql``.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TypeVar, cast

import asyncpg  # type: ignore[import-untyped, unused-ignore]

from omnihub.channels.spi import InboundAttachment, InboundMessage, Threading
from omnihub.db.models import Attachment, Contact, Conversation, Message
from omnihub.domain.enums import IdentityKind, IdentityProvenance
from omnihub.domain.events import EventType
from omnihub.domain.filenames import clean_filename
from omnihub.domain.html import ensure_sanitized
from omnihub.domain.identities import IdentityKey
from omnihub.services import ingest_sql as sql
from omnihub.services.attachments import AttachmentPolicy
from omnihub.services.events import with_audience
from omnihub.services.views import contact_view, conversation_view, message_view, shared_contact_view

_Model = TypeVar("_Model")


@dataclass(frozen=True, slots=True)
class IngestResult:
    message_id: int
    conversation_id: int
    contact_id: int
    created: bool  # False when the message had been ingested before (same external id)


def view_object(model: type[_Model], values: Mapping[str, Any]) -> _Model:
    """A plain object carrying a row's values, for the views in ``services.views`` (which only read
    attributes): a real ORM instance costs tens of microseconds to build, for an object no session sees."""
    return cast(_Model, SimpleNamespace(**values))


def key_arrays(keys: Sequence[IdentityKey]) -> tuple[list[str], list[str], list[str]]:
    return [k.kind for k in keys], [k.scope for k in keys], [k.address for k in keys]


async def lock_owner(raw: asyncpg.Connection, inbox_id: int, keys: Sequence[IdentityKey]) -> Mapping[Any, Any] | None:
    """The contact owning the channel identity ``keys[0]`` for ``inbox_id``, its row locked; shaped like
    ``sql.LOCK_OWNER``'s row."""
    row: Mapping[Any, Any] | None = await raw.fetchrow(sql.LOCK_OWNER, *key_arrays(keys), inbox_id)
    return row


async def ingest_new(
    raw: asyncpg.Connection,
    inbox_id: int,
    inbound: InboundMessage,
    keys: list[IdentityKey],
    owner: Mapping[Any, Any] | None,
    attachments: AttachmentPolicy,
) -> IngestResult:
    """Steps 2 to 4 of ``services.ingest``; ``owner`` is a row shaped like ``sql.LOCK_OWNER``'s."""
    events: list[tuple[EventType, dict[str, Any]]] = []
    contact, identity_id, created, renamed_in = await _resolve_contact(raw, inbox_id, inbound, keys, owner)
    if created:
        events.append((EventType.CONTACT_CREATED, contact_view(contact)))
    elif renamed_in is not None:
        events.append((EventType.CONTACT_UPDATED, with_audience(shared_contact_view(contact), renamed_in)))

    metadata = dict(inbound.metadata)
    if inbound.automated:
        metadata["automated"] = inbound.automated
    statement, extra = await _thread_statement(raw, inbox_id, inbound.threading)
    row = await raw.fetchrow(
        statement,
        inbox_id,
        contact.id,
        inbound.subject,
        inbound.text,
        ensure_sanitized(inbound.html) if inbound.html else None,
        inbound.external_id,
        json.dumps(metadata),
        inbound.automated is None,
        identity_id,
        *extra,
    )
    assert row is not None
    conversation = view_object(Conversation, {name: row[name] for name in sql.CONVERSATION_COLUMNS})
    message = view_object(Message, {name: row[f"message_{name}"] for name in sql.MESSAGE_COLUMNS} | {"extra": metadata})
    stored = await _store_attachments(raw, attachments, message.id, inbound.attachments)

    previous_status = row["previous_status"]
    if previous_status is None:
        events.append((EventType.CONVERSATION_CREATED, conversation_view(conversation)))
    elif conversation.status != previous_status:
        events.append((EventType.CONVERSATION_UPDATED, conversation_view(conversation)))
    events.append((EventType.MESSAGE_CREATED, message_view(message, stored)))
    await raw.execute(sql.RECORD_EVENTS, inbox_id, [t.value for t, _ in events], [json.dumps(d) for _, d in events])
    return IngestResult(message.id, conversation.id, contact.id, created=True)


async def _thread_statement(
    raw: asyncpg.Connection, inbox_id: int, threading: Threading | None
) -> tuple[str, tuple[int, ...]]:
    """Step 3's statement for the conversation the message belongs to, and its extra parameters."""
    if threading is None:
        return sql.THREAD_LATEST, ()
    target = None
    if threading.conversation_id is not None:
        target = await raw.fetchval(sql.CONVERSATION_IN_INBOX, inbox_id, threading.conversation_id)
    if target is None and threading.references:
        target = await raw.fetchval(sql.REFERENCED_CONVERSATION, inbox_id, list(threading.references))
    if target is not None:
        return sql.THREAD_INTO, (target,)
    return (sql.THREAD_LATEST if threading.continue_latest else sql.THREAD_NEW), ()


async def _resolve_contact(
    raw: asyncpg.Connection,
    inbox_id: int,
    inbound: InboundMessage,
    keys: list[IdentityKey],
    owner: Mapping[Any, Any] | None,
) -> tuple[Contact, int, bool, list[int] | None]:
    """The contact behind the message, its row locked (or new in this transaction), the id of the identity
    it wrote from, whether it is new, and if the message named a known contact who had no name, the inboxes
    of their conversations."""
    created = False
    for _ in range(5):
        if owner is not None and owner["id"] is not None:
            break
        if owner is not None and owner["owner_id"] is not None:
            # The owner vanished (merged away) between finding and locking it: look again.
            owner = await lock_owner(raw, inbox_id, keys)
            continue
        channel_key = keys[0]
        new = await raw.fetchrow(
            sql.CREATE_CONTACT,
            inbound.contact.name,
            next((k.address for k in keys if k.kind == IdentityKind.EMAIL), None),
            next((k.address for k in keys if k.kind == IdentityKind.PHONE), None),
            channel_key.kind,
            channel_key.scope,
            channel_key.address,
            inbox_id,
        )
        assert new is not None
        if new["identity_id"] is not None:
            owner, created = new, True
            break
        # Another transaction created this person a moment ago: use theirs, drop ours.
        await raw.execute(sql.DELETE_CONTACT, new["id"])
        owner = await lock_owner(raw, inbox_id, keys)
    else:
        raise RuntimeError("could not settle the contact of an inbound message")
    assert owner is not None
    contact = view_object(Contact, {name: owner[name] for name in ("id", "name", "email", "phone", "created_at")})
    found = 1 if created else owner["found"]
    if found != len(keys) or (not created and owner["identity_provenance"] == IdentityProvenance.AGENT):
        await raw.execute(sql.NOTE_IDENTITIES, contact.id, *key_arrays(keys), inbox_id)
    renamed_in = None
    if not contact.name and inbound.contact.name:
        renamed_in = list(await raw.fetchval(sql.NAME_CONTACT, contact.id, inbound.contact.name))
        contact.name = inbound.contact.name
    return contact, owner["identity_id"], created, renamed_in


async def _store_attachments(
    raw: asyncpg.Connection, policy: AttachmentPolicy, message_id: int, files: tuple[InboundAttachment, ...]
) -> list[Attachment]:
    """What ``services.attachments.store_attachments`` does, on the raw connection."""
    if not files:
        return []
    policy.check(files)
    digests = [await policy.store.put(file.content) for file in files]
    rows = await raw.fetch(
        sql.INSERT_ATTACHMENTS,
        message_id,
        [clean_filename(file.filename) for file in files],
        [(file.content_type or "application/octet-stream")[:255] for file in files],
        [len(file.content) for file in files],
        digests,
        [file.content_id for file in files],
    )
    return [view_object(Attachment, dict(row)) for row in sorted(rows, key=lambda r: r["id"])]
