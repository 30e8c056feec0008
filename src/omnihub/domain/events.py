"""Names of the events that agents' screens follow.

Every change an agent must see is one row in the event log, written by a service in the same
transaction as the change, so the log and the data never disagree.
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
