"""A TCP proxy in front of an IMAP server that counts the commands a client sends and the bytes each way.

It runs its own event loop in a thread, so it measures a client on any loop (or none) and needs no pytest:
``with ImapCommandCounter.start(dovecot.host, dovecot.port) as counter: ...connect to counter.port...``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Coroutine
from typing import Any

_LITERAL = re.compile(rb"~?\{(\d+)\+?\}$")


class ImapCommandParser:
    """Splits a client's byte stream into IMAP commands, skipping literals (message bodies, quoted strings)."""

    def __init__(self, commands: list[str]) -> None:
        self.commands = commands
        self._buffer = bytearray()
        self._literal_left = 0
        self._continues_command = False
        # After STARTTLS the stream is TLS records: only bytes are counted from then on.
        self.encrypted = False

    def feed(self, data: bytes) -> None:
        if self.encrypted:
            return
        self._buffer += data
        while self._buffer:
            if self._literal_left:
                taken = min(self._literal_left, len(self._buffer))
                del self._buffer[:taken]
                self._literal_left -= taken
                continue
            end = self._buffer.find(b"\r\n")
            if end < 0:
                return
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 2]
            if not self._continues_command:
                self._record(line)
            literal = _LITERAL.search(line)
            self._literal_left = int(literal[1]) if literal else 0
            self._continues_command = literal is not None

    def _record(self, line: bytes) -> None:
        words = line.split(b" ", 3)
        if len(words) == 1:
            # DONE ends an IDLE; any other one-word line answers an AUTHENTICATE challenge.
            if words[0].upper() == b"DONE":
                self.commands.append("DONE")
            return
        name = words[1].upper()
        if name == b"UID" and len(words) > 2:
            name += b" " + words[2].upper()
        self.commands.append(name.decode("ascii", "replace"))
        if name == b"STARTTLS":
            self.encrypted = True
            self._buffer.clear()


class ImapCommandCounter:
    """Counts, over every connection made to `port`: `commands` (names such as "LOGIN", "UID FETCH", "DONE"),
    `bytes_from_client`, `bytes_from_server` and `connections`. A client's command is counted before the server
    sees it, and a response before the client does, so the figures are complete once the client's call returns.
    """

    host = "127.0.0.1"

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.port = 0
        self.commands: list[str] = []
        self.bytes_from_client = 0
        self.bytes_from_server = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="imap-command-counter", daemon=True)
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[Any]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @classmethod
    def start(cls, target_host: str, target_port: int) -> ImapCommandCounter:
        counter = cls(target_host, target_port)
        counter._thread.start()
        counter._call(counter._listen())
        return counter

    def reset(self) -> None:
        """Forget what was counted so far (connections stay open)."""
        self.commands.clear()
        self.bytes_from_client = self.bytes_from_server = self.connections = 0

    def close(self) -> None:
        """Close the listener and every proxied connection, then stop the thread."""
        if self._thread.is_alive():
            self._call(self._shut_down())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop.close()

    def __enter__(self) -> ImapCommandCounter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, self.host, 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _shut_down(self) -> None:
        assert self._server is not None
        self._server.close()
        # Closing the sockets ends every pump, and so every connection's handler, without cancelling anything.
        for writer in list(self._writers):
            writer.close()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        handler = asyncio.current_task()
        assert handler is not None
        self._handlers.add(handler)
        self.connections += 1
        writers = [client_writer]
        self._writers.add(client_writer)
        try:
            server_reader, server_writer = await asyncio.open_connection(self.target_host, self.target_port)
            writers.append(server_writer)
            self._writers.add(server_writer)
            pumps = {
                asyncio.create_task(self._pump(client_reader, server_writer, ImapCommandParser(self.commands))),
                asyncio.create_task(self._pump(server_reader, client_writer, None)),
            }
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            # One side hung up: hang up the other, which ends the other pump.
            for writer in writers:
                writer.close()
            await asyncio.gather(*pumps, return_exceptions=True)
        except OSError:
            pass
        finally:
            for writer in writers:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
                self._writers.discard(writer)
            self._handlers.discard(handler)

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, parser: ImapCommandParser | None
    ) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                if parser is None:
                    self.bytes_from_server += len(data)
                else:
                    self.bytes_from_client += len(data)
                    parser.feed(data)
                writer.write(data)
                await writer.drain()
