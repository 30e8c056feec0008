"""Users, for admins: the list the console's settings show, creating a user and changing their role."""

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from omnihub.api.deps import SessionDep, token_cache
from omnihub.api.routes.users import AdminDep
from omnihub.api.schemas import EmailAddress, Id, Page, ShortText, StrictModel
from omnihub.domain.enums import Role
from omnihub.services import user_directory

if TYPE_CHECKING:
    from omnihub.db.models import User

router = APIRouter(prefix="/users", tags=["users"])


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    is_active: bool = Field(description="False once deactivated: they can no longer sign in.")


class UserCreate(StrictModel):
    email: EmailAddress
    name: ShortText
    role: Role
    password: str = Field(min_length=8, max_length=1000)


class RoleSet(StrictModel):
    role: Role


def _out(user: "User") -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "is_active": user.is_active}


@router.get("", response_model=Page[UserOut], responses={403: {"description": "Not an admin."}})
async def list_users(session: SessionDep, actor: AdminDep) -> dict[str, Any]:
    """Every user, deactivated ones included, oldest first (admins): all of them in one page;
    next_cursor is always null today."""
    return {"items": [_out(user) for user in await user_directory.list_users(session, actor)], "next_cursor": None}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses={403: {"description": "Not an admin."}, 409: {"description": "The e-mail address is taken."}},
)
async def create_user(body: UserCreate, session: SessionDep, actor: AdminDep) -> dict[str, Any]:
    """Create a user who signs in with the given password (admins)."""
    user = await user_directory.add_user(
        session, actor, email=body.email, name=body.name, role=body.role, password=body.password
    )
    return _out(user)


@router.put(
    "/{user_id}/role",
    response_model=UserOut,
    responses={
        403: {"description": "Not an admin."},
        404: {"description": "No such user."},
        409: {"description": "This would leave no active admin."},
    },
)
async def set_role(
    user_id: Id, body: RoleSet, request: Request, session: SessionDep, actor: AdminDep
) -> dict[str, Any]:
    """Make a user an admin or an agent (admins). The last active admin cannot be made an agent (`409`).
    A demoted admin's sockets close with 4003 on every node."""
    user = await user_directory.change_role(session, actor, user_id=user_id, role=body.role)
    token_cache(request).clear()  # this node applies the new role at once
    return _out(user)
