"""Screenshots of the agent console for the docs: docs/screenshots/console-{en,ar}-{light,dark}.png.

    python scripts/console_screenshots.py [--out DIR]

Starts a hub on a temporary embedded PostgreSQL (nothing is kept), loads a few example conversations in
English, Arabic and Hebrew, and photographs the console in Debian's Chromium (/usr/bin/chromium) with
Playwright, in English (ltr) and Arabic (rtl), light and dark.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "connectors"), str(ROOT)]  # this checkout, and its tests' harness

from playwright.async_api import Page, async_playwright, expect  # noqa: E402

from omnihub.config import Settings  # noqa: E402
from omnihub.domain.enums import Role  # noqa: E402
from omnihub.services.users import create_api_token, create_user  # noqa: E402
from tests.callback_server import callback_server  # noqa: E402
from tests.console.harness import CHROMIUM, PASSWORD, Desk, console_hub  # noqa: E402
from tests.live import LiveHub  # noqa: E402

# (identifier, name, subject, the contact's messages, the agent's reply or None)
EXAMPLES = [
    ("noa", "נועה כהן", "החזרה", ["שלום, אני רוצה להחזיר את הנעליים שהזמנתי."], None),
    ("eli", "Eli Roe", "Shipping abroad", ["Do you ship to Canada?"], "We do: 5 to 8 working days."),
    ("layla", "ليلى حداد", "تغيير العنوان", ["مرحبًا، هل يمكنني تغيير عنوان التوصيل؟", "الطلب رقم 1042"], None),
    (
        "dana",
        "Dana Doe",
        "Order 1042",
        ["Hi! Where is my order? It was due on Monday.", "The tracking link says nothing since Friday."],
        None,
    ),
]
REPLIES = {"Dana Doe": "Sorry for the wait, Dana: it left our warehouse this morning and should reach you tomorrow."}
OPEN = {"en": ("Dana Doe", "dana"), "ar": ("ليلى حداد", "layla")}
ARABIC_REPLY = "نعم بالطبع، أرسلي لنا العنوان الجديد وسنغيّره قبل الشحن."


async def make_desk(hub: LiveHub, callback_url: str) -> Desk:
    """An admin (who posts the examples' replies) and an agent with real names, in one API inbox."""
    async with hub.app.state.runtime.sessions() as session:
        admin = await create_user(session, email="ada@example.com", name="Ada Lind", role=Role.ADMIN)
        admin_token = await create_api_token(session, user=admin)
        agent = await create_user(
            session, email="sam@example.com", name="Sam Rivera", role=Role.AGENT, password=PASSWORD
        )
    response = await hub.http.post(
        "/api/v1/inboxes",
        json={"name": "Shop", "channel_type": "api", "config": {"callback_url": callback_url}},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert response.status_code == 201, response.text
    inbox = int(response.json()["id"])
    await hub.add_member(admin_token, inbox, agent.id)
    return Desk(hub, admin_token, inbox, agent.id, agent_email="sam@example.com")


async def contact_typing(desk: Desk, identifier: str) -> None:
    response = await desk.hub.http.post(
        f"/api/v1/inboxes/{desk.inbox}/typing",
        json={"contact": {"identifier": identifier}, "on": True},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert response.is_success, response.text


async def post_reply(desk: Desk, conversation_id: int, content: str, private: bool = False) -> None:
    response = await desk.hub.http.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"content": content, "private": private},
        headers={"Authorization": f"Bearer {desk.admin}"},
    )
    assert response.status_code == 201, response.text


async def load_examples(desk: Desk) -> None:
    number = 0
    for identifier, name, subject, messages, reply in EXAMPLES:
        conversation_id = 0
        for content in messages:
            number += 1
            fields = {"identifier": identifier, "contact": {"name": name}, "subject": subject}
            conversation_id = (await desk.inbound(f"example-{number}", content, **fields))["conversation_id"]
        if reply:
            await post_reply(desk, conversation_id, reply)
        if name == "Dana Doe":
            await post_reply(desk, conversation_id, "Carrier ticket opened, #55120.", private=True)
            await post_reply(desk, conversation_id, REPLIES[name])
        if name == "ليلى حداد":
            await post_reply(desk, conversation_id, ARABIC_REPLY)


async def photograph(page: Page, desk: Desk, language: str, path: Path) -> None:
    await page.goto(desk.console_url)
    await page.fill("input[name=email]", desk.agent_email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    name, identifier = OPEN[language]
    await page.locator(".conversations li button").filter(has_text=name).click()
    await expect(page.locator(".timeline li").last).to_be_visible()
    await expect(page.locator(".connection.live")).to_be_visible()
    await contact_typing(desk, identifier)  # shows "… is typing" under the timeline
    await expect(page.locator(".typing-who")).to_be_visible()
    await page.screenshot(path=str(path))


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="omnihub-screenshots-") as temporary:
        settings = Settings(data_dir=Path(temporary) / "data", allow_private_networks="127.0.0.1")
        async with callback_server() as receiver, console_hub(settings) as hub:
            desk = await make_desk(hub, receiver.url)
            await load_examples(desk)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
                for language in ("en", "ar"):
                    for scheme in ("light", "dark"):
                        context = await browser.new_context(
                            locale=language,
                            color_scheme=scheme,
                            viewport={"width": 1280, "height": 760},
                            device_scale_factor=1,
                        )
                        path = out / f"console-{language}-{scheme}.png"
                        await photograph(await context.new_page(), desk, language, path)
                        await context.close()
                        print(path)
                await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out_dir = parser.parse_args().out
    out_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(out_dir))
