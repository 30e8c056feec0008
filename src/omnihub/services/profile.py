"""The signed-in user's own profile: who they are, and the console language they chose."""

from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import User
from omnihub.domain.errors import InvalidInput, NotFound
from omnihub.services.access import Actor

# The languages the console has catalogues for; None lets the console follow the browser.
CONSOLE_LOCALES = ("en", "ar", "he")


async def get_me(session: AsyncSession, actor: Actor) -> User:
    user = await session.get(User, actor.user_id)
    if user is None:
        raise NotFound("user")
    return user


async def set_locale(session: AsyncSession, actor: Actor, locale: str | None) -> User:
    if locale is not None and locale not in CONSOLE_LOCALES:
        raise InvalidInput("locale", f"one of {', '.join(CONSOLE_LOCALES)}, or null")
    user = await get_me(session, actor)
    user.locale = locale
    await session.commit()
    return user
