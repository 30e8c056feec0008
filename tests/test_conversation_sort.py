"""The waiting order of the conversation list: who waits for an answer, since when, and paging through it."""

import importlib.util
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from omnihub.channels.spi import InboundContact, InboundMessage
from omnihub.db.models import Conversation
from omnihub.domain.enums import IdentityKind, Role
from omnihub.services.access import Actor
from omnihub.services.ingest import receive_inbound
from tests.conftest import Hub, InboundSender

MIGRATION = Path(__file__).parents[1] / "migrations" / "versions" / "0008_waiting_since.py"


async def _conversation(hub: Hub, headers: dict[str, str], conversation_id: int) -> dict[str, Any]:
    response = await hub.client.get(f"/api/v1/conversations/{conversation_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _reply(hub: Hub, headers: dict[str, str], conversation_id: int, *, private: bool = False) -> None:
    url = f"/api/v1/conversations/{conversation_id}/messages"
    response = await hub.client.post(url, json={"content": "On it", "private": private}, headers=headers)
    assert response.status_code == 201, response.text


async def _walk(hub: Hub, headers: dict[str, str], query: str, limit: int) -> list[int]:
    """Every conversation of the list, page by page."""
    seen: list[int] = []
    cursor = ""
    while True:
        url = f"/api/v1/conversations?{query}&limit={limit}{cursor}"
        page = (await hub.client.get(url, headers=headers)).json()
        seen += [c["id"] for c in page["items"]]
        if page["next_cursor"] is None:
            return seen
        cursor = f"&cursor={page['next_cursor']}"


async def test_waiting_starts_with_the_first_unanswered_message_and_only_a_reply_ends_it(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    conversation_id = (await send_inbound(api_inbox, "m1")).json()["conversation_id"]
    first = (await _conversation(hub, admin, conversation_id))["waiting_since"]
    messages = (await hub.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=admin)).json()
    assert first == messages["items"][0]["created_at"]

    await send_inbound(api_inbox, "m2")  # still the same wait
    await _reply(hub, admin, conversation_id, private=True)  # a note answers nobody
    await hub.client.patch(f"/api/v1/conversations/{conversation_id}", json={"priority": "high"}, headers=admin)
    assert (await _conversation(hub, admin, conversation_id))["waiting_since"] == first

    await _reply(hub, admin, conversation_id)
    assert (await _conversation(hub, admin, conversation_id))["waiting_since"] is None

    await send_inbound(api_inbox, "m3")
    again = (await _conversation(hub, admin, conversation_id))["waiting_since"]
    assert again is not None and again > first


async def test_an_auto_reply_makes_nobody_wait(hub: Hub, admin: dict[str, str], api_inbox: int) -> None:
    async with hub.session() as session:
        admin_id = await session.scalar(text("SELECT id FROM users WHERE email = 'admin@example.com'"))
    actor = Actor(user_id=admin_id, role=Role.ADMIN, name="admin")

    async def receive(external_id: str, automated: str | None) -> int:
        contact = InboundContact(identity_kind=IdentityKind.API, identifier="robot", scope=str(api_inbox))
        inbound = InboundMessage(external_id=external_id, contact=contact, text="Out of office", automated=automated)
        result = await receive_inbound(
            hub.runtime.sessions,
            actor,
            inbox_id=api_inbox,
            channel_type="api",
            inbound=inbound,
            attachments=hub.runtime.attachment_policy,
        )
        return result.conversation_id

    conversation_id = await receive("auto-1", "auto-reply")  # a new conversation, opened by a machine
    assert (await _conversation(hub, admin, conversation_id))["waiting_since"] is None
    await receive("human-1", None)
    waiting = (await _conversation(hub, admin, conversation_id))["waiting_since"]
    assert waiting is not None
    await receive("auto-2", "auto-reply")  # continues the conversation, changes nothing
    assert (await _conversation(hub, admin, conversation_id))["waiting_since"] == waiting


async def _four_conversations(hub: Hub, admin: dict[str, str], inbox: int, send: InboundSender) -> list[int]:
    """a, b, c, d written in that order; b answered, then a written to again (newest activity)."""
    ids = [(await send(inbox, f"m-{name}", identifier=name)).json()["conversation_id"] for name in "abcd"]
    await _reply(hub, admin, ids[1])
    await send(inbox, "m-a2", identifier="a")
    return ids


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
async def test_waiting_order_puts_the_longest_waiting_first_and_pages_through_all(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender, limit: int
) -> None:
    a, b, c, d = await _four_conversations(hub, admin, api_inbox, send_inbound)

    assert await _walk(hub, admin, "sort=waiting", limit) == [a, c, d, b]
    # The default order is unchanged: newest activity first.
    assert await _walk(hub, admin, "sort=last_activity", limit) == [a, b, d, c]
    assert await _walk(hub, admin, "view=all", limit) == [a, b, d, c]


async def test_the_waiting_order_combines_with_filters_and_views(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    a, b, c, d = await _four_conversations(hub, admin, api_inbox, send_inbound)
    other = await hub.client.post(
        "/api/v1/inboxes", json={"name": "Other", "channel_type": "api", "config": {}}, headers=admin
    )
    elsewhere = (await send_inbound(other.json()["id"], "m-e", identifier="e")).json()["conversation_id"]
    await hub.client.patch(f"/api/v1/conversations/{c}", json={"priority": "urgent"}, headers=admin)
    await hub.client.patch(f"/api/v1/conversations/{b}", json={"priority": "urgent"}, headers=admin)

    assert await _walk(hub, admin, "sort=waiting", 2) == [a, c, d, elsewhere, b]
    assert await _walk(hub, admin, f"sort=waiting&inbox_id={api_inbox}", 2) == [a, c, d, b]
    assert await _walk(hub, admin, "sort=waiting&priority=urgent", 1) == [c, b]
    assert await _walk(hub, admin, "sort=waiting&view=mine", 1) == []


async def test_a_cursor_of_one_order_is_refused_by_the_other(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    await _four_conversations(hub, admin, api_inbox, send_inbound)
    by_activity = (await hub.client.get("/api/v1/conversations?limit=1", headers=admin)).json()["next_cursor"]
    by_waiting = (await hub.client.get("/api/v1/conversations?limit=1&sort=waiting", headers=admin)).json()

    refused = await hub.client.get(f"/api/v1/conversations?sort=waiting&cursor={by_activity}", headers=admin)
    assert refused.status_code == 422
    refused = await hub.client.get(f"/api/v1/conversations?cursor={by_waiting['next_cursor']}", headers=admin)
    assert refused.status_code == 422
    assert (await hub.client.get("/api/v1/conversations?sort=longest", headers=admin)).status_code == 422


async def test_the_migration_backfills_what_the_services_keep(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    a, b, c, d = await _four_conversations(hub, admin, api_inbox, send_inbound)
    await _reply(hub, admin, c, private=True)
    kept = {i: (await _conversation(hub, admin, i))["waiting_since"] for i in (a, b, c, d)}
    assert kept[b] is None and None not in (kept[a], kept[c], kept[d])

    spec = importlib.util.spec_from_file_location("migration_0008", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    async with hub.session() as session:
        await session.execute(update(Conversation).values(waiting_since=None))
        await session.execute(text(migration.BACKFILL))
        await session.commit()
        rows = await session.execute(select(Conversation.id, Conversation.waiting_since))
        backfilled = {i: since for i, since in rows}
    assert backfilled == {i: datetime.fromisoformat(since) if since else None for i, since in kept.items()}
