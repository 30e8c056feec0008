"""API-channel inbound: idempotency, contact matching, threading, attachments, bad input."""

import base64

from sqlalchemy import func, select

from omnihub.db.models import Message
from tests.conftest import Hub, InboundSender, recorded_events


async def messages_of(hub: Hub, conversation_id: int, headers: dict[str, str]) -> list[dict]:
    response = await hub.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_same_external_id_twice_is_one_message(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    first = await send_inbound(api_inbox, "ext-1", content="Where is my order?")
    again = await send_inbound(api_inbox, "ext-1", content="Where is my order?")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    messages = await messages_of(hub, first.json()["conversation_id"], admin)
    assert [m["content"] for m in messages] == ["Where is my order?"]
    async with hub.session() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 1
    assert len(await recorded_events(hub, "message.created")) == 1


async def test_concurrent_duplicates_store_one_message(hub: Hub, api_inbox: int, send_inbound: InboundSender) -> None:
    import asyncio

    responses = await asyncio.gather(*(send_inbound(api_inbox, "burst", identifier="new-person") for _ in range(8)))

    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.text for r in responses}) == 1
    async with hub.session() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 1


async def test_same_identifier_is_the_same_contact_and_conversation(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    first = (await send_inbound(api_inbox, "a", identifier="u-42", content="Hi")).json()
    second = (await send_inbound(api_inbox, "b", identifier=" u-42 ", content="Anyone there?")).json()
    other = (await send_inbound(api_inbox, "c", identifier="u-43", content="Hello")).json()

    assert second["contact_id"] == first["contact_id"]
    assert second["conversation_id"] == first["conversation_id"]
    assert other["contact_id"] != first["contact_id"]
    assert other["conversation_id"] != first["conversation_id"]
    contents = [m["content"] for m in await messages_of(hub, first["conversation_id"], admin)]
    assert contents == ["Hi", "Anyone there?"]


async def test_an_email_or_phone_pushed_over_the_api_is_a_claim_that_joins_no_one(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    first = (await send_inbound(api_inbox, "1", identifier="crm-1", email="Layla@Example.COM")).json()
    again = (await send_inbound(api_inbox, "2", identifier="crm-1", phone="+1 (415) 555-2671")).json()
    other = (await send_inbound(api_inbox, "3", identifier="shop-9", email="layla@example.com")).json()

    assert again["contact_id"] == first["contact_id"]  # the channel's own identifier decides who wrote
    assert other["contact_id"] != first["contact_id"]  # the same stated address does not
    contact = (await hub.client.get(f"/api/v1/contacts/{first['contact_id']}", headers=admin)).json()
    assert contact["email"] == "layla@example.com"
    assert {(i["kind"], i["address"], i["provenance"], i["verified"]) for i in contact["identities"]} == {
        ("api", "crm-1", "channel", True),
        ("email", "layla@example.com", "claimed", False),
        ("phone", "+14155552671", "claimed", False),
    }
    assert {i["inbox_id"] for i in contact["identities"]} == {api_inbox}


async def test_identifiers_are_scoped_to_their_inbox(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    other_inbox = (
        await hub.client.post("/api/v1/inboxes", json={"name": "Other system", "channel_type": "api"}, headers=admin)
    ).json()["id"]

    here = (await send_inbound(api_inbox, "x", identifier="7")).json()
    there = (await send_inbound(other_inbox, "x", identifier="7")).json()

    assert here["contact_id"] != there["contact_id"]


async def test_inbound_reopens_a_resolved_conversation(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    first = (await send_inbound(api_inbox, "m1", content="My parcel is late")).json()
    conversation = f"/api/v1/conversations/{first['conversation_id']}"
    resolved = await hub.client.patch(conversation, json={"status": "resolved"}, headers=admin)
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_at"] is not None

    again = (await send_inbound(api_inbox, "m2", content="It still has not arrived")).json()

    assert again["conversation_id"] == first["conversation_id"]
    reopened = (await hub.client.get(conversation, headers=admin)).json()
    assert reopened["status"] == "open"
    assert reopened["resolved_at"] is None
    updates = [data for _, data in await recorded_events(hub, "conversation.updated")]
    assert [u["status"] for u in updates] == ["resolved", "open"]


async def test_pending_conversation_stays_pending_on_inbound(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    first = (await send_inbound(api_inbox, "m1")).json()
    conversation = f"/api/v1/conversations/{first['conversation_id']}"
    await hub.client.patch(conversation, json={"status": "pending"}, headers=admin)

    await send_inbound(api_inbox, "m2")

    assert (await hub.client.get(conversation, headers=admin)).json()["status"] == "pending"


async def test_new_message_moves_conversation_to_the_top(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    older = (await send_inbound(api_inbox, "1", identifier="a")).json()
    newer = (await send_inbound(api_inbox, "2", identifier="b")).json()
    listed = (await hub.client.get("/api/v1/conversations", headers=admin)).json()["items"]
    assert [c["id"] for c in listed] == [newer["conversation_id"], older["conversation_id"]]

    await send_inbound(api_inbox, "3", identifier="a")

    listed = (await hub.client.get("/api/v1/conversations", headers=admin)).json()["items"]
    assert [c["id"] for c in listed] == [older["conversation_id"], newer["conversation_id"]]


async def test_attachments_and_html_arrive_sanitized(hub: Hub, api_inbox: int, admin: dict[str, str]) -> None:
    body = {
        "external_id": "with-file",
        "contact": {"identifier": "u1", "name": "نور"},
        "content": "مرحبا، الفاتورة مرفقة",
        "html": '<p dir="rtl" onclick="steal()">مرحبا<script>alert(1)</script></p>',
        "attachments": [
            {
                "filename": "فاتورة.pdf",
                "content_type": "application/pdf",
                "data_base64": base64.b64encode(b"%PDF-1.4 invoice").decode(),
            },
        ],
    }
    created = (await hub.client.post(f"/api/v1/inboxes/{api_inbox}/inbound", json=body, headers=admin)).json()

    [message] = await messages_of(hub, created["conversation_id"], admin)
    assert message["content"] == "مرحبا، الفاتورة مرفقة"
    assert "script" not in message["html"] and "onclick" not in message["html"]
    assert 'dir="rtl"' in message["html"] and "مرحبا" in message["html"]
    [attachment] = message["attachments"]
    assert attachment["filename"] == "فاتورة.pdf"
    assert attachment["size"] == len(b"%PDF-1.4 invoice")
    download = await hub.client.get(attachment["url"], headers=admin)
    assert download.content == b"%PDF-1.4 invoice"


async def test_bad_inbound_is_refused_with_field_messages_and_stores_nothing(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    url = f"/api/v1/inboxes/{api_inbox}/inbound"
    missing = await hub.client.post(url, json={"contact": {"identifier": "x"}}, headers=admin)
    bad_phone = await send_inbound(api_inbox, "p", phone="call me maybe")
    bad_email = await send_inbound(api_inbox, "e", email="not-an-address")
    bad_file = await hub.client.post(
        url,
        headers=admin,
        json={
            "external_id": "f",
            "contact": {"identifier": "x"},
            "attachments": [{"filename": "a", "data_base64": "***"}],
        },
    )
    not_json = await hub.client.post(url, content=b"{not json", headers={**admin, "content-type": "application/json"})

    assert missing.status_code == 422
    assert any(e["loc"][-1] == "external_id" for e in missing.json()["detail"])
    assert bad_phone.status_code == 422 and "phone" in bad_phone.text
    assert bad_email.status_code == 422 and "email" in bad_email.text
    assert bad_file.status_code == 422 and "base64" in bad_file.text
    assert not_json.status_code == 422
    async with hub.session() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 0
