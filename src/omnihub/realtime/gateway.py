"""The agents' gateway: which socket gets which frame, written once for all, nobody waiting for a slow client.

For a page of events the gateway joins the frames an agent may see into one byte string, once per set
of visible inboxes (every admin gets the same bytes, so do agents of the same inboxes), and writes it
to each socket with one direct write (see ``direct_ws``). A write never waits: it lands in the
socket's buffer. A client whose buffer grows beyond ``max_behind_bytes`` is closed with
``CLOSE_RESUME``; it reconnects with the last id it saw and gets the rest from the log, so a slow
client never holds others back and never silently loses events.

Every ``yield_every`` sockets the gateway lets the event loop run, so that a page for many agents does
not hold up the requests (and the ingest) being served by the same process. Each of an inbound
request's database round trips waits for the writing in progress to yield: with 1,000 agents,
yielding every 100 sockets instead of every 500 halved the inbound request's time (p50 11 -> 6 ms).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from omnihub.realtime.asgi_sender import AsgiSender
from omnihub.realtime.direct_ws import DirectWriter, text_frame
from omnihub.realtime.frames import AgentFrame

CLOSE_RESUME = 4000  # "reconnect with ?since=<last id>"
CLOSE_RESYNC = 4001  # "your last id is older than the log keeps: reload, then connect without since"
CLOSE_SESSION_ENDED = 4003  # "signed out, token revoked or expired, password changed, user deactivated"
RESUME_REASON = "too far behind: reconnect with since"
SESSION_ENDED_REASON = "session ended"
YIELD_EVERY = 100
_MAX_HELD_FRAMES = 100_000

Send = Callable[[dict[str, Any]], Awaitable[None]]
Close = Callable[[int, str], Awaitable[None]]


class Subscriber:
    """One agent socket. Until ``go_live`` it holds what the gateway hands it (while the socket is set up and
    a resume's backlog is sent); from then on frames are written as they come."""

    __slots__ = (
        "_held",
        "_held_bytes",
        "_sender",
        "closed",
        "ended",
        "is_admin",
        "last_sent",
        "max_behind_bytes",
        "member_of",
        "overflowed",
        "token_id",
        "user_id",
        "visible",
        "writer",
    )

    def __init__(
        self,
        user_id: int,
        *,
        max_behind_bytes: int,
        token_id: int | None = None,
        writer: DirectWriter | None = None,
        send: Send | None = None,
        close: Close | None = None,
    ) -> None:
        self.user_id = user_id
        self.token_id = token_id
        self.ended = False
        self.is_admin = False
        self.member_of: frozenset[int] = frozenset()
        self.visible: frozenset[int] | None = frozenset()  # None: every inbox (admins)
        self.max_behind_bytes = max_behind_bytes
        self.last_sent = 0
        self.closed = False
        self.overflowed = False
        self.writer = writer
        self._sender = None if writer is not None else AsgiSender(send, close) if send and close else None
        self._held: list[AgentFrame] | None = []
        self._held_bytes = 0

    def set_membership(self, member_of: frozenset[int], *, is_admin: bool) -> None:
        self.is_admin = is_admin
        self.member_of = member_of
        self.visible = None if is_admin else member_of

    def may_see(self, frame: AgentFrame) -> bool:
        if frame.recipient is not None:
            return frame.recipient == self.user_id
        if frame.visible_to(self.visible):
            return True
        return frame.membership is not None and frame.membership.user_id == self.user_id

    def hold(self, frames: Sequence[AgentFrame]) -> None:
        """Keep log events for ``go_live`` (typing and presence are not kept: they are only news while fresh).

        What this agent will see (as far as known now) counts towards ``max_behind_bytes``; the others are
        only references to shared frames, kept so that membership changes among them apply in order.
        """
        if self._held is None or self.overflowed:
            return
        for frame in frames:
            if frame.id is not None:
                self._held.append(frame)
                if self.may_see(frame):
                    self._held_bytes += len(frame.wire)
        if self._held_bytes > self.max_behind_bytes or len(self._held) > _MAX_HELD_FRAMES:
            self.overflowed = True
            self._held = []

    def go_live(self) -> None:
        """The backlog is sent: write what arrived meanwhile, then every frame as it comes."""
        held, self._held = self._held or [], None
        if self.overflowed:
            self._fall_behind()
            return
        self.send_each(held)

    def visible_frames(self, frames: Sequence[AgentFrame]) -> list[AgentFrame]:
        """The frames after ``last_sent`` this agent may see, following membership changes on the way."""
        out = []
        for frame in frames:
            if frame.id is not None:
                if frame.id <= self.last_sent:
                    continue
                self.last_sent = frame.id
            change = frame.membership
            if change is None or change.user_id != self.user_id:
                if self.may_see(frame):
                    out.append(frame)
                continue
            # The user sees the news of their own membership, and from then on (or no longer) the inbox.
            out.append(frame)
            member_of = self.member_of | {change.inbox_id} if change.added else self.member_of - {change.inbox_id}
            self.set_membership(member_of, is_admin=self.is_admin)
        return out

    def send_each(self, frames: Sequence[AgentFrame]) -> None:
        visible = self.visible_frames(frames)
        if not visible or self.closed:
            return
        if self.writer is not None:
            self.write(b"".join([frame.wire for frame in visible]))
        elif self._sender is not None:
            self._sender.put([frame.text for frame in visible])
            if self._sender.behind_bytes() > self.max_behind_bytes:
                self._fall_behind()

    def send_control(self, text: str) -> None:
        """A frame for this socket only (an ``error``), among the events."""
        if self.closed:
            return
        if self.writer is not None:
            self.write(text_frame(text.encode()))
        elif self._sender is not None:
            self._sender.put([text])

    async def send_backlog(self, frames: Sequence[AgentFrame], send_text: Callable[[str], Awaitable[None]]) -> None:
        """Send a page of the log now, waiting while the client reads (it asked for these)."""
        visible = self.visible_frames(frames)
        if not visible:
            return
        if self.writer is None:
            for frame in visible:
                await send_text(frame.text)
            return
        if not self.writer.write(b"".join([frame.wire for frame in visible])):
            raise ConnectionError("the socket closed while its backlog was sent")
        await self.writer.drained()

    def write(self, data: bytes) -> None:
        writer = self.writer
        assert writer is not None
        try:
            written = writer.write(data)
        except Exception:  # the transport broke: the connection is ending, the socket's task will notice
            written = False
        if not written:
            self.closed = True
        elif writer.buffered_bytes() > self.max_behind_bytes:
            self._fall_behind()

    def _fall_behind(self) -> None:
        self.overflowed = True
        if self.closed:
            return
        self.closed = True
        if self.writer is not None:
            self.writer.close_behind(CLOSE_RESUME, RESUME_REASON)
        elif self._sender is not None:
            self._sender.close_behind(CLOSE_RESUME, RESUME_REASON)

    def end_session(self) -> None:
        """The session behind this socket has ended: not one more frame, and close with ``CLOSE_SESSION_ENDED``.

        A socket still being set up (not accepted yet) is closed by its own task, which checks ``ended``.
        """
        if self.ended:
            return
        self.ended = True
        already_closed, self.closed = self.closed, True
        self._held = None if self._held is None else []
        if already_closed:
            return
        if self.writer is not None:
            self.writer.close_behind(CLOSE_SESSION_ENDED, SESSION_ENDED_REASON)
        elif self._sender is not None:
            self._sender.close_behind(CLOSE_SESSION_ENDED, SESSION_ENDED_REASON)

    def stop(self) -> None:
        """The connection has ended: no more writes."""
        self.closed = True
        if self._sender is not None:
            self._sender.stop()


class Gateway:
    def __init__(self, *, yield_every: int = YIELD_EVERY) -> None:
        self.subscribers: set[Subscriber] = set()
        self.yield_every = yield_every

    async def deliver(self, frames: Sequence[AgentFrame]) -> float:
        """Hand a page of log events, in id order, to every socket; the seconds spent writing (other tasks that
        ran meanwhile, when this let the loop run, not counted)."""
        busy = 0.0
        for segment in _segments(frames):
            subscribers = tuple(self.subscribers)
            joined: dict[frozenset[int] | None, bytes] = {}
            for start in range(0, len(subscribers), self.yield_every):
                if start:
                    await asyncio.sleep(0)
                started = time.perf_counter()
                _fan_out(segment, subscribers[start : start + self.yield_every], joined)
                busy += time.perf_counter() - started
        return busy

    def signal(self, frames: Sequence[AgentFrame]) -> None:
        """Hand typing or presence frames to the sockets that are live now."""
        if frames:
            _fan_out(frames, tuple(self.subscribers), {})

    def end_sessions(self, *, token_ids: Collection[int] = (), user_ids: Collection[int] = ()) -> int:
        """Close the sockets opened with these tokens or by these users; how many were open."""
        tokens, users = frozenset(token_ids), frozenset(user_ids)
        ending = [s for s in self.subscribers if s.token_id in tokens or s.user_id in users]
        for subscriber in ending:
            subscriber.end_session()
        return len(ending)

    def add(self, subscriber: Subscriber) -> None:
        self.subscribers.add(subscriber)

    def remove(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)


def _segments(frames: Sequence[AgentFrame]) -> list[Sequence[AgentFrame]]:
    """Split before and after each personal frame: a membership change changes what the frames after it are
    shown to, and a personal event goes to one user's sockets, not through the shared bytes."""
    segments: list[Sequence[AgentFrame]] = []
    start = 0
    for index, frame in enumerate(frames):
        if frame.personal:
            if start < index:
                segments.append(frames[start:index])
            segments.append(frames[index : index + 1])
            start = index + 1
    if start < len(frames):
        segments.append(frames[start:])
    return segments


def _fan_out(
    frames: Sequence[AgentFrame],
    subscribers: Sequence[Subscriber],
    joined: dict[frozenset[int] | None, bytes],
) -> None:
    first_id, last_id = frames[0].id, frames[-1].id
    personal = frames[0].personal  # alone in its segment
    for subscriber in subscribers:
        if subscriber.closed:
            continue
        if subscriber._held is not None:
            subscriber.hold(frames)
            continue
        if personal or subscriber.writer is None or (first_id is not None and first_id <= subscriber.last_sent):
            subscriber.send_each(frames)
            continue
        # The fast path: the same bytes for everyone with the same visible inboxes, written without a layer
        # in between (this loop runs for every socket and page: see DirectWriter.transport).
        visible = subscriber.visible
        data = joined.get(visible)
        if data is None:
            data = joined[visible] = b"".join([frame.wire for frame in frames if frame.visible_to(visible)])
        if data:
            transport = subscriber.writer.transport
            if transport.is_closing():
                subscriber.closed = True
                continue
            transport.write(data)
            if transport.get_write_buffer_size() > subscriber.max_behind_bytes:
                subscriber._fall_behind()
        if last_id is not None:
            subscriber.last_sent = last_id
