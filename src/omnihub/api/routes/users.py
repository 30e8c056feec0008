"""Users, for admins: setting a password and deactivating (their sessions end on every node)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import Field

from omnihub.api.deps import ActorDep, SessionDep, token_cache
from omnihub.api.schemas import Id, StrictModel
from omnihub.services import sessions
from omnihub.services.access import Actor

router = APIRouter(prefix="/users", tags=["users"])


async def admin_only(actor: ActorDep) -> Actor:
    # A dependency, so that an agent gets 403 before anything about the request (even a malformed user id)
    # is looked at.
    actor.require_admin()
    return actor


AdminDep = Annotated[Actor, Depends(admin_only)]


class PasswordSet(StrictModel):
    password: str = Field(min_length=8, max_length=1000)


@router.put(
    "/{user_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"description": "Not an admin."}, 404: {"description": "No such user."}},
)
async def set_password(user_id: Id, body: PasswordSet, request: Request, session: SessionDep, actor: AdminDep) -> None:
    """Set a user's password (admins). All their console sessions end and their sockets close with 4003;
    their API tokens go on working (revoke those with `DELETE /api/v1/tokens/{id}`)."""
    await sessions.set_password(session, actor, user_id=user_id, password=body.password)
    token_cache(request).clear()


@router.post(
    "/{user_id}/deactivate",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"description": "Not an admin."}, 404: {"description": "No such user."}},
)
async def deactivate(user_id: Id, request: Request, session: SessionDep, actor: AdminDep) -> None:
    """Deactivate a user (admins; not yourself): they can no longer sign in or use any token, and their
    sockets close with 4003 on every node. Their messages keep their author."""
    await sessions.deactivate_user(session, actor, user_id=user_id)
    token_cache(request).clear()
