"""Inboxes (configured channel instances) and who works in them."""

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.registry import validate_config
from omnihub.db.models import Inbox, InboxMember, User
from omnihub.domain.errors import InvalidInput
from omnihub.domain.events import EventType
from omnihub.services.access import Actor, get_visible_inbox, visible_inboxes_clause
from omnihub.services.events import record_event
from omnihub.services.views import inbox_view


async def create_inbox(
    session: AsyncSession, actor: Actor, *, name: str, channel_type: str, config: dict[str, Any]
) -> Inbox:
    actor.require_admin()
    inbox = Inbox(name=name, channel_type=channel_type, config=validate_config(channel_type, config))
    session.add(inbox)
    await session.flush()
    await session.refresh(inbox)
    await record_event(session, EventType.INBOX_CREATED, inbox_view(inbox), inbox_id=inbox.id)
    await session.commit()
    return inbox


async def list_inboxes(session: AsyncSession, actor: Actor) -> list[Inbox]:
    query = select(Inbox).where(visible_inboxes_clause(actor, Inbox.id)).order_by(Inbox.id)
    return list(await session.scalars(query))


async def add_inbox_member(session: AsyncSession, actor: Actor, *, inbox_id: int, user_id: int) -> None:
    """The user works in the inbox from now on; their open sockets follow it at once (``inbox.member_added``)."""
    await get_visible_inbox(session, actor, inbox_id)
    actor.require_admin()
    if await session.get(User, user_id) is None:
        raise InvalidInput("user_id", f"no user with id {user_id}")
    added = await session.scalar(
        pg_insert(InboxMember)
        .values(inbox_id=inbox_id, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(InboxMember.user_id)
    )
    if added is not None:
        await record_event(session, EventType.INBOX_MEMBER_ADDED, _membership(inbox_id, user_id), inbox_id=inbox_id)
    await session.commit()


async def remove_inbox_member(session: AsyncSession, actor: Actor, *, inbox_id: int, user_id: int) -> None:
    """The user no longer works in the inbox; their open sockets stop receiving its events at once
    (``inbox.member_removed``). Removing someone who is not a member changes nothing."""
    await get_visible_inbox(session, actor, inbox_id)
    actor.require_admin()
    removed = await session.scalar(
        delete(InboxMember)
        .where(InboxMember.inbox_id == inbox_id, InboxMember.user_id == user_id)
        .returning(InboxMember.user_id)
    )
    if removed is not None:
        await record_event(session, EventType.INBOX_MEMBER_REMOVED, _membership(inbox_id, user_id), inbox_id=inbox_id)
    await session.commit()


def _membership(inbox_id: int, user_id: int) -> dict[str, int]:
    return {"inbox_id": inbox_id, "user_id": user_id}


async def list_inbox_member_ids(session: AsyncSession, actor: Actor, inbox_id: int) -> list[int]:
    await get_visible_inbox(session, actor, inbox_id)
    query = select(InboxMember.user_id).where(InboxMember.inbox_id == inbox_id).order_by(InboxMember.user_id)
    return list(await session.scalars(query))


async def list_active_members(session: AsyncSession, actor: Actor, inbox_id: int) -> list[User]:
    """The inbox's active members by name: whom its conversations can be assigned to (with any admin)."""
    await get_visible_inbox(session, actor, inbox_id)
    query = (
        select(User)
        .join(InboxMember, InboxMember.user_id == User.id)
        .where(InboxMember.inbox_id == inbox_id, User.is_active)
        .order_by(User.name, User.id)
    )
    return list(await session.scalars(query))
