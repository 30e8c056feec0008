"""The console's search box, command palette (Ctrl+K) and keyboard shortcuts (r, n, a, e, /)."""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import Locator, Page, Route, expect

from tests.console.harness import Desk, Watched
from tests.console.test_console import conversation_list, open_conversation, sign_in, timeline


def search_box(page: Page) -> Locator:
    return page.get_by_role("combobox", name="Search")


def results(page: Page) -> Locator:
    return page.get_by_role("listbox", name="Search results").get_by_role("option")


def reply_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Reply")


async def conversation_as_admin(desk: Desk, conversation_id: int) -> dict[str, Any]:
    response = await desk.hub.http.get(
        f"/api/v1/conversations/{conversation_id}", headers={"Authorization": f"Bearer {desk.admin}"}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def other_inbox(desk: Desk) -> int:
    created = await desk.hub.http.post(
        "/api/v1/inboxes",
        json={"name": "Legal", "channel_type": "api", "config": {}},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


async def post_to(desk: Desk, inbox: int, external_id: str, contact: dict[str, str]) -> int:
    response = await desk.hub.http.post(
        f"/api/v1/inboxes/{inbox}/inbound",
        json={"external_id": external_id, "contact": contact, "content": "Confidential matter"},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["conversation_id"])


def problems_besides_not_found(console: Watched, numbers: set[int]) -> list[str]:
    """A number typed into the search is asked of the hub, whose 404 Chromium reports on the console."""
    expected = {
        f"status of 404 (Not Found) at {console.page.url.split('/console/')[0]}/api/v1/conversations/{n}"
        for n in numbers
    }
    return [p for p in console.unexpected_problems() if not any(p.endswith(e) for e in expected)]


DANA = {"name": "Dana Doe", "email": "dana.doe@example.com", "phone": "+14155550123"}
ELI = {"name": "Eli Roe", "email": "eli.roe@example.com", "phone": "+972501234567"}


async def test_search_finds_a_contact_by_part_of_name_email_or_phone_and_marks_the_match(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact=DANA)
    await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact=ELI)
    await sign_in(page, desk)
    search = search_box(page)

    for typed, marked in [("ana d", "ana D"), ("DOE@exa", "doe@exa"), ("(415) 555-01", "41555501")]:
        await search.fill(typed)
        await expect(results(page)).to_have_count(1)
        await expect(results(page).first).to_contain_text("Dana Doe")
        await expect(results(page).first.locator("mark")).to_have_text(marked)
    # A national number ("050-...", the trunk zero dropped) finds Eli's +972 number by its digits.
    await search.fill("050-123-45")
    await expect(results(page)).to_have_count(1)
    await expect(results(page).first.locator("mark")).to_have_text("5012345")

    # Up / Down move through the results; Enter opens the chosen contact's conversation and contact panel.
    await search.fill("example.com")
    await expect(results(page)).to_have_count(2)
    await expect(search).to_have_attribute("aria-expanded", "true")
    first_name = await results(page).nth(0).locator(".result-title").text_content()
    await search.press("ArrowDown")
    await expect(results(page).nth(1)).to_have_attribute("aria-selected", "true")
    await expect(search).to_have_attribute("aria-activedescendant", "search-option-1")
    await search.press("ArrowDown")
    await expect(results(page).nth(0)).to_have_attribute("aria-selected", "true")
    await search.press("Enter")
    assert first_name is not None
    await expect(page.get_by_role("heading", level=2, name=first_name.strip())).to_be_visible()
    await expect(page.locator(".contact-panel .contact-name")).to_have_text(first_name.strip())
    await expect(results(page)).to_have_count(0)

    # Escape closes the list; the box keeps what was typed until a second Escape.
    await search.fill("Dana")
    await expect(results(page)).to_have_count(1)
    await search.press("Escape")
    await expect(results(page)).to_have_count(0)
    await expect(search).to_have_value("Dana")
    await search.press("Escape")
    await expect(search).to_have_value("")
    assert console.unexpected_problems() == []


async def test_a_late_answer_to_an_earlier_query_is_ignored(desk: Desk, console: Watched) -> None:
    page = console.page
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact=DANA)
    await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact=ELI)
    await sign_in(page, desk)
    release = asyncio.Event()

    async def hold_dana(route: Route) -> None:
        if "q=Dana" in route.request.url:
            await release.wait()
        await route.continue_()

    await page.route(lambda url: "/api/v1/contacts?" in url, hold_dana)
    async with page.expect_request(lambda request: "q=Dana" in request.url):
        await search_box(page).fill("Dana")
    await search_box(page).fill("Eli")
    await expect(results(page)).to_have_count(1)
    await expect(results(page).first).to_contain_text("Eli Roe")

    async with page.expect_response(lambda response: "q=Dana" in response.url) as late:
        release.set()
    await (await late.value).finished()
    await page.evaluate("new Promise((done) => setTimeout(done, 0))")  # a turn for the late answer's handler
    await expect(results(page)).to_have_count(1)
    await expect(results(page).first).to_contain_text("Eli Roe")
    assert console.unexpected_problems() == []


async def test_a_conversation_number_opens_it_even_when_it_is_not_in_the_list(desk: Desk, console: Watched) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Where is my order?", identifier="dana", contact=DANA)
    number = dana["conversation_id"]
    await sign_in(page, desk)
    # The Mine view is empty: Dana's conversation is in no loaded page.
    await page.get_by_role("tablist", name="Views").get_by_role("tab", name="Mine").click()
    await expect(conversation_list(page).get_by_role("listitem")).to_have_count(0)

    await search_box(page).fill(f"#{number}")
    option = results(page).filter(has_text=f"Conversation #{number}")
    await expect(option).to_have_count(1)
    await expect(option.locator("mark")).to_have_text(f"#{number}")
    await expect(option).to_contain_text("Dana Doe")
    await search_box(page).press("Enter")

    await expect(page.get_by_role("heading", level=2, name="Dana Doe")).to_be_visible()
    await expect(timeline(page)).to_contain_text("Where is my order?")
    # The number alone finds it too.
    await search_box(page).fill(str(number))
    await expect(results(page).filter(has_text=f"Conversation #{number}")).to_have_count(1)
    assert console.unexpected_problems() == []


async def test_an_agent_never_finds_a_contact_or_conversation_of_an_inbox_they_are_not_in(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    legal = await other_inbox(desk)
    hidden = await post_to(desk, legal, "l1", {"identifier": "quinn", "name": "Quinn Hidden", "phone": "+14155550199"})
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact=DANA)
    await sign_in(page, desk)
    search = search_box(page)

    # "415 555" is in both phone numbers: only the agent's own inbox's contact is found.
    await search.fill("415 555")
    await expect(results(page)).to_have_count(1)
    await expect(results(page).first).to_contain_text("Dana Doe")
    for typed in ["Quinn", "Hidden", "0199", f"#{hidden}"]:
        await search.fill("Dana")  # a query with an answer between two without: each answer is waited for
        await expect(results(page)).to_have_count(1)
        await search.fill(typed)
        await expect(page.get_by_text("No matches.")).to_be_visible()
        await expect(results(page)).to_have_count(0)

    # Asked through the palette, the number opens nothing either.
    await page.keyboard.press("Control+k")
    await page.get_by_role("combobox", name="Command").fill(f"#{hidden}")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("dialog", name="Command palette")).to_have_count(0)
    await expect(page.get_by_text("Choose a conversation.")).to_be_visible()
    await expect(page.get_by_text("Hidden")).to_have_count(0)
    assert problems_besides_not_found(console, {hidden, 199}) == []


async def test_ctrl_k_runs_resolve_on_the_open_conversation_and_gives_the_focus_back(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Where is my order?", identifier="dana", contact=DANA)
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    await reply_box(page).click()
    palette = page.get_by_role("dialog", name="Command palette")

    # Escape closes it, and the keys go back where they were (the reply box, Ctrl+K works while typing).
    await page.keyboard.press("Control+k")
    await expect(palette).to_be_visible()
    await expect(palette.get_by_role("combobox", name="Command")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(palette).to_have_count(0)
    await expect(reply_box(page)).to_be_focused()

    await page.keyboard.press("Control+k")
    await palette.get_by_role("combobox", name="Command").fill("reso")
    await expect(palette.get_by_role("option")).to_have_count(1)
    await expect(palette.get_by_role("option")).to_contain_text("Resolve")
    await page.keyboard.press("Enter")

    await expect(palette).to_have_count(0)
    status = page.get_by_role("group", name="Status")
    await expect(status.get_by_role("button", name="Resolved")).to_have_attribute("aria-pressed", "true")
    await expect(reply_box(page)).to_be_focused()
    assert (await conversation_as_admin(desk, dana["conversation_id"]))["status"] == "resolved"

    # Switching views from the palette.
    await page.keyboard.press("Control+k")
    await palette.get_by_role("combobox", name="Command").fill("view unass")
    await page.keyboard.press("Enter")
    tabs = page.get_by_role("tablist", name="Views")
    await expect(tabs.get_by_role("tab", name="Unassigned")).to_have_attribute("aria-selected", "true")
    assert console.unexpected_problems() == []


async def test_r_n_a_e_and_slash_act_on_the_open_conversation_but_never_while_typing(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Where is my order?", identifier="dana", contact=DANA)
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    private_note = page.get_by_role("checkbox", name="Private note")

    # Typed into the reply box and the search box, the letters are just letters.
    await reply_box(page).click()
    await page.keyboard.type("nae")
    await expect(reply_box(page)).to_have_value("nae")
    await search_box(page).click()
    await page.keyboard.type("rae")
    await expect(search_box(page)).to_have_value("rae")
    await expect(search_box(page)).to_be_focused()
    await expect(page.get_by_role("button", name="Assign to me")).to_be_visible()
    await expect(private_note).not_to_be_checked()
    await reply_box(page).fill("")
    await search_box(page).fill("")
    await page.evaluate("document.activeElement.blur()")

    await page.keyboard.press("a")
    await expect(page.get_by_text("Assigned to you")).to_be_visible()
    await page.keyboard.press("e")
    status = page.get_by_role("group", name="Status")
    await expect(status.get_by_role("button", name="Resolved")).to_have_attribute("aria-pressed", "true")
    changed = await conversation_as_admin(desk, dana["conversation_id"])
    assert changed["assignee_id"] == desk.agent_id and changed["status"] == "resolved"

    await page.keyboard.press("n")
    await expect(reply_box(page)).to_be_focused()
    await expect(private_note).to_be_checked()
    await expect(reply_box(page)).to_have_value("")  # the "n" itself is not typed
    await page.evaluate("document.activeElement.blur()")
    await page.keyboard.press("r")
    await expect(reply_box(page)).to_be_focused()
    await expect(private_note).not_to_be_checked()
    await page.evaluate("document.activeElement.blur()")

    await page.keyboard.press("/")
    await expect(search_box(page)).to_be_focused()
    await expect(search_box(page)).to_have_value("")
    assert console.unexpected_problems() == []


async def test_the_shortcut_sheet_lists_every_key_and_what_enter_does_in_the_reply_box(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    await sign_in(page, desk)
    await page.keyboard.press("?")
    sheet = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(sheet).to_be_visible()
    for key, action in [
        ("r", "Reply to the open conversation"),
        ("n", "Write a private note"),
        ("a", "Assign the open conversation to me"),
        ("e", "Resolve the open conversation"),
        ("/", "Search contacts and conversations"),
        ("Ctrl+K", "Command palette"),
        ("Enter", "New line"),
        ("Ctrl+Enter", "Send the reply, or the private note"),
    ]:
        row = sheet.locator("dl > div").filter(has=page.locator("kbd", has_text=key)).filter(has_text=action)
        await expect(row).to_have_count(1)
    assert console.unexpected_problems() == []


async def test_markup_in_a_contact_name_shows_as_text_in_the_results(desk: Desk, console: Watched) -> None:
    page = console.page
    payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    await desk.inbound("m1", "Hi", identifier="mallory", contact={"name": payload})
    await sign_in(page, desk)

    await search_box(page).fill("<img src=x")
    await expect(results(page)).to_have_count(1)
    await expect(results(page).first.locator(".result-title")).to_have_text(payload)
    await expect(results(page).first.locator("mark")).to_have_text("<img src=x")
    listbox = page.get_by_role("listbox", name="Search results")
    await expect(listbox.locator("img, script")).to_have_count(0)
    assert await page.evaluate("window.pwned") is None
    assert console.unexpected_problems() == []
