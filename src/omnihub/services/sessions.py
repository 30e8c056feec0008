"""Ending sessions: signing out, revoking tokens, changing passwords, deactivating users.

Whatever ends a token's or a user's sessions also tells every node, in the same transaction, with a
``sessions_ended`` signal on ``services.signals.SIGNAL_CHANNEL`` (sent when the transaction commits):

    {"kind": "sessions_ended", "token_ids": [...], "user_ids": [...], "created_at": ...}

Each node closes the agents' sockets opened with those tokens, or by those users, at once. A node
whose listening connection was down at that moment checks its sockets' tokens when it listens again.
"""

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import ApiToken, User
from omnihub.domain.errors import InvalidInput, NotFound
from omnihub.services.access import Actor
from omnihub.services.signals import SIGNAL_CHANNEL
from omnihub.services.users import SESSION_TOKEN_NAME, hash_password, hash_token, live_token_clause, verify_password

SESSIONS_ENDED = "sessions_ended"
_IDS_PER_SIGNAL = 500  # keeps a payload well below PostgreSQL's 8000-byte limit
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    user_id: int
    user_email: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


async def announce_sessions_ended(
    session: AsyncSession, *, token_ids: Sequence[int] = (), user_ids: Sequence[int] = ()
) -> None:
    """Queue the signal in the session's transaction: every node hears it once the caller commits."""
    created_at = datetime.now(UTC).isoformat()
    for start in range(0, max(len(token_ids), len(user_ids)), _IDS_PER_SIGNAL):
        payload = {
            "kind": SESSIONS_ENDED,
            "token_ids": list(token_ids[start : start + _IDS_PER_SIGNAL]),
            "user_ids": list(user_ids[start : start + _IDS_PER_SIGNAL]),
            "created_at": created_at,
        }
        await session.execute(_NOTIFY, {"channel": SIGNAL_CHANNEL, "payload": json.dumps(payload)})


async def _revoke(session: AsyncSession, *conditions: ColumnElement[bool]) -> list[int]:
    """Revoke the live tokens matching ``conditions`` and announce it; the caller commits."""
    revoked = await session.scalars(
        update(ApiToken)
        .where(ApiToken.revoked_at.is_(None), *conditions)
        .values(revoked_at=datetime.now(UTC))
        .returning(ApiToken.id)
    )
    ids = list(revoked)
    if ids:
        await announce_sessions_ended(session, token_ids=ids)
    return ids


async def ended_tokens(session: AsyncSession, token_ids: Collection[int]) -> set[int]:
    """Those of ``token_ids`` that no longer authenticate (revoked, expired, or their user deactivated)."""
    live = await session.scalars(
        select(ApiToken.id)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.id.in_(token_ids), *live_token_clause())
    )
    return set(token_ids) - set(live)


async def sign_out(session: AsyncSession, token: str) -> None:
    """The token no longer authenticates and its sockets close (revoked already or unknown: nothing happens)."""
    await _revoke(session, ApiToken.token_hash == hash_token(token))
    await session.commit()


async def list_tokens(session: AsyncSession, actor: Actor | None, *, user_id: int | None = None) -> list[TokenInfo]:
    """The tokens that authenticate now: the actor's own, or (admins, and the command line with ``actor``
    None) everyone's or ``user_id``'s."""
    if actor is not None and not actor.is_admin:
        user_id = actor.user_id
    query = (
        select(ApiToken, User.email)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.revoked_at.is_(None), or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > func.now()))
        .order_by(ApiToken.id)
    )
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [
        TokenInfo(t.id, t.user_id, email, t.name, t.created_at, t.last_used_at, t.expires_at)
        for t, email in (await session.execute(query)).all()
    ]


async def revoke_token_by_id(session: AsyncSession, actor: Actor | None, token_id: int) -> None:
    """Revoke one of the actor's own tokens (admins and the command line: anyone's); ``NotFound`` for
    another's, or none live."""
    conditions = [ApiToken.id == token_id]
    if actor is not None and not actor.is_admin:
        conditions.append(ApiToken.user_id == actor.user_id)
    if not await _revoke(session, *conditions):
        await session.rollback()
        raise NotFound("token")
    await session.commit()


async def change_own_password(
    session: AsyncSession, actor: Actor, *, current_password: str, new_password: str, keep_token: str | None
) -> None:
    """Set a new password after checking the current one; every other console session of the user ends.

    ``keep_token`` (the one the request came with) goes on working, so the agent stays signed in
    where they made the change. API tokens made for programs are not touched: they do not depend on
    the password.
    """
    user = await session.get(User, actor.user_id)
    if user is None or not await verify_password(user.password_hash, current_password):
        raise InvalidInput("current_password", "is not the current password")
    user.password_hash = await hash_password(new_password)
    conditions = [ApiToken.user_id == user.id, ApiToken.name == SESSION_TOKEN_NAME]
    if keep_token:
        conditions.append(ApiToken.token_hash != hash_token(keep_token))
    await _revoke(session, *conditions)
    await session.commit()


async def set_password(session: AsyncSession, actor: Actor | None, *, user_id: int, password: str) -> None:
    """An admin (or the command line, ``actor`` None) sets a user's password, e.g. a forgotten one; all their
    console sessions end."""
    if actor is not None:
        actor.require_admin()
    user = await _user(session, user_id)
    user.password_hash = await hash_password(password)
    await _revoke(session, ApiToken.user_id == user.id, ApiToken.name == SESSION_TOKEN_NAME)
    await session.commit()


async def deactivate_user(session: AsyncSession, actor: Actor | None, *, user_id: int) -> User:
    """The user can no longer sign in or use any token, and their sockets close on every node.

    Users are deactivated rather than deleted: their messages and history keep their author.
    ``actor`` None is the command line (an operator). An admin cannot deactivate themselves.
    """
    if actor is not None:
        actor.require_admin()
        if actor.user_id == user_id:
            raise InvalidInput("user_id", "you cannot deactivate yourself")
    user = await _user(session, user_id)
    user.is_active = False
    await announce_sessions_ended(session, user_ids=[user.id])
    await session.commit()
    return user


async def _user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user
