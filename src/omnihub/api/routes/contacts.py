from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.schemas import ContactDetailOut, ContactMerge, ContactOut, ContactPatch, Id, Page, storable_text
from omnihub.services import contacts
from omnihub.services.views import conversation_view, identity_view

router = APIRouter(prefix="/contacts", tags=["contacts"])


@router.get("", response_model=Page[ContactOut])
async def search_contacts(
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Part of a name, e-mail, phone or id."),
        AfterValidator(storable_text),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: str | None = None,
) -> dict[str, object]:
    """Newest first. Follow `next_cursor` for the next page."""
    found, next_cursor = await contacts.search_contacts(session, actor, q=q, limit=limit, cursor=cursor)
    return {"items": await contacts.contact_views(session, actor, found), "next_cursor": next_cursor}


@router.get("/{contact_id}", response_model=ContactDetailOut)
async def get_contact(contact_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    details = await contacts.get_contact_details(session, actor, contact_id)
    [view] = await contacts.contact_views(session, actor, [details.contact])
    view["identities"] = [identity_view(i) for i in details.identities]
    view["conversations"] = [conversation_view(c) for c in details.conversations]
    return view


@router.patch("/{contact_id}", response_model=ContactDetailOut)
async def update_contact(contact_id: Id, body: ContactPatch, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """Rename the contact (any agent who can see it; `404` otherwise). Every inbox with a conversation of
    the contact sees `contact.updated`."""
    await contacts.rename_contact(session, actor, contact_id, name=body.name)
    return await get_contact(contact_id, session, actor)


@router.post("/{contact_id}/merge", response_model=ContactDetailOut)
async def merge_contact(contact_id: Id, body: ContactMerge, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """Fold `other_id` into this contact: identities and conversations move over, the other is deleted."""
    await contacts.merge_contacts(session, actor, contact_id=contact_id, other_id=body.other_id)
    return await get_contact(contact_id, session, actor)
