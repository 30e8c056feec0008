from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from omnihub.api.deps import ActorDep, SessionDep
from omnihub.api.schemas import ContactDetailOut, ContactMerge, ContactOut, Id, storable_text
from omnihub.services import contacts
from omnihub.services.views import contact_view, conversation_view

router = APIRouter(prefix="/contacts", tags=["contacts"])


@router.get("", response_model=list[ContactOut])
async def search_contacts(
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Part of a name, e-mail, phone or id."),
        AfterValidator(storable_text),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> list[dict[str, object]]:
    return [contact_view(c) for c in await contacts.search_contacts(session, actor, q=q, limit=limit)]


@router.get("/{contact_id}", response_model=ContactDetailOut)
async def get_contact(contact_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    details = await contacts.get_contact_details(session, actor, contact_id)
    view = contact_view(details.contact, details.identities)
    view["conversations"] = [conversation_view(c) for c in details.conversations]
    return view


@router.post("/{contact_id}/merge", response_model=ContactDetailOut)
async def merge_contact(contact_id: Id, body: ContactMerge, session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """Fold `other_id` into this contact: identities and conversations move over, the other is deleted."""
    await contacts.merge_contacts(session, actor, contact_id=contact_id, other_id=body.other_id)
    return await get_contact(contact_id, session, actor)
