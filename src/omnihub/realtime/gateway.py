"""The agents' gateway: which connection gets which event, and resuming without gaps.

An event is written to every connection that may see it straight from the delivering task: the
connection's send is started by hand and, while its transport accepts data (nearly always), it
completes at once, so a frame costs no per-connection task, queue or wake-up. A send that has to
wait for the client to read is finished by a task of its own, and the events that arrive meanwhile
wait in order behind it, bounded by ``max_queue``. A connection that falls so far behind that this
bound is exceeded is closed with ``CLOSE_RESUME``: its client reconnects with the last id it saw
and gets everything after it from the log, so a slow client never holds others back and never
silently loses events.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import types
from collections import deque
from collections.abc import Callable, Coroutine, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from omnihub.realtime.reader import LogEvent

logger = logging.getLogger(__name__)

CLOSE_RESUME = 4000  # "reconnect with ?since=<last id>"
CLOSE_RESYNC = 4001  # "your last id is older than the log keeps: reload, then connect without since"

Message = dict[str, Any]  # an ASGI message; one per event, shared (read-only) by every connection
Send = Callable[[Message], Coroutine[Any, Any, None]]
Close = Callable[[int, str], Coroutine[Any, Any, None]]


def send_message(event: LogEvent) -> Message:
    return {"type": "websocket.send", "text": event.frame}


@types.coroutine
def _resume(coroutine: Coroutine[Any, Any, None], waiting_for: Any) -> Generator[Any, None, None]:
    """Continue a coroutine that was started by hand and is suspended on ``waiting_for``.

    The task running this waits for what the coroutine waits for, then hands the coroutine on to
    ``yield from``, which resumes it exactly as a task would have.
    """
    try:
        yield waiting_for
    except BaseException:
        coroutine.close()
        raise
    yield from coroutine


@dataclass(eq=False, slots=True)
class Subscriber:
    user_id: int
    visible_inboxes: frozenset[int] | None  # None: every inbox (admins)
    max_queue: int
    last_sent: int = 0
    overflowed: bool = False
    closed: bool = False
    # While the backlog of a resume is sent, live events wait here (bounded like the queue).
    _held: list[LogEvent] | None = field(default_factory=list)
    _send: Send | None = None  # set by go_live
    _close: Close | None = None
    # Events waiting behind a send that could not complete at once (created when first needed).
    _queue: deque[tuple[int, Message]] | None = None
    _writing: asyncio.Task[None] | None = None
    _closing: asyncio.Task[None] | None = None

    def may_see(self, inbox_id: int | None) -> bool:
        if self.visible_inboxes is None:
            return True
        return inbox_id is not None and inbox_id in self.visible_inboxes

    def offer(self, event: LogEvent, message: Message | None = None) -> None:
        if self.overflowed or self.closed or not self.may_see(event.inbox_id):
            return
        if self._held is not None:
            self._held.append(event)
            if len(self._held) > self.max_queue:
                self._overflow()
            return
        if event.id <= self.last_sent:
            return
        if message is None:
            message = send_message(event)
        if self._writing is not None:  # a send is in flight: keep the order behind it
            if self._queue is None:
                self._queue = deque()
            self._queue.append((event.id, message))
            if len(self._queue) > self.max_queue:
                self._overflow()
            return
        self._write(event.id, message)

    def _write(self, event_id: int, message: Message) -> None:
        assert self._send is not None
        self.last_sent = event_id
        coroutine = self._send(message)
        try:
            waiting_for = coroutine.send(None)
        except StopIteration:
            return  # written
        except Exception as exc:
            self._gone(exc)
            return
        self._writing = asyncio.get_running_loop().create_task(self._finish_writing(coroutine, waiting_for))

    async def _finish_writing(self, coroutine: Coroutine[Any, Any, None], waiting_for: Any) -> None:
        assert self._send is not None
        try:
            await _resume(coroutine, waiting_for)
            while self._queue and not self.overflowed:
                event_id, message = self._queue.popleft()
                self.last_sent = event_id
                await self._send(message)
        except Exception as exc:
            self._gone(exc)
        finally:
            self._writing = None
            self._queue = None

    def go_live(self, send: Send, close: Close) -> None:
        """End of the backlog: from now on write events as they come, starting with what arrived meanwhile."""
        held, self._held = self._held or [], None
        self._send, self._close = send, close
        if self.overflowed:
            self._start_closing()
            return
        for event in held:
            if event.id > self.last_sent:
                self.offer(event)

    def stop(self) -> None:
        """The connection has ended: no more writes."""
        self.closed = True
        for task in (self._writing, self._closing):
            if task is not None and task is not asyncio.current_task():
                task.cancel()

    def _overflow(self) -> None:
        self.overflowed = True
        self._held = None
        self._queue = None
        if self._send is not None:  # live; during a backlog the socket closes when the backlog is sent
            self._start_closing()

    def _start_closing(self) -> None:
        if self._closing is None and not self.closed:
            self._closing = asyncio.get_running_loop().create_task(self._close_when_written(self._writing))

    async def _close_when_written(self, writing: asyncio.Task[None] | None) -> None:
        assert self._close is not None
        if writing is not None:
            await asyncio.wait([writing])  # a close frame goes after the frame being written
        with contextlib.suppress(Exception):
            await self._close(CLOSE_RESUME, "too far behind: reconnect with since")

    def _gone(self, exc: Exception) -> None:
        """A send failed: the client went away (then closing is a no-op), or something else broke, and then
        the client is told to resume, so that nothing is lost either way."""
        logger.debug("WebSocket send failed: %r", exc)
        self.overflowed = True
        self._queue = None
        self._start_closing()


class Gateway:
    def __init__(self) -> None:
        self.subscribers: set[Subscriber] = set()

    def deliver(self, events: Sequence[LogEvent]) -> None:
        subscribers = tuple(self.subscribers)
        for event in events:
            message = send_message(event)
            for subscriber in subscribers:
                subscriber.offer(event, message)

    def add(self, subscriber: Subscriber) -> None:
        self.subscribers.add(subscriber)

    def remove(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
