"""The transactional outbox: claiming due deliveries and recording how they went.

Claims use ``FOR UPDATE SKIP LOCKED`` plus a lease: any number of workers, on any node, can run side
by side; each due row goes to one of them, and a row whose worker died is due again once its lease
expires. The attempt number doubles as a fencing token: a worker whose lease expired cannot
overwrite the result of the worker that took over.
"""

import functools
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.spi import DeliveryReceipt, OutboundAttachment, OutboundMessage, TypingIndicator
from omnihub.db.blobs import BlobStore
from omnihub.db.models import Attachment, Conversation, Inbox, Message, OutboxEntry, User
from omnihub.domain.backoff import backoff_delay
from omnihub.domain.email_copies import cc_of
from omnihub.domain.enums import DeliveryStatus, MessageDirection
from omnihub.domain.errors import NotFound
from omnihub.domain.events import EventType
from omnihub.services.access import Actor, get_visible_conversation
from omnihub.services.events import record_event
from omnihub.services.reply_address import reply_recipient
from omnihub.services.views import message_view

# Enough of a conversation's history for mail clients to thread a reply (they look at the last few).
MAX_REFERENCES = 20


@dataclass(frozen=True, slots=True)
class Claim:
    outbox_id: int
    message_id: int
    inbox_id: int
    attempt: int


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int
    backoff_seconds: float
    backoff_max_seconds: float

    def delay_after(self, attempt: int) -> float:
        """Exponential backoff with jitter: about base, 2x base, 4x base ... capped."""
        return backoff_delay(attempt, first=self.backoff_seconds, cap=self.backoff_max_seconds)


_CLAIM_DUE = text(
    """
    UPDATE outbox SET attempts = attempts + 1, locked_until = now() + make_interval(secs => :lease)
    WHERE id IN (
        SELECT id FROM outbox
        WHERE state = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
        ORDER BY next_attempt_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    RETURNING id, message_id, inbox_id, attempts
    """
)


async def claim_due(session: AsyncSession, *, limit: int, lease_seconds: float) -> list[Claim]:
    rows = (await session.execute(_CLAIM_DUE, {"limit": limit, "lease": lease_seconds})).all()
    await session.commit()
    return [Claim(*row) for row in rows]


async def load_outbound(
    session: AsyncSession, claim: Claim, *, store: BlobStore, public_url: str
) -> tuple[Inbox, OutboundMessage]:
    message = await session.get_one(Message, claim.message_id)
    conversation = await session.get_one(Conversation, message.conversation_id)
    inbox = await session.get_one(Inbox, claim.inbox_id)
    sender = await session.get(User, message.sender_user_id) if message.sender_user_id else None
    recipient = await reply_recipient(session, conversation)
    last_incoming = await session.scalar(
        select(Message.external_id)
        .where(Message.conversation_id == conversation.id, Message.direction == MessageDirection.INCOMING)
        .order_by(Message.id.desc())
        .limit(1)
    )
    earlier = await session.scalars(
        select(Message.external_id)
        .where(Message.conversation_id == conversation.id, Message.id < message.id, Message.external_id.is_not(None))
        .order_by(Message.id.desc())
        .limit(MAX_REFERENCES)
    )
    outbound_files = [
        OutboundAttachment(
            attachment_id=f.id,
            filename=f.filename,
            content_type=f.content_type,
            size=f.size,
            url=f"{public_url.rstrip('/')}/api/v1/attachments/{f.id}",
            read=functools.partial(store.get, f.sha256),
        )
        for f in await session.scalars(select(Attachment).where(Attachment.message_id == message.id))
    ]
    outbound = OutboundMessage(
        delivery_id=claim.outbox_id,
        message_id=message.id,
        conversation_id=conversation.id,
        inbox_id=inbox.id,
        recipient=recipient,
        text=message.text,
        html=message.html,
        subject=conversation.subject,
        sender_name=sender.name if sender else None,
        created_at=message.created_at,
        attachments=tuple(outbound_files),
        in_reply_to=last_incoming,
        references=tuple(reversed([external_id for external_id in earlier if external_id])),
        cc=cc_of(message.extra),
    )
    await session.commit()
    return inbox, outbound


async def _finish(
    session: AsyncSession, claim: Claim, *, status: DeliveryStatus, reason: str | None, external_id: str | None
) -> None:
    values: dict[str, object] = {"delivery_status": status.value, "failure_reason": reason}
    if external_id:
        values["external_id"] = external_id
    await session.execute(update(Message).where(Message.id == claim.message_id).values(**values))
    message = await session.get_one(Message, claim.message_id, populate_existing=True)
    files = list(await session.scalars(select(Attachment).where(Attachment.message_id == message.id)))
    await record_event(session, EventType.MESSAGE_UPDATED, message_view(message, files), inbox_id=claim.inbox_id)


async def _still_ours(session: AsyncSession, claim: Claim) -> bool:
    entry = await session.scalar(select(OutboxEntry).where(OutboxEntry.id == claim.outbox_id).with_for_update())
    return entry is not None and entry.state == "pending" and entry.attempts == claim.attempt


async def record_delivered(session: AsyncSession, claim: Claim, receipt: DeliveryReceipt) -> None:
    if not await _still_ours(session, claim):
        await session.rollback()
        return
    await session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == claim.outbox_id)
        .values(state="done", locked_until=None, last_error=None)
    )
    await _finish(session, claim, status=receipt.status, reason=None, external_id=receipt.external_id)
    await session.commit()


async def record_failure(
    session: AsyncSession,
    claim: Claim,
    *,
    reason: str,
    permanent: bool,
    policy: RetryPolicy,
    detail: str | None = None,
) -> bool:
    """Note a failed attempt; return True when it was the last one and the message is now failed.

    ``reason`` (a fixed phrase) becomes the message's ``failure_reason``, which agents see; ``detail``
    (what the other side said) is kept in the outbox row's ``last_error`` for admins only.
    """
    if not await _still_ours(session, claim):
        await session.rollback()
        return False
    final = permanent or claim.attempt >= policy.max_attempts
    last_error = f"{reason}: {detail}" if detail else reason
    if final:
        await session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == claim.outbox_id)
            .values(state="failed", locked_until=None, last_error=last_error)
        )
        await _finish(session, claim, status=DeliveryStatus.FAILED, reason=reason, external_id=None)
    else:
        retry_at = func.now() + timedelta(seconds=policy.delay_after(claim.attempt))
        await session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == claim.outbox_id)
            .values(next_attempt_at=retry_at, locked_until=None, last_error=last_error)
        )
    await session.commit()
    return final


async def inbox_of(session: AsyncSession, conversation: Conversation) -> Inbox:
    return await session.get_one(Inbox, conversation.inbox_id)


async def typing_indicator(
    session: AsyncSession, inbox: Inbox, conversation: Conversation, *, agent_name: str, on: bool
) -> TypingIndicator:
    """What ``inbox``'s channel needs to show the contact that an agent is typing in ``conversation``."""
    recipient = await reply_recipient(session, conversation)
    return TypingIndicator(conversation.id, inbox.id, recipient, agent_name, on)


async def delivery_of(session: AsyncSession, actor: Actor, *, conversation_id: int, message_id: int) -> OutboxEntry:
    """The outbox row of a reply, with what the other side said when it failed (admins only)."""
    await get_visible_conversation(session, actor, conversation_id)
    actor.require_admin()
    entry = await session.scalar(
        select(OutboxEntry)
        .join(Message, Message.id == OutboxEntry.message_id)
        .where(OutboxEntry.message_id == message_id, Message.conversation_id == conversation_id)
    )
    if entry is None:
        raise NotFound("delivery")
    return entry
