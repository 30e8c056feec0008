"""Talking to real mail servers the ways providers offer: TLS, STARTTLS, with or without IDLE, SMTP with
login; and a mail server that goes away and comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Hub, wait_until
from tests.connectors.email.helpers import (
    conversations,
    create_email_inbox,
    email_config,
    mail,
    wait_for_messages,
)
from tests.mailservers import DovecotServer, SmtpSink


async def reply_and_wait(hub: Hub, admin: dict[str, str], inbox_id: int, sink: SmtpSink) -> None:
    [conversation] = await conversations(hub, admin, inbox_id)
    response = await hub.client.post(
        f"/api/v1/conversations/{conversation['id']}/messages", json={"content": "Thanks!"}, headers=admin
    )
    assert response.status_code == 201

    async def delivered() -> bool:
        return len(sink.received) == 1

    await wait_until(delivered, 15)


@pytest.mark.parametrize("security", ["tls", "starttls"])
async def test_encrypted_imap_and_smtp_with_login(
    hub: Hub, admin: dict[str, str], dovecot: DovecotServer, make_smtp_sink: Callable[..., SmtpSink], security: str
) -> None:
    user = dovecot.create_user()
    sink = make_smtp_sink(security=security, username="relay", password="relay-secret")
    config: dict[str, Any] = email_config(dovecot, user, sink.port, ca_file=str(dovecot.tls.ca_path))
    config["imap"] |= {"security": security, "host": "localhost"}
    config["imap"]["port"] = dovecot.tls_port if security == "tls" else dovecot.port
    config["smtp"] = {
        "host": "localhost",
        "port": sink.port,
        "security": security,
        "username": "relay",
        "password": "relay-secret",
    }
    inbox_id = await create_email_inbox(hub, admin, config)
    dovecot.append(user, mail(subject="Over TLS"))
    await wait_for_messages(hub, inbox_id, 1)

    await reply_and_wait(hub, admin, inbox_id, sink)
    [received] = sink.received
    assert received.over_tls and received.login == "relay"


async def test_a_server_without_idle_is_polled(
    hub: Hub, admin: dict[str, str], dovecot_without_idle: DovecotServer, smtp_sink: SmtpSink
) -> None:
    user = dovecot_without_idle.create_user()
    inbox_id = await create_email_inbox(hub, admin, email_config(dovecot_without_idle, user, smtp_sink.port))
    dovecot_without_idle.append(user, mail(subject="First"))
    await wait_for_messages(hub, inbox_id, 1)
    dovecot_without_idle.append(user, mail(subject="Second"))
    await wait_for_messages(hub, inbox_id, 2)

    assert sorted(c["subject"] for c in await conversations(hub, admin, inbox_id)) == ["First", "Second"]


async def test_an_outage_is_shown_and_the_import_resumes_when_the_server_returns(
    hub: Hub, admin: dict[str, str], own_dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    user = own_dovecot.create_user()
    inbox_id = await create_email_inbox(hub, admin, email_config(own_dovecot, user, smtp_sink.port))
    own_dovecot.append(user, mail(subject="Before the outage"))
    await wait_for_messages(hub, inbox_id, 1)

    own_dovecot.stop()

    async def error_shown() -> bool:
        sync = (await hub.client.get(f"/api/v1/inboxes/{inbox_id}/sync", headers=admin)).json()
        return sync["streams"][0]["error"] is not None

    await wait_until(error_shown, 15)
    own_dovecot.start_again()
    own_dovecot.append(user, mail(subject="After the outage"))
    await wait_for_messages(hub, inbox_id, 2, within_seconds=30)

    sync = (await hub.client.get(f"/api/v1/inboxes/{inbox_id}/sync", headers=admin)).json()
    assert sync["streams"][0]["error"] is None
    assert sorted(c["subject"] for c in await conversations(hub, admin, inbox_id)) == [
        "After the outage",
        "Before the outage",
    ]


async def test_temporary_smtp_failure_is_retried(
    hub: Hub, admin: dict[str, str], dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    user = dovecot.create_user()
    inbox_id = await create_email_inbox(hub, admin, email_config(dovecot, user, smtp_sink.port))
    dovecot.append(user, mail())
    await wait_for_messages(hub, inbox_id, 1)
    smtp_sink.fail_next(2, code=451)

    await reply_and_wait(hub, admin, inbox_id, smtp_sink)
