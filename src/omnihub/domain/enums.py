"""The closed vocabularies of the conversation model."""

from enum import StrEnum


class ConversationStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"


class Priority(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class MessageDirection(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class MessageKind(StrEnum):
    MESSAGE = "message"
    NOTE = "note"  # private to agents, never delivered to the contact
    ACTIVITY = "activity"  # "Alice assigned this to Bob", shown in the timeline


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class Role(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"


class IdentityKind(StrEnum):
    """How a contact is addressed on a channel.

    E-mail addresses and phone numbers are global; platform user ids are only unique within a scope
    (an API inbox, a Messenger page, a Telegram bot), which the identity's ``scope`` carries.
    """

    EMAIL = "email"
    PHONE = "phone"
    API = "api"
    WHATSAPP = "whatsapp"


class IdentityProvenance(StrEnum):
    """How the hub learnt that an identity belongs to a contact; see docs/security.md, "Identity trust".

    Only ``channel`` and ``agent`` identities find a contact for an inbound message or a new conversation,
    and only they may be where a conversation's replies go. A ``claimed`` identity is a note: shown to
    agents as unverified, never used to join two contacts or to deliver anything.
    """

    CHANNEL = "channel"  # proven by its own channel: mail received from the address, a signed platform id
    AGENT = "agent"  # an agent of the inbox chose to write to it (a new e-mail conversation)
    CLAIMED = "claimed"  # said by someone else: a field pushed over the API, a pre-chat form


class PullOutcome(StrEnum):
    """What became of an item a pull connector fetched."""

    IMPORTED = "imported"
    DUPLICATE = "duplicate"  # the same message (by Message-ID) was stored, sent or seen before
    QUARANTINED = "quarantined"


class QuarantineState(StrEnum):
    HELD = "held"
    RELEASED = "released"  # retried successfully: now a message
