"""The users of the hub as admins manage them in the console: who exists, and adding one."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import User
from omnihub.domain.enums import Role
from omnihub.domain.errors import Conflict, NotFound
from omnihub.services.access import Actor
from omnihub.services.sessions import announce_sessions_ended
from omnihub.services.users import create_user


async def list_users(session: AsyncSession, actor: Actor) -> Sequence[User]:
    """Every user, deactivated ones included (admins), oldest first: a short list, never paged."""
    actor.require_admin()
    return (await session.scalars(select(User).order_by(User.id))).all()


async def add_user(session: AsyncSession, actor: Actor, *, email: str, name: str, role: Role, password: str) -> User:
    """A new active user who can sign in with ``password`` (admins); ``Conflict`` for a taken e-mail."""
    actor.require_admin()
    return await create_user(session, email=email, name=name, role=role, password=password)


async def change_role(session: AsyncSession, actor: Actor, *, user_id: int, role: Role) -> User:
    """Make the user an admin or an agent (admins). ``Conflict`` when it would leave no active admin.

    A demoted admin's sockets close on every node (4003), so none goes on showing every inbox; their
    next request, or their console signing in again, gets an agent's view.
    """
    actor.require_admin()
    # Locking every active admin serialises two admins demoting each other at the same moment.
    active_admins = select(User.id).where(User.role == Role.ADMIN.value, User.is_active).with_for_update()
    admins = (await session.scalars(active_admins)).all()
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    demoted = user.role == Role.ADMIN.value and role is Role.AGENT
    if demoted and user.is_active and set(admins) == {user.id}:
        await session.rollback()
        raise Conflict("this is the last active admin: make someone else an admin first")
    user.role = role.value
    if demoted:
        await announce_sessions_ended(session, user_ids=[user.id])
    await session.commit()
    return user
