"""The service-provider interface every channel connector implements.

A connector turns what a provider sends into ``InboundMessage`` values and delivers
``OutboundMessage`` values; it never touches the database. Connectors declare what they can do
by which protocols they implement: every connector can ``send``; one that receives provider
webhooks is also a ``WebhookConnector``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

import httpx
from pydantic import BaseModel

from omnihub.domain.enums import DeliveryStatus


@dataclass(frozen=True, slots=True)
class InboundContact:
    """Who wrote: the channel's own identifier plus whatever else the channel tells about them."""

    identity_kind: str
    identifier: str
    scope: str = ""
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None  # for inline images referenced as cid: in HTML


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message as it arrived, normalised; ``external_id`` is its idempotency key in the inbox."""

    external_id: str
    contact: InboundContact
    text: str
    html: str | None = None
    subject: str | None = None
    attachments: tuple[InboundAttachment, ...] = ()
    sent_at: datetime | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recipient:
    contact_id: int
    identity_kind: str
    address: str
    scope: str = ""
    name: str | None = None


@dataclass(frozen=True, slots=True)
class OutboundAttachment:
    """A file of a reply. ``read`` loads its bytes, so channels that send only ``url`` never load them."""

    attachment_id: int
    filename: str
    content_type: str
    size: int
    url: str
    read: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """An agent's reply on its way out; ``delivery_id`` is stable across retries of one delivery."""

    delivery_id: int
    message_id: int
    conversation_id: int
    inbox_id: int
    recipient: Recipient
    text: str
    created_at: datetime
    html: str | None = None
    subject: str | None = None
    sender_name: str | None = None
    attachments: tuple[OutboundAttachment, ...] = ()
    in_reply_to: str | None = None  # external id of the last incoming message, where the channel threads


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    external_id: str | None = None
    status: DeliveryStatus = DeliveryStatus.SENT


class DeliveryError(Exception):
    """Sending failed. ``permanent`` errors are not retried (a rejected recipient, a 4xx)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class ChannelConfigError(ValueError):
    """An inbox's configuration is unusable for its channel."""


class WebhookRejected(Exception):
    """A webhook request is refused before anything is stored (bad signature, wrong token)."""


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    method: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class ConnectorContext:
    """What the hub lends a connector: shared HTTP client and how its own URLs look from outside."""

    inbox_id: int
    http: httpx.AsyncClient
    public_base_url: str


@runtime_checkable
class Connector(Protocol):
    async def send(self, message: OutboundMessage) -> DeliveryReceipt: ...


@runtime_checkable
class WebhookConnector(Connector, Protocol):
    async def verify_webhook(self, request: WebhookRequest) -> None: ...

    def parse_webhook(self, request: WebhookRequest) -> list[InboundMessage]: ...


class ChannelDefinition(Protocol):
    """Declarative description of a channel, registered once in the registry."""

    kind: ClassVar[str]
    display_name: ClassVar[str]
    config_model: ClassVar[type[BaseModel]]
    secret_fields: ClassVar[frozenset[str]]

    def create(self, config: BaseModel, context: ConnectorContext) -> Connector: ...
