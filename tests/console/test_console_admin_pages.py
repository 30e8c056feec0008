"""The admins' pages in a real browser: editing an inbox (its secret never reaches the page), an e-mail
inbox's sync and quarantine (against a real Dovecot), roles, teams and API tokens shown once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, Response, expect

from omnihub.config import Settings
from omnihub.db.models import Inbox
from tests.connectors.email.conftest import dovecot, mail_tls  # noqa: F401 (fixtures: the run's Dovecot)
from tests.connectors.email.helpers import email_config, mail
from tests.console.harness import PASSWORD, Desk, Watched, console_hub, make_desk
from tests.console.test_console_admin import settings_list
from tests.live import LiveHub, auth
from tests.mailservers import DovecotServer, MailUser

OLD_SECRET = "first-signing-secret-0123456789"
NEW_SECRET = "second-signing-secret-9876543210"


@pytest.fixture
async def admin_desk(settings: Settings) -> AsyncIterator[Desk]:
    # Mailboxes are followed within a fraction of a second, as in tests/connectors/email/.
    async with console_hub(settings.model_copy(update={"pull_scan_seconds": 0.2})) as hub:
        yield await make_desk(hub)


async def stored_config(hub: LiveHub, inbox_id: int) -> dict[str, Any]:
    async with hub.app.state.runtime.sessions() as session:
        inbox = await session.get(Inbox, inbox_id)
        return dict(inbox.config)


def record_api_answers(page: Page) -> list[Response]:
    answers: list[Response] = []

    def keep(response: Response) -> None:
        if "/api/v1/" in response.url:
            answers.append(response)

    page.on("response", keep)
    return answers


async def open_settings(page: Page, desk: Desk) -> None:
    await page.goto(desk.console_url)
    await page.get_by_label("Email").fill("admin@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    # Signing in hashes with argon2: on a busy machine that alone can take seconds.
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=20_000)
    await page.get_by_role("navigation", name="Sections").get_by_role("link", name="Settings").click()
    await expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()


async def open_page(page: Page, desk: Desk, name: str) -> None:
    await open_settings(page, desk)
    await page.get_by_role("group", name="Settings").get_by_role("button", name=name, exact=True).click()


async def test_admin_edits_an_api_inbox_and_never_sees_its_secret(admin_desk: Desk, console: Watched) -> None:
    page, hub = console.page, admin_desk.hub
    answers = record_api_answers(page)
    secret_set = await hub.http.patch(
        f"/api/v1/inboxes/{admin_desk.inbox}", json={"config": {"secret": OLD_SECRET}}, headers=auth(admin_desk.admin)
    )
    assert secret_set.status_code == 200
    await open_settings(page, admin_desk)

    await page.get_by_role("button", name="Edit Shop").click()
    form = page.get_by_role("form", name="Edit Shop")
    await expect(form.get_by_label("Name", exact=True)).to_have_value("Shop")
    await expect(form.get_by_text("A signing secret is stored.")).to_be_visible()
    await expect(form.get_by_label("Replace signing secret")).to_have_value("")
    await form.get_by_label("Name", exact=True).fill("Shop EU")
    await form.get_by_label("Callback URL (optional)").fill("https://eu.example.com/hook")
    await form.get_by_role("button", name="Save changes").click()
    await expect(form.get_by_role("status")).to_have_text("Saved.")
    await expect(settings_list(page, "Inboxes")).to_contain_text("Shop EU")
    config = await stored_config(hub, admin_desk.inbox)
    assert config == {"callback_url": "https://eu.example.com/hook", "secret": OLD_SECRET}

    await form.get_by_label("Replace signing secret").fill(NEW_SECRET)
    await form.get_by_role("button", name="Save changes").click()
    await expect(form.get_by_label("Replace signing secret")).to_have_value("")
    assert (await stored_config(hub, admin_desk.inbox))["secret"] == NEW_SECRET

    # Neither secret is anywhere in the page, nor in anything the hub answered it.
    content = await page.content()
    assert OLD_SECRET not in content and NEW_SECRET not in content
    bodies = [await answer.text() for answer in answers if answer.request.method != "PATCH" or answer.ok]
    assert bodies and not any(OLD_SECRET in body or NEW_SECRET in body for body in bodies)
    assert console.unexpected_problems() == []


@pytest.fixture
async def mail_inbox(admin_desk: Desk, dovecot: DovecotServer) -> AsyncIterator[tuple[int, MailUser]]:  # noqa: F811
    user = dovecot.create_user()
    config = email_config(dovecot, user, 2525)
    response = await admin_desk.hub.http.post(
        "/api/v1/inboxes",
        json={"name": "Support mail", "channel_type": "email", "config": config},
        headers=auth(admin_desk.admin),
    )
    assert response.status_code == 201, response.text
    yield int(response.json()["id"]), user


async def test_quarantined_mail_is_downloaded_and_retried(
    admin_desk: Desk,
    dovecot: DovecotServer,  # noqa: F811
    mail_inbox: tuple[int, MailUser],
    console: Watched,
    tmp_path: Path,
) -> None:
    page = console.page
    inbox_id, user = mail_inbox
    dovecot.append(user, mail(subject="A good one"))
    await open_settings(page, admin_desk)
    await page.get_by_role("button", name="Mail sync of Support mail").click()
    folders = settings_list(page, "Folders")
    await expect(folders).to_contain_text("INBOX")
    await expect(folders).to_contain_text("Up to date · 1 of 1", timeout=20_000)
    await expect(page.get_by_text("No quarantined mail.")).to_be_visible()

    # Mail arriving while the page is open shows up without a reload.
    raw = b"Subject: nobody sent this\r\n\r\nThere is no From, Sender or Return-Path here.\r\n"
    dovecot.append(user, raw)
    held = settings_list(page, "Quarantine").get_by_role("listitem")
    await expect(held).to_have_count(1, timeout=20_000)
    await expect(held).to_contain_text("no sender address")
    await expect(held).to_contain_text("1 attempts")

    async with page.expect_download() as started:
        await held.get_by_role("link", name="Download raw").click()
    download = await started.value
    await download.save_as(tmp_path / "held.eml")
    assert (tmp_path / "held.eml").read_bytes() == raw

    await held.get_by_role("button", name="Retry").click()
    await expect(page.get_by_role("status")).to_have_text("Still held: see the reason.")
    await expect(held).to_contain_text("2 attempts")
    items = await admin_desk.hub.http.get(f"/api/v1/inboxes/{inbox_id}/quarantine", headers=auth(admin_desk.admin))
    assert [(item["state"], item["attempts"]) for item in items.json()["items"]] == [("held", 2)]
    assert console.unexpected_problems() == []


async def user_roles(desk: Desk) -> dict[str, str]:
    users = (await desk.hub.http.get("/api/v1/users", headers=auth(desk.admin))).json()["items"]
    return {user["email"]: user["role"] for user in users}


async def test_admin_changes_roles_but_never_leaves_the_hub_without_one(admin_desk: Desk, console: Watched) -> None:
    page = console.page
    await open_page(page, admin_desk, "Users")
    users = settings_list(page, "Users")
    await users.get_by_role("button", name="Make admin an agent").click()
    await expect(page.get_by_role("alert")).to_contain_text("at least one active admin")
    assert (await user_roles(admin_desk))["admin@example.com"] == "admin"

    await users.get_by_role("button", name="Make agent an admin").click()
    agent_row = users.get_by_role("listitem").filter(has_text="agent@example.com")
    await expect(agent_row.get_by_role("button", name="Make agent an agent")).to_be_visible()
    await expect(agent_row).to_contain_text("Admin")
    assert (await user_roles(admin_desk))["agent@example.com"] == "admin"
    # The refused demotion is the only other failed load Chromium reports.
    assert [p for p in console.unexpected_problems() if "status of 409" not in p] == []


async def test_admin_creates_a_team_and_chooses_its_members(admin_desk: Desk, console: Watched) -> None:
    page, hub = console.page, admin_desk.hub
    await open_page(page, admin_desk, "Teams")
    await expect(page.get_by_text("No teams yet.")).to_be_visible()
    form = page.get_by_role("form", name="New team")
    await form.get_by_label("Team name").fill("Billing")
    await form.get_by_role("button", name="Create team").click()
    await expect(settings_list(page, "Teams")).to_contain_text("Billing")

    await page.get_by_role("button", name="Members of Billing").click()
    await expect(page.get_by_text("No one in this team yet.")).to_be_visible()
    await page.get_by_label("User", exact=True).select_option(label="agent (agent@example.com)")
    await page.get_by_role("button", name="Add", exact=True).click()
    await expect(settings_list(page, "Members")).to_contain_text("agent@example.com")
    [team] = (await hub.http.get("/api/v1/teams", headers=auth(admin_desk.admin))).json()["items"]
    members = await hub.http.get(f"/api/v1/teams/{team['id']}/members", headers=auth(admin_desk.admin))
    assert members.json() == {"user_ids": [admin_desk.agent_id]}

    await settings_list(page, "Members").get_by_role("button", name="Remove agent").click()
    await expect(page.get_by_text("No one in this team yet.")).to_be_visible()
    members = await hub.http.get(f"/api/v1/teams/{team['id']}/members", headers=auth(admin_desk.admin))
    assert members.json() == {"user_ids": []}
    assert console.unexpected_problems() == []


async def test_a_new_token_is_shown_once_works_and_stops_when_revoked(admin_desk: Desk, console: Watched) -> None:
    page, hub = console.page, admin_desk.hub
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=hub.base)
    await open_page(page, admin_desk, "API tokens")
    form = page.get_by_role("form", name="New API token")
    await form.get_by_label("Token name").fill("CRM sync")
    await form.get_by_label("Expires on (optional)").fill((date.today() + timedelta(days=30)).isoformat())
    await form.get_by_role("button", name="Create token").click()

    shown = form.get_by_label("New token")
    await expect(shown).to_be_visible()
    token = await shown.input_value()
    assert token.startswith("omh_")
    await form.get_by_role("button", name="Copy").click()
    await expect(form.get_by_role("status")).to_have_text("Copied.")
    assert await page.evaluate("navigator.clipboard.readText()") == token
    me = await hub.http.get("/api/v1/me", headers=auth(token))
    assert me.status_code == 200 and me.json()["email"] == "admin@example.com"
    row = settings_list(page, "API tokens").get_by_role("listitem").filter(has_text="CRM sync")
    await expect(row).to_contain_text("Expires")

    await form.get_by_role("button", name="Done").click()
    await expect(shown).to_have_count(0)
    assert token not in await page.content()
    await page.reload()  # and never again, not after a reload either
    await page.get_by_role("group", name="Settings").get_by_role("button", name="API tokens", exact=True).click()
    await expect(row).to_be_visible()
    assert token not in await page.content()

    await row.get_by_role("button", name="Revoke CRM sync").click()
    await expect(row).to_have_count(0)
    assert (await hub.http.get("/api/v1/me", headers=auth(token))).status_code == 401
    listed = await hub.http.get("/api/v1/tokens", headers=auth(admin_desk.admin))
    assert "CRM sync" not in json.dumps(listed.json()["items"])
    assert console.unexpected_problems() == []


async def test_the_email_inbox_form_edits_without_showing_or_losing_passwords(
    admin_desk: Desk, mail_inbox: tuple[int, MailUser], console: Watched
) -> None:
    page, hub = console.page, admin_desk.hub
    inbox_id, user = mail_inbox
    await open_settings(page, admin_desk)
    await page.get_by_role("button", name="Edit Support mail").click()
    form = page.get_by_role("form", name="Edit Support mail")
    imap = form.get_by_role("group", name="IMAP (incoming mail)")
    await expect(imap.get_by_label("Server")).to_have_value("127.0.0.1")
    await expect(imap.get_by_label("Username")).to_have_value(user.name)
    await expect(imap.get_by_label("Replace password")).to_have_value("")
    await expect(imap.get_by_label("Folders (comma-separated)")).to_have_value("INBOX")

    await form.get_by_label("Sender name (optional)").fill("Help desk")
    await imap.get_by_label("Folders (comma-separated)").fill("INBOX, Archive")
    await form.get_by_role("button", name="Save changes").click()
    await expect(form.get_by_role("status")).to_have_text("Saved.")

    config = await stored_config(hub, inbox_id)
    assert config["from_name"] == "Help desk"
    assert config["imap"]["folders"] == ["INBOX", "Archive"]
    assert config["imap"]["password"] == user.password
    assert user.password not in await page.content()
    assert console.unexpected_problems() == []
