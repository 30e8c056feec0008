"""The console's contact panel, e-mail HTML in a sandboxed frame, and keyboard shortcuts."""

from __future__ import annotations

from playwright.async_api import expect

from tests.console.harness import Desk, Watched
from tests.console.test_console import conversation_list, open_conversation, sign_in, timeline
from tests.console.test_console_desk import as_admin


async def test_the_contact_panel_shows_addresses_with_their_standing_and_other_conversations(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    dana = {"name": "Dana Doe", "email": "dana@example.com"}  # an e-mail address the API only claims
    first = await desk.inbound("m1", "Order 1 is late", contact=dana, subject="Order 1")
    await as_admin(desk, first["conversation_id"], {"status": "resolved"})
    admin = {"Authorization": f"Bearer {desk.admin}"}
    conversation = (await desk.hub.http.get(f"/api/v1/conversations/{first['conversation_id']}", headers=admin)).json()
    started = await desk.hub.http.post(
        "/api/v1/conversations",
        json={"inbox_id": desk.inbox, "contact_id": conversation["contact_id"], "subject": "Order 2", "content": "Hi"},
        headers=admin,
    )
    assert started.status_code == 201, started.text
    await sign_in(page, desk)
    await conversation_list(page).get_by_role("listitem").filter(has_text="Order 2").get_by_role("button").click()

    panel = page.get_by_role("region", name="Contact")
    await expect(panel).to_contain_text("Dana Doe")
    identities = panel.get_by_role("list", name="Addresses").get_by_role("listitem")
    await expect(identities).to_have_count(2)
    await expect(identities.filter(has_text="customer-1").locator(".badge")).to_have_text("verified")
    await expect(identities.filter(has_text="dana@example.com").locator(".badge")).to_have_text("unverified")
    others = panel.get_by_role("list", name="Other conversations")
    await expect(others.get_by_role("listitem")).to_have_count(1)
    await expect(others).to_contain_text("Order 1")
    await expect(others).to_contain_text("Resolved")

    await others.get_by_role("button", name="Order 1").click()
    await expect(page.locator(".conversation-header")).to_contain_text("Order 1")
    await expect(timeline(page)).to_contain_text("Order 1 is late")
    assert console.unexpected_problems() == []


async def test_an_email_s_html_is_shown_in_a_sandboxed_frame_where_nothing_runs(desk: Desk, console: Watched) -> None:
    page = console.page
    hostile = (
        '<p>Hello from <b>Dana</b></p><img src=x onerror="alert(1)">'
        '<script>alert(2)</script><a href="javascript:alert(3)">click</a>'
    )
    await desk.inbound("e1", "Hello from Dana", contact={"name": "Dana Doe"}, subject="Invoice 7", html=hostile)
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    await expect(page.locator(".conversation-header")).to_contain_text("Invoice 7")

    frame = timeline(page).get_by_title("E-mail message")
    await expect(frame).to_have_attribute("sandbox", "")
    srcdoc = await frame.get_attribute("srcdoc") or ""
    assert "Hello from <b>Dana</b>" in srcdoc
    for forbidden in ("<script", "onerror", "alert(2)", 'src="x"', "javascript:"):
        assert forbidden not in srcdoc
    await expect(page.frame_locator("iframe.html-body").get_by_text("Dana")).to_be_visible()
    await page.frame_locator("iframe.html-body").get_by_text("click").click()
    # The frame is of no origin and may not script: the page around it is untouched, no dialog opened.
    assert await page.evaluate("document.querySelectorAll('#app script, #app img').length") == 0
    assert console.unexpected_problems() == []


async def test_keys_move_through_the_list_and_question_mark_lists_them(desk: Desk, console: Watched) -> None:
    page = console.page
    for number in range(3):
        await desk.inbound(
            f"m{number}", f"Question {number}", identifier=f"c{number}", contact={"name": f"Person {number}"}
        )
    await sign_in(page, desk)
    await expect(conversation_list(page).get_by_role("listitem")).to_have_count(3)
    heading = page.get_by_role("heading", level=2, name="Person")

    await page.keyboard.press("j")
    await expect(heading).to_have_text("Person 2")  # newest first
    await page.keyboard.press("j")
    await expect(heading).to_have_text("Person 1")
    await page.keyboard.press("k")
    await expect(heading).to_have_text("Person 2")

    reply = page.get_by_role("textbox", name="Reply")
    await reply.focus()
    await page.keyboard.press("j")  # typing, not moving
    await expect(reply).to_have_value("j")
    await expect(heading).to_have_text("Person 2")
    await page.keyboard.press("Alt+J")
    await expect(heading).to_have_text("Person 1")

    await page.locator("body").focus()
    await page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("Next conversation")
    await expect(dialog).to_contain_text("Previous conversation")
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)
    assert console.unexpected_problems() == []
