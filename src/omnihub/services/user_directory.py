"""The users of the hub as admins manage them in the console: who exists, and adding one."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import User
from omnihub.domain.enums import Role
from omnihub.services.access import Actor
from omnihub.services.users import create_user


async def list_users(session: AsyncSession, actor: Actor) -> Sequence[User]:
    """Every user, deactivated ones included (admins), oldest first: a short list, never paged."""
    actor.require_admin()
    return (await session.scalars(select(User).order_by(User.id))).all()


async def add_user(session: AsyncSession, actor: Actor, *, email: str, name: str, role: Role, password: str) -> User:
    """A new active user who can sign in with ``password`` (admins); ``Conflict`` for a taken e-mail."""
    actor.require_admin()
    return await create_user(session, email=email, name=name, role=role, password=password)
