"""Accessibility of the console, checked by axe-core in English (ltr) and Arabic (rtl),
in the light and the dark colour scheme.

axe is injected as an inline script, which the console's CSP (script-src 'self') rightly refuses, so
these pages alone are opened with the CSP bypassed; the other console tests keep it enforced.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.console.harness import PASSWORD, Desk, Watched, watch

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture(params=[("en-US", "light"), ("ar", "dark")], ids=["en-light", "ar-dark"])
async def axe_page(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Watched]:
    locale, scheme = request.param
    context = await browser.new_context(locale=locale, color_scheme=scheme, bypass_csp=True)
    yield watch(await context.new_page())
    await context.close()


async def blocking_violations(page: Page) -> list[str]:
    await page.add_script_tag(path=str(AXE))
    results: dict[str, Any] = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


async def sign_in_any_language(page: Page, desk: Desk) -> None:
    await page.fill("input[name=email]", desk.agent_email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.locator(".conversations li").first).to_be_visible()


async def test_sign_in_list_and_open_conversation_have_no_serious_violations(desk: Desk, axe_page: Watched) -> None:
    page = axe_page.page
    await desk.inbound("m1", "Where is my order? أين طلبي؟", identifier="dana", contact={"name": "Dana Doe"})
    await desk.inbound("m2", "Do you ship abroad?", identifier="eli", contact={"name": "إيلي"}, subject="Shipping")
    await page.goto(desk.console_url)
    await expect(page.locator("input[name=email]")).to_be_visible()
    assert await blocking_violations(page) == []

    await sign_in_any_language(page, desk)
    assert await blocking_violations(page) == []

    await page.locator(".conversations li button").filter(has_text="Dana Doe").click()
    await expect(page.locator(".timeline li").first).to_contain_text("Where is my order?")
    assert await blocking_violations(page) == []
    assert axe_page.unexpected_problems() == []
