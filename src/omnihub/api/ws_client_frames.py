"""What an agent's client may send on ``/ws``: typing, viewing and presence.

    {"type": "typing", "conversation_id": 12, "on": true}
    {"type": "viewing", "conversation_id": 12}  (or null: no conversation open)
    {"type": "presence", "status": "away"}      (or "online")

Anything else, or a conversation the agent may not see, is answered with an ``error`` frame for this
socket only. A client may send a few frames per second (``_BURST`` at once, ``_PER_SECOND`` on
average); frames beyond that are dropped with an error, so one client cannot flood every node.
"""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi import WebSocket

from omnihub.api.ws_viewing import SocketViewing
from omnihub.domain.errors import DomainError
from omnihub.domain.events import SignalType
from omnihub.realtime.frames import control_text
from omnihub.realtime.gateway import Subscriber
from omnihub.runtime import Runtime
from omnihub.services.access import Actor
from omnihub.services.pagination import MAX_ID
from omnihub.services.signals import announce_typing, presence_status

_BURST = 10.0
_PER_SECOND = 2.0
# The same typing state for the same conversation again within this time is not passed on again.
_TYPING_REPEAT_SECONDS = 2.0


class ClientFrames:
    def __init__(self, runtime: Runtime, websocket: WebSocket, actor: Actor, subscriber: Subscriber) -> None:
        self.runtime = runtime
        self.websocket = websocket
        self.actor = actor
        self.subscriber = subscriber
        self._allowance = _BURST
        self._checked_at = time.monotonic()
        self._typing: dict[int, tuple[bool, float]] = {}
        self.viewing = SocketViewing(runtime, actor)

    async def follow(self) -> None:
        """Until the client closes (which this also notices at once); then what it had open is withdrawn."""
        try:
            await self._follow()
        finally:
            await self.viewing.close()

    async def _follow(self) -> None:
        while True:
            message = await self.websocket.receive()
            # A frame that arrives after the session ended (the socket is being closed) is not acted on.
            if message["type"] == "websocket.disconnect" or self.subscriber.ended:
                return
            if not self._allowed():
                self._error("too many frames: slow down")
                continue
            try:
                await self._handle(json.loads(message.get("text") or message.get("bytes") or b""))
            except (ValueError, TypeError, KeyError):
                self._error(
                    'expected {"type": "typing", "conversation_id": ..., "on": ...}, '
                    '{"type": "viewing", "conversation_id": ... or null} or {"type": "presence", "status": ...}'
                )
            except DomainError as exc:
                self._error(str(exc))

    async def _handle(self, frame: Any) -> None:
        kind = frame["type"]
        if kind == SignalType.TYPING:
            conversation_id, on = frame["conversation_id"], frame["on"]
            if not isinstance(conversation_id, int) or not 1 <= conversation_id <= MAX_ID or not isinstance(on, bool):
                raise TypeError("conversation_id must be an id (1 to 2^63-1), on a boolean")
            if self._repeated_typing(conversation_id, on):
                return
            async with self.runtime.sessions() as session:
                conversation = await announce_typing(session, self.actor, conversation_id=conversation_id, on=on)
            self.runtime.typing.forward(conversation, agent_name=self.actor.name, on=on)
        elif kind == SignalType.VIEWING:
            viewed = frame["conversation_id"]
            if viewed is not None and (type(viewed) is not int or not 1 <= viewed <= MAX_ID):
                raise TypeError("conversation_id must be an id (1 to 2^63-1) or null")
            await self.viewing.view(viewed)
        elif kind == SignalType.PRESENCE:
            self.runtime.presence.set_status(self.subscriber, presence_status(frame["status"]))
        else:
            raise KeyError(kind)

    def _repeated_typing(self, conversation_id: int, on: bool) -> bool:
        now = time.monotonic()
        previous = self._typing.get(conversation_id)
        if previous is not None and previous[0] == on and now - previous[1] < _TYPING_REPEAT_SECONDS:
            return True
        self._typing[conversation_id] = (on, now)
        if len(self._typing) > 100:  # a client typing in very many conversations: forget the oldest
            del self._typing[next(iter(self._typing))]
        return False

    def _allowed(self) -> bool:
        now = time.monotonic()
        self._allowance = min(_BURST, self._allowance + (now - self._checked_at) * _PER_SECOND)
        self._checked_at = now
        if self._allowance < 1:
            return False
        self._allowance -= 1
        return True

    def _error(self, detail: str) -> None:
        self.subscriber.send_control(control_text("error", {"detail": detail}))
