"""The JSON shapes of the model, shared by the REST API and the event log so both always agree."""

from typing import Any

from omnihub.channels.registry import public_config
from omnihub.db.models import Attachment, Contact, ContactIdentity, Conversation, Inbox, Message
from omnihub.domain.enums import IdentityProvenance


def inbox_view(inbox: Inbox, *, reveal_urls: bool = False) -> dict[str, Any]:
    """``reveal_urls`` for admins only: events and agents get URLs with their tokens masked."""
    return {
        "id": inbox.id,
        "name": inbox.name,
        "channel_type": inbox.channel_type,
        "config": public_config(inbox.channel_type, inbox.config, reveal_urls=reveal_urls),
        "created_at": inbox.created_at.isoformat(),
    }


def attachment_view(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "content_id": attachment.content_id,
        "url": f"/api/v1/attachments/{attachment.id}",
    }


def message_view(message: Message, attachments: list[Attachment] | None = None) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "inbox_id": message.inbox_id,
        "direction": message.direction,
        "kind": message.kind,
        "private": message.kind == "note",
        "sender_contact_id": message.sender_contact_id,
        "sender_user_id": message.sender_user_id,
        "content": message.text,
        "html": message.html,
        "external_id": message.external_id,
        "delivery_status": message.delivery_status,
        "failure_reason": message.failure_reason,
        "metadata": message.extra or {},
        "attachments": [attachment_view(a) for a in attachments or []],
        "created_at": message.created_at.isoformat(),
    }


def conversation_view(conversation: Conversation) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": conversation.id,
        "inbox_id": conversation.inbox_id,
        "contact_id": conversation.contact_id,
        "status": conversation.status,
        "assignee_id": conversation.assignee_id,
        "team_id": conversation.team_id,
        "priority": conversation.priority,
        "labels": list(conversation.labels),
        "subject": conversation.subject,
        "created_at": iso(conversation.created_at),
        "last_activity_at": iso(conversation.last_activity_at),
        "first_response_at": iso(conversation.first_response_at),
        "resolved_at": iso(conversation.resolved_at),
        "snoozed_until": iso(conversation.snoozed_until),
        "reply_identity_id": conversation.reply_identity_id,
        "waiting_since": iso(conversation.waiting_since),
    }


def identity_view(identity: ContactIdentity) -> dict[str, Any]:
    return {
        "id": identity.id,
        "kind": identity.kind,
        "scope": identity.scope,
        "address": identity.address,
        "provenance": identity.provenance,
        "verified": identity.provenance != IdentityProvenance.CLAIMED,
        "inbox_id": identity.inbox_id,
    }


def contact_view(contact: Contact, identities: list[ContactIdentity] | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "created_at": contact.created_at.isoformat(),
    }
    if identities is not None:
        view["identities"] = [identity_view(i) for i in identities]
    return view


def shared_contact_view(contact: Contact) -> dict[str, Any]:
    """A contact as events for the agents of several inboxes carry it: without the addresses, which may
    have been learnt in an inbox some of them cannot see (``GET /contacts/{id}`` shows each what they may)."""
    return contact_view(contact) | {"email": None, "phone": None}
