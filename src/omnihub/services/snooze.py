"""Snoozing: a conversation put away until a time, and opened again when that time comes.

An agent snoozes with ``PATCH /conversations/{id}`` (``services.conversations``, which uses the rules
here); a customer writing again wakes it at once (the ingest statement in ``services.ingest_sql``); the
waker (``workers.snooze``) opens the ones whose time has come, on whichever node gets to them first.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Conversation, Message
from omnihub.domain.enums import ConversationStatus, MessageDirection, MessageKind
from omnihub.domain.errors import InvalidInput
from omnihub.domain.events import EventType
from omnihub.services.access import Actor
from omnihub.services.events import record_event
from omnihub.services.views import conversation_view, message_view

SNOOZE_ENDED = "The snooze ended: the conversation is open again"


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def apply_status_and_snooze(
    conversation: Conversation, actor: Actor, changes: dict[str, Any], *, now: datetime
) -> list[str]:
    """Apply ``status`` and ``snoozed_until`` from a PATCH; return the activities to note.

    A time snoozes the conversation until then (it must be in the future); ``null`` or any other status
    ends a snooze. ``status: snoozed`` without a time snoozes until the customer writes again.
    """
    until = changes.get("snoozed_until")
    if until is not None:
        if until <= now:
            raise InvalidInput("snoozed_until", "must be in the future")
        if changes.get("status", ConversationStatus.SNOOZED) != ConversationStatus.SNOOZED:
            raise InvalidInput("status", "a conversation snoozed until a time has the status snoozed")
        if conversation.status == ConversationStatus.SNOOZED and conversation.snoozed_until == until:
            return []
        conversation.status = ConversationStatus.SNOOZED.value
        conversation.snoozed_until = until
        conversation.resolved_at = None
        return [f"{actor.name} snoozed the conversation until {_moment(until)}"]
    if "status" in changes:
        return _set_status(conversation, actor, ConversationStatus(changes["status"]))
    if "snoozed_until" in changes and conversation.status == ConversationStatus.SNOOZED:
        conversation.status = ConversationStatus.OPEN.value
        conversation.snoozed_until = None
        return [f"{actor.name} ended the snooze"]
    return []


def _set_status(conversation: Conversation, actor: Actor, status: ConversationStatus) -> list[str]:
    if status == conversation.status:
        return []
    conversation.status = status.value
    conversation.resolved_at = func.now() if status is ConversationStatus.RESOLVED else None
    conversation.snoozed_until = None  # another status ends a snooze; "snoozed" alone has no end time
    return [f"{actor.name} set the status to {status.value}"]


async def wake_due(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[Conversation]:
    """Open the snoozed conversations due at ``now`` (at most ``limit``), each with a "snooze ended"
    activity and its ``conversation.updated`` event, in one transaction.

    Safe on several nodes at once: the due rows are taken with ``FOR UPDATE SKIP LOCKED``, so two
    wakers never take the same conversation, and a row another transaction changed meanwhile (an agent
    re-snoozing it, a customer's message opening it) is checked again before it is updated.
    """
    due = (
        select(Conversation.id)
        .where(Conversation.status == ConversationStatus.SNOOZED, Conversation.snoozed_until <= now)
        .order_by(Conversation.snoozed_until)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    woken = list(
        await session.scalars(
            update(Conversation)
            .where(
                Conversation.id.in_(due.scalar_subquery()),
                Conversation.status == ConversationStatus.SNOOZED,
                Conversation.snoozed_until <= now,
            )
            .values(status=ConversationStatus.OPEN.value, snoozed_until=None, last_activity_at=func.now())
            .returning(Conversation),
            execution_options={"synchronize_session": False},
        )
    )
    for conversation in woken:
        await _note_woken(session, conversation)
    await session.commit()
    return woken


async def _note_woken(session: AsyncSession, conversation: Conversation) -> None:
    activity = Message(
        conversation_id=conversation.id,
        inbox_id=conversation.inbox_id,
        direction=MessageDirection.OUTGOING,
        kind=MessageKind.ACTIVITY,
        sender_user_id=None,  # nobody did it: the time came
        text=SNOOZE_ENDED,
    )
    session.add(activity)
    await session.flush()
    await session.refresh(activity)
    await session.refresh(conversation)
    await record_event(session, EventType.MESSAGE_CREATED, message_view(activity), inbox_id=conversation.inbox_id)
    await record_event(
        session, EventType.CONVERSATION_UPDATED, conversation_view(conversation), inbox_id=conversation.inbox_id
    )
