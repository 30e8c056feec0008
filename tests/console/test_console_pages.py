"""The console's languages and its long conversation list."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.console.conftest import open_page
from tests.console.harness import Desk
from tests.console.test_console import conversation_list, sign_in


async def test_arabic_and_hebrew_browsers_get_a_right_to_left_page(desk: Desk, browser: Browser) -> None:
    expected = {"ar-EG": ("ar", "تسجيل الدخول"), "he": ("he", "כניסה"), "fr-FR": ("en", "Sign in")}
    for locale, (language, sign_in_label) in expected.items():
        async for watched in open_page(browser, locale=locale):
            page = watched.page
            await page.goto(desk.console_url)
            await expect(page.get_by_role("button", name=sign_in_label)).to_be_visible()
            html = page.locator("html")
            await expect(html).to_have_attribute("lang", language)
            await expect(html).to_have_attribute("dir", "ltr" if language == "en" else "rtl")
            assert watched.unexpected_problems() == []


async def test_the_list_loads_older_conversations_as_it_scrolls(desk: Desk, browser: Browser) -> None:
    for number in range(30):
        await desk.inbound(
            f"m{number}", f"Question {number}", identifier=f"c{number}", contact={"name": f"Person {number}"}
        )
    async for watched in open_page(browser):
        page = watched.page
        await sign_in(page, desk)
        items = conversation_list(page).get_by_role("listitem")
        await expect(items.first).to_contain_text("Person 29")
        await expect(items).to_have_count(25)  # one page, until the agent scrolls to its end

        await items.last.scroll_into_view_if_needed()

        await expect(items).to_have_count(30)
        await expect(items.last).to_contain_text("Person 0")
        assert watched.unexpected_problems() == []


async def test_the_hub_serves_the_console_with_its_strict_content_security_policy(desk: Desk) -> None:
    response = await desk.hub.http.get("/console/")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe" not in policy
