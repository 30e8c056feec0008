"""Storing what pull connectors fetch: items and cursor in one transaction, duplicates recognised,
unusable input quarantined.

A batch commits its items and the stream's new cursor together, so a crash anywhere leaves either
all of it or none: the connector fetches again from the old cursor, and items already stored are
recognised by their source key. Each item runs in a savepoint: an item that cannot be stored is
quarantined with the reason and the batch goes on, so one bad message never stops a mailbox.
"""

import dataclasses
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.failures import server_failure_reason
from omnihub.channels.spi import InboundMessage, PulledItem
from omnihub.db.engine import SessionFactory, driver_connection, transaction_connection
from omnihub.db.models import PullCursor, QuarantinedItem
from omnihub.domain.enums import PullOutcome, QuarantineState
from omnihub.domain.errors import Conflict, NotFound
from omnihub.services.access import Actor, get_visible_inbox
from omnihub.services.attachments import AttachmentPolicy
from omnihub.services.contacts import inbound_identity_keys
from omnihub.services.events import EVENTS_WRITTEN
from omnihub.services.ingest_steps import ingest_new, lock_owner
from omnihub.services.pagination import decode_cursor, encode_cursor
from omnihub.services.pull_leases import canonical_config

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PullContext:
    """What storing fetched items needs besides the database."""

    inbox_id: int
    attachments: AttachmentPolicy
    default_phone_region: str | None = None
    # The inbox's configuration (``pull_leases.canonical_config``) the connector runs with: once an admin
    # changes it, this connector's writes are refused (``ConfigChanged``). None: not checked (retries).
    config_json: str | None = None


class ConfigChanged(Exception):
    """The inbox's settings changed since its connector started: it must stop, and starts anew."""


@dataclass(slots=True)
class BatchSummary:
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    already_stored: int = 0


_RECORD = """
INSERT INTO pull_records (inbox_id, source_key, dedupe_key, outcome) VALUES ($1::bigint, $2::varchar, $3::varchar, $4)
ON CONFLICT (inbox_id, source_key) DO NOTHING
RETURNING id
"""

# Seen before under another key, stored as a message (ours included: a copy of a reply we sent), or
# both; quarantined items don't count, so the same mail arriving intact later is imported.
_KNOWN_KEYS = """
SELECT dedupe_key FROM pull_records
WHERE inbox_id = $1::bigint AND dedupe_key = ANY($2::varchar[]) AND outcome <> 'quarantined'
UNION
SELECT external_id FROM messages WHERE inbox_id = $1::bigint AND external_id = ANY($2::varchar[])
"""

_SAVE_CURSOR = """
INSERT INTO pull_cursors (inbox_id, stream, cursor, updated_at) VALUES ($1::bigint, $2::varchar, $3::text::jsonb, now())
ON CONFLICT (inbox_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = now()
"""

_SAVE_PROGRESS = """
INSERT INTO pull_cursors (inbox_id, stream, progress, error, updated_at)
VALUES ($1::bigint, $2::varchar, $3::text::jsonb, $4::text, now())
ON CONFLICT (inbox_id, stream) DO UPDATE SET progress = excluded.progress, error = excluded.error, updated_at = now()
"""

_QUARANTINE = """
INSERT INTO quarantined_items (inbox_id, source_key, reason, raw_sha256, raw_size, state)
VALUES ($1::bigint, $2::varchar, $3::text, $4::varchar, $5::bigint, 'held')
"""

_SET_OUTCOME = "UPDATE pull_records SET outcome = $2, message_id = $3::bigint WHERE id = $1::bigint"


async def load_cursor(sessions: SessionFactory, inbox_id: int, stream: str) -> dict[str, Any] | None:
    async with sessions() as session:
        cursor: dict[str, Any] | None = await session.scalar(
            select(PullCursor.cursor).where(PullCursor.inbox_id == inbox_id, PullCursor.stream == stream)
        )
        return cursor


async def known_dedupe_keys(sessions: SessionFactory, inbox_id: int, keys: Sequence[str]) -> set[str]:
    """Which of these keys (Message-IDs) the inbox already has: to skip fetching those again."""
    async with sessions() as session:
        raw = await driver_connection(await session.connection())
        rows = await raw.fetch(_KNOWN_KEYS, inbox_id, list(keys))
        return {row[0] for row in rows}


async def report_progress(
    sessions: SessionFactory, context: PullContext, stream: str, progress: Mapping[str, Any], *, error: str | None
) -> None:
    async with sessions() as session:
        raw = await driver_connection(await session.connection())
        await _require_same_config(raw, context)
        inbox_id = context.inbox_id
        # Agents read the status: a fixed phrase, not the server's words (the connector logs those).
        shown = server_failure_reason(error) if error else None
        await raw.execute(_SAVE_PROGRESS, inbox_id, stream, json.dumps(dict(progress)), shown)
        await session.commit()


async def commit_batch(
    sessions: SessionFactory,
    context: PullContext,
    *,
    stream: str,
    cursor: Mapping[str, Any],
    items: Sequence[PulledItem],
) -> BatchSummary:
    """Store fetched items and move the stream's cursor, in one transaction."""
    summary = BatchSummary()
    async with sessions() as session:
        raw = await transaction_connection(session)
        await _require_same_config(raw, context)
        # One query for the whole batch, before its own records exist; the batch adds what it imports.
        seen = await _known(raw, context.inbox_id, [key for item in items for key in _keys_of(item)])
        for item in items:
            record_id = await raw.fetchval(_RECORD, context.inbox_id, item.source_key, item.dedupe_key, "imported")
            if record_id is None:
                summary.already_stored += 1
                continue
            outcome = await _store_item(raw, context, item, record_id, seen)
            setattr(summary, _SUMMARY_FIELD[outcome], getattr(summary, _SUMMARY_FIELD[outcome]) + 1)
        await raw.execute(_SAVE_CURSOR, context.inbox_id, stream, json.dumps(dict(cursor)))
        session.info[EVENTS_WRITTEN] = True
        await session.commit()
    return summary


async def _require_same_config(raw: asyncpg.Connection, context: PullContext) -> None:
    """Refuse the write of a connector whose inbox was reconfigured (or deleted) since it started.

    FOR SHARE holds off a concurrent change (``inbox_settings.update_inbox`` locks the row) until this
    transaction ends, so a batch is stored either before the change, or not at all."""
    if context.config_json is None:
        return
    config = await raw.fetchval("SELECT config FROM inboxes WHERE id = $1::bigint FOR SHARE", context.inbox_id)
    if config is None or canonical_config(config) != context.config_json:
        raise ConfigChanged(f"inbox {context.inbox_id} was reconfigured")


_SUMMARY_FIELD = {
    PullOutcome.IMPORTED: "imported",
    PullOutcome.DUPLICATE: "duplicates",
    PullOutcome.QUARANTINED: "quarantined",
}


def _keys_of(item: PulledItem) -> set[str]:
    """What recognises the item as a mail seen before: its dedupe key and its message's external id."""
    external_id = item.message.external_id if item.message else None
    return {key for key in (item.dedupe_key, external_id) if key}


async def _known(raw: asyncpg.Connection, inbox_id: int, keys: list[str]) -> set[str]:
    return {row[0] for row in await raw.fetch(_KNOWN_KEYS, inbox_id, keys)} if keys else set()


async def _store_item(
    raw: asyncpg.Connection, context: PullContext, item: PulledItem, record_id: int, seen: set[str]
) -> PullOutcome:
    if item.message is None or item.problem:
        await _quarantine(raw, context, item, item.problem or "the connector produced no message")
        outcome, message_id = PullOutcome.QUARANTINED, None
    else:
        try:
            async with raw.transaction():  # a savepoint: a failure here leaves the rest of the batch
                outcome, message_id = await _import(raw, context, item, seen)
        except Exception as exc:
            logger.warning("inbox %s: %s could not be stored", context.inbox_id, item.source_key, exc_info=True)
            await _quarantine(raw, context, item, f"could not be stored: {exc}")
            outcome, message_id = PullOutcome.QUARANTINED, None
    await raw.execute(_SET_OUTCOME, record_id, outcome.value, message_id)
    return outcome


async def _import(
    raw: asyncpg.Connection, context: PullContext, item: PulledItem, seen: set[str]
) -> tuple[PullOutcome, int | None]:
    """Store the item's message unless one of its keys is in ``seen``; add its keys to ``seen``."""
    assert item.message is not None
    keys_of_item = _keys_of(item)
    if keys_of_item & seen:
        return PullOutcome.DUPLICATE, None
    message = _within_attachment_limit(item.message, context.attachments.max_bytes)
    keys = inbound_identity_keys(message.contact, context.default_phone_region)
    owner = await lock_owner(raw, context.inbox_id, keys)
    result = await ingest_new(raw, context.inbox_id, message, keys, owner, context.attachments)
    seen |= keys_of_item
    return PullOutcome.IMPORTED, result.message_id


def _within_attachment_limit(message: InboundMessage, max_bytes: int) -> InboundMessage:
    """Mail is imported even when a file is too large to keep; the message says what was left out."""
    kept = tuple(a for a in message.attachments if len(a.content) <= max_bytes)
    if len(kept) == len(message.attachments):
        return message
    omitted = [
        {"filename": a.filename, "size": len(a.content)} for a in message.attachments if len(a.content) > max_bytes
    ]
    return dataclasses.replace(message, attachments=kept, metadata={**message.metadata, "omitted_attachments": omitted})


async def _quarantine(raw: asyncpg.Connection, context: PullContext, item: PulledItem, reason: str) -> None:
    content = item.raw or b""
    digest = await context.attachments.store.put(content)
    await raw.execute(_QUARANTINE, context.inbox_id, item.source_key, reason, digest, len(content))


# -- what admins see and do ----------------------------------------------------------------------------


async def list_pull_streams(session: AsyncSession, actor: Actor, inbox_id: int) -> list[PullCursor]:
    await get_visible_inbox(session, actor, inbox_id)
    query = select(PullCursor).where(PullCursor.inbox_id == inbox_id).order_by(PullCursor.stream)
    return list(await session.scalars(query))


async def list_quarantine(
    session: AsyncSession,
    actor: Actor,
    inbox_id: int,
    *,
    limit: int,
    cursor: str | None = None,
    state: QuarantineState | None = QuarantineState.HELD,
) -> tuple[list[QuarantinedItem], str | None]:
    """Newest first, ``limit`` at a time; the cursor of the next page, or ``None`` on the last one."""
    await get_visible_inbox(session, actor, inbox_id)
    actor.require_admin()
    query = select(QuarantinedItem).where(QuarantinedItem.inbox_id == inbox_id)
    if state is not None:
        query = query.where(QuarantinedItem.state == state)
    if cursor is not None:
        (before_id,) = decode_cursor(cursor, (int,))
        query = query.where(QuarantinedItem.id < before_id)
    rows = list(await session.scalars(query.order_by(QuarantinedItem.id.desc()).limit(limit + 1)))
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1].id)
    return rows, None


async def get_quarantined(session: AsyncSession, actor: Actor, inbox_id: int, item_id: int) -> QuarantinedItem:
    await get_visible_inbox(session, actor, inbox_id)
    actor.require_admin()
    item = await session.scalar(
        select(QuarantinedItem).where(QuarantinedItem.id == item_id, QuarantinedItem.inbox_id == inbox_id)
    )
    if item is None:
        raise NotFound("quarantined item")
    return item


async def retry_quarantined(
    session: AsyncSession, actor: Actor, context: PullContext, item_id: int, *, item: PulledItem
) -> QuarantinedItem:
    """Store a quarantined item again, as ``item`` (its raw bytes parsed anew by the connector).

    Still unusable: it stays held with the new reason. Usable: it becomes a message (or is found to be
    a duplicate) and is released.
    """
    held = await get_quarantined(session, actor, context.inbox_id, item_id)
    await session.refresh(held, with_for_update=True)
    if held.state != QuarantineState.HELD:
        raise Conflict(f"quarantined item {item_id} was already released")
    raw = await driver_connection(await session.connection())
    record_id = await raw.fetchval(
        "SELECT id FROM pull_records WHERE inbox_id = $1::bigint AND source_key = $2::varchar",
        context.inbox_id,
        held.source_key,
    )
    values: dict[str, Any] = {"attempts": held.attempts + 1, "updated_at": func.now()}
    if item.message is None or item.problem:
        values["reason"] = item.problem or "the connector produced no message"
    else:
        try:
            async with raw.transaction():
                seen = await _known(raw, context.inbox_id, sorted(_keys_of(item)))
                outcome, message_id = await _import(raw, context, item, seen)
        except Exception as exc:
            values["reason"] = f"could not be stored: {exc}"
        else:
            values |= {"state": QuarantineState.RELEASED.value, "message_id": message_id}
            if record_id is not None:
                await raw.execute(_SET_OUTCOME, record_id, outcome.value, message_id)
    await session.execute(update(QuarantinedItem).where(QuarantinedItem.id == held.id).values(**values))
    session.info[EVENTS_WRITTEN] = True
    await session.commit()
    await session.refresh(held)
    return held
