"""Snoozing a conversation until a time, and the waker that opens it again when the time comes."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from omnihub.workers.snooze import SnoozeWaker
from tests.conftest import Hub, InboundSender, recorded_events


class Clock:
    """A settable clock for the waker: the test says what time it is."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def conversation(api_inbox: int, send_inbound: InboundSender) -> str:
    response = await send_inbound(api_inbox, "m1", content="Call me tomorrow")
    return f"/api/v1/conversations/{response.json()['conversation_id']}"


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


async def activities(hub: Hub, conversation: str, headers: dict[str, str]) -> list[str]:
    items = (await hub.client.get(f"{conversation}/messages", headers=headers)).json()["items"]
    return [m["content"] for m in items if m["kind"] == "activity"]


async def test_snoozing_until_a_time_sets_the_status_and_notes_it(
    hub: Hub, admin: dict[str, str], conversation: str
) -> None:
    until = datetime(2099, 1, 2, 9, 0, tzinfo=UTC)
    response = await hub.client.patch(conversation, json={"snoozed_until": until.isoformat()}, headers=admin)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "snoozed"
    assert datetime.fromisoformat(response.json()["snoozed_until"]) == until
    noted = (await activities(hub, conversation, admin))[-1]
    assert noted == "admin snoozed the conversation until 2099-01-02 09:00 UTC"
    updated = [data for _, data in await recorded_events(hub, "conversation.updated")]
    assert updated[-1]["status"] == "snoozed" and updated[-1]["snoozed_until"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"snoozed_until": "2001-01-01T00:00:00+00:00"}, "snoozed_until"),  # the past
        ({"snoozed_until": "2099-01-01T00:00:00"}, "snoozed_until"),  # no time zone: which 9:00?
        ({"snoozed_until": "2099-01-01T00:00:00+00:00", "status": "pending"}, "status"),
    ],
)
async def test_a_snooze_must_end_in_the_future_and_mean_snoozed(
    hub: Hub, admin: dict[str, str], conversation: str, body: dict[str, str], field: str
) -> None:
    response = await hub.client.patch(conversation, json=body, headers=admin)

    assert response.status_code == 422
    assert field in response.text
    assert (await hub.client.get(conversation, headers=admin)).json()["status"] == "open"


@pytest.mark.parametrize(
    ("ending", "activity"),
    [
        ({"snoozed_until": None}, "admin ended the snooze"),
        ({"status": "pending"}, "admin set the status to pending"),
    ],
)
async def test_clearing_the_time_or_another_status_ends_the_snooze(
    hub: Hub, admin: dict[str, str], conversation: str, ending: dict[str, object], activity: str
) -> None:
    await hub.client.patch(conversation, json={"snoozed_until": later(hours=1)}, headers=admin)

    response = await hub.client.patch(conversation, json=ending, headers=admin)

    assert response.json()["status"] == ending.get("status", "open")
    assert response.json()["snoozed_until"] is None
    assert (await activities(hub, conversation, admin))[-1] == activity


async def test_the_waker_opens_a_conversation_when_its_time_comes(
    hub: Hub, admin: dict[str, str], conversation: str
) -> None:
    await hub.client.patch(conversation, json={"snoozed_until": later(hours=1)}, headers=admin)
    clock = Clock()
    waker = SnoozeWaker(hub.runtime.sessions, poll_seconds=60, clock=clock)

    assert await waker.wake_due() == 0  # not yet
    assert (await hub.client.get(conversation, headers=admin)).json()["status"] == "snoozed"

    clock.now += timedelta(hours=1, minutes=1)
    assert await waker.wake_due() == 1
    woken = (await hub.client.get(conversation, headers=admin)).json()
    assert woken["status"] == "open" and woken["snoozed_until"] is None
    assert (await activities(hub, conversation, admin))[-1] == "The snooze ended: the conversation is open again"
    updated = [data for _, data in await recorded_events(hub, "conversation.updated")]
    assert (updated[-1]["id"], updated[-1]["status"]) == (woken["id"], "open")
    assert await waker.wake_due() == 0  # once only


async def test_several_nodes_waking_at_once_open_each_conversation_once(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    paths = []
    for number in range(12):
        created = await send_inbound(api_inbox, f"m{number}", identifier=f"person-{number}")
        paths.append(f"/api/v1/conversations/{created.json()['conversation_id']}")
        await hub.client.patch(paths[-1], json={"snoozed_until": later(minutes=5)}, headers=admin)
    clock = Clock()
    clock.now += timedelta(minutes=6)
    # Small batches, so that the nodes' passes overlap on the same rows.
    nodes = [SnoozeWaker(hub.runtime.sessions, poll_seconds=60, batch=3, clock=clock) for _ in range(4)]

    async def drain(node: SnoozeWaker) -> int:
        total = 0
        while woken := await node.wake_due():
            total += woken
        return total

    assert sum(await asyncio.gather(*(drain(node) for node in nodes))) == 12
    for path in paths:
        assert (await activities(hub, path, admin)).count("The snooze ended: the conversation is open again") == 1
        assert (await hub.client.get(path, headers=admin)).json()["status"] == "open"


async def test_a_message_from_the_contact_wakes_a_snoozed_conversation_first(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender, conversation: str
) -> None:
    await hub.client.patch(conversation, json={"snoozed_until": later(days=7)}, headers=admin)

    await send_inbound(api_inbox, "m2", content="Actually, now please")

    reopened = (await hub.client.get(conversation, headers=admin)).json()
    assert reopened["status"] == "open" and reopened["snoozed_until"] is None
    clock = Clock()
    clock.now += timedelta(days=8)
    assert await SnoozeWaker(hub.runtime.sessions, poll_seconds=60, clock=clock).wake_due() == 0


async def test_a_snooze_changed_before_its_time_is_not_woken_early(
    hub: Hub, admin: dict[str, str], conversation: str
) -> None:
    await hub.client.patch(conversation, json={"snoozed_until": later(hours=1)}, headers=admin)
    await hub.client.patch(conversation, json={"snoozed_until": later(days=2)}, headers=admin)
    clock = Clock()
    clock.now += timedelta(hours=2)

    assert await SnoozeWaker(hub.runtime.sessions, poll_seconds=60, clock=clock).wake_due() == 0
    assert (await hub.client.get(conversation, headers=admin)).json()["status"] == "snoozed"
