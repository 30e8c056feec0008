"""Bringing an inbound message into the conversation model: contact, conversation, message, events.

This is the hub's hottest write path, so it talks to PostgreSQL through the asyncpg connection
underneath SQLAlchemy (a pooled connection of the engine), with hand-written statements that each do
as much as one round trip can:

1. (one statement) the inbox and the caller's right to see it, an earlier message with the same
   external id, and the contact that owns the sender's channel identity, whose row is locked (claims
   the sender makes about themselves, an e-mail address over the API, never find a contact);
2. only for a first message: the new contact and its first identity (a few more for extra
   identities or a missing name);
3. (one statement) the contact's latest conversation in the inbox, locked, then updated (reopened if
   resolved or snoozed) or a new one created, and the message inserted;
4. (one statement) the events, built from the rows the statements returned, in the same transaction.

Locking the contact serialises one person's messages: step 3 reads the conversations only after the
lock is held, in a statement of its own, so it sees whatever a concurrent message committed. The JSON
of the events comes from ``services.views``, as everywhere else, applied to the rows the statements
return. The steps are in ``services.ingest_steps``, the statements in ``services.ingest_sql``.
See docs/benchmarks.md for what this path costs against a bare FastAPI + asyncpg insert.
"""

from collections.abc import Mapping
from typing import Any

import asyncpg  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

from omnihub.channels.spi import InboundMessage
from omnihub.db.engine import SessionFactory
from omnihub.domain.errors import InvalidInput, NotFound
from omnihub.domain.identities import IdentityKey
from omnihub.services import ingest_sql as sql
from omnihub.services.access import Actor, require_channel_type
from omnihub.services.attachments import AttachmentPolicy
from omnihub.services.contacts import inbound_identity_keys
from omnihub.services.events import EVENTS_WRITTEN
from omnihub.services.ingest_steps import IngestResult, ingest_new, key_arrays

__all__ = ["IngestResult", "receive_inbound"]

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
    """A channel hands in a message for ``inbox_id`` on behalf of ``actor``; stored exactly once.

    The contact's latest conversation in the inbox continues (a resolved or snoozed one reopens); a
    contact writing for the first time gets a new conversation, which replies to the identity they
    wrote from.

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
            row = await raw.fetchrow(sql.RECEIVE, *_receive_params(actor, inbox_id, inbound, keys))
            existing = _checked(row, inbox_id, channel_type, inbound, invalid, attachments)
            if existing is not None:
                return existing
            result = await ingest_new(raw, inbox_id, inbound, keys, row, attachments)
    except asyncpg.IntegrityConstraintViolationError:
        # The same external id was stored by a concurrent request between our check and our insert.
        found = await raw.fetchrow(sql.EXISTING, inbox_id, inbound.external_id)
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
    return (*key_arrays(keys), inbox_id, inbound.external_id, actor.is_admin, actor.user_id)


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
    require_channel_type(inbox_id, row["channel_type"], channel_type)
    attachments.check(inbound.attachments)
    if row["message_id"] is not None:
        return IngestResult(row["message_id"], row["conversation_id"], row["message_contact_id"], created=False)
    if invalid is not None:
        raise invalid
    return None
