"""What each user has read: read marks per conversation, and whether a conversation is unread for them.

A conversation is unread for a user when it has an incoming message with a higher id than the last one
they read (message ids only grow), or when they marked it unread. Reading and marking are the user's
own business: they change nothing other agents see. Each is a personal ``read_mark.updated`` event,
which reaches only that user's sockets, so their other tabs and devices update their unread markers.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Conversation, ConversationRead, Message
from omnihub.domain.enums import MessageDirection
from omnihub.domain.errors import NotFound
from omnihub.domain.events import EventType
from omnihub.services.access import Actor, get_visible_conversation
from omnihub.services.events import record_personal_event


def unread_clause(user_id: int) -> ColumnElement[bool]:
    """Whether ``Conversation`` is unread for the user: a correlated expression for a list query's columns.

    Evaluated only for the rows a page returns; each evaluation is one primary-key probe of the read mark
    and one range scan of ``ix_messages_conversation_id_id`` starting after the last read message.
    """
    last_read = (
        select(ConversationRead.last_read_message_id)
        .where(ConversationRead.user_id == user_id, ConversationRead.conversation_id == Conversation.id)
        .correlate(Conversation)
        .scalar_subquery()
    )
    marked = exists().where(
        ConversationRead.user_id == user_id,
        ConversationRead.conversation_id == Conversation.id,
        ConversationRead.marked_unread.is_(True),
    )
    newer_incoming = exists().where(
        Message.conversation_id == Conversation.id,
        Message.id > func.coalesce(last_read, 0),
        Message.direction == MessageDirection.INCOMING.value,
    )
    return or_(marked, newer_incoming)


@dataclass(frozen=True, slots=True)
class ReadMark:
    conversation_id: int
    last_read_message_id: int | None
    unread: bool


async def mark_read(
    session: AsyncSession, actor: Actor, conversation_id: int, *, message_id: int | None = None
) -> ReadMark:
    """Read up to ``message_id`` (a message of this conversation; by default its latest)."""
    conversation = await get_visible_conversation(session, actor, conversation_id)
    if message_id is None:
        message_id = await session.scalar(
            select(func.max(Message.id)).where(Message.conversation_id == conversation_id)
        )
    else:
        found = await session.scalar(
            select(Message.id).where(Message.id == message_id, Message.conversation_id == conversation_id)
        )
        if found is None:
            raise NotFound("message")
    changed = await _store(session, actor.user_id, conversation_id, last_read=message_id, marked_unread=False)
    return await _announced(session, actor, conversation, changed=changed)


async def mark_unread(session: AsyncSession, actor: Actor, conversation_id: int) -> ReadMark:
    """Unread for this user until they read it again, whatever they had read."""
    conversation = await get_visible_conversation(session, actor, conversation_id)
    changed = await _store(session, actor.user_id, conversation_id, last_read=None, marked_unread=True)
    return await _announced(session, actor, conversation, changed=changed)


async def _store(
    session: AsyncSession, user_id: int, conversation_id: int, *, last_read: int | None, marked_unread: bool
) -> bool:
    """Whether the mark changed (reading what was read already changes nothing, and tells nobody)."""
    values = {"user_id": user_id, "conversation_id": conversation_id, "marked_unread": marked_unread}
    statement = insert(ConversationRead).values(**values, last_read_message_id=last_read)
    # Marking unread keeps how far the user had read; reading moves the mark.
    updated: dict[str, object] = {"marked_unread": marked_unread}
    changed = ConversationRead.marked_unread.is_distinct_from(marked_unread)
    if not marked_unread:
        updated["last_read_message_id"] = statement.excluded.last_read_message_id
        changed = or_(changed, ConversationRead.last_read_message_id.is_distinct_from(last_read))
    upsert = statement.on_conflict_do_update(index_elements=["user_id", "conversation_id"], set_=updated, where=changed)
    return (await session.execute(upsert.returning(ConversationRead.user_id))).first() is not None


async def _announced(session: AsyncSession, actor: Actor, conversation: Conversation, *, changed: bool) -> ReadMark:
    """The stored mark, told to the user's own sockets in the same transaction if it changed."""
    mark = await read_mark(session, actor, conversation.id)
    if not changed:
        await session.commit()
        return mark
    data = {"conversation_id": mark.conversation_id, "last_read_message_id": mark.last_read_message_id}
    await record_personal_event(
        session,
        EventType.READ_MARK_UPDATED,
        data | {"unread": mark.unread},
        user_id=actor.user_id,
        inbox_id=conversation.inbox_id,
    )
    await session.commit()
    return mark


async def read_mark(session: AsyncSession, actor: Actor, conversation_id: int) -> ReadMark:
    last_read = await session.scalar(
        select(ConversationRead.last_read_message_id).where(
            and_(ConversationRead.user_id == actor.user_id, ConversationRead.conversation_id == conversation_id)
        )
    )
    unread = await session.scalar(select(unread_clause(actor.user_id)).where(Conversation.id == conversation_id))
    return ReadMark(conversation_id, last_read, bool(unread))
