"""Typing in the open conversation: the contact's and other agents' typing shown live, the agent's own
typing sent from the reply box, and a warning when a second agent is replying to the same conversation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from omnihub.domain.enums import Role
from omnihub.services.users import create_user
from tests.callback_server import CallbackServer
from tests.conftest import wait_until
from tests.console.harness import PASSWORD, Desk, Watched, watch
from tests.console.test_console import open_conversation, sign_in


@pytest.fixture
async def second_console(browser: Browser) -> AsyncIterator[Watched]:
    """Another browser (its own cookies): the second agent's."""
    context = await browser.new_context(locale="en-US")
    yield watch(await context.new_page())
    await context.close()


async def add_sam(desk: Desk) -> Desk:
    async with desk.hub.app.state.runtime.sessions() as session:
        sam = await create_user(session, email="sam@example.com", name="Sam", role=Role.AGENT, password=PASSWORD)
    await desk.hub.add_member(desk.admin, desk.inbox, sam.id)
    return Desk(desk.hub, desk.admin, desk.inbox, sam.id, agent_email="sam@example.com")


async def contact_typing(desk: Desk, identifier: str, on: bool) -> None:
    response = await desk.hub.http.post(
        f"/api/v1/inboxes/{desk.inbox}/typing",
        json={"contact": {"identifier": identifier}, "on": on},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert response.status_code in (200, 202, 204), response.text


def typing_callbacks(receiver: CallbackServer) -> list[dict[str, Any]]:
    bodies = [json.loads(callback.body) for callback in receiver.received]
    return [body for body in bodies if body["event"] == "typing"]


async def until_typing_posted(receiver: CallbackServer) -> list[dict[str, Any]]:
    await wait_until(lambda: asyncio.sleep(0, result=bool(typing_callbacks(receiver))))
    return typing_callbacks(receiver)


async def test_the_contacts_typing_shows_in_the_open_conversation_until_it_stops(desk: Desk, console: Watched) -> None:
    page = console.page
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    await contact_typing(desk, "dana", on=True)
    await expect(page.locator(".typing")).to_have_text("Dana Doe is typing…")
    await contact_typing(desk, "dana", on=False)
    await expect(page.locator(".typing")).to_have_text("")
    assert console.unexpected_problems() == []


async def test_a_second_agent_typing_a_reply_is_shown_as_a_collision(
    desk: Desk, console: Watched, second_console: Watched, receiver: CallbackServer
) -> None:
    sam_desk = await add_sam(desk)
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    ann, sam = console.page, second_console.page
    await sign_in(ann, desk)
    await sign_in(sam, sam_desk)
    await open_conversation(ann, "Dana Doe")
    await open_conversation(sam, "Dana Doe")

    # A private note is not announced (the contact would see an agent typing and receive nothing).
    await ann.get_by_role("checkbox", name="Private note").check()
    await ann.get_by_role("textbox", name="Reply").press_sequentially("Check the CRM")
    await ann.get_by_role("button", name="Send").click()
    await expect(sam.get_by_role("list", name="Messages")).to_contain_text("Check the CRM")
    await expect(sam.locator(".typing")).to_have_text("")

    await sam.get_by_role("textbox", name="Reply").press_sequentially("It left the warehouse")
    await expect(ann.locator(".typing-who")).to_have_text("Sam is typing…")
    await expect(ann.locator(".typing-collision")).to_have_text("Sam is also replying")
    await expect(sam.locator(".typing")).to_have_text("")  # nobody else is typing for Sam
    # The contact's system is told too (API channel): only Sam's typing, never Ann's note.
    first = (await until_typing_posted(receiver))[0]
    assert (first["agent"]["name"], first["on"], first["contact"]["identifier"]) == ("Sam", True, "dana")

    await sam.get_by_role("button", name="Send").click()
    await expect(ann.get_by_role("list", name="Messages")).to_contain_text("It left the warehouse")
    await expect(ann.locator(".typing")).to_have_text("")
    # Sending ends the typing for the contact as well.
    await wait_until(lambda: asyncio.sleep(0, result=not typing_callbacks(receiver)[-1]["on"]))
    assert {body["agent"]["name"] for body in typing_callbacks(receiver)} == {"Sam"}
    assert console.unexpected_problems() == []
    assert second_console.unexpected_problems() == []
