"""API tokens: who has which, and revoking one (its sockets close on every node)."""

from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import BaseModel

from omnihub.api.deps import ActorDep, SessionDep, token_cache
from omnihub.api.schemas import Id
from omnihub.services import sessions

router = APIRouter(prefix="/tokens", tags=["tokens"])


class TokenOut(BaseModel):
    id: int
    user_id: int
    user_email: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


@router.get("", response_model=list[TokenOut])
async def list_tokens(session: SessionDep, actor: ActorDep, user_id: Id | None = None) -> list[TokenOut]:
    """The tokens that work now (console sessions among them, named "console session"): your own; an admin
    sees everyone's, or one user's with `user_id`. The tokens themselves are never shown again."""
    found = await sessions.list_tokens(session, actor, user_id=user_id)
    return [TokenOut.model_validate(token, from_attributes=True) for token in found]


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "No such working token of yours (admins: of anyone's)."}},
)
async def revoke_token(token_id: Id, request: Request, session: SessionDep, actor: ActorDep) -> None:
    """Revoke a token of yours (an admin: anyone's). It stops working, and the `/ws` sockets opened with it
    close with 4003 on every node."""
    await sessions.revoke_token_by_id(session, actor, token_id)
    token_cache(request).clear()  # this node forgets it at once
