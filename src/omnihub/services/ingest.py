"""Bringing an inbound message into the conversation model: contact, conversation, message, events."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.spi import InboundMessage
from omnihub.db.models import Conversation, Inbox, Message
from omnihub.domain.conversations import status_after_inbound
from omnihub.domain.enums import ConversationStatus, DeliveryStatus, MessageDirection, MessageKind
from omnihub.domain.events import EventType
from omnihub.domain.html import sanitize_html
from omnihub.services.attachments import AttachmentPolicy, store_attachments
from omnihub.services.contacts import resolve_inbound_contact
from omnihub.services.events import record_event
from omnihub.services.views import contact_view, conversation_view, message_view


@dataclass(frozen=True, slots=True)
class IngestResult:
    message_id: int
    conversation_id: int
    contact_id: int
    created: bool  # False when the message had been ingested before (same external id)


async def _existing(session: AsyncSession, inbox_id: int, external_id: str) -> IngestResult | None:
    row = (
        await session.execute(
            select(Message.id, Message.conversation_id, Conversation.contact_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.inbox_id == inbox_id, Message.external_id == external_id)
        )
    ).first()
    return IngestResult(row[0], row[1], row[2], created=False) if row else None


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
    a contact writing for the first time gets a new conversation.
    """
    attachments.check(inbound.attachments)
    inbox_id = inbox.id  # read now: a rollback below expires the ORM object
    existing = await _existing(session, inbox_id, inbound.external_id)
    if existing:
        return existing
    try:
        result = await _ingest_new(session, inbox, inbound, attachments, default_phone_region)
        await session.commit()
    except IntegrityError:
        # The same external id was stored by a concurrent request between our check and our insert.
        await session.rollback()
        existing = await _existing(session, inbox_id, inbound.external_id)
        if existing is None:
            raise
        return existing
    return result


async def _ingest_new(
    session: AsyncSession,
    inbox: Inbox,
    inbound: InboundMessage,
    attachments: AttachmentPolicy,
    default_phone_region: str | None,
) -> IngestResult:
    contact, contact_created = await resolve_inbound_contact(
        session, inbound.contact, default_region=default_phone_region
    )
    if contact_created:
        await session.flush()
        await session.refresh(contact)
        await record_event(session, EventType.CONTACT_CREATED, contact_view(contact), inbox_id=inbox.id)

    conversation = await session.scalar(
        select(Conversation)
        .where(Conversation.inbox_id == inbox.id, Conversation.contact_id == contact.id)
        .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
        .limit(1)
        .with_for_update()
    )
    conversation_created = conversation is None
    previous_status = None
    if conversation is None:
        conversation = Conversation(
            inbox_id=inbox.id, contact_id=contact.id, status=ConversationStatus.OPEN, subject=inbound.subject
        )
        session.add(conversation)
    else:
        previous_status = conversation.status
        conversation.status = status_after_inbound(ConversationStatus(conversation.status))
        if conversation.status != previous_status:
            conversation.resolved_at = None
            conversation.snoozed_until = None
    conversation.last_activity_at = func.now()

    message = Message(
        inbox_id=inbox.id,
        direction=MessageDirection.INCOMING,
        kind=MessageKind.MESSAGE,
        sender_contact_id=contact.id,
        text=inbound.text,
        html=sanitize_html(inbound.html) if inbound.html else None,
        external_id=inbound.external_id,
        delivery_status=DeliveryStatus.DELIVERED,
        extra=dict(inbound.metadata),
    )
    await session.flush()
    message.conversation_id = conversation.id
    session.add(message)
    await session.flush()
    stored = await store_attachments(session, attachments, message.id, inbound.attachments)
    await session.refresh(conversation)
    await session.refresh(message)

    if conversation_created:
        await record_event(session, EventType.CONVERSATION_CREATED, conversation_view(conversation), inbox_id=inbox.id)
    elif conversation.status != previous_status:
        await record_event(session, EventType.CONVERSATION_UPDATED, conversation_view(conversation), inbox_id=inbox.id)
    await record_event(session, EventType.MESSAGE_CREATED, message_view(message, stored), inbox_id=inbox.id)
    return IngestResult(message.id, conversation.id, contact.id, created=True)
