"""Running a callback after a session commits work that set a flag in ``session.info``."""

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session


def call_after_commit(factory: async_sessionmaker[AsyncSession], flag: str, callback: Callable[[], None]) -> None:
    """After a commit of a session from ``factory`` whose ``info[flag]`` was set, call ``callback``.

    A session class of its own keeps the hook to this factory (tests run several hubs in a process).
    """

    class HookedSession(Session):
        pass

    @event.listens_for(HookedSession, "after_commit")
    def after_commit(session: Session) -> None:
        if session.info.pop(flag, False):
            callback()

    @event.listens_for(HookedSession, "after_rollback")
    def after_rollback(session: Session) -> None:
        session.info.pop(flag, None)

    factory.configure(sync_session_class=HookedSession)
