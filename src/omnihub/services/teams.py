"""Teams: groups of agents that conversations can be routed to."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Team
from omnihub.domain.errors import Conflict
from omnihub.services.access import Actor


async def create_team(session: AsyncSession, actor: Actor, *, name: str) -> Team:
    actor.require_admin()
    team = Team(name=name.strip())
    session.add(team)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise Conflict(f"a team named {team.name!r} exists already") from None
    return team


async def list_teams(session: AsyncSession) -> list[Team]:
    return list(await session.scalars(select(Team).order_by(Team.name)))
