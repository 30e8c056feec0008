from typing import Annotated

from fastapi import APIRouter, Query, status

from omnihub.api.deps import ActorDep, RuntimeDep, SessionDep
from omnihub.api.schemas import (
    ConversationOut,
    ConversationPatch,
    ConversationStart,
    ConversationStarted,
    Id,
    MessageCreate,
    MessageOut,
    Page,
    ReplyAddressChange,
)
from omnihub.domain.enums import ConversationStatus
from omnihub.services import conversations, messages, reply_address
from omnihub.services.access import get_visible_conversation
from omnihub.services.views import conversation_view, message_view

router = APIRouter(prefix="/conversations", tags=["conversations"])

Limit = Annotated[int, Query(ge=1, le=100)]


@router.get("", response_model=Page[ConversationOut])
async def list_conversations(
    session: SessionDep,
    actor: ActorDep,
    inbox_id: Id | None = None,
    status: ConversationStatus | None = None,
    assignee_id: Id | None = None,
    limit: Limit = 25,
    cursor: str | None = None,
) -> dict[str, object]:
    """Newest activity first. Follow `next_cursor` for the next page."""
    page = await conversations.list_conversations(
        session, actor, inbox_id=inbox_id, status=status, assignee_id=assignee_id, limit=limit, cursor=cursor
    )
    return {"items": [conversation_view(c) for c in page.items], "next_cursor": page.next_cursor}


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ConversationStarted)
async def start_conversation(
    body: ConversationStart, session: SessionDep, actor: ActorDep, runtime: RuntimeDep
) -> dict[str, object]:
    """Write to a contact first (for an e-mail inbox: a new e-mail thread). The conversation is
    assigned to the caller; the message goes out through the inbox's channel like any reply."""
    conversation, message, files = await conversations.start_conversation(
        session,
        actor,
        inbox_id=body.inbox_id,
        contact_id=body.contact_id,
        email=body.email,
        name=body.name,
        subject=body.subject,
        content=body.content,
        attachments=runtime.attachment_policy,
        files=tuple(a.to_inbound() for a in body.attachments),
    )
    runtime.wake_outbox()
    return {"conversation": conversation_view(conversation), "message": message_view(message, files)}


@router.get("/{conversation_id}", response_model=ConversationOut)
async def get_conversation(conversation_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    return conversation_view(await get_visible_conversation(session, actor, conversation_id))


@router.patch("/{conversation_id}", response_model=ConversationOut)
async def update_conversation(
    conversation_id: Id, body: ConversationPatch, session: SessionDep, actor: ActorDep
) -> dict[str, object]:
    conversation = await conversations.update_conversation(session, actor, conversation_id, body.changes())
    return conversation_view(conversation)


@router.put("/{conversation_id}/reply-address", response_model=ConversationOut)
async def change_reply_address(
    conversation_id: Id, body: ReplyAddressChange, session: SessionDep, actor: ActorDep
) -> dict[str, object]:
    """Send this conversation's replies elsewhere: another verified identity of its contact (`identity_id`)
    or, for an e-mail inbox, an address (`email`). Noted in the conversation's timeline."""
    conversation = await reply_address.change_reply_address(
        session, actor, conversation_id, identity_id=body.identity_id, email=body.email
    )
    return conversation_view(conversation)


@router.get("/{conversation_id}/messages", response_model=Page[MessageOut])
async def list_messages(
    conversation_id: Id, session: SessionDep, actor: ActorDep, limit: Limit = 50, cursor: str | None = None
) -> dict[str, object]:
    """Oldest first. Follow `next_cursor` for later messages."""
    page = await messages.list_messages(session, actor, conversation_id, limit=limit, cursor=cursor)
    return {"items": [message_view(m, files) for m, files in page.items], "next_cursor": page.next_cursor}


@router.post("/{conversation_id}/messages", status_code=status.HTTP_201_CREATED, response_model=MessageOut)
async def post_message(
    conversation_id: Id, body: MessageCreate, session: SessionDep, actor: ActorDep, runtime: RuntimeDep
) -> dict[str, object]:
    """A reply to the contact (delivered through the inbox's channel) or, with `private`, a note."""
    message, files = await messages.post_message(
        session,
        actor,
        conversation_id,
        content=body.content,
        private=body.private,
        attachments=runtime.attachment_policy,
        files=tuple(a.to_inbound() for a in body.attachments),
    )
    if not body.private:
        runtime.wake_outbox()
    return message_view(message, files)
