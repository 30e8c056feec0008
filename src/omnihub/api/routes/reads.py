"""Read marks: what the caller has read of a conversation (their own: only their sockets are told)."""

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.schemas import Id, StrictModel
from omnihub.services import reads

router = APIRouter(prefix="/conversations", tags=["conversations"])


class ReadIn(StrictModel):
    message_id: Id | None = Field(
        default=None, description="The last message read, of this conversation; by default its latest."
    )


_LATEST = ReadIn()  # no body: read up to the latest message


class ReadMarkOut(BaseModel):
    conversation_id: int
    last_read_message_id: int | None
    unread: bool


def _out(mark: reads.ReadMark) -> dict[str, object]:
    return {
        "conversation_id": mark.conversation_id,
        "last_read_message_id": mark.last_read_message_id,
        "unread": mark.unread,
    }


@router.post(
    "/{conversation_id}/read",
    response_model=ReadMarkOut,
    responses={
        404: {
            "description": "No such conversation in the caller's inboxes, or `message_id` is not one of its messages."
        }
    },
)
async def mark_read(
    conversation_id: Id, session: SessionDep, actor: ActorDep, body: Annotated[ReadIn, Body()] = _LATEST
) -> dict[str, object]:
    """Mark the conversation read, for the caller, up to `message_id` (by default its latest message).

    If that changes the mark, the caller's own sockets on `/ws` receive a `read_mark.updated` event."""
    return _out(await reads.mark_read(session, actor, conversation_id, message_id=body.message_id))


@router.post("/{conversation_id}/unread", response_model=ReadMarkOut)
async def mark_unread(conversation_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """Mark the conversation unread for the caller, until they read it again.

    If it was not marked so already, the caller's own sockets on `/ws` receive a `read_mark.updated` event."""
    return _out(await reads.mark_unread(session, actor, conversation_id))
