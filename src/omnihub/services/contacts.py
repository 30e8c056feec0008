"""Contacts: one person, recognised by their identities on every channel."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from omnihub.channels.spi import InboundContact
from omnihub.db.models import Contact, ContactIdentity, Conversation, Message
from omnihub.domain.enums import IdentityKind, IdentityProvenance
from omnihub.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from omnihub.domain.events import EventType
from omnihub.domain.identities import IdentityKey, identity_key
from omnihub.services.access import Actor, visible_inboxes_clause
from omnihub.services.events import record_event
from omnihub.services.pagination import decode_cursor, encode_cursor
from omnihub.services.views import contact_view, shared_contact_view

# Digits with the punctuation people write phone numbers with; at least three digits, so that "12" or a
# year in a name search does not turn into a search of every phone number.
_PHONE_FRAGMENT = re.compile(r"\+?[\d\s().\-/]+")
_MIN_PHONE_DIGITS = 3


@dataclass(frozen=True, slots=True)
class ContactDetails:
    contact: Contact
    identities: list[ContactIdentity]
    conversations: list[Conversation]


def inbound_identity_keys(contact: InboundContact, default_region: str | None) -> list[IdentityKey]:
    """The channel's own identity first: it alone decides who wrote. The others (an e-mail address or phone
    number the sender states about themselves) are claims: noted on the contact, never used to find one."""
    keys = [identity_key(contact.identity_kind, contact.identifier, scope=contact.scope, default_region=default_region)]
    if contact.email:
        keys.append(identity_key(IdentityKind.EMAIL, contact.email))
    if contact.phone:
        keys.append(identity_key(IdentityKind.PHONE, contact.phone, default_region=default_region))
    return list(dict.fromkeys(keys))


def _visible_contact_clause(actor: Actor) -> ColumnElement[bool]:
    """Agents see the contacts that have a conversation in one of their inboxes."""
    if actor.is_admin:
        return true()
    return exists().where(Conversation.contact_id == Contact.id, visible_inboxes_clause(actor, Conversation.inbox_id))


def visible_identity_clause(actor: Actor) -> ColumnElement[bool]:
    """Agents see the identities learnt through their inboxes, and where their conversations' replies go."""
    if actor.is_admin:
        return true()
    reply_addresses = select(Conversation.reply_identity_id).where(
        Conversation.reply_identity_id.is_not(None), visible_inboxes_clause(actor, Conversation.inbox_id)
    )
    return or_(
        visible_inboxes_clause(actor, ContactIdentity.inbox_id),
        ContactIdentity.id.in_(reply_addresses.scalar_subquery()),
    )


def _like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _phone_digits(q: str) -> str | None:
    """The digits to look for when ``q`` reads as (part of) a phone number, else None.

    Phones are stored in E.164 (``+14155550123``), so "415 555-01" or "(415) 555" are matched by their digits.
    A national number's leading trunk zeros ("050 123 4567" for +972 50 123 4567) are not in E.164: dropped.
    """
    if not _PHONE_FRAGMENT.fullmatch(q):
        return None
    # Any script's digits (Arabic-Indic ones too) as the ASCII ones E.164 is written in.
    digits = "".join(str(unicodedata.decimal(c)) for c in q if c.isdecimal()).lstrip("0")
    return digits if len(digits) >= _MIN_PHONE_DIGITS else None


def _matching_contact_clause(actor: Actor, q: str) -> ColumnElement[bool]:
    """Part of the name, or of an identity ``actor`` may see; phone identities also by their digits."""
    pattern = _like_pattern(q)
    addresses: list[ColumnElement[bool]] = [ContactIdentity.address.ilike(pattern)]
    own_fields: list[ColumnElement[bool]] = [Contact.email.ilike(pattern), Contact.phone.ilike(pattern)]
    digits = _phone_digits(q)
    if digits is not None:
        phone_kinds = ContactIdentity.kind.in_([IdentityKind.PHONE, IdentityKind.WHATSAPP])
        addresses.append(and_(phone_kinds, ContactIdentity.address.like(_like_pattern(digits))))
        own_fields.append(func.regexp_replace(Contact.phone, r"\D", "", "g").like(_like_pattern(digits)))
    matching_identity = exists().where(
        ContactIdentity.contact_id == Contact.id, or_(*addresses), visible_identity_clause(actor)
    )
    # An agent finds a contact by the addresses they may see (its identities), not by its own e-mail and
    # phone fields, which may come from an inbox they cannot see.
    return or_(Contact.name.ilike(pattern), matching_identity, *(own_fields if actor.is_admin else []))


async def search_contacts(
    session: AsyncSession, actor: Actor, *, q: str | None, limit: int, cursor: str | None = None
) -> tuple[list[Contact], str | None]:
    """Newest first, keyset-paged on id; returns the page and the cursor of the next (None: last page)."""
    query = select(Contact).where(_visible_contact_clause(actor))
    if cursor:
        (before_id,) = decode_cursor(cursor, (int,))
        query = query.where(Contact.id < before_id)
    if q:
        query = query.where(_matching_contact_clause(actor, q))
    rows = list(await session.scalars(query.order_by(Contact.id.desc()).limit(limit + 1)))
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1].id)
    return rows, None


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
        select(ContactIdentity)
        .where(ContactIdentity.contact_id == contact_id, visible_identity_clause(actor))
        .order_by(ContactIdentity.id)
    )
    conversations = await session.scalars(
        select(Conversation)
        .where(Conversation.contact_id == contact_id, visible_inboxes_clause(actor, Conversation.inbox_id))
        .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
    )
    return ContactDetails(contact, list(identities), list(conversations))


async def rename_contact(session: AsyncSession, actor: Actor, contact_id: int, *, name: str) -> Contact:
    """An agent who can see the contact names it; every inbox with a conversation of theirs hears of it
    (``contact.updated``). Names are a contact's shared label, so no other field moves with it."""
    name = name.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    contact = await get_visible_contact(session, actor, contact_id, for_update=True)
    if contact.name == name:
        return contact
    contact.name = name
    contact.updated_at = func.now()
    await session.flush()
    await session.refresh(contact)
    inbox_ids = await session.scalars(
        select(Conversation.inbox_id).where(Conversation.contact_id == contact.id).distinct()
    )
    await record_event(
        session, EventType.CONTACT_UPDATED, shared_contact_view(contact), inbox_id=None, audience=inbox_ids
    )
    await session.commit()
    return contact


async def merge_contacts(session: AsyncSession, actor: Actor, *, contact_id: int, other_id: int) -> Contact:
    """Fold ``other`` into ``contact``: its identities, conversations and messages move; it is deleted.

    An agent may merge only contacts whose every conversation they can see: a merge moves conversations,
    and nobody may move what they cannot see. Otherwise it is an admin's action (``Forbidden``).
    """
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
    if not actor.is_admin and await _has_hidden_conversations(session, actor, [kept.id, other.id]):
        raise Forbidden("these contacts have conversations in inboxes you cannot see: an admin can merge them")
    await _move_identities(session, kept_id=kept.id, other_id=other.id)
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
        {"contact": shared_contact_view(kept), "merged_contact_id": other_id},
        inbox_id=None,
        audience=inbox_ids,
    )
    await session.commit()
    return kept


async def _has_hidden_conversations(session: AsyncSession, actor: Actor, contact_ids: list[int]) -> bool:
    hidden = select(Conversation.id).where(
        Conversation.contact_id.in_(contact_ids), ~visible_inboxes_clause(actor, Conversation.inbox_id)
    )
    return bool(await session.scalar(select(exists(hidden))))


async def _move_identities(session: AsyncSession, *, kept_id: int, other_id: int) -> None:
    """Move the other's identities; a claim the kept contact carries already (as anything) is dropped.

    Trusted identities never collide (each names one person); a claim may be on both contacts.
    """
    kept = aliased(ContactIdentity)
    duplicate_claim = exists().where(
        kept.contact_id == kept_id,
        kept.kind == ContactIdentity.kind,
        kept.scope == ContactIdentity.scope,
        kept.address == ContactIdentity.address,
    )
    await session.execute(
        delete(ContactIdentity).where(
            ContactIdentity.contact_id == other_id,
            ContactIdentity.provenance == IdentityProvenance.CLAIMED,
            duplicate_claim,
        )
    )
    await session.execute(
        update(ContactIdentity).where(ContactIdentity.contact_id == other_id).values(contact_id=kept_id)
    )


async def contact_views(session: AsyncSession, actor: Actor, contacts: list[Contact]) -> list[dict[str, Any]]:
    """The contacts as ``actor`` may see them: for an agent, ``email`` and ``phone`` only when learnt through
    their inboxes (else the first such address of the contact, or nothing)."""
    views = [contact_view(c) for c in contacts]
    if actor.is_admin or not contacts:
        return views
    rows = await session.execute(
        select(ContactIdentity.contact_id, ContactIdentity.kind, ContactIdentity.address)
        .where(
            ContactIdentity.contact_id.in_([c.id for c in contacts]),
            ContactIdentity.kind.in_([IdentityKind.EMAIL, IdentityKind.PHONE]),
            visible_identity_clause(actor),
        )
        .order_by(ContactIdentity.id)
    )
    seen: dict[tuple[int, str], list[str]] = {}
    for contact_id, kind, address in rows:
        seen.setdefault((contact_id, kind), []).append(address)
    for view in views:
        for field, kind in (("email", IdentityKind.EMAIL), ("phone", IdentityKind.PHONE)):
            visible = seen.get((view["id"], kind), [])
            view[field] = view[field] if view[field] in visible else next(iter(visible), None)
    return views
