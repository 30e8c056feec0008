"""The console's desk work: views with counts, unread marks, drafts kept by the hub, header actions."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Locator, Page, expect

from tests.console.harness import Desk, Watched
from tests.console.test_console import conversation_list, open_conversation, sign_in


def item(page: Page, text: str) -> Locator:
    return conversation_list(page).get_by_role("listitem").filter(has_text=text)


def is_call(method: str, path_end: str) -> Any:
    return lambda response: response.request.method == method and response.url.endswith(path_end)


async def as_admin(desk: Desk, conversation: int, changes: dict[str, Any]) -> None:
    response = await desk.hub.http.patch(
        f"/api/v1/conversations/{conversation}", json=changes, headers={"Authorization": f"Bearer {desk.admin}"}
    )
    assert response.status_code == 200, response.text


async def as_agent(page: Page, path: str) -> tuple[int, Any]:
    """GET with the page's own session, as another tab of the same agent would."""
    response = await page.request.get(f"{page.url.split('/console/')[0]}/api/v1/{path}")
    return response.status, (await response.json() if response.ok else None)


async def test_views_list_what_they_say_with_counts_of_open_conversations(desk: Desk, console: Watched) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    eli = await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact={"name": "Eli Roe"})
    await as_admin(desk, dana["conversation_id"], {"assignee_id": desk.agent_id})
    await sign_in(page, desk)
    tabs = page.get_by_role("tablist", name="Views")

    await expect(tabs.get_by_role("tab", name="Mine")).to_have_text("Mine 1")
    await expect(tabs.get_by_role("tab", name="Unassigned")).to_have_text("Unassigned 1")
    await expect(tabs.get_by_role("tab", name="All")).to_have_text("All 2")
    await expect(conversation_list(page).get_by_role("listitem")).to_have_count(2)

    await tabs.get_by_role("tab", name="Mine").click()
    await expect(tabs.get_by_role("tab", name="Mine")).to_have_attribute("aria-selected", "true")
    await expect(conversation_list(page).get_by_role("listitem")).to_have_count(1)
    await expect(conversation_list(page)).to_contain_text("Dana Doe")

    await tabs.get_by_role("tab", name="Unassigned").click()
    await expect(conversation_list(page).get_by_role("listitem")).to_have_count(1)
    await expect(conversation_list(page)).to_contain_text("Eli Roe")

    # An admin gives Eli's conversation to the agent: it leaves the Unassigned view live, the counts follow.
    await as_admin(desk, eli["conversation_id"], {"assignee_id": desk.agent_id})
    await expect(conversation_list(page).get_by_role("listitem")).to_have_count(0)
    await expect(tabs.get_by_role("tab", name="Mine")).to_have_text("Mine 2")
    await expect(tabs.get_by_role("tab", name="Unassigned")).to_have_text("Unassigned 0")
    assert console.unexpected_problems() == []


async def test_opening_reads_a_conversation_and_mark_as_unread_undoes_it(desk: Desk, console: Watched) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact={"name": "Eli Roe"})
    await sign_in(page, desk)
    await expect(item(page, "Dana Doe")).to_contain_text("Unread")
    await expect(item(page, "Eli Roe")).to_contain_text("Unread")

    async with page.expect_response(is_call("POST", "/read")):
        await open_conversation(page, "Dana Doe")
    await expect(item(page, "Dana Doe")).not_to_contain_text("Unread")
    await expect(item(page, "Eli Roe")).to_contain_text("Unread")
    assert (await as_agent(page, f"conversations/{dana['conversation_id']}"))[1]["unread"] is False

    # A new message in the conversation the agent is reading leaves it read.
    await desk.inbound("m3", "Still there?", identifier="dana")
    await expect(page.get_by_role("list", name="Messages")).to_contain_text("Still there?")
    await expect(item(page, "Dana Doe")).not_to_contain_text("Unread")

    await page.get_by_role("button", name="Mark as unread").click()
    await expect(item(page, "Dana Doe")).to_contain_text("Unread")
    await page.reload()
    await expect(item(page, "Dana Doe")).to_contain_text("Unread")
    assert (await as_agent(page, f"conversations/{dana['conversation_id']}"))[1]["unread"] is True
    assert console.unexpected_problems() == []


async def test_the_reply_being_written_is_kept_by_the_hub_until_sent(desk: Desk, console: Watched) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Can I change my address?", contact={"name": "Dana Doe"})
    draft_path = f"conversations/{dana['conversation_id']}/draft"
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    reply = page.get_by_role("textbox", name="Reply")

    async with page.expect_response(is_call("PUT", "/draft")) as saved:
        await reply.fill("Of course, which one")
    assert (await saved.value).ok
    await page.reload()
    await open_conversation(page, "Dana Doe")
    await expect(page.get_by_role("textbox", name="Reply")).to_have_value("Of course, which one")

    async with page.expect_response(is_call("DELETE", "/draft")) as discarded:
        await page.get_by_role("button", name="Send").click()
    assert (await discarded.value).status == 204
    await expect(page.get_by_role("textbox", name="Reply")).to_have_value("")
    status, body = await as_agent(page, draft_path)
    assert status == 200 and body["content"] == "" and body["updated_at"] is None

    await page.reload()
    async with page.expect_response(is_call("GET", "/draft")) as asked:
        await open_conversation(page, "Dana Doe")
    assert (await asked.value).status == 200
    await expect(page.get_by_role("textbox", name="Reply")).to_have_value("")
    assert console.unexpected_problems() == []


async def test_an_agent_takes_a_conversation_and_sets_its_status_from_the_header(desk: Desk, console: Watched) -> None:
    page = console.page
    dana = await desk.inbound("m1", "Can I change my address?", contact={"name": "Dana Doe"})
    path = f"conversations/{dana['conversation_id']}"
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    header = page.locator(".conversation-header")

    await header.get_by_role("button", name="Assign to me").click()
    await expect(header).to_contain_text("Assigned to you")
    await expect(page.get_by_role("tab", name="Mine")).to_have_text("Mine 1")
    assert (await as_agent(page, path))[1]["assignee_id"] == desk.agent_id

    statuses = header.get_by_role("group", name="Status")
    await expect(statuses.get_by_role("button", name="Open")).to_have_attribute("aria-pressed", "true")
    await statuses.get_by_role("button", name="Pending").click()
    await expect(statuses.get_by_role("button", name="Pending")).to_have_attribute("aria-pressed", "true")
    await expect(item(page, "Dana Doe")).to_contain_text("Pending")
    assert (await as_agent(page, path))[1]["status"] == "pending"

    await statuses.get_by_role("button", name="Resolved").click()
    await expect(item(page, "Dana Doe")).to_contain_text("Resolved")
    await expect(page.get_by_role("list", name="Messages").locator("li.activity")).to_have_count(3)
    assert console.unexpected_problems() == []
