"""Contacts: one person, recognised by their identities on every channel."""

from dataclasses import dataclass

from sqlalchemy import delete, exists, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.spi import InboundContact
from omnihub.db.models import Contact, ContactIdentity, Conversation, Message
from omnihub.domain.enums import IdentityKind
from omnihub.domain.errors import Conflict, NotFound
from omnihub.domain.events import EventType
from omnihub.domain.identities import IdentityKey, identity_key
from omnihub.services.access import Actor, visible_inboxes_clause
from omnihub.services.events import record_event
from omnihub.services.views import contact_view


@dataclass(frozen=True, slots=True)
class ContactDetails:
    contact: Contact
    identities: list[ContactIdentity]
    conversations: list[Conversation]


def inbound_identity_keys(contact: InboundContact, default_region: str | None) -> list[IdentityKey]:
    """The channel's own identity first: it decides who wrote when the keys point at different people."""
    keys = [identity_key(contact.identity_kind, contact.identifier, scope=contact.scope, default_region=default_region)]
    if contact.email:
        keys.append(identity_key(IdentityKind.EMAIL, contact.email))
    if contact.phone:
        keys.append(identity_key(IdentityKind.PHONE, contact.phone, default_region=default_region))
    return list(dict.fromkeys(keys))


async def resolve_inbound_contact(
    session: AsyncSession, contact: InboundContact, *, default_region: str | None
) -> tuple[Contact, bool]:
    """Find the contact behind an inbound message, creating it if new; the row comes back locked.

    Locking the contact serialises concurrent messages of one person, so two messages arriving at
    once cannot open two conversations.
    """
    keys = inbound_identity_keys(contact, default_region)
    contact_id = await _contact_id_for_keys(session, keys)
    created = False
    if contact_id is None:
        new_contact = Contact(
            name=contact.name,
            email=next((k.address for k in keys if k.kind == IdentityKind.EMAIL), None),
            phone=next((k.address for k in keys if k.kind == IdentityKind.PHONE), None),
        )
        session.add(new_contact)
        await session.flush()
        contact_id = new_contact.id
        claimed = await _claim_identities(session, contact_id, keys[:1])
        if not claimed:
            # Another transaction created this person a moment ago: use theirs, drop ours.
            await session.execute(delete(Contact).where(Contact.id == contact_id))
            contact_id = await _contact_id_for_keys(session, keys[:1])
            assert contact_id is not None
        else:
            created = True
    locked = await session.scalar(select(Contact).where(Contact.id == contact_id).with_for_update())
    assert locked is not None
    await _claim_identities(session, locked.id, keys)
    if not locked.name and contact.name:
        locked.name = contact.name
    return locked, created


async def _contact_id_for_keys(session: AsyncSession, keys: list[IdentityKey]) -> int | None:
    rows = (
        await session.execute(
            select(
                ContactIdentity.kind, ContactIdentity.scope, ContactIdentity.address, ContactIdentity.contact_id
            ).where(
                tuple_(ContactIdentity.kind, ContactIdentity.scope, ContactIdentity.address).in_(
                    [(k.kind, k.scope, k.address) for k in keys]
                )
            )
        )
    ).all()
    owners = {IdentityKey(kind, scope, address): owner for kind, scope, address, owner in rows}
    return next((owners[key] for key in keys if key in owners), None)


async def _claim_identities(session: AsyncSession, contact_id: int, keys: list[IdentityKey]) -> bool:
    """Attach the identities nobody owns yet; True if every one of them is now this contact's."""
    result = await session.execute(
        pg_insert(ContactIdentity)
        .values([{"contact_id": contact_id, "kind": k.kind, "scope": k.scope, "address": k.address} for k in keys])
        .on_conflict_do_nothing()
        .returning(ContactIdentity.id)
    )
    return len(result.all()) == len(keys)


def _visible_contact_clause(actor: Actor):  # type: ignore[no-untyped-def]
    """Agents see the contacts that have a conversation in one of their inboxes."""
    if actor.is_admin:
        return Contact.id.is_not(None)
    return exists().where(Conversation.contact_id == Contact.id, visible_inboxes_clause(actor, Conversation.inbox_id))


async def search_contacts(session: AsyncSession, actor: Actor, *, q: str | None, limit: int) -> list[Contact]:
    query = select(Contact).where(_visible_contact_clause(actor))
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matching_identity = exists().where(
            ContactIdentity.contact_id == Contact.id, ContactIdentity.address.ilike(pattern)
        )
        query = query.where(
            or_(
                Contact.name.ilike(pattern),
                Contact.email.ilike(pattern),
                Contact.phone.ilike(pattern),
                matching_identity,
            )
        )
    query = query.order_by(Contact.id.desc()).limit(limit)
    return list(await session.scalars(query))


async def get_visible_contact(
    session: AsyncSession, actor: Actor, contact_id: int, *, for_update: bool = False
) -> Contact:
    query = select(Contact).where(Contact.id == contact_id, _visible_contact_clause(actor))
    if for_update:
        query = query.with_for_update()
    contact = await session.scalar(query)
    if contact is None:
        raise NotFound("contact")
    return contact


async def get_contact_details(session: AsyncSession, actor: Actor, contact_id: int) -> ContactDetails:
    contact = await get_visible_contact(session, actor, contact_id)
    identities = await session.scalars(
        select(ContactIdentity).where(ContactIdentity.contact_id == contact_id).order_by(ContactIdentity.id)
    )
    conversations = await session.scalars(
        select(Conversation)
        .where(Conversation.contact_id == contact_id, visible_inboxes_clause(actor, Conversation.inbox_id))
        .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
    )
    return ContactDetails(contact, list(identities), list(conversations))


async def merge_contacts(session: AsyncSession, actor: Actor, *, contact_id: int, other_id: int) -> Contact:
    """Fold ``other`` into ``contact``: its identities, conversations and messages move; it is deleted."""
    if contact_id == other_id:
        raise Conflict("a contact cannot be merged into itself")
    # Lock both in id order so that two opposite merges cannot deadlock.
    first, second = sorted((contact_id, other_id))
    locked = {
        c.id: c
        for c in [
            await get_visible_contact(session, actor, first, for_update=True),
            await get_visible_contact(session, actor, second, for_update=True),
        ]
    }
    kept, other = locked[contact_id], locked[other_id]
    await session.execute(
        update(ContactIdentity).where(ContactIdentity.contact_id == other.id).values(contact_id=kept.id)
    )
    await session.execute(update(Conversation).where(Conversation.contact_id == other.id).values(contact_id=kept.id))
    await session.execute(
        update(Message).where(Message.sender_contact_id == other.id).values(sender_contact_id=kept.id)
    )
    kept.name = kept.name or other.name
    kept.email = kept.email or other.email
    kept.phone = kept.phone or other.phone
    kept.updated_at = func.now()
    await session.delete(other)
    await session.flush()
    await session.refresh(kept)
    # Every inbox the kept contact now has a conversation in (the other's included) may see the merge.
    inbox_ids = await session.scalars(
        select(Conversation.inbox_id).where(Conversation.contact_id == kept.id).distinct()
    )
    await record_event(
        session,
        EventType.CONTACT_MERGED,
        {"contact": contact_view(kept), "merged_contact_id": other_id},
        inbox_id=None,
        audience=inbox_ids,
    )
    await session.commit()
    return kept
