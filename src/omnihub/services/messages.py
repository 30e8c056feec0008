"""Reading a conversation's messages, and agents' replies and private notes."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.spi import InboundAttachment
from omnihub.db.models import Attachment, Conversation, Inbox, Message, OutboxEntry
from omnihub.domain.email_copies import cc_metadata, normalize_cc
from omnihub.domain.enums import DeliveryStatus, IdentityKind, MessageDirection, MessageKind
from omnihub.domain.errors import InvalidInput
from omnihub.domain.events import EventType
from omnihub.services.access import Actor, get_visible_conversation
from omnihub.services.attachments import AttachmentPolicy, attachments_by_message, store_attachments
from omnihub.services.events import record_event
from omnihub.services.pagination import decode_cursor, encode_cursor
from omnihub.services.views import conversation_view, message_view

MAX_CONTENT_LENGTH = 100_000


@dataclass(frozen=True, slots=True)
class MessagePage:
    items: list[tuple[Message, list[Attachment]]]
    next_cursor: str | None


async def list_messages(
    session: AsyncSession,
    actor: Actor,
    conversation_id: int,
    *,
    limit: int = 50,
    cursor: str | None = None,
    newest_first: bool = False,
) -> MessagePage:
    """Oldest first, keyset-paged on the message id (ids grow with time). ``newest_first`` pages backwards
    from the newest message: each page holds the messages just before the cursor, newest of them first."""
    await get_visible_conversation(session, actor, conversation_id)
    query = select(Message).where(Message.conversation_id == conversation_id)
    if cursor:
        (edge_id,) = decode_cursor(cursor, (int,))
        query = query.where(Message.id < edge_id if newest_first else Message.id > edge_id)
    order = Message.id.desc() if newest_first else Message.id
    rows = list(await session.scalars(query.order_by(order).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].id)
    files = await attachments_by_message(session, [m.id for m in rows])
    return MessagePage([(m, files[m.id]) for m in rows], next_cursor)


async def post_message(
    session: AsyncSession,
    actor: Actor,
    conversation_id: int,
    *,
    content: str,
    private: bool,
    attachments: AttachmentPolicy,
    files: tuple[InboundAttachment, ...] = (),
    cc: tuple[str, ...] = (),
) -> tuple[Message, list[Attachment]]:
    """An agent writes into a conversation: a private note, or a reply that the outbox will deliver.

    ``cc``: e-mail conversations only, addresses that get a copy of the reply."""
    if not content.strip() and not files:
        raise InvalidInput("content", "a message needs text or an attachment")
    if len(content) > MAX_CONTENT_LENGTH:
        raise InvalidInput("content", f"at most {MAX_CONTENT_LENGTH} characters")
    attachments.check(files)
    copies = normalize_cc(cc)
    if copies and private:
        raise InvalidInput("cc", "a private note is not sent to anyone")
    conversation = await get_visible_conversation(session, actor, conversation_id, for_update=True)
    if copies and (await session.get_one(Inbox, conversation.inbox_id)).channel_type != IdentityKind.EMAIL:
        raise InvalidInput("cc", "only e-mail conversations send copies (Cc)")
    message = Message(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        direction=MessageDirection.OUTGOING,
        kind=MessageKind.NOTE if private else MessageKind.MESSAGE,
        sender_user_id=actor.user_id,
        text=content,
        delivery_status=None if private else DeliveryStatus.QUEUED,
        extra=cc_metadata(copies),
    )
    session.add(message)
    await session.flush()
    stored = await store_attachments(session, attachments, message.id, files)
    if not private:
        session.add(OutboxEntry(message_id=message.id, inbox_id=conversation.inbox_id))
        conversation.last_activity_at = func.now()
        conversation.waiting_since = None  # answered; a note answers nobody
        if conversation.first_response_at is None:
            conversation.first_response_at = func.now()
    await session.flush()
    await session.refresh(message)
    await record_event(
        session, EventType.MESSAGE_CREATED, message_view(message, stored), inbox_id=conversation.inbox_id
    )
    await session.commit()
    return message, stored


async def add_activity(session: AsyncSession, actor: Actor, conversation: Conversation, text: str) -> Message:
    """Note in the conversation's timeline what ``actor`` did ("Ada assigned this to Bo"), with its event."""
    activity = Message(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        direction=MessageDirection.OUTGOING,
        kind=MessageKind.ACTIVITY,
        sender_user_id=actor.user_id,
        text=text,
    )
    session.add(activity)
    await session.flush()
    await session.refresh(activity)
    await record_event(session, EventType.MESSAGE_CREATED, message_view(activity), inbox_id=conversation.inbox_id)
    return activity


async def commit_conversation_change(session: AsyncSession, conversation: Conversation) -> Conversation:
    """Commit a change of the conversation with its ``conversation.updated`` event."""
    await session.flush()
    await session.refresh(conversation)
    await record_event(
        session, EventType.CONVERSATION_UPDATED, conversation_view(conversation), inbox_id=conversation.inbox_id
    )
    await session.commit()
    return conversation
