"""Who is online across all nodes, and telling this node's agents when that changes.

Each node knows its own connections. It announces (``services.signals.announce_presence``) a user's
status on this node when it changes, including "no connection here any more", and repeats the state
of all its users every ``heartbeat_seconds``. Every node, this one included, keeps what it hears per
(node, user) and lets an entry expire when it is not repeated for a few heartbeats: so an agent whose
node crashed goes offline too. A user's status is the most present one over all nodes: online on any
node is online, else away on any is away, else offline. A change of it is sent to this node's agents
who share an inbox with that user (admins: all).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from omnihub.db.engine import DATABASE_ERRORS, SessionFactory
from omnihub.domain.events import PresenceStatus, SignalType
from omnihub.realtime.frames import AgentFrame, now_iso, signal_frame
from omnihub.realtime.gateway import Gateway, Subscriber
from omnihub.services.signals import PresenceEntry, announce_presence, ask_for_presence

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Heard:
    status: PresenceStatus
    name: str
    inbox_ids: tuple[int, ...]
    expires_at: float


@dataclass(frozen=True, slots=True)
class _Shown:
    status: PresenceStatus
    name: str
    frame: AgentFrame


class PresenceTracker:
    def __init__(self, sessions: SessionFactory, gateway: Gateway, *, heartbeat_seconds: float = 10.0) -> None:
        self.node = uuid.uuid4().hex[:12]
        self.sessions = sessions
        self.gateway = gateway
        self.heartbeat_seconds = heartbeat_seconds
        self.expiry_seconds = heartbeat_seconds * 3.5
        # This node's connections, by user: each connection's own status.
        self._local: dict[int, dict[Subscriber, PresenceStatus]] = {}
        self._names: dict[int, str] = {}
        self._to_announce: set[int] = set()
        self._repeat_now = True
        self._wake = asyncio.Event()
        # What the nodes said, and what this node's agents were last told.
        self._heard: dict[tuple[str, int], _Heard] = {}
        self._nodes_of: dict[int, set[str]] = {}
        self._shown: dict[int, _Shown] = {}
        self._changed: set[int] = set()
        self._flush_scheduled = False

    # -- this node's connections ------------------------------------------------------------------

    def connected(self, subscriber: Subscriber, name: str) -> None:
        self._local.setdefault(subscriber.user_id, {})[subscriber] = PresenceStatus.ONLINE
        self._names[subscriber.user_id] = name
        self._announce_later(subscriber.user_id)

    def set_status(self, subscriber: Subscriber, status: PresenceStatus) -> None:
        connections = self._local.get(subscriber.user_id)
        if connections is not None and subscriber in connections and connections[subscriber] != status:
            connections[subscriber] = status
            self._announce_later(subscriber.user_id)

    def disconnected(self, subscriber: Subscriber) -> None:
        connections = self._local.get(subscriber.user_id)
        if connections is None or connections.pop(subscriber, None) is None:
            return
        if not connections:
            del self._local[subscriber.user_id]
        self._announce_later(subscriber.user_id)

    def listening_again(self) -> None:
        """This node's listener (re)connected: what others said meanwhile is unknown, so ask them to repeat."""
        self._repeat_now = True
        self._wake.set()

    def _announce_later(self, user_id: int) -> None:
        self._to_announce.add(user_id)
        self._wake.set()

    def _entry(self, user_id: int) -> PresenceEntry:
        connections = self._local.get(user_id)
        if not connections:
            return PresenceEntry(user_id, self._names.pop(user_id, ""), None, [])
        status = max(connections.values(), key=lambda s: s.rank)
        inbox_ids = sorted(set().union(*(s.member_of for s in connections)))
        return PresenceEntry(user_id, self._names.get(user_id, ""), status.value, inbox_ids)

    async def run(self) -> None:
        """Announce changes as they happen and the whole state every heartbeat; let silent entries expire."""
        loop = asyncio.get_running_loop()
        next_repeat = loop.time()
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, next_repeat - loop.time())):
                    await self._wake.wait()
            self._wake.clear()
            asking, self._repeat_now = self._repeat_now, False
            repeat = asking or loop.time() >= next_repeat
            users = set(self._local) if repeat else set()
            users |= self._to_announce
            self._to_announce = set()
            try:
                async with self.sessions() as session:
                    if asking:
                        await ask_for_presence(session, node=self.node)
                    if users:
                        await announce_presence(session, node=self.node, entries=[self._entry(u) for u in users])
            except DATABASE_ERRORS as exc:
                logger.warning("could not announce presence (%s); retrying", exc)
                self._to_announce |= {u for u in users if u in self._local}
                await asyncio.sleep(1.0)
            if repeat:
                next_repeat = loop.time() + self.heartbeat_seconds
                self._expire(loop.time())

    # -- what the nodes say ------------------------------------------------------------------------

    def heard(self, message: dict[str, Any]) -> None:
        """A presence signal from any node (this one too)."""
        if message.get("kind") == "presence_wanted":
            if message.get("node") != self.node:
                self._repeat_now = True
                self._wake.set()
            return
        node = str(message["node"])
        expires_at = asyncio.get_running_loop().time() + self.expiry_seconds
        for user in message["users"]:
            user_id = int(user["user_id"])
            if user["status"] is None:
                self._heard.pop((node, user_id), None)
                self._nodes_of.get(user_id, set()).discard(node)
            else:
                status = PresenceStatus(user["status"])
                self._heard[node, user_id] = _Heard(status, user["name"], tuple(user["inbox_ids"]), expires_at)
                self._nodes_of.setdefault(user_id, set()).add(node)
            self._changed.add(user_id)
        self._flush_soon()

    def _expire(self, now: float) -> None:
        for (node, user_id), heard in list(self._heard.items()):
            if heard.expires_at < now:
                del self._heard[node, user_id]
                self._nodes_of.get(user_id, set()).discard(node)
                self._changed.add(user_id)
        self._flush_soon()

    def _flush_soon(self) -> None:
        # Once per loop iteration: a burst of signals (many agents connecting) becomes one write per socket.
        if self._changed and not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        changed, self._changed = self._changed, set()
        frames = [frame for user_id in changed if (frame := self._recompute(user_id)) is not None]
        self.gateway.signal(frames)

    def _recompute(self, user_id: int) -> AgentFrame | None:
        """The user's presence frame if their status over all nodes changed."""
        heard = [self._heard[node, user_id] for node in self._nodes_of.get(user_id, ())]
        shown = self._shown.get(user_id)
        if heard:
            status = max(heard, key=lambda h: h.status.rank).status
            name = next((h.name for h in heard if h.name), "")
            inbox_ids = tuple(sorted(set().union(*(h.inbox_ids for h in heard))))
        elif shown is not None:
            self._nodes_of.pop(user_id, None)
            status, name, inbox_ids = PresenceStatus.OFFLINE, shown.name, shown.frame.inbox_ids
        else:
            return None
        if shown is not None and shown.status == status and shown.frame.inbox_ids == inbox_ids:
            return None
        data = {"user_id": user_id, "name": name, "status": status.value}
        frame = signal_frame(SignalType.PRESENCE, data, inbox_ids, now_iso())
        if status is PresenceStatus.OFFLINE:
            del self._shown[user_id]
        else:
            self._shown[user_id] = _Shown(status, name, frame)
        if shown is not None and shown.status == status:
            return None  # only who may see it changed: nothing to tell
        return frame

    def snapshot(self) -> list[AgentFrame]:
        """Everyone online or away now, for a socket that has just connected."""
        return [shown.frame for shown in self._shown.values()]
