"""The conversation lists of the console: filtered, keyset-paged, with each row's unread state for the
caller, and the counts of the console's views (mine, unassigned, all)."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, func, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Conversation, Inbox
from omnihub.domain.enums import ConversationStatus, Priority
from omnihub.services.access import Actor, get_visible_conversation, get_visible_inbox, visible_inboxes_clause
from omnihub.services.pagination import decode_cursor, encode_cursor
from omnihub.services.reads import unread_clause


class ConversationView(StrEnum):
    """The console's standard lists: assigned to the caller, to nobody, or all they may see."""

    MINE = "mine"
    UNASSIGNED = "unassigned"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class ConversationFilters:
    view: ConversationView = ConversationView.ALL
    inbox_id: int | None = None
    status: ConversationStatus | None = None
    assignee_id: int | None = None
    team_id: int | None = None
    label: str | None = None
    priority: Priority | None = None
    channel_type: str | None = None


@dataclass(frozen=True, slots=True)
class ListedConversation:
    conversation: Conversation
    unread: bool


@dataclass(frozen=True, slots=True)
class ConversationPage:
    items: list[ListedConversation]
    next_cursor: str | None


def _view_clause(actor: Actor, view: ConversationView) -> ColumnElement[bool]:
    if view is ConversationView.MINE:
        return Conversation.assignee_id == actor.user_id
    if view is ConversationView.UNASSIGNED:
        return Conversation.assignee_id.is_(None)
    return true()


async def _filtered(
    session: AsyncSession, actor: Actor, query: Select[Conversation, bool], filters: ConversationFilters
) -> Select[Conversation, bool]:
    query = query.where(visible_inboxes_clause(actor, Conversation.inbox_id), _view_clause(actor, filters.view))
    if filters.inbox_id is not None:
        await get_visible_inbox(session, actor, filters.inbox_id)  # an unknown or hidden inbox is a 404, not []
        query = query.where(Conversation.inbox_id == filters.inbox_id)
    if filters.status is not None:
        query = query.where(Conversation.status == filters.status.value)
    if filters.assignee_id is not None:
        query = query.where(Conversation.assignee_id == filters.assignee_id)
    if filters.team_id is not None:
        query = query.where(Conversation.team_id == filters.team_id)
    if filters.label is not None:
        # Labels are stored lower-cased (domain.conversations.normalize_labels).
        query = query.where(Conversation.labels.contains([filters.label.strip().lower()]))
    if filters.priority is not None:
        query = query.where(Conversation.priority == filters.priority.value)
    if filters.channel_type is not None:
        of_type = select(Inbox.id).where(Inbox.channel_type == filters.channel_type)
        query = query.where(Conversation.inbox_id.in_(of_type.scalar_subquery()))
    return query


async def list_conversations(
    session: AsyncSession, actor: Actor, filters: ConversationFilters, *, limit: int = 25, cursor: str | None = None
) -> ConversationPage:
    """Newest activity first, keyset-paged on (last_activity_at, id).

    The filters only narrow the walk down the (last_activity_at, id) order of an index; ``unread`` is a
    column computed for the page's rows alone (``services.reads.unread_clause``), so a page costs the same
    however many conversations lie before it.
    """
    query = select(Conversation, unread_clause(actor.user_id).label("unread"))
    query = await _filtered(session, actor, query, filters)
    if cursor:
        after_activity, after_id = decode_cursor(cursor, (datetime, int))
        query = query.where(tuple_(Conversation.last_activity_at, Conversation.id) < tuple_(after_activity, after_id))
    query = query.order_by(Conversation.last_activity_at.desc(), Conversation.id.desc()).limit(limit + 1)
    rows = [ListedConversation(c, bool(unread)) for c, unread in await session.execute(query)]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1].conversation
        next_cursor = encode_cursor(last.last_activity_at, last.id)
    return ConversationPage(rows, next_cursor)


async def get_listed_conversation(session: AsyncSession, actor: Actor, conversation_id: int) -> ListedConversation:
    """One conversation as the lists show it to the caller (with ``unread``); NotFound if hidden."""
    conversation = await get_visible_conversation(session, actor, conversation_id)
    unread = await session.scalar(select(unread_clause(actor.user_id)).where(Conversation.id == conversation_id))
    return ListedConversation(conversation, bool(unread))


async def count_views(session: AsyncSession, actor: Actor) -> dict[str, int]:
    """Open conversations per view, in the inboxes the caller may see, in one query."""
    is_mine = Conversation.assignee_id == actor.user_id
    is_unassigned = Conversation.assignee_id.is_(None)
    query = select(func.count().filter(is_mine), func.count().filter(is_unassigned), func.count()).where(
        visible_inboxes_clause(actor, Conversation.inbox_id),
        Conversation.status == ConversationStatus.OPEN.value,
    )
    mine, unassigned, everything = (await session.execute(query)).one()
    return {ConversationView.MINE: mine, ConversationView.UNASSIGNED: unassigned, ConversationView.ALL: everything}
