"""uvicorn's WebSocket protocol, with a way for the gateway to write ready-made frames straight to the socket.

An event's frame is the same bytes for every agent (a server's frames are not masked, and ``/ws`` does
not compress), so the gateway frames it once and writes those bytes to each subscribed socket. Going
through ASGI instead would cost, per agent and event, an ASGI message, a coroutine and uvicorn's and
``websockets``' framing: more than the write itself.

ASGI does not expose the socket, so this protocol class offers it to the application as the scope
extension ``DIRECT_WRITE`` (an object with the ``DirectWriter`` methods). ``omnihub serve`` runs
uvicorn with this class; under any other ASGI server the extension is absent and the gateway falls
back to ASGI ``send``.

Every write to the socket, here and in uvicorn, is one whole frame (or several) in one
``transport.write`` call on the event loop's thread, so frames never interleave; a direct write is
refused once the closing handshake has begun, so nothing follows a close frame.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

import uvicorn
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

DIRECT_WRITE = "omnihub.direct_write"


class DirectWriter(Protocol):
    # For the gateway's hot loop: while ``transport.is_closing()`` is false, the connection is open and
    # whole frames may be written to it. (uvicorn closes the transport right after any close frame it
    # writes itself; an application's own close goes through ``close_behind`` or happens before it
    # writes directly.)
    transport: asyncio.Transport

    def write(self, frames: bytes) -> bool:
        """Queue whole frames for sending; False (and nothing written) once the connection is closing."""

    def buffered_bytes(self) -> int:
        """Bytes written but not yet taken by the operating system (the client is not reading them)."""

    async def drained(self) -> None:
        """Wait until the write buffer is below its high-water mark again."""

    def close_behind(self, code: int, reason: str) -> None:
        """Close at once, without waiting for the buffer to drain, and drop the connection if the client
        does not read its way to the close frame within the close timeout."""


def text_frame(payload: bytes) -> bytes:
    """A complete, unmasked, uncompressed WebSocket text frame."""
    return Frame(Opcode.TEXT, payload).serialize(mask=False)


class DirectWriteWebSocketProtocol(WebSocketsSansIOProtocol):
    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        # The application's task was created but has not run yet, so it sees the extension.
        scope = getattr(self, "scope", None)
        if scope is not None:
            writer: DirectWriter = self
            scope["extensions"][DIRECT_WRITE] = writer

    def write(self, frames: bytes) -> bool:
        if not self.handshake_complete or self.close_sent or self.conn.state is not State.OPEN:
            return False
        if self.transport.is_closing():
            return False
        self.transport.write(frames)
        return True

    def buffered_bytes(self) -> int:
        return self.transport.get_write_buffer_size()

    async def drained(self) -> None:
        await self.writable.wait()

    def close_behind(self, code: int, reason: str) -> None:
        if self.close_sent or self.conn.state is not State.OPEN or self.transport.is_closing():
            return
        # What uvicorn does for an ASGI "websocket.close", minus the wait for the buffer to drain.
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
        self.conn.send_close(code, reason)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        # abort, not close: close would wait for a buffer that a client which stopped reading never drains.
        self.close_timer = self.loop.call_later(self.close_timeout, self.transport.abort)


def uvicorn_config(app: Any, *, host: str, port: int, **options: Any) -> uvicorn.Config:
    """How the hub runs under uvicorn: direct writes on, compression off, small client frames.

    Compression would make each frame's bytes differ per connection (deflate keeps a context per
    connection) and cost CPU per agent and frame; events are small JSON. Clients only send typing and
    presence, so a frame of more than 64 KiB from one is refused (uvicorn's default is 16 MiB).
    """
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        ws=DirectWriteWebSocketProtocol,
        ws_per_message_deflate=False,
        ws_max_size=64 * 1024,
        **options,
    )
