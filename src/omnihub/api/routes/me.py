"""The signed-in user: who they are, and the console language they chose."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.schemas import StrictModel
from omnihub.db.models import User
from omnihub.services import profile

router = APIRouter(prefix="/me", tags=["auth"])


class MeOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    locale: str | None = Field(description="The console's language; null: follow the browser.")


class MePatch(StrictModel):
    locale: Literal["en", "ar", "he"] | None


def _out(user: User) -> dict[str, object]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "locale": user.locale}


@router.get("", response_model=MeOut)
async def get_me(session: SessionDep, actor: ActorDep) -> dict[str, object]:
    return _out(await profile.get_me(session, actor))


@router.patch("", response_model=MeOut)
async def update_me(body: MePatch, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """Store the console language (`en`, `ar`, `he`, or null to follow the browser)."""
    return _out(await profile.set_locale(session, actor, body.locale))
