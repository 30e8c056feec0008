"""The cost of a steady-state check of a mail folder with nothing new: part of benchmarks/imap.py.

The hub's own ``MailboxFollower`` (connectors/omnihub_connectors/email/mailbox.py) runs in this process
with an in-memory ``PullSink`` whose cursor already stands at the end of the folder (UIDVALIDITY, last
UID and UIDNEXT as the follower itself stores them after a sync), so it has nothing to import. It talks
to Dovecot through ``ImapCommandCounter``, which counts the commands it sends and the bytes each way:

* with IDLE, one idle period: DONE when the idle times out, CLOSE, the SELECT that checks nothing came
  in meanwhile, and the next IDLE;
* without IDLE (a Dovecot that does not offer it), one poll: a STATUS of the folder.

The time of one check is measured apart, with the connector's ``ImapClient`` making the same calls on
a direct connection (no proxy), repeated and the median taken: ``status()`` for a poll, and
``select()`` + ``idle(0)`` (IDLE, then DONE as soon as it is accepted) + ``close_folder()`` for the
active part of an idle period.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from omnihub_connectors.email.config import EmailConfig, ImapSettings, Security, SmtpSettings
from omnihub_connectors.email.imap_client import ImapClient
from omnihub_connectors.email.mailbox import MailboxFollower

from omnihub.channels.spi import PulledItem
from tests.mailservers import DovecotServer, ImapCommandCounter, MailUser

FOLDER = "INBOX"


class MemorySink:
    """A ``PullSink`` in memory, its cursor at the end of the folder; it records anything handed to it."""

    def __init__(self, cursor: Mapping[str, Any]) -> None:
        self.cursor = dict(cursor)
        self.items: list[PulledItem] = []
        self.errors: list[str] = []

    async def load_cursor(self, stream: str) -> Mapping[str, Any] | None:
        return self.cursor

    async def commit(self, stream: str, cursor: Mapping[str, Any], items: Sequence[PulledItem]) -> None:
        self.cursor = dict(cursor)
        self.items.extend(items)

    async def known_dedupe_keys(self, keys: Sequence[str]) -> set[str]:
        return set(keys)

    async def report(self, stream: str, progress: Mapping[str, Any], *, error: str | None = None) -> None:
        if error:
            self.errors.append(error)


def _nothing_to_parse(raw: bytes, source_key: str) -> PulledItem:
    raise AssertionError(f"the follower fetched {source_key}, but nothing was new")


@dataclass
class PollCost:
    mode: str  # "IDLE" or "STATUS polling"
    folder_messages: int
    checks: int
    startup_commands: list[str]
    startup_bytes: tuple[int, int]  # from client, from server
    commands: list[str] = field(default_factory=list)  # of all measured checks
    bytes_from_client: int = 0
    bytes_from_server: int = 0
    check_ms: dict[str, float] = field(default_factory=dict)  # median time of each command of a check, measured apart
    imported: int = 0  # what the follower imported: must stay 0

    @property
    def commands_per_check(self) -> list[str]:
        return self.commands[: len(self.commands) // max(1, self.checks)]


def email_config(user: MailUser, port: int, *, poll_seconds: float, idle_seconds: float) -> EmailConfig:
    return EmailConfig(
        imap=ImapSettings(
            host=DovecotServer.host, port=port, security=Security.NONE, username=user.name, password=user.password
        ),
        smtp=SmtpSettings(host="127.0.0.1", port=25, security=Security.NONE),
        from_address="support@omnihub.test",
        poll_seconds=poll_seconds,
        idle_seconds=idle_seconds,
    )


async def _wait_for(counter: ImapCommandCounter, command: str, count: int, within: float) -> None:
    deadline = time.monotonic() + within
    while counter.commands.count(command) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the follower sent {counter.commands}, waited for {count} x {command}")
        await asyncio.sleep(0.02)
    # Let the server's answer to that command pass the proxy too.
    await asyncio.sleep(0.3)


async def measure_follower(
    dovecot: DovecotServer, user: MailUser, messages: int, *, checks: int, poll_seconds: float, idle_seconds: float
) -> PollCost:
    """Run the follower against the folder through a counting proxy; count ``checks`` steady-state checks."""
    status = dovecot.status(user, FOLDER)
    assert status.messages == messages, status
    cursor = {"uidvalidity": status.uidvalidity, "last_uid": status.uidnext - 1, "uidnext": status.uidnext}
    sink = MemorySink(cursor)
    mode = "IDLE" if dovecot.idle else "STATUS polling"
    marker = "IDLE" if dovecot.idle else "STATUS"
    with ImapCommandCounter.start(dovecot.host, dovecot.port) as counter:
        config = email_config(user, counter.port, poll_seconds=poll_seconds, idle_seconds=idle_seconds)
        follower = MailboxFollower(config, _nothing_to_parse, inbox_id=1)
        task = asyncio.create_task(follower.run(sink))
        try:
            # Start-up: connect, log in, check the folder against the cursor, then the first IDLE / STATUS.
            await _wait_for(counter, marker, 1, within=poll_seconds + 30)
            cost = PollCost(
                mode, messages, checks, list(counter.commands), (counter.bytes_from_client, counter.bytes_from_server)
            )
            counter.reset()
            await _wait_for(counter, marker, checks, within=checks * (idle_seconds + poll_seconds) + 30)
            cost.commands = list(counter.commands)
            cost.bytes_from_client, cost.bytes_from_server = counter.bytes_from_client, counter.bytes_from_server
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    if sink.errors:
        raise RuntimeError(f"the follower reported errors: {sink.errors}")
    cost.imported = len(sink.items)
    return cost


async def time_check(dovecot: DovecotServer, user: MailUser, *, repeat: int) -> dict[str, float]:
    """Median milliseconds of each command of one check, by the connector's own IMAP client on a direct connection."""
    config = email_config(user, dovecot.port, poll_seconds=60, idle_seconds=60)
    client = ImapClient(config.imap, timeout=60)
    steps: dict[str, Callable[[], Awaitable[object]]] = {
        "SELECT": lambda: client.select(FOLDER),
        "IDLE+DONE": lambda: client.idle(0),
        "CLOSE": client.close_folder,
    }
    if not dovecot.idle:
        steps = {"STATUS": lambda: client.status(FOLDER)}
    durations: dict[str, list[float]] = {name: [] for name in steps}
    await client.connect()
    try:
        for _ in range(repeat + 2):
            for name, step in steps.items():
                started = time.perf_counter()
                await step()
                durations[name].append(time.perf_counter() - started)
        # The first two rounds warm up.
        return {name: 1000 * statistics.median(values[2:]) for name, values in durations.items()}
    finally:
        await client.logout()


async def poll_costs(
    dovecot: DovecotServer,
    users: dict[int, MailUser],
    *,
    checks: int,
    repeat: int,
    poll_seconds: float,
    idle_seconds: float,
) -> list[PollCost]:
    costs = []
    for messages, user in users.items():
        cost = await measure_follower(
            dovecot, user, messages, checks=checks, poll_seconds=poll_seconds, idle_seconds=idle_seconds
        )
        cost.check_ms = await time_check(dovecot, user, repeat=repeat)
        costs.append(cost)
    return costs
