"""Typing and presence signals from every node (``services.signals``), handed to this node's agents; and
the news of ended sessions (``services.sessions``), which closes their sockets here."""

from __future__ import annotations

import json

from omnihub.domain.events import SignalType
from omnihub.realtime.frames import signal_frame
from omnihub.realtime.gateway import Gateway
from omnihub.realtime.presence import PresenceTracker
from omnihub.services.sessions import SESSIONS_ENDED


class SignalRelay:
    def __init__(self, gateway: Gateway, presence: PresenceTracker) -> None:
        self.gateway = gateway
        self.presence = presence

    def handle(self, payload: str) -> None:
        message = json.loads(payload)
        kind = message.get("kind")
        if kind == SignalType.TYPING:
            inbox_ids = tuple(int(i) for i in message["inbox_ids"])
            self.gateway.signal([signal_frame(SignalType.TYPING, message["data"], inbox_ids, message["created_at"])])
        elif kind == SESSIONS_ENDED:
            self.gateway.end_sessions(token_ids=message["token_ids"], user_ids=message["user_ids"])
        elif kind in ("presence", "presence_wanted"):
            self.presence.heard(message)
