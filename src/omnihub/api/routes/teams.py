"""Teams: creating and listing them, and (admins) who belongs to which."""

from fastapi import APIRouter, status

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.routes.users import AdminDep
from omnihub.api.schemas import Id, Page, TeamCreate, TeamMemberAdd, TeamMembersOut, TeamOut
from omnihub.services import teams

router = APIRouter(prefix="/teams", tags=["teams"])

_ADMIN_ANSWERS: dict[int | str, dict[str, str]] = {
    403: {"description": "Not an admin."},
    404: {"description": "No such team."},
}


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TeamOut)
async def create_team(body: TeamCreate, session: SessionDep, actor: ActorDep) -> TeamOut:
    team = await teams.create_team(session, actor, name=body.name)
    return TeamOut(id=team.id, name=team.name)


@router.get("", response_model=Page[TeamOut])
async def list_teams(session: SessionDep, actor: ActorDep) -> Page[TeamOut]:
    """Every team, all of them in one page; next_cursor is always null today (a hub has few teams)."""
    return Page(items=[TeamOut(id=t.id, name=t.name) for t in await teams.list_teams(session)], next_cursor=None)


@router.get("/{team_id}/members", response_model=TeamMembersOut, responses=_ADMIN_ANSWERS)
async def list_team_members(team_id: Id, session: SessionDep, actor: AdminDep) -> TeamMembersOut:
    """The ids of the team's members, ascending (admins)."""
    return TeamMembersOut(user_ids=await teams.list_team_member_ids(session, actor, team_id))


@router.post("/{team_id}/members", status_code=status.HTTP_204_NO_CONTENT, responses=_ADMIN_ANSWERS)
async def add_team_member(team_id: Id, body: TeamMemberAdd, session: SessionDep, actor: AdminDep) -> None:
    """Add a user to the team (admins): `{"user_id": 2}`. Adding a member again changes nothing."""
    await teams.add_team_member(session, actor, team_id=team_id, user_id=body.user_id)


@router.delete("/{team_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_ADMIN_ANSWERS)
async def remove_team_member(team_id: Id, user_id: Id, session: SessionDep, actor: AdminDep) -> None:
    """Remove a user from the team (admins). Removing someone who is not a member changes nothing."""
    await teams.remove_team_member(session, actor, team_id=team_id, user_id=user_id)
