"""The e-mail channel: a shared mailbox read over IMAP, replies sent over SMTP."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from omnihub.channels.spi import (
    ConnectorContext,
    DeliveryReceipt,
    OutboundMessage,
    OverBudget,
    PulledItem,
    PullSink,
    WorkerLost,
)
from omnihub.domain.enums import DeliveryStatus
from omnihub_connectors.email.config import EmailConfig
from omnihub_connectors.email.incoming import pulled_item
from omnihub_connectors.email.mailbox import MailboxFollower
from omnihub_connectors.email.outgoing import compose, message_id_of, send_mail


class EmailConnector:
    def __init__(self, config: EmailConfig, context: ConnectorContext) -> None:
        self.config = config
        self.context = context

    async def send(self, message: OutboundMessage) -> DeliveryReceipt:
        mail = await compose(self.config, message)
        await send_mail(self.config, mail)
        return DeliveryReceipt(external_id=message_id_of(mail), status=DeliveryStatus.SENT)

    async def pull(self, sink: PullSink) -> None:
        await MailboxFollower(self.config, self.parse_raw, inbox_id=self.context.inbox_id).run(sink)

    async def parse_raw(self, raw: bytes, source_key: str) -> PulledItem:
        """The mail parsed off the event loop (``context.cpu``); quarantined when that fails or runs too long."""
        try:
            return await self.context.cpu.run(pulled_item, self.config, self.context.inbox_id, raw, source_key)
        except OverBudget as exc:
            return PulledItem(source_key, raw=raw, problem=f"took too long to parse ({exc})")
        except WorkerLost as exc:
            return PulledItem(source_key, raw=raw, problem=f"the parser crashed on it ({exc})")


class EmailChannel:
    kind: ClassVar[str] = "email"
    display_name: ClassVar[str] = "E-mail (IMAP/SMTP)"
    config_model: ClassVar[type[BaseModel]] = EmailConfig
    secret_fields: ClassVar[frozenset[str]] = frozenset({"imap.password", "smtp.password", "reply_secret"})
    # Another server or account is another mailbox: the hub forgets its cursors and reads it from the start.
    source_fields: ClassVar[frozenset[str]] = frozenset({"imap.host", "imap.port", "imap.username"})

    def create(self, config: BaseModel, context: ConnectorContext) -> EmailConnector:
        assert isinstance(config, EmailConfig)
        return EmailConnector(config, context)


CHANNEL = EmailChannel()
