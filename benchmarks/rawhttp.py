"""A lean HTTP/1.1 client for load generators: POSTs over a pool of keep-alive connections, and nothing else.

On a 2-core machine the load generator's CPU is taken from the server it measures. An ``httpx.AsyncClient``
with a pool costs about 3 ms of CPU per request here (the fan-out benchmark's sender used a third of a
core at 100 requests per second); this costs a few hundred microseconds. It speaks only what uvicorn
answers to a POST: a status line, headers with Content-Length, a body. No redirects, no chunked
bodies, no TLS.
"""

from __future__ import annotations

import asyncio
import contextlib


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the server closed the connection"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        length = 0
        for line in self.buffer[:end].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if len(self.buffer) < end + 4 + length:
            return
        status = int(self.buffer[9:12])
        body, self.buffer = self.buffer[end + 4 : end + 4 + length], self.buffer[end + 4 + length :]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((status, body))

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.transport is None or self.lost or self.transport.is_closing():
            raise ConnectionError("the connection is closed")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter


class KeepAlivePool:
    def __init__(self, host: str, port: int, *, headers: dict[str, str], max_connections: int = 64) -> None:
        self.host, self.port = host, port
        self.head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.idle: list[_Connection] = []
        self.slots = asyncio.Semaphore(max_connections)

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """Raises ConnectionError (or OSError) when the connection breaks: the caller may retry."""
        raw = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.head}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        async with self.slots:
            connection = self._idle_connection() or await self._open()
            status, answer = await connection.request(raw)
            if not connection.lost:
                self.idle.append(connection)
            return status, answer

    def _idle_connection(self) -> _Connection | None:
        # The server closes connections left idle for a while (uvicorn: after 5 s).
        while self.idle:
            connection = self.idle.pop()
            if not connection.lost:
                return connection
        return None

    async def _open(self) -> _Connection:
        _, connection = await asyncio.get_running_loop().create_connection(_Connection, self.host, self.port)
        return connection

    def close(self) -> None:
        for connection in self.idle:
            if connection.transport is not None:
                with contextlib.suppress(Exception):
                    connection.transport.close()
        self.idle.clear()
