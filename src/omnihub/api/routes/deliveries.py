"""How a reply's delivery went, in the detail agents do not see: what the other side answered."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.schemas import Id
from omnihub.services import outbox

router = APIRouter(prefix="/conversations", tags=["conversations"])


class DeliveryOut(BaseModel):
    message_id: int
    state: str = Field(description="pending, done or failed.")
    attempts: int
    next_attempt_at: datetime | None = Field(description="When the next attempt is due, while pending.")
    last_error: str | None = Field(
        description="The last failure in full: the agents' reason, then the remote answer or low-level error."
    )


@router.get("/{conversation_id}/messages/{message_id}/delivery", response_model=DeliveryOut)
async def get_delivery(conversation_id: Id, message_id: Id, session: SessionDep, actor: ActorDep) -> DeliveryOut:
    """Admins only. Agents see a message's `failure_reason`, a fixed phrase; this is what lies behind it."""
    entry = await outbox.delivery_of(session, actor, conversation_id=conversation_id, message_id=message_id)
    return DeliveryOut(
        message_id=entry.message_id,
        state=entry.state,
        attempts=entry.attempts,
        next_attempt_at=entry.next_attempt_at if entry.state == "pending" else None,
        last_error=entry.last_error,
    )
