"""The conversation lists of the console: filtered, keyset-paged, with each row's unread state for the
caller, and the counts of the console's views (mine, unassigned, all)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, func, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Conversation, Inbox
from omnihub.domain.enums import ConversationStatus, Priority
from omnihub.domain.errors import InvalidInput
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


class ConversationSort(StrEnum):
    """The list's orders: newest activity first, or the contact waiting longest for an answer first."""

    LAST_ACTIVITY = "last_activity"
    WAITING = "waiting"


# The waiting order is two walks, each down an index: the waiting conversations, longest waiting first,
# on (waiting_since, id); then the others, newest activity first, on (last_activity_at, id). A cursor says
# which walk it continues, so a page can end in the first and the next one go on into the second.
_WAITING_WALK = "w"
_ACTIVITY_WALK = "a"


async def list_conversations(
    session: AsyncSession,
    actor: Actor,
    filters: ConversationFilters,
    *,
    limit: int = 25,
    cursor: str | None = None,
    sort: ConversationSort = ConversationSort.LAST_ACTIVITY,
) -> ConversationPage:
    """One page in the ``sort`` order, keyset-paged: follow ``next_cursor`` (only valid with the same sort).

    The filters only narrow the walk down an index's order; ``unread`` is a column computed for the page's
    rows alone (``services.reads.unread_clause``), so a page costs the same however many conversations lie
    before it.
    """
    query = await _filtered(session, actor, select(Conversation, unread_clause(actor.user_id).label("unread")), filters)
    if sort is ConversationSort.LAST_ACTIVITY:
        after = decode_cursor(cursor, (datetime, int)) if cursor else None
        rows = await _activity_walk(session, query, limit + 1, after)
        return _page(rows, limit, lambda c: encode_cursor(c.last_activity_at, c.id))
    walk, after = _decode_waiting_cursor(cursor)
    rows = []
    if walk == _WAITING_WALK:
        rows = await _waiting_walk(session, query, limit + 1, after)
        after = None
    if len(rows) <= limit:
        rest = query.where(Conversation.waiting_since.is_(None))
        rows += await _activity_walk(session, rest, limit + 1 - len(rows), after)

    def waiting_cursor(c: Conversation) -> str:
        if c.waiting_since is not None:
            return encode_cursor(_WAITING_WALK, c.waiting_since, c.id)
        return encode_cursor(_ACTIVITY_WALK, c.last_activity_at, c.id)

    return _page(rows, limit, waiting_cursor)


_After = tuple[datetime, int] | None  # the (timestamp, id) a walk continues after; None: from its start


def _decode_waiting_cursor(cursor: str | None) -> tuple[str, _After]:
    """Which walk a waiting-order cursor continues, and where."""
    if not cursor:
        return _WAITING_WALK, None
    walk, at, after_id = decode_cursor(cursor, (str, datetime, int))
    if walk not in (_WAITING_WALK, _ACTIVITY_WALK):
        raise InvalidInput("cursor", "not a cursor this API handed out", location="query")
    return walk, (at, after_id)


async def _activity_walk(
    session: AsyncSession, query: Select[Conversation, bool], count: int, after: _After
) -> list[ListedConversation]:
    if after is not None:
        query = query.where(tuple_(Conversation.last_activity_at, Conversation.id) < tuple_(*after))
    query = query.order_by(Conversation.last_activity_at.desc(), Conversation.id.desc()).limit(count)
    return [ListedConversation(c, bool(unread)) for c, unread in await session.execute(query)]


async def _waiting_walk(
    session: AsyncSession, query: Select[Conversation, bool], count: int, after: _After
) -> list[ListedConversation]:
    query = query.where(Conversation.waiting_since.is_not(None))
    if after is not None:
        query = query.where(tuple_(Conversation.waiting_since, Conversation.id) > tuple_(*after))
    query = query.order_by(Conversation.waiting_since, Conversation.id).limit(count)
    return [ListedConversation(c, bool(unread)) for c, unread in await session.execute(query)]


def _page(rows: list[ListedConversation], limit: int, cursor_of: Callable[[Conversation], str]) -> ConversationPage:
    if len(rows) <= limit:
        return ConversationPage(rows, None)
    rows = rows[:limit]
    return ConversationPage(rows, cursor_of(rows[-1].conversation))


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
