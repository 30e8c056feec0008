"""Drafts: the reply or note a user is writing in a conversation, kept on the server so that it follows
them to another tab or device. Only its author ever sees it; it is not an event."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Draft
from omnihub.services.access import Actor, get_visible_conversation

MAX_DRAFT_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class DraftView:
    conversation_id: int
    content: str
    private: bool
    updated_at: datetime | None  # None: no draft yet


def _view(draft: Draft) -> DraftView:
    return DraftView(draft.conversation_id, draft.content, draft.private, draft.updated_at)


async def get_draft(session: AsyncSession, actor: Actor, conversation_id: int) -> DraftView:
    await get_visible_conversation(session, actor, conversation_id)
    draft = await session.get(Draft, (actor.user_id, conversation_id))
    if draft is None:
        return DraftView(conversation_id, "", False, None)  # nothing written yet: an empty draft
    return _view(draft)


async def save_draft(
    session: AsyncSession, actor: Actor, conversation_id: int, *, content: str, private: bool
) -> DraftView:
    """Create or replace the caller's draft (the route limits ``content`` to ``MAX_DRAFT_CHARS``)."""
    await get_visible_conversation(session, actor, conversation_id)
    new = insert(Draft).values(user_id=actor.user_id, conversation_id=conversation_id, content=content, private=private)
    upsert = new.on_conflict_do_update(
        index_elements=["user_id", "conversation_id"],
        set_={"content": content, "private": private, "updated_at": func.now()},
    ).returning(Draft)
    draft = (await session.scalars(upsert, execution_options={"populate_existing": True})).one()
    view = _view(draft)
    await session.commit()
    return view


async def delete_draft(session: AsyncSession, actor: Actor, conversation_id: int) -> None:
    """Remove the caller's draft (nothing to remove is fine: the wish is met)."""
    await get_visible_conversation(session, actor, conversation_id)
    await session.execute(delete(Draft).where(Draft.user_id == actor.user_id, Draft.conversation_id == conversation_id))
    await session.commit()
