"""The console served by a real hub on 127.0.0.1, and a headless Chromium from Debian driving it.

The console is the hub's own mount of /console/, with its strict Content-Security-Policy, so a page that
needed an inline script or style, or eval, fails here as it would in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import ConsoleMessage, Dialog, Page

from omnihub.domain.enums import Role
from tests.live import LiveHub, running_live_hub

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
# Before signing in, the console asks the hub whether a session exists; the answer is a 401, which
# Chromium reports on the console like every failed load. Nothing else may appear there.
EXPECTED_FAILED_LOADS = (re.compile(r"Failed to load resource: the server responded with a status of 401"),)


# The hub serves its console itself (at /console/), so the tests' hub is the live one of every test.
console_hub = running_live_hub


@dataclass
class Watched:
    """A page whose script errors, console errors (CSP violations among them) and dialogs are recorded."""

    page: Page
    problems: list[str] = field(default_factory=list)

    def unexpected_problems(self) -> list[str]:
        return [p for p in self.problems if not any(expected.search(p) for expected in EXPECTED_FAILED_LOADS)]


def watch(page: Page) -> Watched:
    watched = Watched(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "assert"):
            watched.problems.append(f"console {message.type}: {message.text} at {message.location.get('url', '')}")

    async def on_dialog(dialog: Dialog) -> None:
        watched.problems.append(f"dialog {dialog.type}: {dialog.message}")
        await dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    page.on("dialog", on_dialog)
    return watched


@dataclass
class Desk:
    """A hub with an admin (bearer token), an API inbox with a callback URL, and an agent of that inbox."""

    hub: LiveHub
    admin: str
    inbox: int
    agent_id: int
    agent_email: str = "agent@example.com"

    @property
    def console_url(self) -> str:
        return f"{self.hub.base}/console/"

    async def inbound(self, external_id: str, content: str, **fields: Any) -> dict[str, Any]:
        contact = {"identifier": fields.pop("identifier", "customer-1"), **fields.pop("contact", {})}
        body = {"external_id": external_id, "contact": contact, "content": content, **fields}
        response = await self.hub.http.post(
            f"/api/v1/inboxes/{self.inbox}/inbound", json=body, headers={"Authorization": f"Bearer {self.admin}"}
        )
        assert response.status_code == 201, response.text
        return dict(response.json())


async def make_desk(hub: LiveHub, callback_url: str | None = None) -> Desk:
    _, admin = await hub.token("admin@example.com", Role.ADMIN, password=PASSWORD)
    agent_id, _ = await hub.token("agent@example.com", Role.AGENT, password=PASSWORD)
    config = {"callback_url": callback_url} if callback_url else {}
    response = await hub.http.post(
        "/api/v1/inboxes",
        json={"name": "Shop", "channel_type": "api", "config": config},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert response.status_code == 201, response.text
    inbox = int(response.json()["id"])
    await hub.add_member(admin, inbox, agent_id)
    return Desk(hub, admin, inbox, agent_id)
