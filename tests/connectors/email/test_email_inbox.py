"""An e-mail inbox against a real Dovecot and a real SMTP server: import, threading, replies, and a
mailbox that other people use at the same time."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from typing import Any

import pytest
from sqlalchemy import delete

from omnihub.db.models import Conversation
from tests.conftest import Hub, wait_until
from tests.connectors.email.helpers import (
    SUPPORT,
    conversations,
    create_email_inbox,
    email_config,
    mail,
    message_count,
    messages,
    wait_for_messages,
)
from tests.mailservers import DovecotServer, MailUser, SmtpSink


@pytest.fixture
async def mailbox(hub: Hub, admin: dict[str, str], dovecot: DovecotServer, smtp_sink: SmtpSink) -> AsyncIterator[Any]:
    user = dovecot.create_user()
    inbox_id = await create_email_inbox(hub, admin, email_config(dovecot, user, smtp_sink.port))
    yield _Mailbox(hub, admin, dovecot, user, inbox_id, smtp_sink)


@dataclass
class _Mailbox:
    hub: Hub
    admin: dict[str, str]
    dovecot: DovecotServer
    user: MailUser
    inbox_id: int
    smtp: SmtpSink

    def deliver(self, raw: bytes, folder: str = "INBOX") -> int:
        return self.dovecot.append(self.user, raw, folder)

    async def receive(self, raw: bytes, total: int) -> dict[str, Any]:
        """Deliver a mail and wait until the hub holds ``total`` messages; return the newest conversation."""
        self.deliver(raw)
        await wait_for_messages(self.hub, self.inbox_id, total)
        return (await conversations(self.hub, self.admin, self.inbox_id))[0]

    async def reply(self, conversation_id: int, content: str, **extra: Any) -> dict[str, Any]:
        response = await self.hub.client.post(
            f"/api/v1/conversations/{conversation_id}/messages", json={"content": content, **extra}, headers=self.admin
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def sent(self, count: int) -> list[EmailMessage]:
        async def enough() -> bool:
            return len(self.smtp.received) >= count

        await wait_until(enough, 15)
        return [BytesParser(policy=default_policy).parsebytes(m.raw) for m in self.smtp.received]


async def test_mail_becomes_a_conversation_and_the_reply_goes_out_threaded(mailbox: _Mailbox) -> None:
    conversation = await mailbox.receive(
        mail(subject="Order #1234", body="Where is my order?", message_id="<order-1234@example.com>"), 1
    )
    assert conversation["subject"] == "Order #1234"
    [incoming] = await messages(mailbox.hub, mailbox.admin, conversation["id"])
    assert incoming["content"].startswith("Where is my order?")

    await mailbox.reply(conversation["id"], "It ships tomorrow.\nمع الشكر")
    [sent] = await mailbox.sent(1)

    assert sent["To"].addresses[0].addr_spec == "layla@example.com"
    assert sent["Subject"] == "Re: Order #1234"
    assert sent["In-Reply-To"] == "<order-1234@example.com>"
    assert "<order-1234@example.com>" in sent["References"]
    reply_to = sent["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("support+c") and reply_to.endswith("@omnihub.test")
    assert sent["Message-ID"].endswith("@omnihub.test>")
    assert sent.get_body(("plain",)).get_content().startswith("It ships tomorrow.")
    assert 'dir="auto"' in sent.get_body(("html",)).get_content()

    async def marked_sent() -> bool:
        items = await messages(mailbox.hub, mailbox.admin, conversation["id"])
        return items[-1]["delivery_status"] == "sent"

    await wait_until(marked_sent)


async def test_replies_from_mail_clients_land_in_their_conversation(mailbox: _Mailbox) -> None:
    first = await mailbox.receive(mail(subject="Refund", message_id="<refund-1@example.com>"), 1)
    await mailbox.reply(first["id"], "We are on it.")
    [ours] = await mailbox.sent(1)
    our_id, reply_address = ours["Message-ID"], ours["Reply-To"].addresses[0].addr_spec

    # Gmail and Apple Mail: In-Reply-To and References name our message.
    await mailbox.receive(
        mail(subject="Re: Refund", in_reply_to=our_id, references=f"<refund-1@example.com> {our_id}"), 3
    )
    # Outlook answering from another device lost the headers, but kept our reply address.
    await mailbox.receive(mail(subject="RE: Refund", to=reply_address), 4)
    # A reply to the customer's own first mail (a colleague in CC answered it).
    await mailbox.receive(
        mail(sender="Sami <sami@example.com>", subject="Re: Refund", in_reply_to="<refund-1@example.com>"), 5
    )
    # Same subject, no references: a new conversation; subjects alone never merge.
    await mailbox.receive(mail(subject="Re: Refund", body="Another question"), 6)

    found = await conversations(mailbox.hub, mailbox.admin, mailbox.inbox_id)
    assert len(found) == 2
    threaded = next(c for c in found if c["id"] == first["id"])
    assert len(await messages(mailbox.hub, mailbox.admin, threaded["id"])) == 5


async def test_a_forged_reply_token_does_not_thread(mailbox: _Mailbox) -> None:
    first = await mailbox.receive(mail(subject="Private"), 1)
    forged = f"support+c{first['id']}-aaaaaaaaaaaaaaaa@omnihub.test"
    await mailbox.receive(mail(sender="Mallory <mallory@example.com>", subject="hi", to=forged), 2)

    assert len(await conversations(mailbox.hub, mailbox.admin, mailbox.inbox_id)) == 2


async def test_another_mail_client_using_the_box_changes_nothing(mailbox: _Mailbox) -> None:
    for number in range(3):
        mailbox.deliver(mail(subject=f"Question {number}", message_id=f"<q{number}@example.com>"))
    await wait_for_messages(mailbox.hub, mailbox.inbox_id, 3)

    # A colleague in Thunderbird reads everything, files one mail away and back, deletes another.
    mailbox.dovecot.mark_seen(mailbox.user)
    uids = mailbox.dovecot.uids(mailbox.user)
    mailbox.dovecot.move_messages(mailbox.user, "Archive", uids=[uids[0]])
    mailbox.dovecot.move_messages(mailbox.user, "INBOX", folder="Archive")
    mailbox.dovecot.delete_messages(mailbox.user, uids=[uids[1]])
    # New mail, already read by the colleague before the hub saw it, still comes in.
    mailbox.dovecot.append(mailbox.user, mail(subject="Question 4"), flags=[r"\Seen"])
    await wait_for_messages(mailbox.hub, mailbox.inbox_id, 4)

    assert await message_count(mailbox.hub, mailbox.inbox_id) == 4
    subjects = sorted(c["subject"] for c in await conversations(mailbox.hub, mailbox.admin, mailbox.inbox_id))
    assert subjects == ["Question 0", "Question 1", "Question 2", "Question 4"]


async def test_attachments_inline_images_and_legacy_charsets(mailbox: _Mailbox) -> None:
    message = EmailMessage()
    message["To"] = SUPPORT
    message["Message-ID"] = "<charsets@example.com>"
    message.set_content("مرحبا، أين طلبي؟", charset="windows-1256")
    message.add_alternative('<p dir="rtl">مرحبا <img src="cid:logo@example.com"></p>', subtype="html")
    message.get_payload()[1].add_related(b"\x89PNG\r\n\x1a\nfake", "image", "png", cid="<logo@example.com>")
    message.add_attachment(b"%PDF-1.4 invoice", maintype="application", subtype="pdf", filename="فاتورة.pdf")
    # Headers in legacy charsets, written as old mail clients do (EmailMessage would re-encode them as UTF-8).
    sender, subject = encoded_word("ليلى", "windows-1256"), encoded_word("הזמנה", "iso-8859-8")
    legacy = f"From: {sender} <layla@example.com>\nSubject: {subject}\n"
    conversation = await mailbox.receive(legacy.encode() + message.as_bytes(), 1)

    [stored] = await messages(mailbox.hub, mailbox.admin, conversation["id"])
    assert conversation["subject"] == "הזמנה"
    assert stored["content"].startswith("مرحبا، أين طلبي؟")
    assert 'dir="rtl"' in stored["html"]
    files = {a["filename"]: a for a in stored["attachments"]}
    assert "فاتورة.pdf" in files
    assert any(a["content_id"] == "logo@example.com" for a in stored["attachments"])
    contact = await mailbox.hub.client.get(f"/api/v1/contacts/{conversation['contact_id']}", headers=mailbox.admin)
    assert contact.json()["name"] == "ليلى"


async def test_auto_replies_are_kept_but_do_not_reopen(mailbox: _Mailbox) -> None:
    first = await mailbox.receive(mail(subject="Invoice", message_id="<inv@example.com>"), 1)
    await mailbox.hub.client.patch(
        f"/api/v1/conversations/{first['id']}", json={"status": "resolved"}, headers=mailbox.admin
    )
    out_of_office = mail(
        subject="Automatic reply: Invoice",
        body="I am out of the office until Monday.",
        in_reply_to="<inv@example.com>",
        headers={"Auto-Submitted": "auto-replied"},
    )
    await mailbox.receive(out_of_office, 3)  # the activity note of the status change counts too

    conversation = (await mailbox.hub.client.get(f"/api/v1/conversations/{first['id']}", headers=mailbox.admin)).json()
    assert conversation["status"] == "resolved"


async def test_unusable_mail_is_quarantined_for_admins(mailbox: _Mailbox) -> None:
    raw = b"Subject: nobody sent this\r\n\r\nThere is no From, Sender or Return-Path here.\r\n"
    mailbox.deliver(raw)
    mailbox.deliver(mail(subject="After it"))
    await wait_for_messages(mailbox.hub, mailbox.inbox_id, 1)

    url = f"/api/v1/inboxes/{mailbox.inbox_id}/quarantine"
    [held] = (await mailbox.hub.client.get(url, headers=mailbox.admin)).json()["items"]
    assert "sender" in held["reason"] and held["state"] == "held"
    download = await mailbox.hub.client.get(f"{url}/{held['id']}/raw", headers=mailbox.admin)
    assert download.content == raw

    retried = await mailbox.hub.client.post(f"{url}/{held['id']}/retry", headers=mailbox.admin)
    assert retried.status_code == 200
    assert retried.json()["state"] == "held" and retried.json()["attempts"] == 2

    sync = (await mailbox.hub.client.get(f"/api/v1/inboxes/{mailbox.inbox_id}/sync", headers=mailbox.admin)).json()
    [inbox_folder] = sync["streams"]
    assert inbox_folder["stream"] == "INBOX" and inbox_folder["cursor"]["last_uid"] == 2
    assert inbox_folder["error"] is None


async def test_the_quarantine_is_paged_newest_first(mailbox: _Mailbox) -> None:
    for number in range(3):
        mailbox.deliver(f"Subject: no sender {number}\r\n\r\nNobody sent this.\r\n".encode())
    mailbox.deliver(mail(subject="After them"))
    await wait_for_messages(mailbox.hub, mailbox.inbox_id, 1)

    url = f"/api/v1/inboxes/{mailbox.inbox_id}/quarantine"
    first = (await mailbox.hub.client.get(url, params={"limit": 2}, headers=mailbox.admin)).json()
    rest = await mailbox.hub.client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=mailbox.admin)
    bad_cursor = await mailbox.hub.client.get(url, params={"cursor": "not a cursor"}, headers=mailbox.admin)

    ids = [item["id"] for item in first["items"] + rest.json()["items"]]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True)
    assert first["next_cursor"] and rest.json()["next_cursor"] is None
    assert bad_cursor.status_code == 422


async def test_uidvalidity_change_imports_nothing_twice(mailbox: _Mailbox) -> None:
    for number in range(5):
        mailbox.deliver(mail(subject=f"Before {number}"))
    mailbox.deliver(b"From: x@example.com\r\nSubject: no message id\r\n\r\nhello\r\n")
    await wait_for_messages(mailbox.hub, mailbox.inbox_id, 6)

    mailbox.dovecot.reset_uidvalidity(mailbox.user)
    mailbox.deliver(mail(subject="After the migration"))
    await wait_for_messages(mailbox.hub, mailbox.inbox_id, 7)

    async def rescanned() -> bool:
        sync = await mailbox.hub.client.get(f"/api/v1/inboxes/{mailbox.inbox_id}/sync", headers=mailbox.admin)
        return sync.json()["streams"][0]["progress"].get("state") == "idle"

    await wait_until(rescanned)
    assert await message_count(mailbox.hub, mailbox.inbox_id) == 7


async def test_agent_starts_an_email_conversation(mailbox: _Mailbox) -> None:
    started = await mailbox.hub.client.post(
        "/api/v1/conversations",
        json={
            "inbox_id": mailbox.inbox_id,
            "email": "noor@example.com",
            "name": "Noor",
            "subject": "Your warranty",
            "content": "Your warranty is extended.",
        },
        headers=mailbox.admin,
    )
    assert started.status_code == 201, started.text
    [sent] = await mailbox.sent(1)
    assert sent["Subject"] == "Your warranty" and sent["To"].addresses[0].addr_spec == "noor@example.com"

    await mailbox.receive(
        mail(sender="Noor <noor@example.com>", subject="Re: Your warranty", in_reply_to=sent["Message-ID"]), 2
    )
    found = await conversations(mailbox.hub, mailbox.admin, mailbox.inbox_id)
    assert [c["id"] for c in found] == [started.json()["conversation"]["id"]]


async def test_smtp_refusal_shows_on_the_message(mailbox: _Mailbox) -> None:
    conversation = await mailbox.receive(mail(sender="Gone <gone@example.com>"), 1)
    mailbox.smtp.reject_recipients.add("gone@example.com")
    reply = await mailbox.reply(conversation["id"], "Hello?")

    async def failed() -> dict[str, Any] | None:
        items = await messages(mailbox.hub, mailbox.admin, conversation["id"])
        return next((m for m in items if m["id"] == reply["id"] and m["delivery_status"] == "failed"), None)

    await wait_until(lambda: _truthy(failed()))
    message = await failed()
    assert message is not None and "550" in message["failure_reason"]


def encoded_word(text: str, charset: str) -> str:
    """An RFC 2047 word in a legacy charset, as old mail clients write them."""
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode()}?="


async def _truthy(value: Any) -> bool:
    return bool(await value)


def delivery_report(bounced_message_id: str, recipient: str) -> bytes:
    """A bounce as Postfix writes it: a multipart/report quoting the headers of the mail that failed."""
    return (
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\n"
        f"To: {SUPPORT}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.example.com>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        "\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {bounced_message_id}\r\nTo: {recipient}\r\nSubject: Re: Order\r\n"
        "\r\n--B--\r\n"
    ).encode()


async def test_a_bounce_of_our_reply_lands_in_its_conversation(mailbox: _Mailbox) -> None:
    first = await mailbox.receive(mail(sender="Typo <tpyo@example.com>", subject="Order"), 1)
    await mailbox.reply(first["id"], "Here is your invoice.")
    [sent] = await mailbox.sent(1)

    await mailbox.receive(delivery_report(sent["Message-ID"], "tpyo@example.com"), 3)

    assert len(await conversations(mailbox.hub, mailbox.admin, mailbox.inbox_id)) == 1
    bounce = (await messages(mailbox.hub, mailbox.admin, first["id"]))[-1]
    assert bounce["metadata"]["automated"]
    assert "550 5.1.1" in bounce["metadata"]["email"]["bounce"]["diagnostic"]


async def test_a_deleted_conversation_does_not_come_back_on_a_rescan(mailbox: _Mailbox) -> None:
    gone = await mailbox.receive(mail(subject="Delete me"), 1)
    async with mailbox.hub.session() as session:
        await session.execute(delete(Conversation).where(Conversation.id == gone["id"]))
        await session.commit()

    mailbox.dovecot.reset_uidvalidity(mailbox.user)
    mailbox.deliver(mail(subject="Still welcome"))
    await wait_for_messages(mailbox.hub, mailbox.inbox_id, 1)

    assert [c["subject"] for c in await conversations(mailbox.hub, mailbox.admin, mailbox.inbox_id)] == [
        "Still welcome"
    ]


async def test_imported_mail_can_be_moved_to_a_folder(
    hub: Hub, admin: dict[str, str], dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    user = dovecot.create_user()
    dovecot.create_folder(user, "Imported")
    config = email_config(dovecot, user, smtp_sink.port, after_import="move", move_to="Imported")
    inbox_id = await create_email_inbox(hub, admin, config)
    dovecot.append(user, mail(subject="File me"))
    await wait_for_messages(hub, inbox_id, 1)

    async def moved() -> bool:
        return dovecot.status(user, "Imported").messages == 1 and dovecot.status(user).messages == 0

    await wait_until(moved)
