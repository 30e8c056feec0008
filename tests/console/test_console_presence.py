"""Presence in the console: who else has a conversation open, read marks that follow the agent's other tabs,
and the notifications of new work (the tab title's count, a tone, browser notifications)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, expect
from sqlalchemy import select

from omnihub.db.models import User
from omnihub.services.users import create_api_token
from tests.console.harness import Desk, Watched, watch
from tests.console.test_console import open_conversation, sign_in
from tests.console.test_console_desk import as_admin, item
from tests.console.test_console_typing import add_sam
from tests.live import agent_socket, auth

# Records what the page asks of the Notification API and of WebAudio, and lets the real ones run.
RECORD_ALERTS = """
window.__notifications = [];
window.__tones = 0;
const RealNotification = window.Notification;
class RecordedNotification extends RealNotification {
  constructor(title, options) {
    super(title, options);
    window.__notifications.push({ title, body: (options || {}).body || '' });
  }
}
window.Notification = RecordedNotification;
const realOscillator = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () {
  window.__tones += 1;
  return realOscillator.call(this);
};
"""


@pytest.fixture
async def second_console(browser: Browser) -> AsyncIterator[Watched]:
    """Another browser (its own cookies): the second agent's."""
    context = await browser.new_context(locale="en-US")
    yield watch(await context.new_page())
    await context.close()


@pytest.fixture
async def alerting_context(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(locale="en-US", permissions=["notifications"])
    await context.add_init_script(RECORD_ALERTS)
    yield context
    await context.close()


async def test_an_agent_sees_who_else_has_the_conversation_open_until_they_leave(
    desk: Desk, console: Watched, second_console: Watched
) -> None:
    sam_desk = await add_sam(desk)
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact={"name": "Eli Roe"})
    ann, sam = console.page, second_console.page
    await sign_in(ann, desk)
    await open_conversation(ann, "Dana Doe")
    await sign_in(sam, sam_desk)
    await open_conversation(sam, "Dana Doe")

    # Both see the other at once (the one who was there first answers the newcomer).
    await expect(ann.locator(".viewing-collision")).to_have_text("Sam is viewing")
    await expect(sam.locator(".viewing-collision")).to_have_text("agent is viewing")

    await open_conversation(sam, "Eli Roe")
    await expect(ann.locator(".viewers")).to_have_text("")
    await expect(sam.locator(".viewers")).to_have_text("")  # nobody else has Eli open

    await open_conversation(sam, "Dana Doe")
    await expect(ann.locator(".viewing-collision")).to_have_text("Sam is viewing")
    await sam.close()  # the tab closes: the hub withdraws what its socket had open
    await expect(ann.locator(".viewers")).to_have_text("")
    assert console.unexpected_problems() == []
    assert second_console.unexpected_problems() == []


async def test_a_viewer_who_is_not_repeated_expires(desk: Desk, console: Watched) -> None:
    """A console repeats its viewing every few seconds; one that stops (its node crashed) is forgotten."""
    sam_desk = await add_sam(desk)
    async with desk.hub.app.state.runtime.sessions() as session:
        sam = await session.scalar(select(User).where(User.id == sam_desk.agent_id))
        assert sam is not None
        token = await create_api_token(session, user=sam)
    dana = await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await sign_in(console.page, desk)
    await open_conversation(console.page, "Dana Doe")

    async with agent_socket(desk.hub.ws, additional_headers=auth(token)) as sams_socket:
        await sams_socket.send(json.dumps({"type": "viewing", "conversation_id": dana["conversation_id"]}))
        await expect(console.page.locator(".viewing-collision")).to_have_text("Sam is viewing")
        # The socket stays open but says nothing more: after 15 s the console lets Sam go.
        await expect(console.page.locator(".viewers")).to_have_text("", timeout=25_000)
    assert console.unexpected_problems() == []


async def test_reading_in_one_tab_updates_the_unread_markers_of_the_agents_other_tab(
    desk: Desk, browser: Browser
) -> None:
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact={"name": "Eli Roe"})
    context = await browser.new_context(locale="en-US")  # one browser, two tabs: the same session
    try:
        first, second = watch(await context.new_page()), watch(await context.new_page())
        await sign_in(first.page, desk)
        await second.page.goto(desk.console_url)
        await expect(second.page.get_by_role("status")).to_have_text("Live")
        await expect(item(second.page, "Dana Doe")).to_contain_text("Unread")

        await open_conversation(first.page, "Dana Doe")
        await expect(item(second.page, "Dana Doe")).not_to_contain_text("Unread")
        await expect(item(second.page, "Eli Roe")).to_contain_text("Unread")

        await first.page.get_by_role("button", name="Mark as unread").click()
        await expect(item(second.page, "Dana Doe")).to_contain_text("Unread")
        await expect(second.page).to_have_title("(2) omnihub")

        # This browser was not given the permission: switching notifications on says so and stays off.
        await second.page.get_by_role("button", name="Notifications").click()
        await second.page.get_by_role("checkbox", name="Browser notifications").click()
        await expect(second.page.get_by_role("alert")).to_have_text(
            "The browser does not allow notifications from this site."
        )
        await expect(second.page.get_by_role("checkbox", name="Browser notifications")).not_to_be_checked()
        assert first.unexpected_problems() == []
        assert second.unexpected_problems() == []
    finally:
        await context.close()


async def test_the_title_counts_unread_conversations_and_new_work_notifies_when_switched_on(
    desk: Desk, alerting_context: BrowserContext
) -> None:
    watched = watch(await alerting_context.new_page())
    page = watched.page
    dana = await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await expect(page).to_have_title("(1) omnihub")

    # Switched off (the default): new work changes the title only.
    await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact={"name": "Eli Roe"})
    await expect(page).to_have_title("(2) omnihub")
    await open_conversation(page, "Dana Doe")
    await expect(page).to_have_title("(1) omnihub")

    await page.get_by_role("button", name="Notifications").click()
    await page.get_by_role("checkbox", name="Browser notifications").check()
    await page.get_by_role("checkbox", name="Sound").check()
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("checkbox", name="Sound")).to_have_count(0)

    await desk.inbound("m3", "Hello?", identifier="fay", contact={"name": "Fay Poe"})
    await expect(page).to_have_title("(2) omnihub")
    await page.wait_for_function("window.__notifications.length > 0")
    assert await page.evaluate("window.__notifications") == [{"title": "New conversation", "body": ""}]
    assert await page.evaluate("window.__tones") == 1

    # Dana's conversation is the agent's: a message in it while it is open in this visible tab is no news ...
    await as_admin(desk, dana["conversation_id"], {"assignee_id": desk.agent_id})
    await expect(page.get_by_text("Assigned to you")).to_be_visible()
    await desk.inbound("m4", "Any news?", identifier="dana")
    await expect(page.get_by_role("list", name="Messages")).to_contain_text("Any news?")
    # ... but it is once the agent looks at another conversation; Eli's, not assigned, never notifies.
    await open_conversation(page, "Eli Roe")
    await desk.inbound("m5", "Me again", identifier="eli")
    await desk.inbound("m6", "Hello again?", identifier="dana")
    await expect(item(page, "Eli Roe")).to_contain_text("Me again")
    await page.wait_for_function("window.__notifications.length > 1")
    assert await page.evaluate("window.__notifications") == [
        {"title": "New conversation", "body": ""},
        {"title": "New message", "body": "Hello again?"},
    ]

    # The switches are kept for this device.
    await page.reload()
    await page.get_by_role("button", name="Notifications").click()
    await expect(page.get_by_role("checkbox", name="Browser notifications")).to_be_checked()
    await expect(page.get_by_role("checkbox", name="Sound")).to_be_checked()
    assert watched.unexpected_problems() == []
