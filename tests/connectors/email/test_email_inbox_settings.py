"""Editing an e-mail inbox while the hub follows its mailbox: the connector restarts with the new settings,
another mailbox is read from its start, and a connector running with old settings stores nothing more."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from omnihub.channels.spi import PulledItem
from omnihub.db.models import Inbox, PullRecord
from omnihub.services import pulls
from omnihub.services.pull_leases import canonical_config
from tests.conftest import Hub, wait_until
from tests.connectors.email.helpers import create_email_inbox, email_config, mail, message_count, wait_for_messages
from tests.mailservers import DovecotServer, SmtpSink


async def sync_streams(hub: Hub, admin: dict[str, str], inbox_id: int) -> list[dict[str, Any]]:
    response = await hub.client.get(f"/api/v1/inboxes/{inbox_id}/sync", headers=admin)
    return list(response.json()["streams"])


async def test_pointing_an_inbox_at_another_mailbox_reads_that_one(
    hub: Hub, admin: dict[str, str], dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    first, second = dovecot.create_user(), dovecot.create_user()
    inbox_id = await create_email_inbox(hub, admin, email_config(dovecot, first, smtp_sink.port))
    for number in range(3):
        dovecot.append(first, mail(subject=f"Old box {number}"))
    await wait_for_messages(hub, inbox_id, 3)

    # The worst case: the other box has the same UIDVALIDITY, so its UIDs 1, 2... name the same
    # folder/UIDVALIDITY/UID as mail of the first box already imported.
    [stream] = await sync_streams(hub, admin, inbox_id)
    dovecot.reset_uidvalidity(second, uidvalidity=stream["cursor"]["uidvalidity"])
    dovecot.append(second, mail(subject="New box 1"))
    changed = await hub.client.patch(
        f"/api/v1/inboxes/{inbox_id}",
        json={"config": {"imap": {"username": second.name, "password": second.password}}},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["config"]["imap"]["password"] == "********"
    # The second box's UIDs start at 1 again: read from its start, not skipped as seen in the first.
    await wait_for_messages(hub, inbox_id, 4)
    dovecot.append(first, mail(subject="Old box, after the change"))
    dovecot.append(second, mail(subject="New box 2"))
    await wait_for_messages(hub, inbox_id, 5)

    async def cursor_at_second_uid() -> bool:
        streams = await sync_streams(hub, admin, inbox_id)
        return [s["cursor"] and s["cursor"]["last_uid"] for s in streams] == [2]

    await wait_until(cursor_at_second_uid, 20)
    assert await message_count(hub, inbox_id) == 5  # nothing more from the old box


async def test_changing_other_settings_keeps_the_cursor_and_imports_nothing_twice(
    hub: Hub, admin: dict[str, str], dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    user = dovecot.create_user()
    inbox_id = await create_email_inbox(hub, admin, email_config(dovecot, user, smtp_sink.port))
    dovecot.append(user, mail(subject="Before"))
    await wait_for_messages(hub, inbox_id, 1)

    changed = await hub.client.patch(
        f"/api/v1/inboxes/{inbox_id}", json={"config": {"from_name": "Help desk"}}, headers=admin
    )
    assert changed.status_code == 200 and changed.json()["config"]["from_name"] == "Help desk"
    dovecot.append(user, mail(subject="After"))
    await wait_for_messages(hub, inbox_id, 2)
    async with hub.session() as session:
        records = await session.scalar(select(func.count()).where(PullRecord.inbox_id == inbox_id))
        inbox = await session.get(Inbox, inbox_id)
        assert inbox is not None and inbox.config["imap"]["password"] == user.password
    assert records == 2


async def test_a_connector_with_old_settings_stores_nothing(
    hub: Hub, admin: dict[str, str], dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    user = dovecot.create_user()
    config = email_config(dovecot, user, smtp_sink.port)
    inbox_id = await create_email_inbox(hub, admin, config)
    async with hub.session() as session:
        inbox = await session.get(Inbox, inbox_id)
        assert inbox is not None
        started_with = canonical_config(inbox.config)
    await hub.client.patch(f"/api/v1/inboxes/{inbox_id}", json={"config": {"poll_seconds": 2}}, headers=admin)

    stale = pulls.PullContext(inbox_id, hub.runtime.attachment_policy, config_json=started_with)
    item = PulledItem("INBOX/1/99", "<late@example.com>", raw=b"x", problem="held")
    with pytest.raises(pulls.ConfigChanged):
        await pulls.commit_batch(
            hub.runtime.sessions, stale, stream="INBOX", cursor={"uidvalidity": 1, "last_uid": 99}, items=[item]
        )
    with pytest.raises(pulls.ConfigChanged):
        await pulls.report_progress(hub.runtime.sessions, stale, "INBOX", {"state": "idle"}, error=None)
    async with hub.session() as session:
        assert await session.scalar(select(func.count()).where(PullRecord.source_key == "INBOX/1/99")) == 0
