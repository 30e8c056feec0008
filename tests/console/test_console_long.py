"""A conversation of 5,000 messages in the console: it opens at its newest message, older messages come
when the agent scrolls up (the one they were reading stays in view), only a window of them is in the
page, and the console stays responsive."""

from __future__ import annotations

from playwright.async_api import Page, expect
from sqlalchemy import text

from tests.console.harness import Desk, Watched
from tests.console.test_console import conversation_list, open_conversation, sign_in, timeline

LONG = 5000
WINDOW = 300  # timelineWindow.js: at most this many messages are in the DOM


async def insert_history(desk: Desk, conversation_id: int) -> None:
    """5,000 earlier messages in one statement (the hub's services would take minutes for as many)."""
    async with desk.hub.app.state.runtime.sessions() as session:
        await session.execute(
            text(
                """INSERT INTO messages (conversation_id, inbox_id, direction, kind, sender_contact_id, text,
                                         created_at)
                   SELECT c.id, c.inbox_id, 'incoming', 'message', c.contact_id, 'Long message ' || n,
                          now() - interval '1 day' + n * interval '1 second'
                   FROM conversations c, generate_series(1, :count) AS n WHERE c.id = :conversation"""
            ),
            {"count": LONG, "conversation": conversation_id},
        )
        await session.commit()


async def scroll_to_top(page: Page) -> None:
    await timeline(page).evaluate("list => { list.scrollTop = 0; }")


async def test_a_long_conversation_opens_at_its_end_and_pages_older_messages_in(desk: Desk, console: Watched) -> None:
    page = console.page
    first = await desk.inbound("l0", "The very first words", identifier="long", contact={"name": "Long Talker"})
    await insert_history(desk, int(first["conversation_id"]))
    await desk.inbound("l1", "The newest words", identifier="long")
    await desk.inbound("s1", "A short question", identifier="short", contact={"name": "Short Sam"})
    await sign_in(page, desk)

    await open_conversation(page, "Long Talker")
    items = timeline(page).get_by_role("listitem")
    await expect(items.last).to_contain_text("The newest words")
    await expect(items.last).to_be_in_viewport()
    await expect(timeline(page)).not_to_contain_text("The very first words")
    oldest_shown = await items.first.locator(".body").inner_text()
    assert oldest_shown.startswith("Long message 49")

    await scroll_to_top(page)
    await expect(items.first).not_to_contain_text(oldest_shown)  # an older page came in above
    # What the agent was reading did not jump away.
    await expect(timeline(page).get_by_text(oldest_shown, exact=True)).to_be_in_viewport()

    deeper = timeline(page).get_by_text("Long message 4500", exact=True)
    for _ in range(20):  # deeper: the window moves up, the newest messages leave the page
        if await deeper.count():
            break
        before = await items.first.inner_text()
        await scroll_to_top(page)
        await expect(items.first).not_to_have_text(before)
    await expect(deeper).to_be_attached()
    assert await items.count() <= WINDOW
    await expect(timeline(page).get_by_text("The newest words")).to_have_count(0)

    newest = timeline(page).get_by_text("The newest words")
    for _ in range(20):  # and back down: the window follows, still never more than WINDOW messages
        if await newest.count():
            break
        before = await items.last.inner_text()
        await timeline(page).evaluate("list => { list.scrollTop = list.scrollHeight; }")
        await expect(items.last).not_to_have_text(before)
    await expect(newest).to_be_attached()
    assert await items.count() <= WINDOW

    await conversation_list(page).get_by_role("button").filter(has_text="Short Sam").click()
    await expect(page.get_by_role("heading", level=2, name="Short Sam")).to_be_visible(timeout=2000)
    await expect(timeline(page)).to_contain_text("A short question", timeout=2000)
    assert console.unexpected_problems() == []
