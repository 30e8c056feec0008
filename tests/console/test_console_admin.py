"""The console for admins in a real browser: first-run setup, and the settings (inboxes, members, users)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Locator, Page, expect

from omnihub.config import Settings
from tests.console.harness import PASSWORD, Desk, Watched, console_hub, make_desk
from tests.live import LiveHub, auth


@pytest.fixture
async def quiet_settings(settings: Settings) -> Settings:
    # An e-mail inbox made in these tests points at a server that does not exist: nothing should poll it.
    return settings.model_copy(update={"pull_enabled": False})


@pytest.fixture
async def empty_hub(quiet_settings: Settings) -> AsyncIterator[LiveHub]:
    """A hub with no user at all: starting it issued a setup code, as `omnihub serve` prints it."""
    async with console_hub(quiet_settings) as hub:
        yield hub


@pytest.fixture
async def admin_desk(quiet_settings: Settings) -> AsyncIterator[Desk]:
    async with console_hub(quiet_settings) as hub:
        yield await make_desk(hub)


async def sign_in(page: Page, desk: Desk, email: str) -> None:
    await page.goto(desk.console_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


async def open_settings(page: Page, desk: Desk) -> None:
    await sign_in(page, desk, "admin@example.com")
    await page.get_by_role("navigation", name="Sections").get_by_role("link", name="Settings").click()
    await expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()


def settings_list(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name=name, exact=True)


async def can_sign_in(desk: Desk, email: str, password: str) -> bool:
    response = await desk.hub.http.post("/api/v1/auth/login", json={"email": email, "password": password})
    return response.status_code == 200


async def test_first_run_creates_the_admin_in_the_browser(empty_hub: LiveHub, console: Watched) -> None:
    page = console.page
    code = empty_hub.app.state.setup_code
    assert code

    await page.goto(f"{empty_hub.base}/console/")
    await expect(page.get_by_role("heading", name="Set up omnihub")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    await page.get_by_label("Setup code").fill(code.lower())  # typed by hand: case and dashes do not matter
    await page.get_by_label("Name", exact=True).fill("Ada Admin")
    await page.get_by_label("Email").fill("ada@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create admin").click()

    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_text("Ada Admin")).to_be_visible()
    await expect(page.get_by_role("link", name="Settings")).to_be_visible()
    assert (await empty_hub.http.get("/api/v1/setup")).json() == {"needed": False}

    await page.reload()  # the session cookie from setup keeps them signed in
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_role("heading", name="Set up omnihub")).to_have_count(0)
    assert console.unexpected_problems() == []


async def test_a_wrong_setup_code_is_refused_in_words(empty_hub: LiveHub, console: Watched) -> None:
    page = console.page
    await page.goto(f"{empty_hub.base}/console/")
    await page.get_by_label("Setup code").fill("AAAA-AAAA-AAAA")
    await page.get_by_label("Name", exact=True).fill("Mallory")
    await page.get_by_label("Email").fill("mallory@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create admin").click()

    await expect(page.get_by_role("alert")).to_have_text("Wrong setup code.")
    assert (await empty_hub.http.get("/api/v1/setup")).json() == {"needed": True}
    # The refused POST is the only other failed load Chromium reports.
    assert [p for p in console.unexpected_problems() if "status of 403" not in p] == []


async def test_admin_creates_api_and_email_inboxes(admin_desk: Desk, console: Watched) -> None:
    page = console.page
    await open_settings(page, admin_desk)
    await expect(settings_list(page, "Inboxes")).to_contain_text("Shop")

    api_form = page.get_by_role("form", name="New API inbox")
    await api_form.get_by_label("Name", exact=True).fill("Partners")
    await api_form.get_by_label("Callback URL (optional)").fill("https://partners.example.com/hook")
    await api_form.get_by_role("button", name="Create inbox").click()
    partners_row = settings_list(page, "Inboxes").get_by_role("listitem").filter(has_text="Partners")
    await expect(partners_row).to_contain_text("API")
    await expect(api_form.get_by_label("Name", exact=True)).to_have_value("")

    email_form = page.get_by_role("form", name="New e-mail inbox")
    await email_form.get_by_label("Name", exact=True).fill("Support mail")
    await email_form.get_by_label("Support address").fill("support@example.com")
    imap = email_form.get_by_role("group", name="IMAP (incoming mail)")
    await imap.get_by_label("Server").fill("imap.example.com")
    await imap.get_by_label("Username").fill("support@example.com")
    await imap.get_by_label("Password").fill("imap secret")
    smtp = email_form.get_by_role("group", name="SMTP (outgoing mail)")
    await smtp.get_by_label("Server").fill("smtp.example.com")
    await smtp.get_by_label("Port").fill("465")
    await smtp.get_by_label("Security").select_option("tls")
    await smtp.get_by_label("Password").fill("smtp secret")
    await email_form.get_by_role("button", name="Create inbox").click()

    mail_row = settings_list(page, "Inboxes").get_by_role("listitem").filter(has_text="Support mail")
    await expect(mail_row).to_contain_text("E-mail")
    # Secrets are write-only: after creating, the password inputs are empty again, never filled from the hub.
    await expect(imap.get_by_label("Password")).to_have_value("")
    await expect(smtp.get_by_label("Password")).to_have_value("")

    inboxes = (await admin_desk.hub.http.get("/api/v1/inboxes", headers=auth(admin_desk.admin))).json()["items"]
    by_name = {inbox["name"]: inbox for inbox in inboxes}
    assert by_name["Partners"]["config"]["callback_url"] == "https://partners.example.com/hook"
    mail = by_name["Support mail"]["config"]
    assert mail["imap"]["host"] == "imap.example.com" and mail["imap"]["port"] == 993
    assert mail["imap"]["folders"] == ["INBOX"] and mail["imap"]["password"] == "********"
    assert mail["smtp"] == {**mail["smtp"], "host": "smtp.example.com", "port": 465, "security": "tls"}
    assert mail["from_address"] == "support@example.com"
    assert console.unexpected_problems() == []


async def inbox_member_ids(desk: Desk) -> list[int]:
    response = await desk.hub.http.get(f"/api/v1/inboxes/{desk.inbox}/members", headers=auth(desk.admin))
    return list(response.json()["user_ids"])


async def test_admin_removes_and_adds_an_inbox_member(admin_desk: Desk, console: Watched) -> None:
    page = console.page
    await open_settings(page, admin_desk)
    await page.get_by_role("button", name="Members of Shop").click()
    members = settings_list(page, "Members")
    await expect(members).to_contain_text("agent@example.com")

    await members.get_by_role("button", name="Remove agent").click()
    await expect(page.get_by_text("No agents in this inbox yet.")).to_be_visible()
    assert await inbox_member_ids(admin_desk) == []

    await page.get_by_label("Agent", exact=True).select_option(label="agent (agent@example.com)")
    await page.get_by_role("button", name="Add", exact=True).click()
    await expect(members).to_contain_text("agent@example.com")
    assert await inbox_member_ids(admin_desk) == [admin_desk.agent_id]
    assert console.unexpected_problems() == []


async def test_admin_creates_and_deactivates_users(admin_desk: Desk, console: Watched) -> None:
    page = console.page
    await open_settings(page, admin_desk)
    await page.get_by_role("button", name="Users", exact=True).click()
    users = settings_list(page, "Users")
    await expect(users).to_contain_text("admin@example.com")
    await expect(users).to_contain_text("agent@example.com")
    # Nobody can deactivate themselves.
    await expect(users.get_by_role("button", name="Deactivate admin")).to_have_count(0)

    form = page.get_by_role("form", name="New user")
    await form.get_by_label("Name", exact=True).fill("Carla Agent")
    await form.get_by_label("Email").fill("carla@example.com")
    await form.get_by_label("Role").select_option("agent")
    await form.get_by_label("Password").fill("carla's password")
    await form.get_by_role("button", name="Create user").click()
    await expect(users.get_by_role("listitem").filter(has_text="Carla Agent")).to_contain_text("Agent")
    assert await can_sign_in(admin_desk, "carla@example.com", "carla's password")

    await users.get_by_role("button", name="Deactivate agent").click()
    await expect(users.get_by_role("listitem").filter(has_text="agent@example.com")).to_contain_text("Deactivated")
    assert not await can_sign_in(admin_desk, admin_desk.agent_email, PASSWORD)
    assert console.unexpected_problems() == []


async def test_agents_never_see_the_settings(admin_desk: Desk, console: Watched) -> None:
    page = console.page
    await sign_in(page, admin_desk, admin_desk.agent_email)
    await expect(page.get_by_role("list", name="Conversations")).to_be_attached()
    await expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    await expect(page.get_by_role("navigation", name="Sections")).to_have_count(0)

    await page.goto(f"{admin_desk.console_url}#/settings")  # typed by hand: still the conversations
    await expect(page.get_by_role("list", name="Conversations")).to_be_attached()
    await expect(page.get_by_role("heading", name="Settings")).to_have_count(0)

    # The routes behind the settings refuse the agent's session too.
    api = f"{admin_desk.hub.base}/api/v1/users"
    assert (await page.request.get(api)).status == 403
    new_user = {"email": "x@example.com", "name": "X", "role": "admin", "password": "long enough"}
    refused = await page.request.post(api, data=new_user, headers={"Origin": admin_desk.hub.base})
    assert refused.status == 403
    assert console.unexpected_problems() == []
