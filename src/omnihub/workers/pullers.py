"""Running pull connectors (mailboxes): each inbox followed by exactly one node of the cluster.

Every node runs a supervisor. It holds one PostgreSQL connection and, on it, a session-level advisory
lock per inbox it follows; every ``scan_seconds`` it tries to take the locks of inboxes nobody
follows. When a node dies its connection closes, PostgreSQL releases its locks, and another node's
next scan takes the inboxes over. Should two nodes ever overlap (a connection lost but not yet
noticed), nothing is stored twice: items are unique per inbox and cursors move in the same
transaction as the items they cover.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from omnihub.channels.registry import get_channel
from omnihub.channels.spi import ConnectorContext, CpuRunner, InlineRunner, PullConnector, PulledItem
from omnihub.db.engine import SessionFactory
from omnihub.db.pg import CONNECTION_ERRORS, RawConnection, connect
from omnihub.domain.backoff import Backoff
from omnihub.domain.network import PrivateNetworkAllowance
from omnihub.services import pull_leases, pulls
from omnihub.services.pull_leases import InboxChannel
from omnihub.services.pulls import PullContext
from omnihub.workers.outbound_http import outbound_client

logger = logging.getLogger(__name__)


class InboxSink:
    """The ``PullSink`` a connector writes through: the pulls service, for one inbox."""

    def __init__(self, sessions: SessionFactory, context: PullContext, node: str) -> None:
        self.sessions = sessions
        self.context = context
        self.node = node

    async def load_cursor(self, stream: str) -> Mapping[str, Any] | None:
        return await pulls.load_cursor(self.sessions, self.context.inbox_id, stream)

    async def commit(self, stream: str, cursor: Mapping[str, Any], items: Sequence[PulledItem]) -> None:
        await pulls.commit_batch(self.sessions, self.context, stream=stream, cursor=cursor, items=items)

    async def known_dedupe_keys(self, keys: Sequence[str]) -> set[str]:
        return await pulls.known_dedupe_keys(self.sessions, self.context.inbox_id, keys)

    async def report(self, stream: str, progress: Mapping[str, Any], *, error: str | None = None) -> None:
        await pulls.report_progress(self.sessions, self.context, stream, {**progress, "node": self.node}, error=error)


@dataclass
class _Following:
    config_json: str
    task: asyncio.Task[None]


class PullSupervisor:
    def __init__(
        self,
        dsn: str,
        sessions: SessionFactory,
        *,
        context_for: Callable[[int], PullContext],
        public_url: str,
        scan_seconds: float = 15.0,
        allowance: PrivateNetworkAllowance | None = None,
        cpu: CpuRunner | None = None,
    ) -> None:
        self.dsn = dsn
        self.sessions = sessions
        self.context_for = context_for
        self.public_url = public_url
        self.scan_seconds = scan_seconds
        self.cpu = cpu or InlineRunner()
        self.node = f"{socket.gethostname()}:{os.getpid()}"
        self.http = outbound_client(allowance or PrivateNetworkAllowance(), timeout=30)
        self.following: dict[int, _Following] = {}

    async def run(self) -> None:
        backoff = Backoff(first=1.0, cap=30.0)
        while True:
            try:
                connection = await connect(self.dsn)
            except CONNECTION_ERRORS as exc:
                logger.warning("pull supervisor cannot reach PostgreSQL: %s", exc)
                await asyncio.sleep(backoff.next_delay())
                continue
            backoff.reset()
            try:
                while not connection.is_closed():
                    await self.scan(connection)
                    await asyncio.sleep(self.scan_seconds)
            except CONNECTION_ERRORS as exc:
                logger.warning("pull supervisor lost PostgreSQL: %s", exc)
            finally:
                # Our locks die with the connection: stop following before another node starts.
                await self.stop_all()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(connection.close(), timeout=2)
                if not connection.is_closed():
                    connection.terminate()

    async def scan(self, connection: RawConnection) -> None:
        wanted = {inbox.id: inbox for inbox in await pull_leases.all_inboxes(connection)}
        for inbox_id, following in list(self.following.items()):
            inbox = wanted.get(inbox_id)
            if inbox is None or inbox.config_json != following.config_json or following.task.done():
                await self._stop(connection, inbox_id)
        for inbox_id, inbox in wanted.items():
            if inbox_id in self.following:
                continue
            connector = self.connector(inbox.id, inbox.channel_type, inbox.config)
            if connector is None:
                continue
            if await pull_leases.try_to_follow(connection, inbox_id):
                self._start(inbox, connector)

    def connector(self, inbox_id: int, channel_type: str, config: dict[str, Any]) -> PullConnector | None:
        """The inbox's connector, if its channel is one the hub pulls from."""
        try:
            channel = get_channel(channel_type)
            model = channel.config_model.model_validate(config)
        except Exception as exc:
            logger.warning("inbox %s: unusable configuration: %s", inbox_id, exc)
            return None
        context = ConnectorContext(inbox_id=inbox_id, http=self.http, public_base_url=self.public_url, cpu=self.cpu)
        connector = channel.create(model, context)
        return connector if isinstance(connector, PullConnector) else None

    def _start(self, inbox: InboxChannel, connector: PullConnector) -> None:
        context = dataclasses.replace(self.context_for(inbox.id), config_json=inbox.config_json)
        sink = InboxSink(self.sessions, context, self.node)
        task = asyncio.create_task(self._follow(inbox.id, connector, sink), name=f"pull-inbox-{inbox.id}")
        self.following[inbox.id] = _Following(inbox.config_json, task)
        logger.info("following inbox %s on %s", inbox.id, self.node)

    async def _follow(self, inbox_id: int, connector: PullConnector, sink: InboxSink) -> None:
        try:
            await connector.pull(sink)
        except asyncio.CancelledError:
            raise
        except pulls.ConfigChanged:
            # An admin changed the settings: the next scan starts a connector with the new ones.
            logger.info("inbox %s: settings changed, its connector stopped", inbox_id)
        except Exception:
            # The next scan starts it again; until then the inbox's lock stays with this node.
            logger.exception("inbox %s: connector stopped", inbox_id)

    async def _stop(self, connection: RawConnection, inbox_id: int) -> None:
        following = self.following.pop(inbox_id)
        following.task.cancel()
        await asyncio.gather(following.task, return_exceptions=True)
        await pull_leases.stop_following(connection, inbox_id)

    async def stop_all(self) -> None:
        tasks = [following.task for following in self.following.values()]
        self.following.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def aclose(self) -> None:
        await self.stop_all()
        await self.http.aclose()
