from fastapi import APIRouter, Response, status

from omnihub.api.deps import ActorDep, RuntimeDep, SessionDep
from omnihub.api.schemas import (
    ContactTypingIn,
    Id,
    InboundIn,
    InboundOut,
    InboxCreate,
    InboxMemberAdd,
    InboxMemberOut,
    InboxMembersOut,
    InboxOut,
    InboxUpdate,
    Page,
)
from omnihub.channels.spi import InboundContact, InboundMessage
from omnihub.domain.enums import IdentityKind
from omnihub.domain.identities import identity_key
from omnihub.services import inbox_settings, inboxes
from omnihub.services.access import get_visible_inbox
from omnihub.services.cpu_budget import sanitize_within_budget
from omnihub.services.ingest import receive_inbound as receive_inbound_message
from omnihub.services.signals import announce_contact_typing
from omnihub.services.views import inbox_view

router = APIRouter(prefix="/inboxes", tags=["inboxes"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=InboxOut)
async def create_inbox(body: InboxCreate, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    inbox = await inboxes.create_inbox(
        session, actor, name=body.name, channel_type=body.channel_type, config=body.config
    )
    return inbox_view(inbox, reveal_urls=actor.is_admin)


@router.get("", response_model=Page[InboxOut])
async def list_inboxes(session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """The inboxes you work in (an admin: every inbox), all of them in one page; next_cursor is always
    null today."""
    found = await inboxes.list_inboxes(session, actor)
    return {"items": [inbox_view(inbox, reveal_urls=actor.is_admin) for inbox in found], "next_cursor": None}


@router.get("/{inbox_id}", response_model=InboxOut)
async def get_inbox(inbox_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    return inbox_view(await get_visible_inbox(session, actor, inbox_id), reveal_urls=actor.is_admin)


@router.patch(
    "/{inbox_id}",
    response_model=InboxOut,
    responses={403: {"description": "Not an admin."}, 404: {"description": "No such inbox."}},
)
async def update_inbox(inbox_id: Id, body: InboxUpdate, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """Rename an inbox and/or change its channel settings (admins). `config` is merged into the stored
    settings and checked like on creation (`422` naming the field); secrets are write-only: one left out
    keeps its value, and the answer shows it masked. An e-mail inbox whose mailbox changes is read anew."""
    inbox = await inbox_settings.update_inbox(session, actor, inbox_id, name=body.name, config=body.config)
    return inbox_view(inbox, reveal_urls=actor.is_admin)


@router.get("/{inbox_id}/members", response_model=InboxMembersOut)
async def list_members(inbox_id: Id, session: SessionDep, actor: ActorDep) -> InboxMembersOut:
    """Who works in the inbox: every member's id, and the active members with their names (the console's
    assignee choice)."""
    user_ids = await inboxes.list_inbox_member_ids(session, actor, inbox_id)
    active = await inboxes.list_active_members(session, actor, inbox_id)
    return InboxMembersOut(user_ids=user_ids, members=[InboxMemberOut(id=u.id, name=u.name) for u in active])


@router.post("/{inbox_id}/members", status_code=status.HTTP_204_NO_CONTENT)
async def add_member(inbox_id: Id, body: InboxMemberAdd, session: SessionDep, actor: ActorDep) -> None:
    """Admins only. The user's open WebSockets start receiving the inbox's events at once."""
    await inboxes.add_inbox_member(session, actor, inbox_id=inbox_id, user_id=body.user_id)


@router.delete("/{inbox_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(inbox_id: Id, user_id: Id, session: SessionDep, actor: ActorDep) -> None:
    """Admins only. The user's open WebSockets stop receiving the inbox's events at once."""
    await inboxes.remove_inbox_member(session, actor, inbox_id=inbox_id, user_id=user_id)


@router.post(
    "/{inbox_id}/inbound",
    status_code=status.HTTP_201_CREATED,
    response_model=InboundOut,
    responses={200: {"model": InboundOut, "description": "Already received (same external_id): nothing new stored."}},
)
async def receive_inbound(
    inbox_id: Id, body: InboundIn, response: Response, actor: ActorDep, runtime: RuntimeDep
) -> InboundOut:
    """API channel: another system hands in a message a contact wrote."""
    inbound = InboundMessage(
        external_id=body.external_id,
        contact=InboundContact(
            identity_kind=IdentityKind.API,
            identifier=body.contact.identifier,
            scope=str(inbox_id),
            name=body.contact.name,
            email=body.contact.email,
            phone=body.contact.phone,
        ),
        text=body.content,
        html=await sanitize_within_budget(runtime.cpu, body.html) if body.html else None,
        subject=body.subject,
        attachments=tuple(a.to_inbound() for a in body.attachments),
    )
    # No SessionDep: the ingest brings its own connection (see there).
    result = await receive_inbound_message(
        runtime.sessions,
        actor,
        inbox_id=inbox_id,
        channel_type="api",
        inbound=inbound,
        attachments=runtime.attachment_policy,
        default_phone_region=runtime.settings.default_phone_region,
    )
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return InboundOut(
        message_id=result.message_id, conversation_id=result.conversation_id, contact_id=result.contact_id
    )


@router.post("/{inbox_id}/typing", status_code=status.HTTP_204_NO_CONTENT)
async def contact_typing(inbox_id: Id, body: ContactTypingIn, session: SessionDep, actor: ActorDep) -> None:
    """API channel: the contact started or stopped typing. The agents of the inbox see a ``typing``
    frame on ``/ws`` at once; nothing is stored. Repeat ``on: true`` every few seconds while the
    contact keeps typing. 404 for a contact with no conversation in the inbox."""
    await announce_contact_typing(
        session,
        actor,
        inbox_id=inbox_id,
        channel_type="api",
        contact=identity_key(IdentityKind.API, body.contact.identifier, scope=str(inbox_id)),
        on=body.on,
        conversation_id=body.conversation_id,
    )
