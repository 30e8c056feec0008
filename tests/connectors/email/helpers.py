"""Building test mail, configuring e-mail inboxes against the test servers, reading what the hub stored."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from sqlalchemy import func, select

from omnihub.db.models import Message
from tests.conftest import Hub, wait_until
from tests.mailservers import DovecotServer, MailUser

SUPPORT = "support@omnihub.test"


def mail(
    *,
    subject: str = "My order has not arrived",
    body: str = "Hello, where is my order #1234?",
    sender: str = "Layla Haddad <layla@example.com>",
    to: str = SUPPORT,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    charset: str = "utf-8",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body, charset=charset)
    return message.as_bytes()


def email_config(dovecot: DovecotServer, user: MailUser, smtp_port: int, **extra: Any) -> dict[str, Any]:
    return {
        "imap": {
            "host": dovecot.host,
            "port": dovecot.port,
            "security": "none",
            "username": user.name,
            "password": user.password,
        },
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none"},
        "from_address": SUPPORT,
        "from_name": "Omnihub Support",
        "poll_seconds": 1,
        **extra,
    }


async def create_email_inbox(hub: Hub, admin: dict[str, str], config: dict[str, Any]) -> int:
    response = await hub.client.post(
        "/api/v1/inboxes", json={"name": "Support", "channel_type": "email", "config": config}, headers=admin
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def message_count(hub: Hub, inbox_id: int) -> int:
    async with hub.session() as session:
        count = await session.scalar(select(func.count()).where(Message.inbox_id == inbox_id))
        return int(count or 0)


async def wait_for_messages(hub: Hub, inbox_id: int, count: int, within_seconds: float = 20.0) -> None:
    async def arrived() -> bool:
        return await message_count(hub, inbox_id) >= count

    await wait_until(arrived, within_seconds)


async def conversations(hub: Hub, admin: dict[str, str], inbox_id: int) -> list[dict[str, Any]]:
    response = await hub.client.get(f"/api/v1/conversations?inbox_id={inbox_id}&limit=100", headers=admin)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def messages(hub: Hub, admin: dict[str, str], conversation_id: int) -> list[dict[str, Any]]:
    response = await hub.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=admin)
    items: list[dict[str, Any]] = response.json()["items"]
    return items
