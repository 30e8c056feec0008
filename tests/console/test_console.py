"""The agent console in a real browser against a real hub: signing in, live updates, replies and notes."""

from __future__ import annotations

import json

import httpx
from playwright.async_api import Locator, Page, expect

from tests.callback_server import CallbackServer
from tests.console.harness import PASSWORD, Desk, Watched


async def sign_in(page: Page, desk: Desk) -> None:
    await page.goto(desk.console_url)
    await page.get_by_label("Email").fill(desk.agent_email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_role("list", name="Conversations")).to_be_attached()
    await expect(page.get_by_role("status")).to_have_text("Live")


def conversation_list(page: Page) -> Locator:
    return page.get_by_role("list", name="Conversations")


def timeline(page: Page) -> Locator:
    return page.get_by_role("list", name="Messages")


async def open_conversation(page: Page, text: str) -> None:
    await conversation_list(page).get_by_role("button").filter(has_text=text).click()
    await expect(page.get_by_role("heading", level=2, name=text)).to_be_visible()


async def test_messages_appear_in_the_list_and_the_open_conversation_without_reload(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    await desk.inbound("m1", "Earlier question", identifier="earlier", contact={"name": "Earl Earlier"})
    await sign_in(page, desk)
    await expect(conversation_list(page)).to_contain_text("Earl Earlier")
    await page.evaluate("window.sameDocument = true")

    await desk.inbound("m2", "Where is my order?", contact={"name": "Dana Doe"}, subject="Order 1042")

    newest = conversation_list(page).get_by_role("listitem").first
    await expect(newest).to_contain_text("Dana Doe")  # newest activity first
    await expect(newest).to_contain_text("Order 1042")
    await expect(newest).to_contain_text("Where is my order?")
    await open_conversation(page, "Dana Doe")
    await expect(timeline(page)).to_contain_text("Where is my order?")

    await desk.inbound("m3", "Hello? Anyone there?")

    await expect(timeline(page).get_by_role("listitem").last).to_contain_text("Hello? Anyone there?")
    await expect(timeline(page).locator("[dir=auto]", has_text="Hello? Anyone there?")).to_have_count(1)
    assert await page.evaluate("window.sameDocument") is True
    assert console.unexpected_problems() == []


async def test_a_reply_reaches_the_contact_and_a_private_note_does_not(
    desk: Desk, console: Watched, receiver: CallbackServer
) -> None:
    page = console.page
    await desk.inbound("m1", "Can I change my address?", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    await page.get_by_role("checkbox", name="Private note").check()
    await page.get_by_role("textbox", name="Reply").fill("Check the CRM first")
    await page.get_by_role("button", name="Send").click()
    note = timeline(page).get_by_role("listitem").filter(has_text="Check the CRM first")
    await expect(note).to_contain_text("Private note")
    await expect(note).to_have_class("message outgoing note")
    await expect(page.get_by_role("textbox", name="Reply")).to_have_value("")

    await page.get_by_role("checkbox", name="Private note").uncheck()
    await page.get_by_role("textbox", name="Reply").fill("Yes, send us the new one")
    await page.get_by_role("button", name="Send").click()
    reply = timeline(page).get_by_role("listitem").filter(has_text="Yes, send us the new one")
    await expect(reply).to_have_class("message outgoing")
    # Its delivery status follows live (message.updated) once the callback server has taken it.
    await expect(reply).to_contain_text("Delivered")

    bodies = [json.loads(callback.body) for callback in receiver.received]
    messages = [body for body in bodies if body["event"] != "typing"]  # the agent's typing is posted too
    assert [body["message"]["content"] for body in messages] == ["Yes, send us the new one"]
    assert console.unexpected_problems() == []


async def test_hostile_names_subjects_and_texts_are_shown_as_text_and_run_nothing(desk: Desk, console: Watched) -> None:
    page = console.page
    payloads = {
        "name": "<img src=x onerror=alert(1)>",
        "subject": "\"><svg onload=alert(2)><script>alert('s')</script>",
        "content": "<img src=x onerror=alert(3)><iframe src=javascript:alert(4)></iframe>",
    }
    await sign_in(page, desk)

    await desk.inbound(
        "x1",
        payloads["content"],
        contact={"name": payloads["name"]},
        subject=payloads["subject"],
    )  # HTML bodies: test_console_panels.py

    await expect(conversation_list(page)).to_contain_text(payloads["name"])
    await expect(conversation_list(page)).to_contain_text(payloads["subject"])
    await conversation_list(page).get_by_role("button").first.click()
    await expect(timeline(page)).to_contain_text(payloads["content"])
    await expect(page.locator(".conversation-header")).to_contain_text(payloads["subject"])
    assert await page.locator("img, svg, iframe, #app script").count() == 0
    assert console.unexpected_problems() == []


async def test_an_ended_session_and_signing_out_return_to_sign_in(desk: Desk, console: Watched) -> None:
    page = console.page
    await sign_in(page, desk)
    cookies = {c["name"]: c["value"] for c in await page.context.cookies()}

    # Signed out elsewhere (another tab): the socket closes with 4003 and the page shows sign-in at once.
    async with httpx.AsyncClient(base_url=desk.hub.base, cookies=cookies) as other_tab:
        response = await other_tab.post("/api/v1/auth/logout", headers={"Origin": desk.hub.base})
        assert response.status_code == 204

    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await expect(conversation_list(page)).to_have_count(0)

    await sign_in(page, desk)
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert console.unexpected_problems() == []


async def test_wrong_password_is_said_and_keeps_the_sign_in_page(desk: Desk, console: Watched) -> None:
    page = console.page
    await page.goto(desk.console_url)
    await page.get_by_label("Email").fill(desk.agent_email)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text("Wrong e-mail or password.")
    await expect(conversation_list(page)).to_have_count(0)


async def test_a_change_by_another_agent_shows_in_the_list_and_as_an_activity(desk: Desk, console: Watched) -> None:
    page = console.page
    conversation = (await desk.inbound("m1", "Thanks, all good now", contact={"name": "Dana Doe"}))["conversation_id"]
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    await expect(conversation_list(page).get_by_role("listitem").first).to_contain_text("Open")

    response = await desk.hub.http.patch(
        f"/api/v1/conversations/{conversation}",
        json={"status": "resolved"},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert response.status_code == 200, response.text

    await expect(conversation_list(page).get_by_role("listitem").first).to_contain_text("Resolved")
    await expect(page.locator(".conversation-header")).to_contain_text("Resolved")
    activity = timeline(page).locator("li.activity")
    await expect(activity).to_have_count(1)
    await expect(activity).to_contain_text("admin")
    assert console.unexpected_problems() == []
