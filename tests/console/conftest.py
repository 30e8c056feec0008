"""Fixtures for the console's browser tests: a hub serving the console, Chromium, watched pages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright

from omnihub.config import Settings
from tests.callback_server import CallbackServer, callback_server
from tests.console.harness import CHROMIUM, Desk, Watched, console_hub, make_desk, watch


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    # Debian's Chromium (apt-get install chromium): the tests never download a browser of their own.
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def receiver() -> AsyncIterator[CallbackServer]:
    async with callback_server() as server:
        yield server


@pytest.fixture
async def desk(settings: Settings, receiver: CallbackServer) -> AsyncIterator[Desk]:
    async with console_hub(settings) as hub:
        yield await make_desk(hub, receiver.url)


async def open_page(browser: Browser, locale: str = "en-US") -> AsyncIterator[Watched]:
    context = await browser.new_context(locale=locale)
    watched = watch(await context.new_page())
    yield watched
    await context.close()


@pytest.fixture
async def console(browser: Browser) -> AsyncIterator[Watched]:
    """An English page; the test asserts on its problems (it has more to say than a teardown would)."""
    async for watched in open_page(browser):
        yield watched
