"""The inbound fast path (services/ingest.py) under concurrency, and what it must keep from the ORM version:
one contact and one conversation per person however messages race, events shaped by services/views.py,
the event sequencer woken at commit, and the short-lived token cache of the API's authentication."""

import asyncio
from typing import Any

from sqlalchemy import func, select, update

from omnihub.db.models import Contact, ContactIdentity, Conversation, Event, EventQueueEntry, Message, User
from omnihub.domain.enums import Role
from omnihub.services.users import TokenCache
from omnihub.services.views import contact_view, conversation_view, message_view
from tests.conftest import Hub, InboundSender, recorded_events, wait_until


async def test_a_new_persons_concurrent_messages_make_one_contact_and_one_conversation(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    responses = await asyncio.gather(
        *(send_inbound(api_inbox, f"burst-{n}", identifier="racer", name="Racer", content=f"#{n}") for n in range(12))
    )

    assert [r.status_code for r in responses] == [201] * 12
    assert len({r.json()["contact_id"] for r in responses}) == 1
    assert len({r.json()["conversation_id"] for r in responses}) == 1
    assert len({r.json()["message_id"] for r in responses}) == 12
    conversation_id = responses[0].json()["conversation_id"]
    page = await hub.client.get(f"/api/v1/conversations/{conversation_id}/messages?limit=100", headers=admin)
    assert sorted(m["content"] for m in page.json()["items"]) == sorted(f"#{n}" for n in range(12))
    kinds = [kind for kind, _ in await settled_events(hub)]
    assert (kinds.count("contact.created"), kinds.count("conversation.created")) == (1, 1)
    assert kinds.count("message.created") == 12


async def test_a_known_persons_concurrent_first_messages_in_an_inbox_open_one_conversation(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    """The person is known (from another inbox, and by this inbox's identifier) but has no conversation here
    yet: the contact row lock must make all but the first message find the conversation the first one opened."""
    known = (await send_inbound(api_inbox, "first", identifier="crm-7")).json()
    other_inbox = (
        await hub.client.post("/api/v1/inboxes", json={"name": "Other", "channel_type": "api"}, headers=admin)
    ).json()["id"]
    async with hub.session() as session:
        # As a merge leaves it: the identity of the other inbox on the known contact, without a conversation.
        identity = ContactIdentity(
            contact_id=known["contact_id"], kind="api", scope=str(other_inbox), address="shop-7", inbox_id=other_inbox
        )
        session.add(identity)
        await session.commit()

    responses = await asyncio.gather(*(send_inbound(other_inbox, f"o-{n}", identifier="shop-7") for n in range(10)))

    assert [r.status_code for r in responses] == [201] * 10
    assert {r.json()["contact_id"] for r in responses} == {known["contact_id"]}
    [conversation_id] = {r.json()["conversation_id"] for r in responses}
    assert conversation_id != known["conversation_id"]
    async with hub.session() as session:
        here = await session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.inbox_id == other_inbox)
        )
        messages = await session.scalar(
            select(func.count()).select_from(Message).where(Message.conversation_id == conversation_id)
        )
    assert (here, messages) == (1, 10)


async def test_concurrent_duplicates_of_a_known_person_answer_with_the_first_ids(
    hub: Hub, api_inbox: int, send_inbound: InboundSender
) -> None:
    await send_inbound(api_inbox, "earlier", identifier="dup-person")

    responses = await asyncio.gather(*(send_inbound(api_inbox, "same", identifier="dup-person") for _ in range(8)))

    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({tuple(sorted(r.json().items())) for r in responses}) == 1
    assert [kind for kind, _ in await settled_events(hub)].count("message.created") == 2


async def test_event_payloads_are_exactly_what_services_views_makes_of_the_stored_rows(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    created = (
        await send_inbound(api_inbox, "v1", identifier="viewer", name="Vi", email="vi@example.com", content="Hi")
    ).json()
    await hub.client.patch(
        f"/api/v1/conversations/{created['conversation_id']}", json={"status": "resolved"}, headers=admin
    )
    again = await hub.client.post(
        f"/api/v1/inboxes/{api_inbox}/inbound",
        json={"external_id": "v2", "contact": {"identifier": "viewer"}, "content": "Again", "html": "<b>Again</b>"},
        headers=admin,
    )
    assert again.status_code == 201, again.text

    events = await settled_events(hub)
    async with hub.session() as session:
        contact = await session.get(Contact, created["contact_id"])
        conversation = await session.get(Conversation, created["conversation_id"])
        messages = {m.id: m for m in await session.scalars(select(Message))}
        assert contact is not None and conversation is not None
        [contact_event] = [data for kind, data in events if kind == "contact.created"]
        assert contact_event == contact_view(contact)
        [opened] = [data for kind, data in events if kind == "conversation.created"]
        assert opened["id"] == conversation.id and opened["status"] == "open"
        assert opened.keys() == conversation_view(conversation).keys()
        reopened = [data for kind, data in events if kind == "conversation.updated"][-1]
        assert reopened == conversation_view(conversation) and reopened["status"] == "open"
        inbound_events = [
            data for kind, data in events if kind == "message.created" and data["direction"] == "incoming"
        ]
        assert len(inbound_events) == 2
        for data in inbound_events:
            assert data == message_view(messages[data["id"]], [])


async def test_events_reach_the_log_at_commit_not_at_the_next_poll(
    hub: Hub, api_inbox: int, send_inbound: InboundSender
) -> None:
    sequencer = hub.runtime.sequencer
    await wait_until(lambda: _true(sequencer.is_leader))
    sequencer.poll_seconds = 60.0
    await asyncio.sleep(1.2)  # the wait begun with the default poll interval has run out

    await send_inbound(api_inbox, "prompt", identifier="prompt")

    async def in_log() -> bool:
        async with hub.session() as session:
            return bool(await session.scalar(select(func.count()).select_from(Event)))

    await wait_until(in_log, within_seconds=10.0)  # far less than the 60 s the sequencer would sleep


async def test_a_deactivated_users_token_is_refused_once_the_cache_entry_expires(
    hub: Hub, api_inbox: int, send_inbound: InboundSender
) -> None:
    user_id, headers = await hub.as_user("boss@example.com", Role.ADMIN)
    hub.app.state.token_cache = TokenCache(ttl_seconds=1.0)
    assert (await send_inbound(api_inbox, "t1", headers=headers)).status_code == 201
    async with hub.session() as session:
        await session.execute(update(User).where(User.id == user_id).values(is_active=False))
        await session.commit()

    assert (await send_inbound(api_inbox, "t2", headers=headers)).status_code == 201  # still cached
    await asyncio.sleep(1.1)
    refused = await send_inbound(api_inbox, "t3", headers=headers)
    assert refused.status_code == 401


def test_token_cache_keeps_entries_for_its_ttl_and_stays_bounded() -> None:
    from omnihub.services.access import Actor

    actor = Actor(user_id=1, role=Role.AGENT, name="a")
    cache = TokenCache(ttl_seconds=60, max_entries=3)
    for n in range(5):
        cache.put(f"token-{n}", actor)
    assert cache.get("token-4") == actor
    assert sum(cache.get(f"token-{n}") is not None for n in range(5)) <= 3
    assert cache.get("never-seen") is None
    off = TokenCache(ttl_seconds=0)
    off.put("token", actor)
    assert off.get("token") is None


async def _true(value: bool) -> bool:
    return value


async def settled_events(hub: Hub) -> list[tuple[str, dict[str, Any]]]:
    """The events once the sequencer has moved them all into the log (a read of the log and then the
    queue could otherwise miss one that moves in between)."""

    async def queue_empty() -> bool:
        async with hub.session() as session:
            return not await session.scalar(select(func.count()).select_from(EventQueueEntry))

    await wait_until(queue_empty)
    return await recorded_events(hub)
