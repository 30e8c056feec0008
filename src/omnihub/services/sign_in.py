"""Signing in to the console with a password, and locking out whoever guesses.

Every failed sign-in is recorded in PostgreSQL, so the limits hold across all nodes. Within a
sliding window, a few failures for one e-mail address lock that address (whoever tries it), and
more failures from one client address lock that client (whatever address it tries). A locked
sign-in is refused before the password is checked, with the seconds until the oldest failure leaves
the window. A successful sign-in clears the address's failures. Unknown addresses count like known
ones, so the answers tell nobody which addresses have an account.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import SignInFailure, User
from omnihub.domain.errors import NotAuthenticated, TooManyAttempts
from omnihub.services.users import SESSION_TOKEN_NAME, authenticate_password, create_api_token


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
    email = email.strip().lower()[:320]
    client = client[:64]
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
            retry_after = max(1, int((oldest + limits.window - now).total_seconds()) + 1)
            raise TooManyAttempts(
                f"too many failed sign-ins: try again in {retry_after} seconds", retry_after_seconds=retry_after
            )

    user = await authenticate_password(session, email, password)
    if user is None:
        session.add(SignInFailure(email=email, client=client))
        await session.execute(delete(SignInFailure).where(SignInFailure.failed_at < since))
        await session.commit()  # kept although the request fails
        raise NotAuthenticated("wrong e-mail or password")
    await session.execute(delete(SignInFailure).where(SignInFailure.email == email))
    return user, await create_api_token(session, user=user, name=SESSION_TOKEN_NAME, valid_for=session_lifetime)
