"""Hostile mail through a real Dovecot into a hub served by uvicorn: /healthz keeps answering within a
second during the whole import, and every mail ends imported or quarantined, none lost."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from omnihub.config import Settings
from omnihub.db.engine import driver_connection
from omnihub.domain.enums import Role
from tests.connectors.email.helpers import email_config
from tests.live import LiveHub, auth, running_live_hub
from tests.mailservers import DovecotServer

_ADDRESS_FIELDS = ["X-Original-To", "Delivered-To", "To", "Cc", "Reply-To", "References", "In-Reply-To"]
_UNITS = ["a@", "a@a.", "a.", "=?", "<a", '"a', "(a", "a ", "\\a", ",", "for a@"]
_SOUP = ["<div>", "</x>", "<b>", "<p>", "</div>", "<table><tr><td>", "text", "<span style=display:none>"]


def _hostile_mail(field: str, unit: str, repeat: int, soup: list[str], soup_repeat: int, number: int) -> bytes:
    html = "".join(soup) * soup_repeat
    return (
        f"From: Mallory <mallory@example.com>\r\nTo: support@omnihub.test\r\n{field}: {unit * repeat}\r\n"
        f"Received: from x by y for {unit * repeat};\r\nSubject: hostile {number}\r\n"
        f"Message-ID: <hostile-{number}@example.com>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    ).encode()


_MAILS = st.lists(
    st.tuples(
        st.sampled_from(_ADDRESS_FIELDS),
        st.sampled_from(_UNITS),
        st.integers(min_value=500, max_value=10_000),
        st.lists(st.sampled_from(_SOUP), min_size=1, max_size=6),
        st.integers(min_value=1, max_value=3_000),
    ),
    min_size=8,
    max_size=12,
)

# Sanitizing a few megabytes of nested markup takes seconds: with a budget of 1.5 s it is stopped.
_TOO_COSTLY = (
    b"From: Mallory <mallory@example.com>\r\nTo: support@omnihub.test\r\nSubject: too costly\r\n"
    b"Message-ID: <too-costly@example.com>\r\nContent-Type: text/html\r\n\r\n" + b"<div></x>" * 500_000 + b"\r\n"
)


async def _poll_healthz(hub: LiveHub, done: asyncio.Event) -> int:
    """Ask /healthz until ``done``; every answer must be a 200 within one second."""
    polls = 0
    async with httpx.AsyncClient(base_url=hub.base, timeout=1.0) as client:
        while not done.is_set():
            started = time.monotonic()
            response = await client.get("/healthz")
            assert response.status_code == 200 and time.monotonic() - started < 1.0
            polls += 1
            await asyncio.sleep(0.05)
    return polls


async def _outcomes(hub: LiveHub, inbox_id: int) -> dict[str, Any]:
    async with hub.app.state.runtime.sessions() as session:
        raw = await driver_connection(await session.connection())
        records = await raw.fetch("SELECT outcome FROM pull_records WHERE inbox_id = $1", inbox_id)
        reasons = await raw.fetch("SELECT source_key, reason FROM quarantined_items WHERE inbox_id = $1", inbox_id)
    return {"records": [row[0] for row in records], "quarantined": {row[0]: row[1] for row in reasons}}


async def _import_and_watch(settings: Settings, dovecot: DovecotServer, mails: list[bytes]) -> None:
    user = dovecot.create_user()
    uids = {dovecot.append(user, raw): raw for raw in mails}
    async with running_live_hub(settings) as hub:
        _, token = await hub.token("admin@example.com", Role.ADMIN)
        await hub.http.get("/healthz")
        done = asyncio.Event()
        poller = asyncio.create_task(_poll_healthz(hub, done))
        config = email_config(dovecot, user, smtp_port=9)
        response = await hub.http.post(
            "/api/v1/inboxes", json={"name": "Mail", "channel_type": "email", "config": config}, headers=auth(token)
        )
        inbox_id = response.json()["id"]
        deadline = time.monotonic() + 180
        while len((outcome := await _outcomes(hub, inbox_id))["records"]) < len(mails):
            assert time.monotonic() < deadline, f"only {len(outcome['records'])} of {len(mails)} mails accounted for"
            assert not poller.done(), poller.exception()
            await asyncio.sleep(0.1)
        done.set()
        assert await poller > 0
    assert set(outcome["records"]) <= {"imported", "quarantined"}
    assert outcome["records"].count("quarantined") == len(outcome["quarantined"])
    costly_uid = next(uid for uid, raw in uids.items() if raw is _TOO_COSTLY)
    [reason] = [reason for key, reason in outcome["quarantined"].items() if key.endswith(f"/{costly_uid}")]
    assert reason.startswith("took too long to parse")


@hypothesis_settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(generated=_MAILS)
def test_hostile_mail_import_keeps_the_hub_responsive_and_loses_nothing(
    settings: Settings, dovecot: DovecotServer, generated: list[tuple[str, str, int, list[str], int]]
) -> None:
    mails = [_hostile_mail(*each, number) for number, each in enumerate(generated)]
    mails.insert(len(mails) // 2, _TOO_COSTLY)
    settings = settings.model_copy(update={"parse_budget_seconds": 1.5, "parse_workers": 1})
    asyncio.run(_import_and_watch(settings, dovecot, mails))
