from fastapi import APIRouter, status

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.schemas import TeamCreate, TeamOut
from omnihub.services import teams

router = APIRouter(prefix="/teams", tags=["teams"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TeamOut)
async def create_team(body: TeamCreate, session: SessionDep, actor: ActorDep) -> TeamOut:
    team = await teams.create_team(session, actor, name=body.name)
    return TeamOut(id=team.id, name=team.name)


@router.get("", response_model=list[TeamOut])
async def list_teams(session: SessionDep, actor: ActorDep) -> list[TeamOut]:
    return [TeamOut(id=t.id, name=t.name) for t in await teams.list_teams(session)]
