"""Where a conversation's replies go: the address the customer wrote from, or the one an agent chose.

A conversation keeps the identity it talks to (``conversations.reply_identity_id``); replies go there and
never to "the contact's newest address", which anyone able to push a claim could otherwise steer. Only a
trusted identity (proven by its channel, or chosen by an agent of the inbox) can be a reply address, and
changing it is an agent's explicit action, noted in the conversation's timeline. An address an agent
chose counts in that agent's inbox only, until mail from it proves it: so an agent of one inbox cannot
make another inbox's mail from that address land on a contact of their choosing.
"""

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.spi import Recipient
from omnihub.db.models import Contact, ContactIdentity, Conversation, Inbox
from omnihub.domain.enums import IdentityKind, IdentityProvenance
from omnihub.domain.errors import Conflict, InvalidInput
from omnihub.domain.events import EventType
from omnihub.domain.identities import IdentityKey, identity_key
from omnihub.services.access import Actor, get_visible_conversation
from omnihub.services.contacts import get_visible_contact, visible_identity_clause
from omnihub.services.events import record_event
from omnihub.services.messages import add_activity, commit_conversation_change
from omnihub.services.views import contact_view

TRUSTED = (IdentityProvenance.CHANNEL, IdentityProvenance.AGENT)


def writes_to_addresses(inbox: Inbox) -> bool:
    """Whether an agent may name a new address for ``inbox``'s channel (mail: any mailbox can be written to)."""
    return inbox.channel_type == IdentityKind.EMAIL


def _channel_key(inbox: Inbox, address: str) -> IdentityKey:
    return identity_key(inbox.channel_type, address, scope=str(inbox.id))


async def address_for_new_conversation(
    session: AsyncSession, actor: Actor, inbox: Inbox, *, contact_id: int | None, email: str | None, name: str | None
) -> tuple[Contact, ContactIdentity | None, bool]:
    """The contact an agent writes to first, the identity the conversation will reply to, and whether the
    contact is new. ``email`` names the address (mail inboxes only); else the contact's own address for
    this channel that the agent may see is used."""
    if email:
        if not writes_to_addresses(inbox):
            raise InvalidInput("email", f"a {inbox.channel_type} inbox writes to a contact_id, not an e-mail address")
        return await _agent_chosen(session, actor, inbox, contact_id=contact_id, address=email, name=name)
    if contact_id is None:
        raise InvalidInput("contact_id", "name the contact: contact_id, or email for someone new")
    contact = await get_visible_contact(session, actor, contact_id)
    identity = await session.scalar(
        select(ContactIdentity)
        .where(
            ContactIdentity.contact_id == contact.id,
            ContactIdentity.kind == inbox.channel_type,
            ContactIdentity.scope.in_(["", str(inbox.id)]),
            _counts_in(inbox),
            visible_identity_clause(actor),
        )
        .order_by((ContactIdentity.provenance == IdentityProvenance.CHANNEL).desc(), ContactIdentity.id)
        .limit(1)
    )
    if identity is None and writes_to_addresses(inbox):
        raise InvalidInput("email", "the contact has no e-mail address you may write to: give `email`")
    return contact, identity, False


async def _agent_chosen(
    session: AsyncSession, actor: Actor, inbox: Inbox, *, contact_id: int | None, address: str, name: str | None
) -> tuple[Contact, ContactIdentity, bool]:
    """The trusted identity for ``address`` (an agent writes to it), its contact locked; made if new.

    A known trusted address belongs to its person whoever writes to it. A new one goes to ``contact_id``
    when given, else to a new contact, as chosen by the agent (``agent``) and learnt through ``inbox``.
    """
    key = _channel_key(inbox, address)
    wanted = await get_visible_contact(session, actor, contact_id, for_update=True) if contact_id else None
    created = False
    for _ in range(3):
        identity = await _trusted_identity(session, inbox, key)
        if identity is not None:
            if wanted is not None and identity.contact_id != wanted.id:
                raise Conflict("this address belongs to another contact: merge the two contacts first")
            contact = wanted or await session.scalar(
                select(Contact).where(Contact.id == identity.contact_id).with_for_update()
            )
            if contact is not None:
                return contact, identity, created
            continue  # merged away meanwhile: look again
        if wanted is None:
            wanted = Contact(name=name, email=key.address if key.kind == IdentityKind.EMAIL else None)
            session.add(wanted)
            await session.flush()
            await session.refresh(wanted)
            created = True
        inserted = await session.scalar(
            pg_insert(ContactIdentity)
            .values(
                contact_id=wanted.id,
                kind=key.kind,
                scope=key.scope,
                address=key.address,
                provenance=IdentityProvenance.AGENT,
                inbox_id=inbox.id,
            )
            .on_conflict_do_nothing()
            .returning(ContactIdentity.id)
        )
        if inserted is not None:
            identity = await session.get_one(ContactIdentity, inserted)
            if created:
                await record_event(session, EventType.CONTACT_CREATED, contact_view(wanted), inbox_id=None)
            return wanted, identity, created
        # A concurrent transaction took the address a moment ago: it is that person's.
        if created:
            await session.delete(wanted)
            await session.flush()
            wanted, created = None, False
    raise Conflict("the address changed hands while writing to it; try again")


def _counts_in(inbox: Inbox) -> ColumnElement[bool]:
    """Identities that name their person for ``inbox``: proven ones, and those chosen in this inbox."""
    return or_(
        ContactIdentity.provenance == IdentityProvenance.CHANNEL,
        and_(ContactIdentity.provenance == IdentityProvenance.AGENT, ContactIdentity.inbox_id == inbox.id),
    )


async def _trusted_identity(session: AsyncSession, inbox: Inbox, key: IdentityKey) -> ContactIdentity | None:
    return await session.scalar(
        select(ContactIdentity)
        .where(
            ContactIdentity.kind == key.kind,
            ContactIdentity.scope == key.scope,
            ContactIdentity.address == key.address,
            _counts_in(inbox),
        )
        .order_by((ContactIdentity.provenance == IdentityProvenance.CHANNEL).desc())
        .limit(1)
    )


async def change_reply_address(
    session: AsyncSession, actor: Actor, conversation_id: int, *, identity_id: int | None, email: str | None
) -> Conversation:
    """Send the conversation's replies to another identity of its contact; noted in its timeline.

    ``identity_id`` names a trusted identity of the contact that the agent can see; ``email`` (mail
    inboxes) an address, which becomes the contact's (chosen by the agent) unless another contact has it.
    """
    # The contact is locked before the conversation, in the order ingest and merges lock them.
    conversation = await get_visible_conversation(session, actor, conversation_id)
    inbox = await session.get_one(Inbox, conversation.inbox_id)
    contact = await get_visible_contact(session, actor, conversation.contact_id, for_update=True)
    conversation = await get_visible_conversation(session, actor, conversation_id, for_update=True)
    if conversation.contact_id != contact.id:
        raise Conflict("the conversation's contact was merged meanwhile; try again")
    if email:
        if not writes_to_addresses(inbox):
            raise InvalidInput("email", f"a {inbox.channel_type} inbox does not write to e-mail addresses")
        _, identity, _ = await _agent_chosen(
            session, actor, inbox, contact_id=conversation.contact_id, address=email, name=None
        )
    elif identity_id is not None:
        identity = await _usable_identity(session, actor, inbox, conversation, identity_id)
    else:
        raise InvalidInput("identity_id", "give identity_id or email")
    if identity.id == conversation.reply_identity_id:
        return conversation
    previous_id = conversation.reply_identity_id
    previous = await session.get(ContactIdentity, previous_id) if previous_id is not None else None
    before = previous.address if previous else "nowhere"
    conversation.reply_identity_id = identity.id
    await add_activity(session, actor, conversation, f"{actor.name} sent replies to {identity.address} (was {before})")
    return await commit_conversation_change(session, conversation)


async def _usable_identity(
    session: AsyncSession, actor: Actor, inbox: Inbox, conversation: Conversation, identity_id: int
) -> ContactIdentity:
    identity = await session.scalar(
        select(ContactIdentity).where(
            ContactIdentity.id == identity_id,
            ContactIdentity.contact_id == conversation.contact_id,
            visible_identity_clause(actor),
        )
    )
    if identity is None:
        raise InvalidInput("identity_id", "not an address of this conversation's contact")
    if identity.provenance not in TRUSTED or (
        identity.provenance == IdentityProvenance.AGENT and identity.inbox_id != inbox.id
    ):
        raise InvalidInput("identity_id", "an unverified address here: give it as `email` to write to it")
    if identity.kind != inbox.channel_type or identity.scope not in ("", str(inbox.id)):
        raise InvalidInput("identity_id", f"a {identity.kind} address cannot be used by a {inbox.channel_type} inbox")
    return identity


async def reply_recipient(session: AsyncSession, conversation: Conversation) -> Recipient:
    """Who the conversation's replies are for, as its channel addresses them."""
    identity = (
        await session.get(ContactIdentity, conversation.reply_identity_id) if conversation.reply_identity_id else None
    )
    contact = await session.get(Contact, conversation.contact_id)
    return Recipient(
        contact_id=conversation.contact_id,
        identity_kind=identity.kind if identity else "",
        address=identity.address if identity else "",
        scope=identity.scope if identity else "",
        name=contact.name if contact else None,
    )
