"""Agents' replies reach the integrating system through the outbox: signed, retried, failed with a reason."""

import asyncio
import hashlib
import hmac
import json
from collections import Counter

import pytest
from omnihub_connectors.api.signing import receiver_secret
from sqlalchemy import select
from standardwebhooks import Webhook

from omnihub.config import Settings
from omnihub.db.models import OutboxEntry
from tests.callback_server import CallbackServer, callback_server, free_port
from tests.conftest import Hub, InboundSender, recorded_events, wait_until

SECRET = "a-long-shared-secret-0123456789"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, with few attempts and several parallel workers."""
    return settings.model_copy(update={"outbox_max_attempts": 3, "outbox_workers": 3})


@pytest.fixture
async def receiver() -> CallbackServer:
    async with callback_server() as server:
        yield server  # type: ignore[misc]


async def make_inbox(hub: Hub, admin: dict[str, str], callback_url: str | None) -> int:
    config = {"secret": SECRET} | ({"callback_url": callback_url} if callback_url else {})
    response = await hub.client.post(
        "/api/v1/inboxes", headers=admin, json={"name": "CRM", "channel_type": "api", "config": config}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def reply(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, inbox: int, text: str, external_id: str = "in-1"
) -> dict:
    conversation = (await send_inbound(inbox, external_id)).json()["conversation_id"]
    response = await hub.client.post(
        f"/api/v1/conversations/{conversation}/messages", json={"content": text}, headers=admin
    )
    assert response.status_code == 201
    assert response.json()["delivery_status"] == "queued"
    return dict(response.json())


async def final_status(hub: Hub, admin: dict[str, str], message: dict) -> dict:
    url = f"/api/v1/conversations/{message['conversation_id']}/messages"

    async def settled() -> bool:
        items = (await hub.client.get(url, headers=admin)).json()["items"]
        return any(m["id"] == message["id"] and m["delivery_status"] != "queued" for m in items)

    await wait_until(settled)
    items = (await hub.client.get(url, headers=admin)).json()["items"]
    return next(m for m in items if m["id"] == message["id"])


async def test_reply_is_posted_signed_to_the_callback(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    inbox = await make_inbox(hub, admin, receiver.url)
    message = await reply(hub, admin, send_inbound, inbox, "Your parcel ships today. شكرا")

    delivered = await final_status(hub, admin, message)

    assert delivered["delivery_status"] == "delivered"
    [call] = receiver.received
    # Standard Webhooks: the library receivers use accepts it (signature over id, timestamp and body).
    Webhook(receiver_secret(SECRET)).verify(call.body, call.headers)
    assert call.headers["webhook-id"] == f"msg_{call.headers['x-omnihub-delivery']}"
    # The body-only signature of earlier releases, still sent for one release.
    expected = "sha256=" + hmac.new(SECRET.encode(), call.body, hashlib.sha256).hexdigest()
    assert call.headers["x-omnihub-signature"] == expected
    payload = json.loads(call.body)
    assert payload["message"]["content"] == "Your parcel ships today. شكرا"
    assert payload["message"]["id"] == message["id"]
    assert payload["contact"]["identifier"] == "customer-1"
    assert payload["message"]["in_reply_to"] == "in-1"
    updates = [data for _, data in await recorded_events(hub, "message.updated")]
    assert [u["delivery_status"] for u in updates] == ["delivered"]


async def test_failed_attempts_are_retried_until_delivered(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    receiver.answers = [500, 503, 200]
    inbox = await make_inbox(hub, admin, receiver.url)
    message = await reply(hub, admin, send_inbound, inbox, "third time lucky")

    delivered = await final_status(hub, admin, message)

    assert delivered["delivery_status"] == "delivered"
    assert len(receiver.received) == 3
    assert len({c.headers["x-omnihub-delivery"] for c in receiver.received}) == 1
    # One webhook-id for every retry, so the receiver can drop a repeat; each attempt signed afresh.
    assert len({c.headers["webhook-id"] for c in receiver.received}) == 1
    for call in receiver.received:
        Webhook(receiver_secret(SECRET)).verify(call.body, call.headers)


async def test_delivery_fails_with_the_reason_after_the_last_attempt(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    receiver.answers = [503]
    inbox = await make_inbox(hub, admin, receiver.url)
    message = await reply(hub, admin, send_inbound, inbox, "nobody home")

    failed = await final_status(hub, admin, message)

    assert failed["delivery_status"] == "failed"
    assert failed["failure_reason"] == "callback failed: HTTP 503"
    assert len(receiver.received) == 3  # outbox_max_attempts
    async with hub.session() as session:
        entry = await session.scalar(select(OutboxEntry).where(OutboxEntry.message_id == message["id"]))
    assert entry is not None and entry.state == "failed" and entry.attempts == 3


async def test_a_refused_payload_is_not_retried(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    receiver.answers = [400]
    inbox = await make_inbox(hub, admin, receiver.url)
    message = await reply(hub, admin, send_inbound, inbox, "bad")

    failed = await final_status(hub, admin, message)

    assert failed["delivery_status"] == "failed" and failed["failure_reason"] == "callback refused: HTTP 400"
    await asyncio.sleep(0.3)
    assert len(receiver.received) == 1


async def test_unreachable_callback_ends_failed_with_reason(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    inbox = await make_inbox(hub, admin, f"http://127.0.0.1:{free_port()}/gone")
    message = await reply(hub, admin, send_inbound, inbox, "into the void")

    failed = await final_status(hub, admin, message)

    assert failed["delivery_status"] == "failed"
    assert failed["failure_reason"] == "connection refused"


async def test_private_notes_are_never_delivered(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    inbox = await make_inbox(hub, admin, receiver.url)
    conversation = (await send_inbound(inbox, "in-1")).json()["conversation_id"]

    note = await hub.client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"content": "customer is a VIP", "private": True},
        headers=admin,
    )

    assert note.json()["delivery_status"] is None
    await asyncio.sleep(0.3)
    assert receiver.received == []


async def test_parallel_workers_deliver_each_reply_once(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    inbox = await make_inbox(hub, admin, receiver.url)
    conversation = (await send_inbound(inbox, "in-1")).json()["conversation_id"]
    replies = [
        (
            await hub.client.post(
                f"/api/v1/conversations/{conversation}/messages", json={"content": f"reply {n}"}, headers=admin
            )
        ).json()
        for n in range(30)
    ]

    for message in replies:
        assert (await final_status(hub, admin, message))["delivery_status"] == "delivered"
    deliveries = Counter(json.loads(c.body)["message"]["id"] for c in receiver.received)
    assert deliveries == Counter({m["id"]: 1 for m in replies})


async def test_without_callback_replies_are_marked_sent(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    inbox = await make_inbox(hub, admin, None)
    message = await reply(hub, admin, send_inbound, inbox, "read me over REST")

    assert (await final_status(hub, admin, message))["delivery_status"] == "sent"


async def test_a_crashed_workers_delivery_is_taken_over_after_its_lease(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    from omnihub.services import outbox

    workers = hub.runtime.deliverers
    for deliverer in workers:  # keep the hub's own workers asleep for a moment
        deliverer.poll_seconds = 3600
    hub.runtime.deliverers = []
    await asyncio.sleep(0.2)
    inbox = await make_inbox(hub, admin, receiver.url)
    conversation = (await send_inbound(inbox, "in-1")).json()["conversation_id"]
    message = (
        await hub.client.post(
            f"/api/v1/conversations/{conversation}/messages", json={"content": "survives a crash"}, headers=admin
        )
    ).json()
    async with hub.session() as session:
        [claim] = await outbox.claim_due(session, limit=10, lease_seconds=0.5)  # this "worker" then dies
    assert claim.message_id == message["id"]

    hub.runtime.deliverers = workers
    for deliverer in workers:
        deliverer.poll_seconds = 0.05
        deliverer.wake()

    assert (await final_status(hub, admin, message))["delivery_status"] == "delivered"
    assert len(receiver.received) == 1
    async with hub.session() as session:
        # The dead worker's late report is ignored: the attempt number fences it out.
        from omnihub.channels.spi import DeliveryReceipt

        await outbox.record_delivered(session, claim, DeliveryReceipt())
        entry = await session.scalar(select(OutboxEntry).where(OutboxEntry.message_id == message["id"]))
    assert entry is not None and entry.attempts == 2


async def test_callback_names_the_contact_by_this_inboxs_identifier(
    hub: Hub, admin: dict[str, str], send_inbound: InboundSender, receiver: CallbackServer
) -> None:
    shop = await make_inbox(hub, admin, None)
    crm = await make_inbox(hub, admin, receiver.url)
    in_shop = (await send_inbound(shop, "s-1", identifier="shop-customer-42", email="sam@example.com")).json()
    in_crm = (await send_inbound(crm, "c-1", identifier="crm-7", email="sam@example.com")).json()
    # One person, known to both systems: an admin merges the two contacts.
    merged = await hub.client.post(
        f"/api/v1/contacts/{in_shop['contact_id']}/merge", json={"other_id": in_crm["contact_id"]}, headers=admin
    )
    assert merged.status_code == 200

    await hub.client.post(
        f"/api/v1/conversations/{in_crm['conversation_id']}/messages", json={"content": "hi Sam"}, headers=admin
    )

    await wait_until(lambda: asyncio.sleep(0, result=bool(receiver.received)))
    assert json.loads(receiver.received[0].body)["contact"]["identifier"] == "crm-7"
