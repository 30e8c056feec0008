"""Signing in to the console with a password, and locking out whoever guesses.

Every failed sign-in is recorded in PostgreSQL, so the limits hold across all nodes. Within a
sliding window, a few failures for one e-mail address lock that address (whoever tries it), and
more failures from one client address lock that client (whatever address it tries). A locked
sign-in is refused before the password is checked, with the seconds until the oldest failure leaves
the window. A successful sign-in clears the address's failures. Unknown addresses count like known
ones, and their answer takes as long (a dummy password hash is checked), so neither the answers nor
their timing tell anybody which addresses have an account.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import SignInFailure, User
from omnihub.domain.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from omnihub.domain.identities import normalize_email
from omnihub.services.users import SESSION_TOKEN_NAME, authenticate_password, create_api_token

# Two-key advisory locks: (namespace, hashtext(address)). A hash collision only makes two addresses
# wait for each other a moment.
_EMAIL_LOCKS = 0x5E55
_CLIENT_LOCKS = 0x5E56
_LOCK = text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:key))")


@dataclass(frozen=True, slots=True)
class SignInLimits:
    max_failures: int = 5  # per e-mail address
    max_failures_per_client: int = 20
    window: timedelta = timedelta(minutes=15)


async def sign_in(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    client: str,
    limits: SignInLimits,
    session_lifetime: timedelta = timedelta(hours=12),
) -> tuple[User, str]:
    """Check the password and issue a console session token (``SESSION_TOKEN_NAME``) valid for
    ``session_lifetime``; returns user and token.

    ``TooManyAttempts`` while the address or the client is locked, ``NotAuthenticated`` for a wrong
    e-mail or password (recorded as a failure).
    """
    email = _lockout_key(email)
    client = client[:64]
    await claim_attempt(session, email=email, client=client, limits=limits)
    user = await authenticate_password(session, email, password)
    if user is None:
        raise NotAuthenticated("wrong e-mail or password")  # the claimed attempt stays, as the failure
    await session.execute(delete(SignInFailure).where(SignInFailure.email == email))
    return user, await create_api_token(session, user=user, name=SESSION_TOKEN_NAME, valid_for=session_lifetime)


async def claim_attempt(session: AsyncSession, *, email: str, client: str, limits: SignInLimits) -> None:
    """Count the address's and the client's failures and, below both limits, record this attempt as one.

    Counting and recording happen under transaction-level advisory locks on the address and the client,
    so parallel attempts are counted one after the other (on every node): of many at once, at most the
    limit get to have their password checked. The attempt counts as a failure until it succeeds, which
    clears it. The locks are held for two short queries, not while the password is checked.
    """
    # Always the address first, then the client: two requests never wait for each other in a cycle.
    await session.execute(_LOCK, {"namespace": _EMAIL_LOCKS, "key": email})
    await session.execute(_LOCK, {"namespace": _CLIENT_LOCKS, "key": client})
    # The database's clock, which stamps the failures: the nodes' clocks may differ from it and each other.
    since = func.now() - limits.window
    for column, value, limit in (
        (SignInFailure.email, email, limits.max_failures),
        (SignInFailure.client, client, limits.max_failures_per_client),
    ):
        count, oldest, now = (
            await session.execute(
                select(func.count(), func.min(SignInFailure.failed_at), func.now()).where(
                    column == value, SignInFailure.failed_at > since
                )
            )
        ).one()
        if count >= limit:
            await session.rollback()
            retry_after = max(1, int((oldest + limits.window - now).total_seconds()) + 1)
            raise TooManyAttempts(
                f"too many failed sign-ins: try again in {retry_after} seconds", retry_after_seconds=retry_after
            )
    session.add(SignInFailure(email=email, client=client))
    await session.commit()  # releases the locks
    # Old failures go after the locks are released; rows another attempt is deleting are left to it.
    expired = select(SignInFailure.id).where(SignInFailure.failed_at < since).with_for_update(skip_locked=True)
    await session.execute(delete(SignInFailure).where(SignInFailure.id.in_(expired.scalar_subquery())))
    await session.commit()


def _lockout_key(email: str) -> str:
    """The address as accounts are looked up by, so that every spelling of one address shares one count."""
    try:
        return normalize_email(email)
    except InvalidInput:
        return email.strip().lower()[:320]
