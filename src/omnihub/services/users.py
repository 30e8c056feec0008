"""Users, passwords and API tokens."""

import asyncio
import functools
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import ApiToken, User
from omnihub.domain.enums import Role
from omnihub.domain.errors import Conflict, InvalidInput, NotFound
from omnihub.domain.identities import normalize_email
from omnihub.services.access import Actor

_password_hasher = PasswordHasher()
TOKEN_PREFIX = "omh_"
# Writing last_used_at on every request would turn every read into a write; a coarse value is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=5)
# Tokens issued by signing in to the console carry this name (and expire ``session_hours`` after issue).
SESSION_TOKEN_NAME = "console session"


async def hash_password(password: str) -> str:
    """The argon2 hash of a password (at least 8 characters, else ``InvalidInput``).

    argon2 takes tens of milliseconds of CPU and releases the GIL, so it runs in a worker thread: the
    event loop goes on serving requests and sockets meanwhile.
    """
    if len(password) < 8:
        raise InvalidInput("password", "must be at least 8 characters")
    return await asyncio.to_thread(_password_hasher.hash, password)


@functools.cache
def _dummy_hash() -> str:
    return _password_hasher.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        # Without a hash (no such user, or one without a password) a dummy one is checked all the same, so
        # the answer takes as long as for a real user and does not tell which addresses have an account.
        return _password_hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; as slow for ``None`` as for a real hash (off the loop)."""
    return await asyncio.to_thread(_verify, password_hash, password)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is as safe as a slow one and keeps auth cheap.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh bearer token: the prefix (so that secret scanners know it) and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, role=Role(user.role), name=user.name)


async def create_user(session: AsyncSession, *, email: str, name: str, role: Role, password: str | None = None) -> User:
    user = User(
        email=normalize_email(email),
        name=name.strip() or email,
        role=role.value,
        password_hash=await hash_password(password) if password is not None else None,
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise Conflict(f"a user with e-mail {user.email} exists already") from None
    return user


async def get_user_by_email(session: AsyncSession, email: str) -> User:
    user = await session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound("user")
    return user


async def create_api_token(
    session: AsyncSession, *, user: User, name: str = "", valid_for: timedelta | None = None
) -> str:
    """Create a token and return it; only its hash is kept, so this is the one time it is shown.

    It authenticates until revoked, or for ``valid_for`` only.
    """
    if valid_for is not None and valid_for <= timedelta(0):
        raise InvalidInput("valid_for", "must be positive")
    token = new_token()
    expires_at = func.now() + valid_for if valid_for is not None else None
    session.add(ApiToken(user_id=user.id, name=name or "token", token_hash=hash_token(token), expires_at=expires_at))
    await session.commit()
    return token


@dataclass(frozen=True, slots=True)
class TokenSession:
    """What a token that authenticates stands for: its user, its id, and how long it has left."""

    user: User
    token_id: int
    seconds_left: float | None  # None: until revoked


def live_token_clause() -> list[ColumnElement[bool]]:
    return [
        ApiToken.revoked_at.is_(None),
        User.is_active.is_(True),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > func.now()),
    ]


async def authenticate_token_session(session: AsyncSession, token: str) -> TokenSession | None:
    """The token's session if it authenticates now (not revoked, not expired, its user active)."""
    now = datetime.now(UTC)
    row = (
        await session.execute(
            select(User, ApiToken.id, ApiToken.last_used_at, ApiToken.expires_at - func.now())
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == hash_token(token), *live_token_clause())
        )
    ).first()
    if row is None:
        return None
    user, token_id, last_used_at, left = row
    if last_used_at is None or now - last_used_at > _LAST_USED_RESOLUTION:
        await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        await session.commit()
    seconds_left = None if left is None else cast(timedelta, left).total_seconds()
    return TokenSession(user, token_id, seconds_left)


async def authenticate_token(session: AsyncSession, token: str) -> User | None:
    found = await authenticate_token_session(session, token)
    return None if found is None else found.user


async def token_is_live(session: AsyncSession, token_id: int) -> bool:
    """Whether the token still authenticates (for a socket that may have missed the news of its end)."""
    query = select(ApiToken.id).join(User, User.id == ApiToken.user_id).where(ApiToken.id == token_id)
    return await session.scalar(query.where(*live_token_clause())) is not None


@dataclass
class TokenCache:
    """Who a token belonged to a moment ago: spares every API request its authentication query.

    An entry lives ``ttl_seconds`` (a few seconds), so a changed role or name takes effect within that
    time on this process rather than at once. Ending sessions (``services.sessions``) clears the cache
    on every node, so a revoked token or a deactivated user stops at once, except on a node that missed
    the notification. A token that does not authenticate is never cached. Keys are token hashes, so no
    usable token is kept in memory.
    """

    ttl_seconds: float = 5.0
    max_entries: int = 10_000
    _entries: dict[str, tuple[float, Actor]] = field(default_factory=dict)

    def get(self, token: str) -> Actor | None:
        entry = self._entries.get(hash_token(token))
        if entry is None:
            return None
        expires, actor = entry
        if time.monotonic() >= expires:
            return None
        return actor

    def put(self, token: str, actor: Actor) -> None:
        if self.ttl_seconds <= 0:
            return
        now = time.monotonic()
        if len(self._entries) >= self.max_entries:
            self._entries = {key: entry for key, entry in self._entries.items() if entry[0] > now}
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
        self._entries[hash_token(token)] = (now + self.ttl_seconds, actor)

    def forget(self, token: str) -> None:
        self._entries.pop(hash_token(token), None)

    def clear(self) -> None:
        self._entries.clear()


async def authenticate_password(session: AsyncSession, email: str, password: str) -> User | None:
    """The user if the password is theirs and they may sign in; as slow for an unknown address as for a
    known one (see ``verify_password``)."""
    try:
        user: User | None = await get_user_by_email(session, email)
    except (NotFound, InvalidInput):
        user = None
    usable = user is not None and user.is_active
    password_hash = user.password_hash if user is not None and usable else None
    if not await verify_password(password_hash, password):
        return None
    return user
