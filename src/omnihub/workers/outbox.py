"""The outbox deliverer: sends agents' replies through their inbox's connector, with retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from omnihub.channels.spi import DeliveryError
from omnihub.db.blobs import BlobStore
from omnihub.db.engine import SessionFactory
from omnihub.domain.network import PrivateNetworkAllowance
from omnihub.services import outbox
from omnihub.services.outbox import Claim, RetryPolicy
from omnihub.workers.connectors import ConnectorCache
from omnihub.workers.outbound_http import outbound_client

logger = logging.getLogger(__name__)


class OutboxDeliverer:
    def __init__(
        self,
        sessions: SessionFactory,
        *,
        store: BlobStore,
        public_url: str,
        policy: RetryPolicy,
        poll_seconds: float,
        lease_seconds: float,
        timeout_seconds: float,
        allowance: PrivateNetworkAllowance,
        concurrency: int = 8,
    ) -> None:
        self.sessions = sessions
        self.store = store
        self.public_url = public_url
        self.policy = policy
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self.concurrency = concurrency
        self.http = outbound_client(allowance, timeout=timeout_seconds)
        self.connectors = ConnectorCache(self.http, public_url)
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        """Look for due deliveries now rather than at the next poll."""
        self._wakeup.set()

    async def run(self) -> None:
        while True:
            try:
                delivered = await self.deliver_due()
            except Exception:
                logger.exception("outbox pass failed; retrying after the poll interval")
                delivered = 0
            if delivered:
                continue
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that arrives as
            # the event is set, and the task would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wakeup.wait()
            self._wakeup.clear()

    async def deliver_due(self) -> int:
        async with self.sessions() as session:
            claims = await outbox.claim_due(session, limit=self.concurrency, lease_seconds=self.lease_seconds)
        await asyncio.gather(*(self._deliver(claim) for claim in claims))
        return len(claims)

    async def _deliver(self, claim: Claim) -> None:
        async with self.sessions() as session:
            try:
                inbox, message = await outbox.load_outbound(
                    session, claim, store=self.store, public_url=self.public_url
                )
                receipt = await self.connectors.get(inbox).send(message)
            except DeliveryError as exc:
                final = await outbox.record_failure(
                    session, claim, reason=exc.reason, permanent=exc.permanent, policy=self.policy, detail=exc.detail
                )
                log = logger.warning if final else logger.info
                log("delivery %s attempt %s failed: %s (%s)", claim.outbox_id, claim.attempt, exc.reason, exc.detail)
                return
            except Exception as exc:
                logger.exception("delivery %s crashed", claim.outbox_id)
                await session.rollback()
                await outbox.record_failure(
                    session,
                    claim,
                    reason="internal error",
                    permanent=False,
                    policy=self.policy,
                    detail=f"{type(exc).__name__}: {exc}",
                )
                return
            await outbox.record_delivered(session, claim, receipt)

    async def aclose(self) -> None:
        await self.http.aclose()
