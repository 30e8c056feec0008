"""The service-provider interface every channel connector implements.

A connector turns what a provider sends into ``InboundMessage`` values and delivers
``OutboundMessage`` values; it never touches the database. Connectors declare what they can do
by which protocols they implement: every connector can ``send``; one that receives provider
webhooks is also a ``WebhookConnector``; one that fetches from the provider (a mailbox, a polling
API) is a ``PullConnector``, run by the hub on exactly one node at a time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

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
class Threading:
    """Which conversation a message belongs to, for channels that say more than "who wrote".

    Chat channels leave it out: a contact's message continues their latest conversation in the inbox.
    Mail says it explicitly: ``conversation_id`` comes from a token the connector verified (a signed
    reply address), ``references`` are external ids of earlier messages this one answers (newest
    last), and a message that matches neither starts a new conversation unless ``continue_latest``.
    """

    conversation_id: int | None = None
    references: tuple[str, ...] = ()
    continue_latest: bool = False


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message as it arrived, normalised; ``external_id`` is its idempotency key in the inbox.

    ``automated`` says why a machine sent it (an auto-reply, a bounce): such a message is stored but
    never reopens a conversation and never gets an automatic answer.
    """

    external_id: str
    contact: InboundContact
    text: str
    html: str | None = None
    subject: str | None = None
    attachments: tuple[InboundAttachment, ...] = ()
    sent_at: datetime | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    threading: Threading | None = None
    automated: str | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a conversation's replies go: the identity it talks to (empty ``address`` when it has none)."""

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
    references: tuple[str, ...] = ()  # external ids of the conversation's messages, oldest first
    cc: tuple[str, ...] = ()  # e-mail: addresses that get a copy (the Cc header and the envelope)


@dataclass(frozen=True, slots=True)
class TypingIndicator:
    """An agent started (``on``) or stopped typing in a conversation: news for the contact, never stored."""

    conversation_id: int
    inbox_id: int
    recipient: Recipient
    agent_name: str
    on: bool


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    external_id: str | None = None
    status: DeliveryStatus = DeliveryStatus.SENT


class DeliveryError(Exception):
    """Sending failed. ``permanent`` errors are not retried (a rejected recipient, a 4xx).

    ``reason`` is shown to agents: a fixed phrase, never a remote server's words (see ``channels.failures``).
    ``detail`` is what the other side said or the low-level error, kept for admins only.
    """

    def __init__(self, reason: str, *, permanent: bool = False, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.detail = detail


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


_T = TypeVar("_T")


class OverBudget(Exception):
    """CPU-heavy work on one item took longer than its time budget, and was stopped."""


class WorkerLost(Exception):
    """The process doing CPU-heavy work on one item died (out of memory, a crash) before answering."""


class CpuRunner(Protocol):
    """Runs CPU-heavy work on one item (parsing a mail) away from the event loop, within a time budget.

    ``function`` and its arguments and result travel to another process: a module-level function and
    picklable values. Raises ``OverBudget`` or ``WorkerLost``; the function's own exceptions come back.
    """

    async def run(self, function: Callable[..., _T], /, *args: Any) -> _T: ...


class InlineRunner:
    """A ``CpuRunner`` without processes or budget, for tools and tests: runs the work right here."""

    async def run(self, function: Callable[..., _T], /, *args: Any) -> _T:
        return function(*args)


@dataclass(frozen=True, slots=True)
class ConnectorContext:
    """What the hub lends a connector: shared HTTP client, how its own URLs look from outside, and
    where to run CPU-heavy work on what it receives.

    ``http`` follows the hub's outbound policy (``workers.outbound_http``): it connects only to public
    addresses, checked after name resolution, unless the operator allowed a private network, and it
    follows no redirects. Every request a connector makes for a channel goes through it.
    """

    inbox_id: int
    http: httpx.AsyncClient
    public_base_url: str
    cpu: CpuRunner = field(default_factory=InlineRunner)


@dataclass(frozen=True, slots=True)
class PulledItem:
    """One thing a pull connector fetched: a message, or raw bytes it could not make sense of.

    ``source_key`` names the item at the provider uniquely within the inbox (for a mailbox: folder,
    UIDVALIDITY and UID), so fetching it again changes nothing. ``dedupe_key`` (a Message-ID) catches
    the same message under another key: copied to a second folder, or renumbered by the server.
    An item with a ``problem`` is kept in quarantine with its ``raw`` bytes and that reason.
    """

    source_key: str
    dedupe_key: str | None = None
    message: InboundMessage | None = None
    raw: bytes | None = None
    problem: str | None = None


class PullSink(Protocol):
    """What the hub offers a pull connector: durable cursors, and storage of what it fetched.

    A stream is one thing the connector follows (a mail folder). ``commit`` stores the items and the
    new cursor in one transaction, so a crash at any point neither loses nor repeats an item.
    """

    async def load_cursor(self, stream: str) -> Mapping[str, Any] | None: ...

    async def commit(self, stream: str, cursor: Mapping[str, Any], items: Sequence[PulledItem]) -> None: ...

    async def known_dedupe_keys(self, keys: Sequence[str]) -> set[str]: ...

    async def report(self, stream: str, progress: Mapping[str, Any], *, error: str | None = None) -> None: ...


@runtime_checkable
class Connector(Protocol):
    async def send(self, message: OutboundMessage) -> DeliveryReceipt: ...


@runtime_checkable
@runtime_checkable
class TypingConnector(Connector, Protocol):
    """A connector whose channel can show the contact that an agent is typing."""

    async def send_typing(self, typing: TypingIndicator) -> None:
        """Best effort, never retried: raises ``DeliveryError`` when the channel refused or was unreachable."""


class WebhookConnector(Connector, Protocol):
    async def verify_webhook(self, request: WebhookRequest) -> None: ...

    def parse_webhook(self, request: WebhookRequest) -> list[InboundMessage]: ...


@runtime_checkable
class PullConnector(Connector, Protocol):
    async def pull(self, sink: PullSink) -> None:
        """Follow the provider until cancelled: fetch what is new, hand it to ``sink``, reconnect on errors."""
        ...

    async def parse_raw(self, raw: bytes, source_key: str) -> PulledItem:
        """Make an item from raw bytes (fetched, or kept in quarantine to try again), off the event loop
        within the hub's time budget (``ConnectorContext.cpu``); over budget it comes back with a problem."""
        ...


class ChannelDefinition(Protocol):
    """Declarative description of a channel, registered once in the registry.

    A pull channel may also declare ``source_fields``: the dotted config paths that name where it fetches
    from; when an admin changes one, the hub forgets the inbox's cursors (``services.inbox_settings``).
    """

    kind: ClassVar[str]
    display_name: ClassVar[str]
    config_model: ClassVar[type[BaseModel]]
    secret_fields: ClassVar[frozenset[str]]

    def create(self, config: BaseModel, context: ConnectorContext) -> Connector: ...
