"""Issuing named API tokens for programs: an admin for anyone, a user for themselves."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import ApiToken, User
from omnihub.domain.errors import InvalidInput, NotFound
from omnihub.services.access import Actor
from omnihub.services.sessions import TokenInfo
from omnihub.services.users import SESSION_TOKEN_NAME, hash_token, new_token


@dataclass(frozen=True, slots=True)
class IssuedToken:
    info: TokenInfo
    token: str  # the one time it exists outside the caller's hands: only its hash is stored


async def issue_token(
    session: AsyncSession, actor: Actor, *, name: str, user_id: int | None, expires_at: datetime | None
) -> IssuedToken:
    """A new token for ``user_id`` (default: the actor) that works until revoked or ``expires_at``.

    Another user's token is an admin's action (``Forbidden``); the user must exist and be active."""
    owner_id = actor.user_id if user_id is None else user_id
    if owner_id != actor.user_id:
        actor.require_admin()
    if name.strip() == SESSION_TOKEN_NAME:
        # Console sessions carry this name, and changing a password ends every token that does.
        raise InvalidInput("name", f"{SESSION_TOKEN_NAME!r} is the console's own name for sign-ins")
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise InvalidInput("expires_at", "must be in the future")
    user = await session.get(User, owner_id)
    if user is None:
        raise NotFound("user")
    if not user.is_active:
        raise InvalidInput("user_id", "this user is deactivated")
    token = new_token()
    row = ApiToken(user_id=user.id, name=name.strip(), token_hash=hash_token(token), expires_at=expires_at)
    session.add(row)
    await session.commit()
    await session.refresh(row)
    info = TokenInfo(row.id, row.user_id, user.email, row.name, row.created_at, row.last_used_at, row.expires_at)
    return IssuedToken(info, token)
