"""Starting and changing conversations (status and snooze, assignee, team, priority and labels)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.spi import InboundAttachment
from omnihub.db.models import Attachment, Conversation, InboxMember, Message, Team, User
from omnihub.domain.conversations import normalize_labels
from omnihub.domain.enums import ConversationStatus, Priority, Role
from omnihub.domain.errors import InvalidInput
from omnihub.domain.events import EventType
from omnihub.services.access import Actor, get_visible_conversation, get_visible_inbox
from omnihub.services.attachments import AttachmentPolicy
from omnihub.services.events import record_event
from omnihub.services.messages import add_activity, commit_conversation_change, post_message
from omnihub.services.reply_address import address_for_new_conversation
from omnihub.services.snooze import apply_status_and_snooze
from omnihub.services.views import conversation_view


async def _check_assignee(session: AsyncSession, inbox_id: int, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise InvalidInput("assignee_id", f"no active user with id {user_id}")
    if user.role != Role.ADMIN:
        member = await session.get(InboxMember, (inbox_id, user_id))
        if member is None:
            raise InvalidInput("assignee_id", "the user is not a member of this conversation's inbox")
    return user


async def update_conversation(
    session: AsyncSession,
    actor: Actor,
    conversation_id: int,
    changes: dict[str, Any],
    *,
    now: datetime | None = None,
) -> Conversation:
    """Apply the given fields; each real change is noted in the timeline as an activity message.
    ``now`` (the request's time by default) is what a ``snoozed_until`` must lie after."""
    conversation = await get_visible_conversation(session, actor, conversation_id, for_update=True)
    activities = apply_status_and_snooze(conversation, actor, changes, now=now or datetime.now(UTC))
    activities += await _apply_assignment(session, conversation, actor, changes)
    activities += _apply_priority_and_labels(conversation, actor, changes)
    if not activities:
        return conversation

    for text in activities:
        await add_activity(session, actor, conversation, text)
    return await commit_conversation_change(session, conversation)


async def _apply_assignment(
    session: AsyncSession, conversation: Conversation, actor: Actor, changes: dict[str, Any]
) -> list[str]:
    activities: list[str] = []
    if "assignee_id" in changes and changes["assignee_id"] != conversation.assignee_id:
        assignee_id = changes["assignee_id"]
        if assignee_id is None:
            activities.append(f"{actor.name} removed the assignee")
        else:
            assignee = await _check_assignee(session, conversation.inbox_id, assignee_id)
            activities.append(f"{actor.name} assigned the conversation to {assignee.name}")
        conversation.assignee_id = assignee_id
    if "team_id" in changes and changes["team_id"] != conversation.team_id:
        team_id = changes["team_id"]
        team = await session.get(Team, team_id) if team_id is not None else None
        if team_id is not None and team is None:
            raise InvalidInput("team_id", f"no team with id {team_id}")
        activities.append(f"{actor.name} assigned the team {team.name}" if team else f"{actor.name} removed the team")
        conversation.team_id = team_id
    return activities


def _apply_priority_and_labels(conversation: Conversation, actor: Actor, changes: dict[str, Any]) -> list[str]:
    activities: list[str] = []
    if "priority" in changes and changes["priority"] != conversation.priority:
        conversation.priority = Priority(changes["priority"]).value
        activities.append(f"{actor.name} set the priority to {conversation.priority}")
    if "labels" in changes:
        try:
            labels = normalize_labels(changes["labels"])
        except ValueError as exc:
            raise InvalidInput("labels", str(exc)) from None
        if labels != list(conversation.labels):
            conversation.labels = labels
            activities.append(f"{actor.name} set the labels to {', '.join(labels) or 'none'}")
    return activities


async def start_conversation(
    session: AsyncSession,
    actor: Actor,
    *,
    inbox_id: int,
    contact_id: int | None,
    email: str | None,
    name: str | None,
    subject: str | None,
    content: str,
    attachments: AttachmentPolicy,
    files: tuple[InboundAttachment, ...] = (),
    cc: tuple[str, ...] = (),
) -> tuple[Conversation, Message, list[Attachment]]:
    """An agent writes first (an e-mail to a customer): a new conversation, assigned to them, and
    its first message on its way out through the outbox (with copies to ``cc``, for e-mail)."""
    inbox = await get_visible_inbox(session, actor, inbox_id)
    contact, identity, _ = await address_for_new_conversation(
        session, actor, inbox, contact_id=contact_id, email=email, name=name
    )
    conversation = Conversation(
        inbox_id=inbox_id,
        contact_id=contact.id,
        status=ConversationStatus.OPEN,
        subject=subject,
        assignee_id=actor.user_id,
        reply_identity_id=identity.id if identity else None,
    )
    session.add(conversation)
    await session.flush()
    await session.refresh(conversation)
    await record_event(session, EventType.CONVERSATION_CREATED, conversation_view(conversation), inbox_id=inbox_id)
    message, stored = await post_message(
        session, actor, conversation.id, content=content, private=False, attachments=attachments, files=files, cc=cc
    )
    await session.refresh(conversation)
    return conversation, message, stored
