"""Changing an inbox after it was made: its name and channel settings, with secrets kept unless replaced.

The change is a JSON merge patch (RFC 7396) on the stored configuration: members given replace those
stored, nested objects merge, ``null`` removes a member. A secret that is left out, or sent back as the
mask ``GET`` shows, keeps its stored value, so a form that never saw the secret cannot wipe it.

An inbox the hub fetches from (e-mail) follows its new settings at the pull supervisor's next scan
(``workers.pullers``): the running connector's batches are refused from the moment this commits
(``pulls.ConfigChanged``). When the settings name another source (for e-mail: another IMAP server or
account), what the hub remembers of the old one (cursors, source keys) is forgotten in the same
transaction, so the new mailbox is read from its start; mail already imported is still recognised by
its Message-ID.
"""

from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.registry import MASK, get_channel, validate_config
from omnihub.db.models import Inbox, PullCursor, PullRecord
from omnihub.domain.events import EventType
from omnihub.services.access import Actor, get_visible_inbox
from omnihub.services.events import record_event
from omnihub.services.views import inbox_view


def merge_config(
    stored: dict[str, Any], patch: dict[str, Any], secrets: frozenset[str], prefix: str = ""
) -> dict[str, Any]:
    """``stored`` with ``patch`` merged in (RFC 7396), except that an omitted or masked secret is kept."""
    merged = dict(stored)
    for key, value in patch.items():
        path = prefix + key
        if path in secrets and value == MASK:
            continue  # sent back as shown: keep what is stored
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(stored.get(key), dict):
            merged[key] = merge_config(stored[key], value, secrets, prefix=path + ".")
        else:
            merged[key] = value
    return merged


def _value_at(config: dict[str, Any], path: str) -> Any:
    value: Any = config
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def source_changed(channel_type: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether the settings now name another place to fetch from (the channel's ``source_fields``)."""
    fields: frozenset[str] = getattr(get_channel(channel_type), "source_fields", frozenset())
    return any(_value_at(before, path) != _value_at(after, path) for path in fields)


async def update_inbox(
    session: AsyncSession, actor: Actor, inbox_id: int, *, name: str | None, config: dict[str, Any] | None
) -> Inbox:
    """Rename the inbox and/or merge ``config`` into its settings (admins; ``InvalidInput`` as on creation)."""
    inbox = await get_visible_inbox(session, actor, inbox_id)
    actor.require_admin()
    # FOR NO KEY UPDATE: waits for a connector's batch in flight (FOR SHARE, ``pulls``) and holds off the
    # next one, but not the inserts that merely refer to the inbox (messages, conversations).
    await session.refresh(inbox, with_for_update={"key_share": True})
    if name is not None:
        inbox.name = name
    if config is not None:
        secrets = get_channel(inbox.channel_type).secret_fields
        before = inbox.config
        after = validate_config(inbox.channel_type, merge_config(before, config, secrets))
        if source_changed(inbox.channel_type, before, after):
            await _forget_source(session, inbox.id)
        inbox.config = after
    await session.flush()
    await record_event(session, EventType.INBOX_UPDATED, inbox_view(inbox), inbox_id=inbox.id)
    await session.commit()
    return inbox


async def _forget_source(session: AsyncSession, inbox_id: int) -> None:
    await session.execute(delete(PullCursor).where(PullCursor.inbox_id == inbox_id))
    await session.execute(delete(PullRecord).where(PullRecord.inbox_id == inbox_id))
