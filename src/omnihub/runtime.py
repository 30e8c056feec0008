"""What a running hub holds: settings, database, file store and background workers."""

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from omnihub.config import Settings
from omnihub.db.blobs import BlobStore
from omnihub.db.engine import SessionFactory
from omnihub.realtime.gateway import Gateway
from omnihub.realtime.presence import PresenceTracker
from omnihub.realtime.reader import EventLogReader
from omnihub.realtime.sequencer import EventSequencer
from omnihub.services.attachments import AttachmentPolicy
from omnihub.services.cpu_budget import CpuBudget
from omnihub.services.pulls import PullContext
from omnihub.services.users import TokenCache
from omnihub.workers.outbox import OutboxDeliverer
from omnihub.workers.pullers import PullSupervisor
from omnihub.workers.snooze import SnoozeWaker
from omnihub.workers.typing import TypingForwarder


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    store: BlobStore
    deliverers: list[OutboxDeliverer] = field(default_factory=list)
    gateway: Gateway = field(default_factory=Gateway)
    sequencer: EventSequencer = field(init=False)
    reader: EventLogReader = field(init=False)
    presence: PresenceTracker = field(init=False)
    pullers: PullSupervisor = field(init=False)
    typing: TypingForwarder = field(init=False)
    snoozes: SnoozeWaker = field(init=False)
    # Tokens seen in the last few seconds (REST); emptied when any session ends, on every node.
    token_cache: TokenCache = field(default_factory=TokenCache)
    cpu: CpuBudget = field(init=False)

    def pull_context(self, inbox_id: int) -> PullContext:
        return PullContext(inbox_id, self.attachment_policy, self.settings.default_phone_region)

    @property
    def attachment_policy(self) -> AttachmentPolicy:
        return AttachmentPolicy(self.store, self.settings.max_attachment_bytes)

    def wake_outbox(self) -> None:
        for deliverer in self.deliverers:
            deliverer.wake()
