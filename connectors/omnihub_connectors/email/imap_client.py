"""The few IMAP commands the mailbox follower needs, on top of aioimaplib.

aioimaplib speaks the protocol; this adds what it leaves out: STARTTLS, mailbox-name encoding,
parsing of SELECT/STATUS/SEARCH/FETCH answers, and noticing a dropped connection while idling.
"""

from __future__ import annotations

import asyncio
import base64
import re
import ssl
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import aioimaplib

from omnihub_connectors.email.config import ImapSettings, Security

_T = TypeVar("_T")


class ImapError(Exception):
    """The server refused a command or the connection broke."""


@dataclass(frozen=True, slots=True)
class FolderState:
    uidvalidity: int
    uidnext: int | None
    exists: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedMail:
    uid: int
    size: int
    raw: bytes  # at most the requested number of bytes: compare with ``size``


def encode_mailbox(name: str) -> str:
    """A folder name as an IMAP astring: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    encoded = "".join(out)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_UIDNEXT = re.compile(rb"UIDNEXT (\d+)")
_EXISTS = re.compile(rb"^(\d+) EXISTS")
_FETCH_START = re.compile(rb"^\d+ FETCH \(")
_FETCH_UID = re.compile(rb"UID (\d+)")
_FETCH_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file)


class ImapClient:
    def __init__(self, settings: ImapSettings, *, ca_file: str | None = None, timeout: float = 60.0) -> None:
        self.settings = settings
        self.ca_file = ca_file
        self.timeout = timeout
        self.lost = asyncio.Event()
        self._imap: aioimaplib.IMAP4 | None = None

    @property
    def imap(self) -> aioimaplib.IMAP4:
        if self._imap is None:
            raise ImapError("not connected")
        return self._imap

    def has_capability(self, name: str) -> bool:
        return bool(self.imap.has_capability(name))

    async def connect(self) -> None:
        settings = self.settings
        context = _tls_context(self.ca_file) if settings.security is Security.TLS else None
        self._imap = aioimaplib.IMAP4(
            host=settings.host,
            port=settings.port,
            timeout=self.timeout,
            conn_lost_cb=lambda exc: self.lost.set(),
            ssl_context=context,
        )
        try:
            await self.imap.wait_hello_from_server()
            if settings.security is Security.STARTTLS:
                await self._starttls()
            response = await self.imap.login(settings.username, settings.password)
        except (OSError, TimeoutError, ssl.SSLError, aioimaplib.AioImapException) as exc:
            raise ImapError(f"cannot connect to {settings.host}:{settings.port}: {exc or type(exc).__name__}") from exc
        if response.result != "OK":
            raise ImapError(f"login refused: {_text(response)}")

    async def _starttls(self) -> None:
        protocol = self.imap.protocol
        if "STARTTLS" not in protocol.capabilities:
            raise ImapError("the server does not offer STARTTLS")
        command = aioimaplib.Command("STARTTLS", protocol.new_tag(), loop=protocol.loop)
        response = await asyncio.wait_for(protocol.execute(command), self.timeout)
        if response.result != "OK":
            raise ImapError(f"STARTTLS refused: {_text(response)}")
        loop = asyncio.get_running_loop()
        protocol.transport = await loop.start_tls(
            protocol.transport, protocol, _tls_context(self.ca_file), server_hostname=self.settings.host
        )
        await asyncio.wait_for(protocol.capability(), self.timeout)  # they may differ after TLS (RFC 3501 6.2.1)

    async def logout(self) -> None:
        """Say goodbye if the server still listens; close the connection in any case."""
        imap, self._imap = self._imap, None
        if imap is None:
            return
        try:
            if not self.lost.is_set():
                await asyncio.wait_for(imap.logout(), 2)
        except (aioimaplib.AioImapException, OSError, TimeoutError):
            pass
        finally:
            transport = imap.protocol.transport
            if transport is not None:
                transport.close()

    async def select(self, folder: str) -> FolderState:
        response = await self._call(self.imap.select(encode_mailbox(folder)))
        _check(response, f"SELECT {folder}")
        text = b"\n".join(line for line in response.lines if isinstance(line, bytes))
        validity = _UIDVALIDITY.search(text)
        if validity is None:
            raise ImapError(f"the server gave no UIDVALIDITY for {folder}")
        uidnext = _UIDNEXT.search(text)
        exists = next((int(m.group(1)) for line in response.lines if (m := _EXISTS.match(line))), None)
        return FolderState(int(validity.group(1)), int(uidnext.group(1)) if uidnext else None, exists)

    async def status(self, folder: str) -> FolderState:
        response = await self._call(self.imap.status(encode_mailbox(folder), "(UIDVALIDITY UIDNEXT MESSAGES)"))
        _check(response, f"STATUS {folder}")
        text = b" ".join(line for line in response.lines if isinstance(line, bytes))
        validity, uidnext = _UIDVALIDITY.search(text), _UIDNEXT.search(text)
        if validity is None:
            raise ImapError(f"the server gave no UIDVALIDITY for {folder}")
        return FolderState(int(validity.group(1)), int(uidnext.group(1)) if uidnext else None)

    async def close_folder(self) -> None:
        _check(await self._call(self.imap.close()), "CLOSE")

    async def search_uids(self, after_uid: int, since: date | None) -> list[int]:
        """UIDs above ``after_uid`` in the selected folder, ascending."""
        criteria = [f"UID {after_uid + 1}:*"]
        if since is not None:
            criteria.append("SINCE " + since.strftime("%d-%b-%Y"))
        response = await self._call(self.imap.uid_search(*criteria, charset=None))
        _check(response, "UID SEARCH")
        uids: set[int] = set()
        # aioimaplib hands over "* SEARCH 1 2 3" as b"1 2 3"; the last line is the tagged status.
        for line in response.lines[:-1]:
            if isinstance(line, bytes):
                uids.update(int(token) for token in line.split() if token.isdigit())
        # "n:*" always matches the highest UID, even when it is below n.
        return sorted(uid for uid in uids if uid > after_uid)

    async def fetch(self, uids: list[int], *, max_bytes: int) -> list[FetchedMail]:
        parts = f"(UID RFC822.SIZE BODY.PEEK[]<0.{max_bytes}>)"
        response = await self._call(self.imap.uid("fetch", _uid_set(uids), parts))
        _check(response, "UID FETCH")
        return _parse_fetch(response.lines)

    async def fetch_sizes(self, uids: list[int]) -> dict[int, int]:
        """Each message's size (RFC822.SIZE) as the server states it, without fetching any body."""
        response = await self._call(self.imap.uid("fetch", _uid_set(uids), "(UID RFC822.SIZE)"))
        _check(response, "UID FETCH")
        sizes: dict[int, int] = {}
        for line in response.lines:
            if isinstance(line, bytes) and (uid := _FETCH_UID.search(line)) and (size := _FETCH_SIZE.search(line)):
                sizes[int(uid.group(1))] = int(size.group(1))
        return sizes

    async def fetch_message_ids(self, uids: list[int]) -> dict[int, bytes]:
        """The raw Message-ID header of each message, for recognising mail without fetching it."""
        parts = "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
        response = await self._call(self.imap.uid("fetch", _uid_set(uids), parts))
        _check(response, "UID FETCH")
        return {mail.uid: mail.raw for mail in _parse_fetch(response.lines)}

    async def mark_seen(self, uids: list[int]) -> None:
        _check(await self._call(self.imap.uid("store", _uid_set(uids), "+FLAGS.SILENT", r"(\Seen)")), "UID STORE")

    async def move(self, uids: list[int], folder: str) -> None:
        _check(await self._call(self.imap.uid("move", _uid_set(uids), encode_mailbox(folder))), "UID MOVE")

    async def idle(self, seconds: float) -> bool:
        """Wait in IDLE up to ``seconds`` for the selected folder to change; True if it did."""
        idle = await self._call(self.imap.idle_start(timeout=seconds))
        changed = False
        try:
            while self.imap.has_pending_idle():
                lines = await self._call(self.imap.wait_server_push(timeout=seconds + 10))
                if lines == aioimaplib.STOP_WAIT_SERVER_PUSH:
                    break
                if any(isinstance(line, bytes) and (b"EXISTS" in line or b"EXPUNGE" in line) for line in lines):
                    changed = True
                    break
        finally:
            if self.lost.is_set():
                idle.cancel()
            else:
                if self.imap.has_pending_idle():
                    self.imap.idle_done()
                await self._call(asyncio.wait_for(idle, self.timeout))
        return changed

    async def _call(self, awaitable: Awaitable[_T]) -> _T:
        """Await a command, or fail at once when the connection drops (aioimaplib would wait for its timeout)."""
        if self.lost.is_set():
            if asyncio.iscoroutine(awaitable):
                awaitable.close()
            raise ImapError("connection lost")
        command = asyncio.ensure_future(awaitable)
        lost = asyncio.ensure_future(self.lost.wait())
        try:
            await asyncio.wait({command, lost}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost.cancel()
            if not command.done():  # the connection dropped, or we are being cancelled
                command.cancel()
        if command.cancelled():
            raise ImapError("connection lost")
        return command.result()


def _uid_set(uids: list[int]) -> str:
    """``1,2,3,7`` as ``1:3,7``: short commands for long runs of consecutive UIDs."""
    ranges: list[str] = []
    start = previous = uids[0]
    for uid in [*uids[1:], -1]:
        if uid == previous + 1:
            previous = uid
            continue
        ranges.append(str(start) if start == previous else f"{start}:{previous}")
        start = previous = uid
    return ",".join(ranges)


def _parse_fetch(lines: list[bytes | bytearray]) -> list[FetchedMail]:
    """Each ``n FETCH (UID u RFC822.SIZE s BODY[...] {k}`` line, its literal, and the line closing it."""
    mails: list[FetchedMail] = []
    for index, line in enumerate(lines):
        if not isinstance(line, bytes) or not _FETCH_START.match(line):
            continue
        literal = lines[index + 1] if index + 1 < len(lines) and isinstance(lines[index + 1], bytearray) else None
        after = lines[index + 2] if literal is not None and index + 2 < len(lines) else b""
        header = line + b" " + bytes(after) if isinstance(after, bytes) else line
        uid, size = _FETCH_UID.search(header), _FETCH_SIZE.search(header)
        if uid is None:
            continue
        raw = bytes(literal) if literal is not None else b""
        mails.append(FetchedMail(int(uid.group(1)), int(size.group(1)) if size else len(raw), raw))
    return mails


def _text(response: aioimaplib.Response) -> str:
    last = response.lines[-1] if response.lines else b""
    return bytes(last).decode(errors="replace")


def _check(response: aioimaplib.Response, what: str) -> None:
    if response.result != "OK":
        raise ImapError(f"{what} failed: {_text(response)}")
