"""Teams: groups of agents that conversations can be routed to."""

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import Team, TeamMember, User
from omnihub.domain.errors import Conflict, InvalidInput, NotFound
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


async def _team(session: AsyncSession, team_id: int) -> Team:
    team = await session.get(Team, team_id)
    if team is None:
        raise NotFound("team")
    return team


async def list_team_member_ids(session: AsyncSession, actor: Actor, team_id: int) -> list[int]:
    actor.require_admin()
    await _team(session, team_id)
    query = select(TeamMember.user_id).where(TeamMember.team_id == team_id).order_by(TeamMember.user_id)
    return list(await session.scalars(query))


async def add_team_member(session: AsyncSession, actor: Actor, *, team_id: int, user_id: int) -> None:
    """The user belongs to the team from now on (admins); adding a member again changes nothing."""
    actor.require_admin()
    await _team(session, team_id)
    if await session.get(User, user_id) is None:
        raise InvalidInput("user_id", f"no user with id {user_id}")
    await session.execute(pg_insert(TeamMember).values(team_id=team_id, user_id=user_id).on_conflict_do_nothing())
    await session.commit()


async def remove_team_member(session: AsyncSession, actor: Actor, *, team_id: int, user_id: int) -> None:
    """The user no longer belongs to the team (admins); removing someone who is not a member changes nothing."""
    actor.require_admin()
    await _team(session, team_id)
    await session.execute(delete(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user_id))
    await session.commit()
