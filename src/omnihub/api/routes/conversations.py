from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import AfterValidator, BaseModel, Field

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
    storable_text,
)
from omnihub.domain.enums import ConversationStatus, Priority
from omnihub.services import conversation_lists, conversations, messages, reply_address
from omnihub.services.conversation_lists import (
    ConversationFilters,
    ConversationSort,
    ConversationView,
    ListedConversation,
)
from omnihub.services.views import conversation_view, message_view

router = APIRouter(prefix="/conversations", tags=["conversations"])

Limit = Annotated[int, Query(ge=1, le=100)]


class ListedConversationOut(ConversationOut):
    unread: bool = Field(
        description="An incoming message came after the caller last read it, or the caller marked it unread."
    )


def listed_view(listed: ListedConversation) -> dict[str, object]:
    return conversation_view(listed.conversation) | {"unread": listed.unread}


class ViewCounts(BaseModel):
    mine: int = Field(description="Open conversations assigned to the caller.")
    unassigned: int = Field(description="Open conversations assigned to nobody.")
    all: int = Field(description="All open conversations in the caller's inboxes.")


@router.get("", response_model=Page[ListedConversationOut])
async def list_conversations(
    session: SessionDep,
    actor: ActorDep,
    view: Annotated[ConversationView, Query(description="Assigned to the caller, to nobody, or all.")] = (
        ConversationView.ALL
    ),
    inbox_id: Id | None = None,
    status: ConversationStatus | None = None,
    assignee_id: Id | None = None,
    team_id: Id | None = None,
    label: Annotated[str | None, Query(min_length=1, max_length=100), AfterValidator(storable_text)] = None,
    priority: Priority | None = None,
    channel_type: Annotated[str | None, Query(min_length=1, max_length=32, pattern=r"^[a-z0-9_]+$")] = None,
    sort: Annotated[
        ConversationSort,
        Query(
            description="`last_activity`: newest activity first. `waiting`: the conversations whose contact has "
            "waited longest for an answer first (see `waiting_since`), then those nobody waits in, newest "
            "activity first."
        ),
    ] = ConversationSort.LAST_ACTIVITY,
    limit: Limit = 25,
    cursor: str | None = None,
) -> dict[str, object]:
    """In the `sort` order (newest activity first by default). Follow `next_cursor` for the next page, with
    the same `sort` and filters. The filters combine (AND)."""
    filters = ConversationFilters(
        view=view,
        inbox_id=inbox_id,
        status=status,
        assignee_id=assignee_id,
        team_id=team_id,
        label=label,
        priority=priority,
        channel_type=channel_type,
    )
    page = await conversation_lists.list_conversations(session, actor, filters, limit=limit, cursor=cursor, sort=sort)
    return {"items": [listed_view(c) for c in page.items], "next_cursor": page.next_cursor}


@router.get("/counts", response_model=ViewCounts)
async def count_conversations(session: SessionDep, actor: ActorDep) -> dict[str, int]:
    """How many open conversations each view (`mine`, `unassigned`, `all`) lists, in the caller's inboxes."""
    return await conversation_lists.count_views(session, actor)


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
        cc=tuple(body.cc),
    )
    runtime.wake_outbox()
    return {"conversation": conversation_view(conversation), "message": message_view(message, files)}


@router.get("/{conversation_id}", response_model=ListedConversationOut)
async def get_conversation(conversation_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    return listed_view(await conversation_lists.get_listed_conversation(session, actor, conversation_id))


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
    conversation_id: Id,
    session: SessionDep,
    actor: ActorDep,
    limit: Limit = 50,
    cursor: str | None = None,
    order: Literal["asc", "desc"] = "asc",
) -> dict[str, object]:
    """Oldest first (`order=asc`): follow `next_cursor` for later messages. With `order=desc`, newest first:
    follow `next_cursor` for earlier ones (a long timeline opens at its end)."""
    page = await messages.list_messages(
        session, actor, conversation_id, limit=limit, cursor=cursor, newest_first=order == "desc"
    )
    return {"items": [message_view(m, files) for m, files in page.items], "next_cursor": page.next_cursor}


@router.post("/{conversation_id}/messages", status_code=status.HTTP_201_CREATED, response_model=MessageOut)
async def post_message(
    conversation_id: Id, body: MessageCreate, session: SessionDep, actor: ActorDep, runtime: RuntimeDep
) -> dict[str, object]:
    """A reply to the contact (delivered through the inbox's channel) or, with `private`, a note.
    In an e-mail conversation, `cc` sends copies of the reply; other channels answer 422."""
    message, files = await messages.post_message(
        session,
        actor,
        conversation_id,
        content=body.content,
        private=body.private,
        attachments=runtime.attachment_policy,
        files=tuple(a.to_inbound() for a in body.attachments),
        cc=tuple(body.cc),
    )
    if not body.private:
        runtime.wake_outbox()
    return message_view(message, files)
