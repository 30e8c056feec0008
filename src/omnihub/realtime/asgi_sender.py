"""Sending frames through ASGI, for servers without direct writes (see ``direct_ws``).

Frames wait in a queue and one task sends them one by one, each send waiting while the client does
not read. Slower than direct writes (a coroutine and ``websockets``' framing per frame and socket),
but it works under any ASGI server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)


class AsgiSender:
    def __init__(self, send: Callable[[dict[str, Any]], Awaitable[None]], close: Callable[[int, str], Awaitable[None]]):
        self._send = send
        self._close = close
        self._queue: deque[str] = deque()
        self.queued_bytes = 0
        self._sending: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None

    def behind_bytes(self) -> int:
        """What waits beyond the next frame to send: one large frame is not being behind."""
        return self.queued_bytes - len(self._queue[0]) if self._sending is None and self._queue else self.queued_bytes

    def put(self, texts: Iterable[str]) -> None:
        for text in texts:
            self._queue.append(text)
            self.queued_bytes += len(text)
        if self._sending is None and self._closing is None and self._queue:
            self._sending = asyncio.get_running_loop().create_task(self._send_queued())

    async def _send_queued(self) -> None:
        try:
            while self._queue:
                text = self._queue.popleft()
                self.queued_bytes -= len(text)
                await self._send({"type": "websocket.send", "text": text})
        except Exception as exc:  # the client went away; its socket's task notices and ends
            logger.debug("WebSocket send failed: %r", exc)
            self._queue.clear()
            self.queued_bytes = 0
        finally:
            self._sending = None

    def close_behind(self, code: int, reason: str) -> None:
        """Drop what waits and close (once the frame being sent, if any, is out)."""
        self._queue.clear()
        self.queued_bytes = 0
        if self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(self._close_after(self._sending, code, reason))

    async def _close_after(self, sending: asyncio.Task[None] | None, code: int, reason: str) -> None:
        if sending is not None:
            await asyncio.wait([sending])
        with contextlib.suppress(Exception):
            await self._close(code, reason)

    def stop(self) -> None:
        for task in (self._sending, self._closing):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
