"""Who may see what. An agent sees only inboxes they are a member of; everything else is "not found"."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from omnihub.db.models import Conversation, Inbox, InboxMember
from omnihub.domain.enums import Role
from omnihub.domain.errors import Forbidden, InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    role: Role
    name: str

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("this needs the admin role")


def visible_inboxes_clause(
    actor: Actor, inbox_column: InstrumentedAttribute[int] | InstrumentedAttribute[int | None]
) -> ColumnElement[bool]:
    """A WHERE clause limiting ``inbox_column`` to the inboxes the actor may see."""
    if actor.is_admin:
        return true()
    member_inboxes = select(InboxMember.inbox_id).where(InboxMember.user_id == actor.user_id)
    return inbox_column.in_(member_inboxes.scalar_subquery())


async def member_inbox_ids(session: AsyncSession, actor: Actor) -> frozenset[int]:
    """The inboxes ``actor`` is a member of (an admin's membership too: admins see all inboxes anyway)."""
    ids = await session.scalars(select(InboxMember.inbox_id).where(InboxMember.user_id == actor.user_id))
    return frozenset(ids)


async def get_visible_inbox(session: AsyncSession, actor: Actor, inbox_id: int) -> Inbox:
    inbox = await session.scalar(select(Inbox).where(Inbox.id == inbox_id, visible_inboxes_clause(actor, Inbox.id)))
    if inbox is None:
        raise NotFound("inbox")
    return inbox


def require_channel_type(inbox_id: int, actual: str, expected: str) -> None:
    """A channel hands in something for one of its own inboxes only."""
    if actual != expected:
        raise InvalidInput("inbox_id", f"inbox {inbox_id} is a {actual} inbox, not an {expected} inbox")


async def get_visible_conversation(
    session: AsyncSession, actor: Actor, conversation_id: int, *, for_update: bool = False
) -> Conversation:
    query = select(Conversation).where(
        Conversation.id == conversation_id, visible_inboxes_clause(actor, Conversation.inbox_id)
    )
    if for_update:
        query = query.with_for_update()
    conversation = await session.scalar(query)
    if conversation is None:
        raise NotFound("conversation")
    return conversation
