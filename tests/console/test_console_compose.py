"""E-mail in the console: writing first with copies (Cc) and a subject, copies on replies, and the quoted
history of incoming mail folded away until the agent asks for it. A real Dovecot brings the mail in and
a real SMTP server (aiosmtpd) receives what the console sends."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from playwright.async_api import Browser, expect

from tests.conftest import wait_until
from tests.connectors.email import conftest as email_servers
from tests.connectors.email.helpers import email_config, mail
from tests.console.harness import Desk, Watched, watch
from tests.console.test_console import conversation_list, open_conversation, sign_in, timeline
from tests.console.test_console_a11y import blocking_violations
from tests.mailservers import DovecotServer, MailUser, ReceivedMail, SmtpSink

# The e-mail tests' servers (one Dovecot per run, an SMTP sink per test) and their quick mailbox scans.
mail_tls = email_servers.mail_tls
dovecot = email_servers.dovecot
make_smtp_sink = email_servers.make_smtp_sink
smtp_sink = email_servers.smtp_sink
settings = email_servers.settings

QUOTED_REPLY = (
    "Thanks, the new address is fine.\n\n"
    "On Mon, 7 Dec 2026 at 10:00, Omnihub Support <support@omnihub.test> wrote:\n"
    "> Which address should we send the parcel to?\n"
    "> Best regards\n"
)


@dataclass
class MailInbox:
    desk: Desk
    dovecot: DovecotServer
    user: MailUser
    inbox_id: int

    async def receive(self, raw: bytes, conversations: int) -> None:
        """Deliver a mail to the mailbox; wait until the inbox holds that many conversations."""
        self.dovecot.append(self.user, raw)

        async def imported() -> bool:
            response = await self.desk.hub.http.get(
                f"/api/v1/conversations?inbox_id={self.inbox_id}",
                headers={"Authorization": f"Bearer {self.desk.admin}"},
            )
            return len(response.json()["items"]) >= conversations

        # IMAP, then a parse worker: on a busy machine that takes a while.
        await wait_until(imported, within_seconds=60)


async def email_inbox(desk: Desk, dovecot: DovecotServer, smtp: SmtpSink) -> MailInbox:
    """An e-mail inbox on the desk's hub, following a new Dovecot mailbox, with the desk's agent in it."""
    user = dovecot.create_user()
    response = await desk.hub.http.post(
        "/api/v1/inboxes",
        json={"name": "Support mail", "channel_type": "email", "config": email_config(dovecot, user, smtp.port)},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert response.status_code == 201, response.text
    inbox_id = int(response.json()["id"])
    await desk.hub.add_member(desk.admin, inbox_id, desk.agent_id)
    return MailInbox(desk, dovecot, user, inbox_id)


async def sent_mail(smtp: SmtpSink, count: int) -> list[ReceivedMail]:
    async with asyncio.timeout(15):
        return await smtp.arrivals(count)


def html_reply_from_gmail() -> bytes:
    message = EmailMessage()
    message["From"] = "Omar Said <omar@example.com>"
    message["To"] = "support@omnihub.test"
    message["Subject"] = "Re: Opening hours"
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content("See you on Saturday.\n\nOn Fri, Omnihub wrote:\n> We open at nine on Saturdays.\n")
    message.add_alternative(
        '<div dir="ltr">See you on Saturday.</div><div class="gmail_quote"><div class="gmail_attr">'
        'On Fri, Omnihub wrote:</div><blockquote class="gmail_quote">We open at nine on Saturdays.'
        "</blockquote></div>",
        subtype="html",
    )
    return message.as_bytes()


async def test_an_agent_writes_first_to_a_contact_with_copies_and_a_subject(
    desk: Desk, console: Watched, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    page = console.page
    mailbox = await email_inbox(desk, dovecot, smtp_sink)
    await sign_in(page, desk)
    await mailbox.receive(mail(sender="Layla Haddad <layla@example.com>", subject="Hello"), 1)
    await expect(conversation_list(page)).to_contain_text("Layla Haddad")

    await page.get_by_role("button", name="New conversation").click()
    dialog = page.get_by_role("dialog", name="New conversation")
    inboxes = dialog.get_by_role("combobox", name="Inbox")
    await expect(inboxes).to_contain_text("Support mail")
    await expect(inboxes).not_to_contain_text("Shop")  # the desk's API inbox: nothing to write first there
    await dialog.get_by_role("textbox", name="To").fill("Layla")
    await dialog.get_by_role("list", name="Matching contacts").get_by_role("button", name="Layla Haddad").click()
    await expect(dialog.get_by_role("textbox", name="To")).to_have_value("layla@example.com")
    await dialog.get_by_role("textbox", name="Cc").fill("billing@acme.example, ops@acme.example")
    await dialog.get_by_role("textbox", name="Subject").fill("Your refund")
    await dialog.get_by_role("textbox", name="Message").fill("Your refund was sent today.")
    await dialog.get_by_role("button", name="Send").click()

    await expect(dialog).to_have_count(0)
    await expect(page.locator(".conversation-header")).to_contain_text("Your refund")
    sent = timeline(page).get_by_role("listitem").filter(has_text="Your refund was sent today.")
    await expect(sent).to_contain_text("billing@acme.example, ops@acme.example")
    [received] = await sent_mail(smtp_sink, 1)
    assert received.message["Subject"] == "Your refund"
    assert received.message["To"].addresses[0].addr_spec == "layla@example.com"
    assert [a.addr_spec for a in received.message["Cc"].addresses] == ["billing@acme.example", "ops@acme.example"]
    assert received.recipients == ["layla@example.com", "billing@acme.example", "ops@acme.example"]
    # The new conversation opened at the top of the list; the contact's panel lists the earlier one.
    await expect(conversation_list(page).first.get_by_role("listitem").first).to_contain_text("Your refund")
    await expect(page.locator(".contact-panel")).to_contain_text("Hello")
    assert console.unexpected_problems() == []


async def test_a_reply_to_an_email_can_carry_copies_and_other_channels_offer_none(
    desk: Desk, console: Watched, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    page = console.page
    mailbox = await email_inbox(desk, dovecot, smtp_sink)
    await desk.inbound("m1", "Hello from the API", contact={"name": "Api Person"})
    await mailbox.receive(mail(sender="Layla Haddad <layla@example.com>", headers={"Cc": "Sami <sami@example.com>"}), 1)
    await sign_in(page, desk)

    await open_conversation(page, "Api Person")
    await expect(page.get_by_role("textbox", name="Reply")).to_be_visible()
    await expect(page.get_by_role("button", name="Add Cc")).to_have_count(0)

    await open_conversation(page, "Layla Haddad")
    incoming = timeline(page).get_by_role("listitem").first
    await expect(incoming).to_contain_text("Sami <sami@example.com>")
    await expect(incoming).to_contain_text("My order has not arrived")
    toggle = page.get_by_role("button", name="Add Cc")
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await expect(page.get_by_role("textbox", name="Cc")).to_have_count(0)
    await toggle.click()
    await expect(toggle).to_have_attribute("aria-expanded", "true")
    await page.get_by_role("textbox", name="Cc").fill("sami@example.com")
    await page.get_by_role("textbox", name="Reply").fill("It left our warehouse today.")
    await page.get_by_role("button", name="Send").click()

    [received] = await sent_mail(smtp_sink, 1)
    assert [a.addr_spec for a in received.message["Cc"].addresses] == ["sami@example.com"]
    assert received.recipients == ["layla@example.com", "sami@example.com"]
    reply = timeline(page).get_by_role("listitem").filter(has_text="It left our warehouse today.")
    await expect(reply).to_contain_text("sami@example.com")
    await expect(page.get_by_role("textbox", name="Cc")).to_have_value("")
    assert console.unexpected_problems() == []


async def test_quoted_history_is_folded_until_the_agent_shows_it(
    desk: Desk, console: Watched, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    page = console.page
    mailbox = await email_inbox(desk, dovecot, smtp_sink)
    await mailbox.receive(mail(sender="Layla Haddad <layla@example.com>", subject="Re: Parcel", body=QUOTED_REPLY), 1)
    await mailbox.receive(html_reply_from_gmail(), 2)
    await sign_in(page, desk)

    await open_conversation(page, "Layla Haddad")
    message = timeline(page).get_by_role("listitem").first
    await expect(message).to_contain_text("Thanks, the new address is fine.")
    await expect(message).to_contain_text("Re: Parcel")
    quoted = message.get_by_text("Which address should we send the parcel to?")
    await expect(quoted).to_be_hidden()
    show = message.get_by_role("button", name="Show quoted text")
    await expect(show).to_have_attribute("aria-expanded", "false")
    await show.click()
    await expect(quoted).to_be_visible()
    hide = message.get_by_role("button", name="Hide quoted text")
    await expect(hide).to_have_attribute("aria-expanded", "true")
    await hide.click()
    await expect(quoted).to_be_hidden()

    await open_conversation(page, "Omar Said")
    frame = page.frame_locator("iframe.html-body")
    await expect(frame.get_by_text("See you on Saturday.")).to_be_visible()
    await expect(frame.get_by_text("We open at nine on Saturdays.")).to_be_hidden()
    await timeline(page).get_by_role("button", name="Show quoted text").click()
    await expect(frame.get_by_text("We open at nine on Saturdays.")).to_be_visible()
    await expect(timeline(page).get_by_role("button", name="Hide quoted text")).to_have_attribute(
        "aria-expanded", "true"
    )
    assert console.unexpected_problems() == []


async def test_the_dialog_and_an_email_with_its_quote_and_copies_have_no_serious_violations(
    desk: Desk, browser: Browser, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    mailbox = await email_inbox(desk, dovecot, smtp_sink)
    await mailbox.receive(mail(sender="Layla Haddad <layla@example.com>", subject="Re: Parcel", body=QUOTED_REPLY), 1)
    # axe is an inline script: this page alone runs without the CSP (as in test_console_a11y.py).
    context = await browser.new_context(locale="en-US", bypass_csp=True)
    watched = watch(await context.new_page())
    page = watched.page
    try:
        await sign_in(page, desk)
        await page.get_by_role("button", name="New conversation").click()
        await expect(page.get_by_role("dialog", name="New conversation")).to_be_visible()
        assert await blocking_violations(page) == []
        await page.keyboard.press("Escape")
        await expect(page.get_by_role("dialog")).to_have_count(0)

        await open_conversation(page, "Layla Haddad")
        await timeline(page).get_by_role("button", name="Show quoted text").click()
        await page.get_by_role("button", name="Add Cc").click()
        await expect(page.get_by_role("textbox", name="Cc")).to_be_visible()
        assert await blocking_violations(page) == []
        assert watched.unexpected_problems() == []
    finally:
        await context.close()
