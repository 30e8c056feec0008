"""After its socket drops, the console reconnects with ?since=<last id> and misses nothing."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import WebSocketRoute, expect

from tests.conftest import wait_until
from tests.console.harness import Desk, Watched
from tests.console.test_console import conversation_list, open_conversation, sign_in, timeline


async def test_a_dropped_socket_resumes_and_shows_what_came_meanwhile(desk: Desk, console: Watched) -> None:
    page = console.page
    sockets: list[WebSocketRoute] = []
    message_sent_while_down = asyncio.Event()

    async def through_to_the_hub(route: WebSocketRoute) -> None:
        sockets.append(route)
        if len(sockets) > 1:
            await message_sent_while_down.wait()  # the second socket reaches the hub only afterwards
        route.connect_to_server()

    await page.route_web_socket("**/ws**", through_to_the_hub)
    await desk.inbound("m1", "First question", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    await expect(timeline(page)).to_contain_text("First question")

    await sockets[0].close(code=1012, reason="node restarting")
    await expect(page.get_by_role("status")).to_have_text("Reconnecting…")
    await desk.inbound("m2", "Sent while you were away")

    async def reconnecting() -> bool:
        return len(sockets) == 2

    await wait_until(reconnecting, within_seconds=20)
    message_sent_while_down.set()

    await expect(timeline(page)).to_contain_text("Sent while you were away", timeout=20_000)
    await expect(conversation_list(page).get_by_role("listitem").first).to_contain_text("Sent while you were away")
    assert "since" not in parse_qs(urlsplit(sockets[0].url).query)
    assert int(parse_qs(urlsplit(sockets[1].url).query)["since"][0]) > 0
    assert console.unexpected_problems() == []
