"""Requests the hub makes for a channel reach only public addresses, however the address is written;
agents see a fixed failure reason, admins the detail; callbacks are signed the Standard Webhooks way."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
import time
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from omnihub_connectors.api.signing import receiver_secret, signature_headers
from omnihub_connectors.email.config import EmailConfig
from omnihub_connectors.email.outgoing import send_mail

from omnihub.app import create_app
from omnihub.channels.failures import http_failure, server_failure_reason
from omnihub.channels.spi import DeliveryError
from omnihub.config import Settings
from omnihub.domain.enums import Role
from omnihub.domain.network import PrivateNetworkAllowance, is_public_address
from omnihub.workers.outbound_http import outbound_client
from tests.callback_server import CallbackServer, callback_server, free_port
from tests.conftest import Hub, recorded_events, wait_until
from tests.mailservers.smtp import SmtpSink

SECRET = "whsec_" + "c2VjcmV0LWtleS1vZi10aGUtc2hvcC0wMTIzNDU2Nzg5"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "channels" / "api.md"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:169.254.169.254", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("::ffff:8.8.8.8", True),
        ("::7f00:1", False),  # IPv4-compatible 127.0.0.1 (Python 3.11 calls it global)
        ("::ffff:0:7f00:1", False),  # SIIT
        ("64:ff9b:1::7f00:1", False),  # local-use NAT64
        ("fec0::1", False),  # site-local
    ],
)
def test_which_addresses_count_as_public(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.fixture
async def receiver() -> AsyncIterator[CallbackServer]:
    async with callback_server() as server:
        yield server


def port_of(server: CallbackServer) -> int:
    return int(server.url.split(":")[2].split("/")[0])


async def failure_of(client: httpx.AsyncClient, url: str) -> str:
    try:
        await client.post(url, content=b"{}")
    except httpx.HTTPError as exc:
        return http_failure(exc, url).reason
    return "no failure"


async def test_loopback_in_any_spelling_is_refused_before_connecting(receiver: CallbackServer) -> None:
    port = port_of(receiver)
    spellings = [
        f"http://127.0.0.1:{port}/omnihub",
        f"http://localhost:{port}/omnihub",
        f"http://2130706433:{port}/omnihub",  # decimal
        f"http://127.1:{port}/omnihub",
        f"http://0.0.0.0:{port}/omnihub",
        f"http://[::ffff:127.0.0.1]:{port}/omnihub",
        f"http://[::1]:{port}/omnihub",
        "http://169.254.169.254/latest/meta-data/",
    ]
    async with outbound_client(PrivateNetworkAllowance(), timeout=2) as client:
        reasons = {url: await failure_of(client, url) for url in spellings}

    assert reasons == dict.fromkeys(spellings, "address not allowed")
    assert receiver.received == []


async def test_allowed_networks_and_host_names_are_reached_with_their_own_host_header(
    receiver: CallbackServer,
) -> None:
    port = port_of(receiver)
    by_network = PrivateNetworkAllowance.parse(["127.0.0.0/8"])
    by_name = PrivateNetworkAllowance.parse(["localhost"])

    async with outbound_client(by_network, timeout=2) as client:
        assert (await client.post(f"http://127.0.0.1:{port}/omnihub", content=b"{}")).status_code == 200
        assert await failure_of(client, f"http://[::1]:{port}/omnihub") == "address not allowed"
    async with outbound_client(by_name, timeout=2) as client:
        # localhost may resolve to ::1 first, where nothing listens: the next checked address is tried.
        assert (await client.post(f"http://localhost:{port}/omnihub", content=b"{}")).status_code == 200
        assert await failure_of(client, f"http://127.0.0.1:{port}/omnihub") == "address not allowed"

    assert [call.headers["host"] for call in receiver.received] == [f"127.0.0.1:{port}", f"localhost:{port}"]


@contextlib.asynccontextmanager
async def hub_allowing(settings: Settings, allowed: str) -> AsyncIterator[Hub]:
    """A hub as the suite runs it, with ``OMNIHUB_ALLOW_PRIVATE_NETWORKS`` set to ``allowed``."""
    settings = settings.model_copy(update={"allow_private_networks": allowed, "outbox_max_attempts": 2})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://omnihub.test") as client:
            yield Hub(app, client, settings)


async def reply_through(hub: Hub, callback_url: str) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """An API inbox posting to ``callback_url`` with a member agent, and a reply that settled:
    (the message as the agent sees it, admin headers, agent headers)."""
    _, admin = await hub.as_user("admin@example.com", Role.ADMIN)
    agent_id, agent = await hub.as_user("agent@example.com", Role.AGENT)
    config = {"callback_url": callback_url, "secret": SECRET}
    created = await hub.client.post(
        "/api/v1/inboxes", headers=admin, json={"name": "CRM", "channel_type": "api", "config": config}
    )
    assert created.status_code == 201, created.text
    inbox = created.json()["id"]
    await hub.client.post(f"/api/v1/inboxes/{inbox}/members", json={"user_id": agent_id}, headers=admin)
    inbound = {"external_id": "in-1", "contact": {"identifier": "c-1"}, "content": "hi"}
    conversation = (await hub.client.post(f"/api/v1/inboxes/{inbox}/inbound", json=inbound, headers=admin)).json()
    messages_url = f"/api/v1/conversations/{conversation['conversation_id']}/messages"
    sent = (await hub.client.post(messages_url, json={"content": "hello"}, headers=agent)).json()

    async def latest() -> dict[str, Any]:
        items = (await hub.client.get(messages_url, headers=agent)).json()["items"]
        return dict(next(m for m in items if m["id"] == sent["id"]))

    await wait_until(lambda: _settled(latest))
    return await latest(), admin, agent


async def _settled(latest: Any) -> bool:
    return (await latest())["delivery_status"] not in ("queued", None)


async def delivery_as(hub: Hub, message: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/conversations/{message['conversation_id']}/messages/{message['id']}/delivery"
    return await hub.client.get(url, headers=headers)


async def test_a_callback_on_this_machine_fails_unless_allowed(settings: Settings, receiver: CallbackServer) -> None:
    async with hub_allowing(settings, "") as hub:
        message, admin, agent = await reply_through(hub, receiver.url)
        admin_view = await delivery_as(hub, message, admin)
        agent_view = await delivery_as(hub, message, agent)

    assert message["delivery_status"] == "failed"
    assert message["failure_reason"] == "address not allowed"
    assert receiver.received == []
    assert admin_view.json()["state"] == "failed" and admin_view.json()["attempts"] == 1  # not retried
    assert "127.0.0.1" in admin_view.json()["last_error"]
    assert agent_view.status_code == 403


async def test_a_callback_on_this_machine_is_reached_when_allowed(settings: Settings, receiver: CallbackServer) -> None:
    async with hub_allowing(settings, "127.0.0.1") as hub:
        allowed, _, _ = await reply_through(hub, receiver.url)

    assert allowed["delivery_status"] == "delivered" and len(receiver.received) == 1


# Dotted octal and hex forms are valid URLs in the WHATWG sense, which the inbox's configuration follows.
@pytest.mark.parametrize("host", ["localhost", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "[::ffff:7f00:1]"])
async def test_other_spellings_of_this_machine_fail_too(
    settings: Settings, receiver: CallbackServer, host: str
) -> None:
    async with hub_allowing(settings, "") as hub:
        message, _, _ = await reply_through(hub, f"http://{host}:{port_of(receiver)}/omnihub")

    assert (message["delivery_status"], message["failure_reason"]) == ("failed", "address not allowed")
    assert receiver.received == []


async def test_a_redirect_from_an_allowed_host_is_not_followed(settings: Settings, receiver: CallbackServer) -> None:
    async with callback_server() as redirector, hub_allowing(settings, "localhost") as hub:
        redirector.redirect_to = receiver.url  # 127.0.0.1, which is not allowed
        message, admin, _ = await reply_through(hub, f"http://localhost:{port_of(redirector)}/omnihub")
        detail = (await delivery_as(hub, message, admin)).json()["last_error"]

    assert message["failure_reason"] == "callback refused: redirect (HTTP 307)"
    assert len(redirector.received) == 1 and receiver.received == []
    assert receiver.url in detail  # the admin sees where it pointed


async def test_agents_see_a_fixed_reason_and_admins_the_answer(settings: Settings, receiver: CallbackServer) -> None:
    receiver.answers = [403]
    receiver.error_body = "nginx/1.18 upstream db-primary.internal:5432 refused"
    async with hub_allowing(settings, "127.0.0.1") as hub:
        message, admin, _ = await reply_through(hub, receiver.url)
        detail = (await delivery_as(hub, message, admin)).json()["last_error"]
        events = await recorded_events(hub, "message.updated")

    assert message["failure_reason"] == "callback refused: HTTP 403"
    assert "db-primary" not in json.dumps(events)
    assert "db-primary.internal:5432" in detail


async def test_callback_urls_with_credentials_are_refused_and_tokens_masked_for_agents(hub: Hub) -> None:
    _, admin = await hub.as_user("admin@example.com", Role.ADMIN)
    agent_id, agent = await hub.as_user("agent@example.com", Role.AGENT)

    async def create(config: dict[str, str]) -> httpx.Response:
        body = {"name": "CRM", "channel_type": "api", "config": config}
        return await hub.client.post("/api/v1/inboxes", headers=admin, json=body)

    with_password = await create({"callback_url": "https://crm:hunter2@crm.example/hook"})
    not_http = await create({"callback_url": "ftp://crm.example/hook"})
    with_token = await create({"callback_url": "https://crm.example/hook?token=tok-123&v=2"})
    inbox = with_token.json()["id"]
    await hub.client.post(f"/api/v1/inboxes/{inbox}/members", json={"user_id": agent_id}, headers=admin)
    as_agent = (await hub.client.get(f"/api/v1/inboxes/{inbox}", headers=agent)).json()
    as_admin = (await hub.client.get(f"/api/v1/inboxes/{inbox}", headers=admin)).json()
    events = await recorded_events(hub, "inbox.created")

    assert with_password.status_code == not_http.status_code == 422
    assert "user name or password" in with_password.text
    assert as_agent["config"]["callback_url"] == "https://crm.example/hook?token=********&v=********"
    assert as_admin["config"]["callback_url"] == "https://crm.example/hook?token=tok-123&v=2"
    assert "tok-123" not in json.dumps(events) and "hunter2" not in json.dumps(events)


def docs_verifier() -> dict[str, Any]:
    """Run the Python verifier of docs/channels/api.md, as a receiver would copy it."""
    text = DOCS.read_text()
    block = re.search(r"<!-- verifier -->\s*```python\n(.*?)```", text, re.DOTALL)
    assert block, "docs/channels/api.md lost its example verifier"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), str(DOCS), "exec"), namespace)
    return namespace


async def test_the_documented_verifier_accepts_a_real_callback_and_refuses_replays(
    settings: Settings, receiver: CallbackServer
) -> None:
    verifier = docs_verifier()
    async with hub_allowing(settings, "127.0.0.1") as hub:
        message, _, _ = await reply_through(hub, receiver.url)
    assert message["delivery_status"] == "delivered"
    [call] = receiver.received
    verify, invalid = verifier["verify_callback"], verifier["InvalidCallback"]

    assert verify(receiver_secret(SECRET), call.headers, call.body)["message"]["content"] == "hello"
    with pytest.raises(invalid):
        verify(receiver_secret(SECRET), call.headers, call.body.replace(b"hello", b"hullo"))
    with pytest.raises(invalid):  # the same request, replayed six minutes later
        verify(receiver_secret(SECRET), call.headers, call.body, now=time.time() + 360)
    stale = signature_headers(SECRET, call.headers["webhook-id"], call.body, now=time.time() - 360)
    with pytest.raises(invalid):  # correctly signed, but too old
        verify(receiver_secret(SECRET), stale, call.body)


def mail_config(sink: SmtpSink, **smtp: Any) -> EmailConfig:
    return EmailConfig.model_validate(
        {
            "imap": {"host": "127.0.0.1", "username": "u", "password": "p"},
            "smtp": {"host": sink.host, "port": sink.port, "security": "none", **smtp},
            "from_address": "support@shop.example",
        }
    )


async def smtp_failure_of(config: EmailConfig, to: str = "sam@example.com") -> DeliveryError:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "support@shop.example", to, "Hi"
    mail.set_content("Hello")
    with pytest.raises(DeliveryError) as caught:
        await send_mail(config, mail)
    return caught.value


async def test_smtp_failures_show_agents_the_code_not_the_servers_words() -> None:
    with SmtpSink.start() as sink, SmtpSink.start(username="hub", password="right-password") as guarded:
        sink.reject_recipients.add("gone@example.com")
        rejected = await smtp_failure_of(mail_config(sink), to="gone@example.com")
        sink.fail_next(code=554, text="5.7.1 blocked by mx-internal.corp.local policy engine 3.2")
        refused = await smtp_failure_of(mail_config(sink))
        login = await smtp_failure_of(mail_config(guarded, username="hub", password="wrong-password"))
        closed_port = mail_config(sink, port=free_port())
        unreachable = await smtp_failure_of(closed_port)

    assert (rejected.reason, rejected.permanent) == ("recipient rejected (550)", True)
    assert "gone@example.com" in (rejected.detail or "")
    assert (refused.reason, refused.permanent) == ("mail server refused the message (554)", True)
    assert "mx-internal" in (refused.detail or "")
    assert login.reason == "SMTP login refused (535)" and not login.permanent
    assert unreachable.reason == "connection refused"


@pytest.mark.parametrize(
    ("error", "reason"),
    [  # as the IMAP client words them
        (
            "cannot connect to imap.internal:993: [Errno 111] Connect call failed ('10.0.0.7', 993)",
            "connection refused",
        ),
        ("login refused: [AUTHENTICATIONFAILED] Authentication failed. (dovecot 2.3.19 on mail-3)", "login refused"),
        ("cannot connect to imap.internal:993: [SSL: CERTIFICATE_VERIFY_FAILED] self-signed", "TLS error"),
        ("cannot connect to nowhere.invalid:993: [Errno -2] Name or service not known", "host not found"),
        ("TimeoutError", "timed out"),
        ("connection lost", "connection closed"),
        ("SELECT failed: [NONEXISTENT] Mailbox doesn't exist: Archive/2026", "server error"),
    ],
)
def test_mailbox_errors_are_reported_as_fixed_phrases(error: str, reason: str) -> None:
    assert server_failure_reason(error) == reason
