"""The conversation list's filter bar, its waiting order, and the top bar's language choice."""

from __future__ import annotations

from playwright.async_api import Locator, Page, expect
from sqlalchemy import text

from tests.console.harness import Desk, Watched
from tests.console.test_console import conversation_list, sign_in


async def _second_inbox(desk: Desk, name: str) -> int:
    """Another API inbox the agent is a member of."""
    inbox = await desk.hub.inbox(desk.admin, name)
    await desk.hub.add_member(desk.admin, inbox, desk.agent_id)
    return inbox


async def _patch(desk: Desk, conversation_id: int, changes: dict[str, object]) -> None:
    response = await desk.hub.http.patch(
        f"/api/v1/conversations/{conversation_id}", json=changes, headers={"Authorization": f"Bearer {desk.admin}"}
    )
    assert response.status_code == 200, response.text


def _row(page: Page, name: str) -> Locator:
    return conversation_list(page).get_by_role("listitem").filter(has_text=name)


async def test_filters_narrow_the_list_and_survive_a_reload(desk: Desk, console: Watched) -> None:
    page = console.page
    returns = await _second_inbox(desk, "Returns")
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    eli = await desk.hub.inbound(desk.admin, returns, "r1", "Broken on arrival", name="Eli Roe")
    fay = await desk.hub.inbound(desk.admin, returns, "r2", "Wrong size", name="Fay Poe")
    await _patch(desk, eli["conversation_id"], {"priority": "urgent", "labels": ["Refund"]})
    await sign_in(page, desk)
    rows = conversation_list(page).get_by_role("listitem")
    await expect(rows).to_have_count(3)

    filters = page.get_by_role("group", name="Filters")
    await filters.get_by_label("Inbox").select_option(label="Returns")
    await expect(rows).to_have_count(2)
    await expect(_row(page, "Dana Doe")).to_have_count(0)
    await filters.get_by_label("Priority").select_option(label="Urgent")
    await expect(rows).to_have_count(1)
    await expect(_row(page, "Eli Roe")).to_be_visible()

    await page.reload()
    await expect(page.get_by_role("status")).to_have_text("Live")
    await expect(_row(page, "Eli Roe")).to_be_visible()
    await expect(rows).to_have_count(1)
    await expect(filters.get_by_label("Inbox")).to_have_value(str(returns))
    await expect(filters.get_by_label("Priority")).to_have_value("urgent")

    # The label filter, alone with the views: typed in any case, it matches the stored label.
    await filters.get_by_role("button", name="Clear filters").click()
    await expect(rows).to_have_count(3)
    await filters.get_by_label("Label").fill("REFUND")
    await filters.get_by_label("Label").press("Enter")
    await expect(rows).to_have_count(1)
    await page.get_by_role("tab", name="Mine").click()
    await expect(rows).to_have_count(0)
    await _patch(desk, fay["conversation_id"], {"assignee_id": desk.agent_id})  # mine, but no label
    await _patch(desk, eli["conversation_id"], {"assignee_id": desk.agent_id})
    await expect(_row(page, "Eli Roe")).to_be_visible()
    await expect(rows).to_have_count(1)

    # Signing out forgets the choice: whoever signs in next at this browser sees the whole list.
    await page.get_by_role("button", name="Sign out").click()
    await sign_in(page, desk)
    await page.get_by_role("tab", name="All").click()
    await expect(rows).to_have_count(3)
    await expect(filters.get_by_label("Label")).to_have_value("")
    assert console.unexpected_problems() == []


async def test_live_events_respect_the_filters(desk: Desk, console: Watched) -> None:
    page = console.page
    returns = await _second_inbox(desk, "Returns")
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    eli = await desk.hub.inbound(desk.admin, returns, "r1", "Broken on arrival", name="Eli Roe")
    await sign_in(page, desk)
    filters = page.get_by_role("group", name="Filters")
    await filters.get_by_label("Inbox").select_option(label="Returns")
    await filters.get_by_label("Status").select_option(label="Open")
    rows = conversation_list(page).get_by_role("listitem")
    await expect(rows).to_have_count(1)

    # A new conversation in the filtered-out inbox, then one in the chosen inbox as a sentinel.
    await desk.inbound("m2", "Hello again", identifier="gus", contact={"name": "Gus Hidden"})
    await desk.inbound("m3", "And once more", identifier="dana")
    await desk.hub.inbound(desk.admin, returns, "r2", "Wrong size", name="Fay Poe")
    await expect(_row(page, "Fay Poe")).to_be_visible()
    await expect(rows).to_have_count(2)
    await expect(page.get_by_text("Gus Hidden")).to_have_count(0)
    await expect(_row(page, "Dana Doe")).to_have_count(0)

    # A conversation that stops matching (resolved, while the list shows open ones) leaves it.
    await _patch(desk, eli["conversation_id"], {"status": "resolved"})
    await expect(_row(page, "Eli Roe")).to_have_count(0)
    await expect(rows).to_have_count(1)
    assert console.unexpected_problems() == []


async def test_the_waiting_order_puts_the_longest_waiting_first_with_its_waiting_time(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    ann = await desk.inbound("a1", "Hello?", identifier="ann", contact={"name": "Ann Lee"})
    await desk.inbound("b1", "Quick question", identifier="ben", contact={"name": "Ben Ode"})
    await desk.inbound("c1", "Help please", identifier="cal", contact={"name": "Cal Orr"})
    ben = await desk.inbound("b2", "Still there?", identifier="ben")
    reply = await desk.hub.http.post(
        f"/api/v1/conversations/{ben['conversation_id']}/messages",
        json={"content": "Yes, here!"},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert reply.status_code == 201, reply.text
    async with desk.hub.app.state.runtime.sessions() as session:  # Ann has waited a while already
        await session.execute(
            text("UPDATE conversations SET waiting_since = now() - interval '7 minutes' WHERE id = :id"),
            {"id": ann["conversation_id"]},
        )
        await session.commit()
    await sign_in(page, desk)
    rows = conversation_list(page).get_by_role("listitem")
    await expect(rows).to_have_count(3)
    await expect(rows.nth(0)).to_contain_text("Ben Ode")  # newest activity first, by default

    await page.get_by_role("group", name="Filters").get_by_label("Sort").select_option(label="Waiting longest")
    await expect(rows.nth(0)).to_contain_text("Ann Lee")
    await expect(rows.nth(1)).to_contain_text("Cal Orr")
    await expect(rows.nth(2)).to_contain_text("Ben Ode")
    await expect(rows.nth(0)).to_contain_text("waiting 7 min")
    await expect(rows.nth(1)).to_contain_text("waiting under a minute")
    await expect(rows.nth(2)).not_to_contain_text("waiting")

    # Live: Ben writes again and waits now, but not as long as Ann or Cal; the order survives a reload.
    await desk.inbound("b3", "Hello?", identifier="ben")
    await expect(rows.nth(2)).to_contain_text("waiting under a minute")
    await page.reload()
    await expect(rows).to_have_count(3)
    await expect(rows.nth(0)).to_contain_text("Ann Lee")
    await expect(rows.nth(2)).to_contain_text("Ben Ode")
    assert console.unexpected_problems() == []


async def test_choosing_arabic_turns_the_page_right_to_left_and_stays_chosen(desk: Desk, console: Watched) -> None:
    page = console.page
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    html = page.locator("html")
    await expect(html).to_have_attribute("dir", "ltr")

    await page.get_by_label("Language").select_option(label="العربية")
    await expect(html).to_have_attribute("dir", "rtl")
    await expect(html).to_have_attribute("lang", "ar")
    await expect(page.get_by_role("button", name="تسجيل الخروج")).to_be_visible()
    await expect(page.get_by_role("group", name="عوامل التصفية").get_by_label("الحالة")).to_be_visible()
    await expect(page.get_by_role("list", name="المحادثات").get_by_text("Dana Doe")).to_be_visible()  # no reload
    me = await page.request.get(f"{desk.hub.base}/api/v1/me")
    assert (await me.json())["locale"] == "ar"

    await page.reload()
    await expect(html).to_have_attribute("dir", "rtl")
    await expect(page.get_by_label("اللغة")).to_have_value("ar")

    await page.get_by_label("اللغة").select_option(label="English")
    await expect(html).to_have_attribute("dir", "ltr")
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert console.unexpected_problems() == []
