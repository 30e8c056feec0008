"""API tokens: who has which, issuing one, and revoking one (its sockets close on every node)."""

from dataclasses import asdict
from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import AwareDatetime, BaseModel, Field

from omnihub.api.deps import ActorDep, SessionDep, token_cache
from omnihub.api.schemas import Id, Page, ShortText, StrictModel
from omnihub.services import api_tokens, sessions

router = APIRouter(prefix="/tokens", tags=["tokens"])


class TokenOut(BaseModel):
    id: int
    user_id: int
    user_email: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class TokenCreate(StrictModel):
    name: ShortText = Field(description="What the token is for, e.g. the program that uses it.")
    user_id: Id | None = Field(default=None, description="Whose token (admins only); default: yours.")
    expires_at: AwareDatetime | None = Field(default=None, description="When it stops working; none: until revoked.")


class TokenIssued(TokenOut):
    token: str = Field(description="The bearer token. Shown this once: the hub keeps only its hash.")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenIssued,
    responses={
        403: {"description": "A token for someone else, and not an admin."},
        404: {"description": "No such user."},
    },
)
async def create_token(body: TokenCreate, session: SessionDep, actor: ActorDep) -> TokenIssued:
    """Issue a named token for yourself (an admin: for anyone, with `user_id`), valid until revoked or
    `expires_at`. The answer is the only time the token is shown; use it as `Authorization: Bearer ...`."""
    issued = await api_tokens.issue_token(
        session, actor, name=body.name, user_id=body.user_id, expires_at=body.expires_at
    )
    return TokenIssued.model_validate({**asdict(issued.info), "token": issued.token})


@router.get("", response_model=Page[TokenOut])
async def list_tokens(session: SessionDep, actor: ActorDep, user_id: Id | None = None) -> Page[TokenOut]:
    """The tokens that work now (console sessions among them, named "console session"): your own; an admin
    sees everyone's, or one user's with `user_id`. The tokens themselves are never shown again.
    All of them in one page; next_cursor is always null today."""
    found = await sessions.list_tokens(session, actor, user_id=user_id)
    return Page(items=[TokenOut.model_validate(token, from_attributes=True) for token in found], next_cursor=None)


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
