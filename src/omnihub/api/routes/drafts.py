"""Drafts: the reply or note the caller is writing in a conversation, seen by nobody else."""

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.schemas import Id, StrictModel
from omnihub.services import drafts
from omnihub.services.drafts import MAX_DRAFT_CHARS

router = APIRouter(prefix="/conversations", tags=["drafts"])


class DraftIn(StrictModel):
    content: str = Field(max_length=MAX_DRAFT_CHARS)
    private: bool = Field(default=False, description="A note rather than a reply.")


class DraftOut(BaseModel):
    conversation_id: int
    content: str
    private: bool
    updated_at: datetime | None = Field(description="When it was last saved; null: nothing written yet.")


def _out(draft: drafts.DraftView) -> dict[str, object]:
    return {
        "conversation_id": draft.conversation_id,
        "content": draft.content,
        "private": draft.private,
        "updated_at": draft.updated_at,
    }


@router.get("/{conversation_id}/draft", response_model=DraftOut)
async def get_draft(conversation_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """The caller's draft in this conversation (empty, with `updated_at` null, when there is none)."""
    return _out(await drafts.get_draft(session, actor, conversation_id))


@router.put("/{conversation_id}/draft", response_model=DraftOut)
async def save_draft(conversation_id: Id, body: DraftIn, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """Create or replace the caller's draft (at most 100,000 characters)."""
    draft = await drafts.save_draft(session, actor, conversation_id, content=body.content, private=body.private)
    return _out(draft)


@router.delete("/{conversation_id}/draft", status_code=status.HTTP_204_NO_CONTENT)
async def delete_draft(conversation_id: Id, session: SessionDep, actor: ActorDep) -> None:
    """Discard the caller's draft (also fine when there is none)."""
    await drafts.delete_draft(session, actor, conversation_id)
