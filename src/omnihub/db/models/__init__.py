"""All tables; importing this package registers them on ``Base.metadata``."""

from omnihub.db.models.accounts import ApiToken, SignInFailure, Team, TeamMember, User
from omnihub.db.models.base import Base
from omnihub.db.models.console import ConversationRead, Draft, SetupCode
from omnihub.db.models.contacts import Contact, ContactIdentity
from omnihub.db.models.conversations import Attachment, Conversation, Message
from omnihub.db.models.events import Event, EventQueueEntry
from omnihub.db.models.inboxes import Inbox, InboxMember
from omnihub.db.models.outbox import OutboxEntry
from omnihub.db.models.pulls import PullCursor, PullRecord, QuarantinedItem

__all__ = [
    "ApiToken",
    "Attachment",
    "Base",
    "Contact",
    "ContactIdentity",
    "Conversation",
    "ConversationRead",
    "Draft",
    "Event",
    "EventQueueEntry",
    "Inbox",
    "InboxMember",
    "Message",
    "OutboxEntry",
    "PullCursor",
    "PullRecord",
    "QuarantinedItem",
    "SetupCode",
    "SignInFailure",
    "Team",
    "TeamMember",
    "User",
]
