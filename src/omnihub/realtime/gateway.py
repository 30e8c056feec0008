"""The agents' gateway: which connection gets which event, and resuming without gaps.

Each connection has a bounded queue. A connection that falls so far behind that its queue is full
is closed with ``CLOSE_RESUME``: its client reconnects with the last id it saw and gets everything
after it from the log, so a slow client never holds others back and never silently loses events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from omnihub.realtime.reader import LogEvent

CLOSE_RESUME = 4000  # "reconnect with ?since=<last id>"
CLOSE_RESYNC = 4001  # "your last id is older than the log keeps: reload, then connect without since"


@dataclass(eq=False)
class Subscriber:
    user_id: int
    visible_inboxes: frozenset[int] | None  # None: every inbox (admins)
    max_queue: int
    queue: asyncio.Queue[LogEvent | None] = field(init=False)
    last_sent: int = 0
    overflowed: bool = False
    # While the backlog of a resume is sent, live events wait here (bounded like the queue).
    _held: list[LogEvent] | None = field(default_factory=list)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(self.max_queue)

    def may_see(self, inbox_id: int | None) -> bool:
        if self.visible_inboxes is None:
            return True
        return inbox_id is not None and inbox_id in self.visible_inboxes

    def offer(self, event: LogEvent) -> None:
        if self.overflowed or not self.may_see(event.inbox_id):
            return
        if self._held is not None:
            self._held.append(event)
            if len(self._held) > self.max_queue:
                self._overflow()
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self._overflow()

    def go_live(self) -> None:
        """End of the backlog: queue what arrived meanwhile and was not in the backlog."""
        held, self._held = self._held or [], None
        for event in held:
            if event.id > self.last_sent:
                self.offer(event)

    def _overflow(self) -> None:
        self.overflowed = True
        self._held = None
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)  # wakes the writer, which closes the connection


class Gateway:
    def __init__(self) -> None:
        self.subscribers: set[Subscriber] = set()

    def deliver(self, events: Sequence[LogEvent]) -> None:
        for event in events:
            for subscriber in tuple(self.subscribers):
                subscriber.offer(event)

    def add(self, subscriber: Subscriber) -> None:
        self.subscribers.add(subscriber)

    def remove(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
