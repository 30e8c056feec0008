"""Copies (Cc) of agents' e-mail, against a real SMTP server: the header and the envelope carry them,
the message keeps them, and channels that have no copies refuse them."""

from __future__ import annotations

from typing import Any

from tests.conftest import Hub, InboundSender
from tests.connectors.email import test_email_inbox
from tests.connectors.email.helpers import mail, messages
from tests.connectors.email.test_email_inbox import _Mailbox

mailbox = test_email_inbox.mailbox  # the e-mail inbox tests' fixture: a mailbox on Dovecot, an SMTP sink

COPIES = ["Billing@Acme.example", "ops@acme.example"]


def cc_header(sent: Any) -> list[str]:
    return [address.addr_spec for address in sent["Cc"].addresses]


async def test_a_new_email_conversation_sends_copies_in_the_header_and_the_envelope(mailbox: _Mailbox) -> None:
    started = await mailbox.hub.client.post(
        "/api/v1/conversations",
        json={
            "inbox_id": mailbox.inbox_id,
            "email": "noor@example.com",
            "subject": "Your invoice",
            "content": "Your invoice is attached.",
            "cc": COPIES,
        },
        headers=mailbox.admin,
    )
    assert started.status_code == 201, started.text
    assert started.json()["message"]["metadata"]["email"]["cc"] == [
        {"address": "billing@acme.example", "name": None},
        {"address": "ops@acme.example", "name": None},
    ]

    [sent] = await mailbox.sent(1)
    assert sent["To"].addresses[0].addr_spec == "noor@example.com"
    assert cc_header(sent) == ["billing@acme.example", "ops@acme.example"]
    received = mailbox.smtp.received[0]
    assert received.recipients == ["noor@example.com", "billing@acme.example", "ops@acme.example"]


async def test_a_reply_carries_copies_and_one_without_carries_none(mailbox: _Mailbox) -> None:
    conversation = await mailbox.receive(
        mail(subject="Refund", headers={"Cc": "Sami <sami@example.com>"}, body="Any news?"), 1
    )
    [incoming] = await messages(mailbox.hub, mailbox.admin, conversation["id"])
    assert incoming["metadata"]["email"]["cc"] == [{"address": "sami@example.com", "name": "Sami"}]

    await mailbox.reply(conversation["id"], "Refunded today.", cc=["sami@example.com"])
    await mailbox.reply(conversation["id"], "Anything else?")
    first, second = await mailbox.sent(2)

    assert cc_header(first) == ["sami@example.com"]
    assert mailbox.smtp.received[0].recipients == ["layla@example.com", "sami@example.com"]
    assert second["Cc"] is None
    assert mailbox.smtp.received[1].recipients == ["layla@example.com"]


async def test_copies_are_refused_where_nothing_would_send_them(mailbox: _Mailbox) -> None:
    conversation = await mailbox.receive(mail(), 1)
    path = f"/api/v1/conversations/{conversation['id']}/messages"

    note = await mailbox.hub.client.post(
        path, json={"content": "x", "private": True, "cc": ["a@example.com"]}, headers=mailbox.admin
    )
    not_an_address = await mailbox.hub.client.post(
        path, json={"content": "x", "cc": ["a@example.com, b@example.com"]}, headers=mailbox.admin
    )
    too_many = await mailbox.hub.client.post(
        path, json={"content": "x", "cc": [f"p{n}@example.com" for n in range(21)]}, headers=mailbox.admin
    )

    assert [note.status_code, not_an_address.status_code, too_many.status_code] == [422, 422, 422]
    assert note.json()["detail"][0]["loc"] == ["body", "cc"]
    assert len(await messages(mailbox.hub, mailbox.admin, conversation["id"])) == 1


async def test_copies_in_a_conversation_of_another_channel_are_refused(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    inbound = await send_inbound(api_inbox, "m1")
    conversation_id = inbound.json()["conversation_id"]

    reply = await hub.client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"content": "Hello", "cc": ["boss@example.com"]},
        headers=admin,
    )

    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"] == ["body", "cc"]
    assert "only e-mail" in reply.json()["detail"][0]["msg"]
    assert len(await messages(hub, admin, conversation_id)) == 1
