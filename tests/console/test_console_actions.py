"""Conversation actions in the header (assignee, team, priority, labels, snooze) seen live by a second
agent, the snooze ending by itself, and the contact panel's renaming and merging."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from omnihub.workers.snooze import SnoozeWaker
from tests.console.harness import Desk, Watched, watch
from tests.console.test_console import conversation_list, open_conversation, sign_in, timeline
from tests.console.test_console_desk import as_agent
from tests.console.test_console_typing import add_sam


@pytest.fixture
async def second_console(browser: Browser) -> AsyncIterator[Watched]:
    """Another browser context (its own cookies): the second agent's."""
    context = await browser.new_context(locale="en-US")
    yield watch(await context.new_page())
    await context.close()


def header(page: Page) -> Locator:
    return page.locator(".conversation-header")


def panel(page: Page) -> Locator:
    return page.get_by_role("region", name="Contact")


async def as_admin(desk: Desk, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    response = await desk.hub.http.request(
        method, f"/api/v1/{path}", json=body, headers={"Authorization": f"Bearer {desk.admin}"}
    )
    assert response.is_success, response.text
    return response.json()


async def wake_snoozed(desk: Desk, at: datetime) -> int:
    """One pass of the hub's snooze waker, as if it were ``at`` already."""
    waker = SnoozeWaker(desk.hub.app.state.runtime.sessions, poll_seconds=60, clock=lambda: at)
    return await waker.wake_due()


async def test_a_second_agent_sees_assignment_priority_labels_and_snooze_live(
    desk: Desk, console: Watched, second_console: Watched
) -> None:
    sam_desk = await add_sam(desk)
    billing = await as_admin(desk, "POST", "teams", {"name": "Billing"})
    dana = await desk.inbound("m1", "My invoice is wrong", contact={"name": "Dana Doe"})
    ann, sam = console.page, second_console.page
    await sign_in(ann, desk)
    await sign_in(sam, sam_desk)
    await open_conversation(ann, "Dana Doe")
    await open_conversation(sam, "Dana Doe")

    await header(ann).get_by_label("Assignee").select_option(label="Sam")
    await header(ann).get_by_label("Team").select_option(label="Billing")
    await header(ann).get_by_label("Priority").select_option(label="High")
    await header(ann).get_by_label("Add label").fill("VIP ")
    await header(ann).get_by_label("Add label").press("Enter")
    await expect(header(ann).get_by_role("list", name="Labels")).to_contain_text("vip")
    await expect(header(ann).get_by_label("Add label")).to_have_value("")
    await header(ann).get_by_label("Add label").fill("refund")
    await header(ann).get_by_role("button", name="Add", exact=True).click()

    await expect(header(sam).get_by_label("Assignee")).to_have_value(str(sam_desk.agent_id))
    await expect(header(sam).get_by_label("Team")).to_have_value(str(billing["id"]))
    await expect(header(sam).get_by_label("Priority")).to_have_value("high")
    chips = header(sam).get_by_role("list", name="Labels").get_by_role("listitem").locator("span")
    await expect(chips).to_have_text(["refund", "vip"])  # as the hub keeps them: lower case, sorted
    await expect(timeline(sam)).to_contain_text("assigned the conversation to Sam")
    await expect(timeline(sam)).to_contain_text("assigned the team Billing")

    await header(ann).get_by_role("button", name="Remove label vip").click()
    await expect(chips).to_have_text(["refund"])

    await header(ann).get_by_role("button", name="Snooze").click()
    await ann.get_by_role("menuitem", name="1 hour").click()
    await expect(header(sam).locator(".status")).to_have_text("Snoozed")
    await expect(header(sam)).to_contain_text("Snoozed until")
    await expect(conversation_list(sam).get_by_role("listitem").filter(has_text="Dana Doe")).to_contain_text("Snoozed")
    _, stored = await as_agent(ann, f"conversations/{dana['conversation_id']}")
    until = datetime.fromisoformat(stored["snoozed_until"])
    assert timedelta(minutes=55) < until - datetime.now(UTC) <= timedelta(hours=1)

    # The time comes: the waker opens it again, and both agents see it without reloading.
    assert await wake_snoozed(desk, until + timedelta(seconds=1)) == 1
    for page in (ann, sam):
        await expect(header(page).locator(".status")).to_have_text("Open")
        await expect(timeline(page)).to_contain_text("The snooze ended")
        await expect(header(page)).not_to_contain_text("Snoozed until")
    assert console.unexpected_problems() == []
    assert second_console.unexpected_problems() == []


async def test_snoozing_until_a_chosen_time_and_waking_up(desk: Desk, console: Watched) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Call me next month", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    await header(page).get_by_role("button", name="Snooze").click()
    await page.get_by_label("Snooze until").fill("2099-03-04T10:30")
    await page.get_by_role("button", name="Snooze until then").click()

    await expect(page.get_by_role("menu")).to_have_count(0)
    await expect(header(page)).to_contain_text("Snoozed until")
    _, stored = await as_agent(page, f"conversations/{dana['conversation_id']}")
    # The agent's local 10:30 (the browser's time zone), as the hub stored it.
    chosen = await page.evaluate("new Date('2099-03-04T10:30').toISOString()")
    assert datetime.fromisoformat(stored["snoozed_until"]) == datetime.fromisoformat(chosen)
    await expect(timeline(page).locator("li.activity").last).to_contain_text("snoozed the conversation until 2099-03-0")

    assert await wake_snoozed(desk, datetime(2099, 3, 6, tzinfo=UTC)) == 1
    await expect(header(page).locator(".status")).to_have_text("Open")
    await expect(timeline(page).locator("li.activity").last).to_contain_text("The snooze ended")
    assert console.unexpected_problems() == []


async def test_a_snooze_in_the_past_is_refused_in_words(desk: Desk, console: Watched) -> None:
    page = console.page
    await desk.inbound("m1", "Hello", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    await header(page).get_by_role("button", name="Snooze").click()
    await page.get_by_label("Snooze until").fill("2001-01-01T09:00")
    await page.get_by_role("button", name="Snooze until then").click()

    await expect(page.get_by_role("alert")).to_contain_text("must be in the future")
    await expect(header(page).locator(".status")).to_have_text("Open")
    assert [p for p in console.unexpected_problems() if "status of 422" not in p] == []


async def test_a_renamed_contact_shows_in_the_list_and_the_panel_of_every_agent(
    desk: Desk, console: Watched, second_console: Watched
) -> None:
    sam_desk = await add_sam(desk)
    await desk.inbound("m1", "Hi there", contact={"name": "dana"})
    ann, sam = console.page, second_console.page
    await sign_in(ann, desk)
    await sign_in(sam, sam_desk)
    await open_conversation(ann, "dana")
    await open_conversation(sam, "dana")

    await panel(ann).get_by_role("button", name="Edit name").click()
    await expect(panel(ann).get_by_label("Name")).to_have_value("dana")
    await panel(ann).get_by_label("Name").fill("Dana Doe")
    await panel(ann).get_by_role("button", name="Save").click()

    for page in (ann, sam):
        await expect(panel(page).locator(".contact-name")).to_have_text("Dana Doe")
        await expect(conversation_list(page)).to_contain_text("Dana Doe")
        await expect(page.get_by_role("heading", level=2, name="Dana Doe")).to_be_visible()
    await expect(panel(ann).get_by_label("Name")).to_have_count(0)

    # Cancel leaves the name as it was.
    await panel(ann).get_by_role("button", name="Edit name").click()
    await panel(ann).get_by_label("Name").fill("Somebody else")
    await panel(ann).get_by_role("button", name="Cancel").click()
    await expect(panel(ann).locator(".contact-name")).to_have_text("Dana Doe")
    assert console.unexpected_problems() == []
    assert second_console.unexpected_problems() == []


async def test_merging_a_contact_moves_its_conversation_into_the_panel(
    desk: Desk, console: Watched, second_console: Watched
) -> None:
    sam_desk = await add_sam(desk)
    page, sam = console.page, second_console.page
    await desk.inbound("m1", "Order 1 is late", identifier="dana", contact={"name": "Dana Doe"}, subject="Order 1")
    await desk.inbound("m2", "It is me again", identifier="dana-shop", contact={"name": "D. Doe"}, subject="Order 2")
    await sign_in(sam, sam_desk)
    await open_conversation(sam, "Dana Doe")
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    others = panel(page).get_by_role("list", name="Other conversations")
    await expect(panel(page)).to_contain_text("No other conversations.")

    await panel(page).get_by_role("button", name="Merge contact").click()
    dialog = page.get_by_role("dialog", name="Merge another contact into Dana Doe")
    await dialog.get_by_label("Search contacts").fill("doe")
    found = dialog.get_by_role("list", name="Contacts found")
    await expect(found.get_by_role("listitem")).to_have_count(1)  # not Dana Doe herself
    await found.get_by_role("button", name="D. Doe").click()
    await expect(dialog).to_contain_text("Merge D. Doe into Dana Doe?")
    await dialog.get_by_role("button", name="Merge", exact=True).click()

    await expect(dialog).to_have_count(0)
    await expect(others.get_by_role("listitem")).to_have_count(1)
    await expect(others).to_contain_text("Order 2")
    await expect(panel(page).get_by_role("list", name="Addresses").get_by_role("listitem")).to_have_count(2)
    # The moved conversation is Dana Doe's in the list too, and the other agent sees it all live.
    for seeing in (page, sam):
        listed = seeing.get_by_role("list", name="Conversations", exact=True).get_by_role("listitem")
        await expect(listed.filter(has_text="Order 2")).to_contain_text("Dana Doe")
    await expect(panel(sam).get_by_role("list", name="Other conversations")).to_contain_text("Order 2")
    assert console.unexpected_problems() == []
    assert second_console.unexpected_problems() == []


async def test_a_merge_the_agent_may_not_make_is_explained(desk: Desk, console: Watched) -> None:
    page = console.page
    await desk.inbound("m1", "Order 1 is late", identifier="dana", contact={"name": "Dana Doe"})
    other = await desk.inbound("m2", "Hello again", identifier="dana-2", contact={"name": "Dana Two"})
    # Dana Two also writes to an inbox this agent does not work in.
    elsewhere = await as_admin(desk, "POST", "inboxes", {"name": "Wholesale", "channel_type": "api"})
    hidden = await as_admin(
        desk,
        "POST",
        f"inboxes/{elsewhere['id']}/inbound",
        {"external_id": "w1", "contact": {"identifier": "dana-w"}, "content": "Bulk order"},
    )
    await as_admin(desk, "POST", f"contacts/{other['contact_id']}/merge", {"other_id": hidden["contact_id"]})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    await panel(page).get_by_role("button", name="Merge contact").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Search contacts").fill("Dana Two")
    await dialog.get_by_role("list", name="Contacts found").get_by_role("button", name="Dana Two").click()
    await dialog.get_by_role("button", name="Merge", exact=True).click()

    await expect(dialog.get_by_role("alert")).to_contain_text("Ask an admin to merge them")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(panel(page)).to_contain_text("No other conversations.")
    assert [p for p in console.unexpected_problems() if "status of 403" not in p] == []
