"""Showing contacts that an agent is typing, on channels that can: best effort, never stored or retried.

An agent's typing reaches the other agents as a signal (``services.signals``) whether or not this
works; a channel that is slow or down only loses the indicator, which is news for a few seconds.
"""

from __future__ import annotations

import asyncio
import logging

import httpx

from omnihub.channels.spi import DeliveryError, TypingConnector
from omnihub.db.engine import SessionFactory
from omnihub.services import outbox
from omnihub.workers.connectors import ConnectorCache

logger = logging.getLogger(__name__)


class TypingForwarder:
    def __init__(self, sessions: SessionFactory, *, public_url: str, timeout_seconds: float) -> None:
        self.sessions = sessions
        self.http = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False)
        self.connectors = ConnectorCache(self.http, public_url)
        self._tasks: set[asyncio.Task[None]] = set()

    def forward(self, *, conversation_id: int, agent_name: str, on: bool) -> None:
        """Start passing it on; the agent's socket does not wait for the channel."""
        task = asyncio.create_task(self._forward(conversation_id, agent_name, on))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _forward(self, conversation_id: int, agent_name: str, on: bool) -> None:
        try:
            async with self.sessions() as session:
                inbox, typing = await outbox.load_typing(
                    session, conversation_id=conversation_id, agent_name=agent_name, on=on
                )
            connector = self.connectors.get(inbox)
            if isinstance(connector, TypingConnector):
                await connector.send_typing(typing)
        except DeliveryError as exc:
            logger.info("typing in conversation %s not shown to the contact: %s", conversation_id, exc.reason)
        except Exception:
            logger.exception("typing in conversation %s not shown to the contact", conversation_id)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.http.aclose()
