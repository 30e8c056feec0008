"""Typing, viewing and presence signals from every node (``services.signals``), handed to this node's agents; and
the news of ended sessions (``services.sessions``), which closes their sockets here."""

from __future__ import annotations

import asyncio
import json
import logging

from omnihub.db.engine import SessionFactory
from omnihub.domain.events import SignalType
from omnihub.realtime.frames import signal_frame
from omnihub.realtime.gateway import Gateway
from omnihub.realtime.presence import PresenceTracker
from omnihub.services.sessions import SESSIONS_ENDED, ended_tokens
from omnihub.services.users import TokenCache

logger = logging.getLogger(__name__)


class SignalRelay:
    def __init__(
        self, gateway: Gateway, presence: PresenceTracker, sessions: SessionFactory, token_cache: TokenCache
    ) -> None:
        self.gateway = gateway
        self.presence = presence
        self.sessions = sessions
        self.token_cache = token_cache
        self._checks: set[asyncio.Task[None]] = set()

    def listening_again(self) -> None:
        """The listener (re)connected: signals sent meanwhile are lost, so presence is asked for again and
        the sockets' tokens are checked (one of them may have ended while nobody here listened)."""
        self.presence.listening_again()
        if self.gateway.subscribers:
            task = asyncio.get_running_loop().create_task(self._end_missed_sessions())
            self._checks.add(task)
            task.add_done_callback(self._checks.discard)

    async def _end_missed_sessions(self) -> None:
        token_ids = {s.token_id for s in self.gateway.subscribers if s.token_id is not None}
        try:
            async with self.sessions() as session:
                ended = await ended_tokens(session, token_ids)
        except Exception:  # the database is still away: the next reconnection checks again
            logger.warning("could not check the sockets' sessions after reconnecting", exc_info=True)
            return
        self.token_cache.clear()
        if ended:
            self.gateway.end_sessions(token_ids=ended)

    def handle(self, payload: str) -> None:
        message = json.loads(payload)
        kind = message.get("kind")
        if kind in (SignalType.TYPING, SignalType.VIEWING):
            inbox_ids = tuple(int(i) for i in message["inbox_ids"])
            self.gateway.signal([signal_frame(SignalType(kind), message["data"], inbox_ids, message["created_at"])])
        elif kind == SESSIONS_ENDED:
            self.gateway.end_sessions(token_ids=message["token_ids"], user_ids=message["user_ids"])
            # The cache knows tokens by hash, not id: forget all, each is looked up once more.
            self.token_cache.clear()
        elif kind in ("presence", "presence_wanted"):
            self.presence.heard(message)
