"""Showing contacts that an agent is typing, on channels that can: best effort, never stored or retried.

An agent's typing reaches the other agents as a signal (``services.signals``) whether or not this
works; a channel that is slow or down only loses the indicator, which is news for a few seconds.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from omnihub.channels.spi import DeliveryError, TypingConnector
from omnihub.db.engine import SessionFactory
from omnihub.domain.network import PrivateNetworkAllowance
from omnihub.services import outbox
from omnihub.workers.connectors import ConnectorCache
from omnihub.workers.outbound_http import outbound_client

if TYPE_CHECKING:
    from omnihub.db.models import Conversation

logger = logging.getLogger(__name__)


class TypingForwarder:
    def __init__(
        self, sessions: SessionFactory, *, public_url: str, timeout_seconds: float, allowance: PrivateNetworkAllowance
    ) -> None:
        self.sessions = sessions
        self.http = outbound_client(allowance, timeout=timeout_seconds)
        self.connectors = ConnectorCache(self.http, public_url)
        self._tasks: set[asyncio.Task[None]] = set()

    def forward(self, conversation: Conversation, *, agent_name: str, on: bool) -> None:
        """Start passing it on; the agent's socket does not wait for the channel."""
        task = asyncio.create_task(self._forward(conversation, agent_name, on))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _forward(self, conversation: Conversation, agent_name: str, on: bool) -> None:
        try:
            async with self.sessions() as session:
                inbox = await outbox.inbox_of(session, conversation)
                connector = self.connectors.get(inbox)
                if not isinstance(connector, TypingConnector):  # e-mail, say: nothing to look up or send
                    return
                typing = await outbox.typing_indicator(session, inbox, conversation, agent_name=agent_name, on=on)
            await connector.send_typing(typing)
        except DeliveryError as exc:
            logger.info(
                "typing in conversation %s not shown to the contact: %s (%s)", conversation.id, exc.reason, exc.detail
            )
        except Exception:
            logger.exception("typing in conversation %s not shown to the contact", conversation.id)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.http.aclose()
