"""A small Python client for the agents' WebSocket: connects, resumes after drops, yields events.

    async for event in follow_events("ws://127.0.0.1:8000/ws", token):
        print(event["id"], event["type"])

It remembers the last event id and reconnects with ``?since=`` after any drop, so a consumer sees
every event exactly once and in order, across disconnects and server restarts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from omnihub.domain.backoff import Backoff

CLOSE_RESYNC = 4001
CLOSE_SESSION_ENDED = 4003


class ResyncRequired(Exception):
    """The server's log no longer reaches back to our last id: reload state, then follow anew."""


class SessionEnded(Exception):
    """The token was revoked or expired, or its user deactivated: reconnecting with it cannot work."""


class EventFollower:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        since: int | None = None,
        origin: str | None = None,
        retry_seconds: float = 0.2,
        max_retry_seconds: float = 5.0,
    ) -> None:
        self.url = url
        self.token = token
        self.last_id = since
        self.origin = origin
        self.retry_seconds = retry_seconds
        self.max_retry_seconds = max_retry_seconds
        self.connections = 0
        self.ready = asyncio.Event()

    def _url(self) -> str:
        if self.last_id is None:
            return self.url
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}since={self.last_id}"

    async def events(self) -> AsyncIterator[dict[str, Any]]:
        backoff = Backoff(first=self.retry_seconds, cap=self.max_retry_seconds)
        while True:
            try:
                async with connect(
                    self._url(),
                    additional_headers={"Authorization": f"Bearer {self.token}"},
                    origin=self.origin,  # type: ignore[arg-type]
                    max_queue=None,
                    open_timeout=10,
                ) as socket:
                    self.connections += 1
                    backoff.reset()
                    async for raw in socket:
                        frame = json.loads(raw)
                        if frame.get("type") == "ready":
                            self.last_id = frame["data"]["last_id"]
                            self.ready.set()
                        elif frame.get("type") == "resync_required":
                            raise ResyncRequired(f"events after {self.last_id} are no longer kept")
                        elif "id" in frame:
                            self.last_id = frame["id"]
                            yield frame
            except InvalidStatus as exc:
                if exc.response.status_code in (401, 403):
                    raise
            except ConnectionClosed as closed:
                if closed.rcvd is not None and closed.rcvd.code == CLOSE_SESSION_ENDED:
                    raise SessionEnded(closed.rcvd.reason) from closed
            except (InvalidHandshake, OSError, TimeoutError):
                pass
            self.ready.clear()
            await asyncio.sleep(backoff.next_delay())


async def follow_events(url: str, token: str, *, since: int | None = None) -> AsyncIterator[dict[str, Any]]:
    async for event in EventFollower(url, token, since=since).events():
        yield event
