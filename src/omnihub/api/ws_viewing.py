"""Which conversation an agent's socket has open, told to the other agents of its inbox ("Sam is viewing").

The client says so with a ``viewing`` frame when it opens or leaves a conversation and repeats it every
few seconds; receivers forget a viewer who is not repeated (a node can crash without a word). When the
socket switches to another conversation, or none, or closes, this withdraws the one it had open at once,
so the others stop showing the agent without waiting for that expiry.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

from omnihub.db.engine import DATABASE_ERRORS
from omnihub.runtime import Runtime
from omnihub.services.access import Actor
from omnihub.services.signals import announce_viewing, announce_viewing_ended

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)


class SocketViewing:
    def __init__(self, runtime: Runtime, actor: Actor) -> None:
        self.runtime = runtime
        self.actor = actor
        # Receivers key viewers by socket: the same agent may have the conversation open in two tabs.
        self.socket_id = secrets.token_hex(8)
        self._open: tuple[int, int] | None = None  # (conversation id, inbox id) as announced

    async def view(self, conversation_id: int | None) -> None:
        """Announce ``conversation_id`` open (again), or none; ``NotFound`` for one the agent may not see."""
        async with self.runtime.sessions() as session:
            if self._open is not None and self._open[0] != conversation_id:
                await self._withdraw(session)
            if conversation_id is not None:
                conversation = await announce_viewing(
                    session, self.actor, conversation_id=conversation_id, socket_id=self.socket_id
                )
                self._open = (conversation.id, conversation.inbox_id)

    async def close(self) -> None:
        """The socket has ended: withdraw what it had open (best effort: else it expires)."""
        if self._open is None:
            return
        try:
            async with self.runtime.sessions() as session:
                await self._withdraw(session)
        except DATABASE_ERRORS as exc:  # the database is away: the others' screens let the viewer expire
            logger.warning("could not withdraw a closed socket's viewing (%s)", exc)

    async def _withdraw(self, session: AsyncSession) -> None:
        assert self._open is not None
        (conversation_id, inbox_id), self._open = self._open, None
        await announce_viewing_ended(
            session, self.actor, conversation_id=conversation_id, inbox_id=inbox_id, socket_id=self.socket_id
        )
