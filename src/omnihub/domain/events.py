"""Names of the events that agents' screens follow.

Every change an agent must see is one row in the event log, written by a service in the same
transaction as the change, so the log and the data never disagree. Typing and presence are not
changes of data: they are signals, passed on at once to whoever is connected and never stored.
"""

from enum import StrEnum


class EventType(StrEnum):
    MESSAGE_CREATED = "message.created"
    MESSAGE_UPDATED = "message.updated"
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_UPDATED = "conversation.updated"
    CONTACT_CREATED = "contact.created"
    CONTACT_UPDATED = "contact.updated"
    CONTACT_MERGED = "contact.merged"
    INBOX_CREATED = "inbox.created"
    INBOX_UPDATED = "inbox.updated"
    INBOX_MEMBER_ADDED = "inbox.member_added"
    INBOX_MEMBER_REMOVED = "inbox.member_removed"
    # Personal: only the sockets of the user it names (services.events.record_personal_event).
    READ_MARK_UPDATED = "read_mark.updated"


MEMBERSHIP_EVENTS = frozenset({EventType.INBOX_MEMBER_ADDED, EventType.INBOX_MEMBER_REMOVED})


class SignalType(StrEnum):
    """Ephemeral: not in the event log, so without an id and not resumable."""

    TYPING = "typing"
    PRESENCE = "presence"
    VIEWING = "viewing"


class PresenceStatus(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"

    @property
    def rank(self) -> int:
        """How present: an agent online anywhere is online, else away anywhere is away."""
        return {PresenceStatus.OFFLINE: 0, PresenceStatus.AWAY: 1, PresenceStatus.ONLINE: 2}[self]
