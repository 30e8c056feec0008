"""What the gateway writes to agents' sockets: one JSON frame, rendered once, and who may see it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from omnihub.realtime.direct_ws import text_frame


@dataclass(frozen=True, slots=True)
class MembershipChange:
    """An ``inbox.member_added`` / ``inbox.member_removed`` event: the user's sockets follow it at once."""

    added: bool
    inbox_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class AgentFrame:
    text: str
    # Members of any of these inboxes may see the frame (admins see every frame). Empty: admins only.
    inbox_ids: tuple[int, ...]
    id: int | None = None  # the event log's id; None for typing and presence, which are not resumable
    membership: MembershipChange | None = None  # also seen by the user whose membership changed
    recipient: int | None = None  # a personal event: that user's sockets only, whatever their inboxes
    wire: bytes = field(init=False, repr=False)  # the complete WebSocket frame, the same for every socket

    def __post_init__(self) -> None:
        object.__setattr__(self, "wire", text_frame(self.text.encode()))

    @property
    def personal(self) -> bool:
        """Shown by user rather than by inbox: a membership change or a personal event."""
        return self.membership is not None or self.recipient is not None

    def visible_to(self, visible_inboxes: frozenset[int] | None) -> bool:
        """By inbox (the fast path's question): never true of a personal event, which admins do not see either."""
        if self.recipient is not None:
            return False
        if visible_inboxes is None:
            return True
        return any(inbox_id in visible_inboxes for inbox_id in self.inbox_ids)


def signal_frame(signal_type: str, data: dict[str, Any], inbox_ids: tuple[int, ...], created_at: str) -> AgentFrame:
    """A typing or presence frame: like an event's, without an id."""
    text = json.dumps({"type": signal_type, "data": data, "created_at": created_at}, separators=(",", ":"))
    return AgentFrame(text, inbox_ids)


def control_text(frame_type: str, data: dict[str, Any]) -> str:
    """``ready``, ``resync_required``, ``error``: for one socket only."""
    return json.dumps({"type": frame_type, "data": data})


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
