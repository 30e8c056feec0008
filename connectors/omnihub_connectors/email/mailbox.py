"""Following a shared mailbox: every message imported once, whatever else reads the box.

Each folder is tracked by its UIDVALIDITY and the highest UID imported; the cursor moves in the same
transaction that stores the messages (``PullSink.commit``), so a crash repeats or loses nothing.
Flags are never relied on: another client marking mail read, or moving it back, changes nothing.

A folder whose UIDVALIDITY changed (the server was rebuilt or migrated) is scanned again from the
start; messages the inbox already has are recognised by their Message-ID before they are fetched.

Waiting costs next to nothing: with IDLE the server tells us about new mail (the idle is renewed
before the 29 minutes after which servers may drop it); without it, one STATUS per folder and poll.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from omnihub.channels.spi import PulledItem, PullSink
from omnihub.domain.backoff import backoff_delay
from omnihub_connectors.email.config import EmailConfig
from omnihub_connectors.email.imap_client import FetchedMail, FolderState, ImapClient, ImapError

logger = logging.getLogger(__name__)

Parse = Callable[[bytes, str], Awaitable[PulledItem]]
# How long a command may go without an answer (aioimaplib restarts the clock with every line received).
COMMAND_TIMEOUT_SECONDS = 120.0
# At most this many bytes of mail are fetched, held and stored at once: a batch of 50 messages of 50 MiB
# each would otherwise sit in memory together. A single larger message is fetched on its own.
MAX_BATCH_BYTES = 64 * 1024 * 1024


def source_key(folder: str, uidvalidity: int, uid: int) -> str:
    return f"{folder}/{uidvalidity}/{uid}"


class MailboxFollower:
    def __init__(self, config: EmailConfig, parse: Parse, *, inbox_id: int) -> None:
        self.config = config
        self.parse = parse
        self.inbox_id = inbox_id

    async def run(self, sink: PullSink) -> None:
        """Follow the folders until cancelled, reconnecting with backoff after any failure."""
        failures = 0
        while True:
            client = ImapClient(self.config.imap, ca_file=self.config.ca_file, timeout=COMMAND_TIMEOUT_SECONDS)
            try:
                await client.connect()
                failures = 0
                await self._follow(client, sink)
            except (ImapError, OSError, TimeoutError) as exc:
                failures += 1
                reason = str(exc) or type(exc).__name__
                logger.warning("inbox %s: mailbox %s: %s", self.inbox_id, self.config.imap.host, reason)
                for folder in self.config.imap.folders:
                    await sink.report(folder, {"state": "error"}, error=reason)
            finally:
                await client.logout()
            # 1 s, 2 s, 4 s ... up to 5 minutes, with jitter so that many inboxes don't retry in step.
            await asyncio.sleep(backoff_delay(failures, first=1.0, cap=300.0))

    async def _follow(self, client: ImapClient, sink: PullSink) -> None:
        folders = self.config.imap.folders
        seen: dict[str, FolderState] = {}
        for folder in folders:
            seen[folder] = await self.sync_folder(client, sink, folder)
        idle = client.has_capability("IDLE")
        watched = folders[0]
        while True:
            if idle:
                state = await client.select(watched)
                if not _same(state, seen[watched]):  # mail that came in since the last sync
                    await client.close_folder()
                    seen[watched] = await self.sync_folder(client, sink, watched)
                    continue
                # With other folders to poll, wake up for them too.
                wait = self.config.idle_seconds if len(folders) == 1 else self.config.poll_seconds
                changed = await client.idle(wait)
                await client.close_folder()
                if changed:
                    seen[watched] = await self.sync_folder(client, sink, watched)
                others = folders[1:]
            else:
                await asyncio.sleep(self.config.poll_seconds)
                others = folders
            for folder in others:
                if not _same(await client.status(folder), seen[folder]):
                    seen[folder] = await self.sync_folder(client, sink, folder)

    async def sync_folder(self, client: ImapClient, sink: PullSink, folder: str) -> FolderState:
        """Import what is new in ``folder``; return its state as it was when the sync began."""
        state = await client.select(folder)
        cursor = await sink.load_cursor(folder) or {}
        rescan = bool(cursor) and cursor.get("uidvalidity") != state.uidvalidity
        last_uid = 0 if rescan or not cursor else int(cursor.get("last_uid", 0))
        if not rescan and state.uidnext is not None and cursor.get("uidnext") == state.uidnext:
            await client.close_folder()
            return FolderState(state.uidvalidity, state.uidnext)
        if rescan:
            logger.warning(
                "inbox %s: %s changed UIDVALIDITY %s -> %s: scanning it again, known mail is skipped",
                self.inbox_id,
                folder,
                cursor.get("uidvalidity"),
                state.uidvalidity,
            )
        uids = await client.search_uids(last_uid, self.config.start_date)
        progress: dict[str, Any] = {"state": "syncing", "total": len(uids), "done": 0, "fetched": 0}
        if uids:
            await sink.report(folder, progress)
        for batch in await self._batches(client, uids):
            items = await self._fetch_items(client, sink, folder, state.uidvalidity, batch, skip_known=rescan)
            new_cursor = {"uidvalidity": state.uidvalidity, "last_uid": batch[-1]}
            await sink.commit(folder, new_cursor, items)
            await self._after_import(client, batch)
            progress["done"] += len(batch)
            progress["fetched"] += len(items)
            await sink.report(folder, progress)
        # Everything below UIDNEXT as it was when the sync began is now in: remember it, so that the
        # next check finds nothing to do without searching.
        final = {"uidvalidity": state.uidvalidity, "last_uid": max([last_uid, *uids]), "uidnext": state.uidnext}
        await sink.commit(folder, final, [])
        await sink.report(folder, {**progress, "state": "idle"})
        await client.close_folder()
        return FolderState(state.uidvalidity, state.uidnext)

    async def _batches(self, client: ImapClient, uids: list[int]) -> list[list[int]]:
        """``uids`` in batches of at most ``batch_size`` messages and MAX_BATCH_BYTES (sizes asked first)."""
        batches: list[list[int]] = []
        for start in range(0, len(uids), self.config.batch_size):
            chunk = uids[start : start + self.config.batch_size]
            sizes = await client.fetch_sizes(chunk)
            batches += split_by_bytes(chunk, sizes, self.config.max_message_bytes, MAX_BATCH_BYTES)
        return batches

    async def _fetch_items(
        self, client: ImapClient, sink: PullSink, folder: str, uidvalidity: int, uids: list[int], *, skip_known: bool
    ) -> list[PulledItem]:
        if skip_known:
            uids = await self._unknown_uids(client, sink, uids)
            if not uids:
                return []
        limit = self.config.max_message_bytes
        items = []
        for mail in await client.fetch(uids, max_bytes=limit):
            key = source_key(folder, uidvalidity, mail.uid)
            items.append(await self._item(mail, key, limit))
        return items

    async def _item(self, mail: FetchedMail, key: str, limit: int) -> PulledItem:
        if mail.size > limit:
            return PulledItem(
                source_key=key,
                raw=mail.raw,
                problem=f"message of {mail.size} bytes is larger than the limit of {limit} (first {limit} kept)",
            )
        return await self.parse(mail.raw, key)

    async def _unknown_uids(self, client: ImapClient, sink: PullSink, uids: list[int]) -> list[int]:
        headers = await client.fetch_message_ids(uids)
        ids = {uid: _message_id(raw) for uid, raw in headers.items()}
        known = await sink.known_dedupe_keys([i for i in ids.values() if i])
        return [uid for uid in uids if not ids.get(uid) or ids[uid] not in known]

    async def _after_import(self, client: ImapClient, uids: list[int]) -> None:
        try:
            if self.config.after_import == "mark_seen":
                await client.mark_seen(uids)
            elif self.config.after_import == "move" and self.config.move_to:
                await client.move(uids, self.config.move_to)
        except ImapError as exc:
            # The mail is imported already; a box that refuses flags or moves must not stop the import.
            logger.warning("inbox %s: after-import action failed: %s", self.inbox_id, exc)


def split_by_bytes(uids: list[int], sizes: dict[int, int], largest: int, budget: int) -> list[list[int]]:
    """Consecutive runs of ``uids`` whose sizes (each counted up to ``largest``) add up to at most ``budget``."""
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0
    for uid in uids:
        size = min(sizes.get(uid, largest), largest)  # unknown size: assume the worst
        if current and total + size > budget:
            batches.append(current)
            current, total = [], 0
        current.append(uid)
        total += size
    if current:
        batches.append(current)
    return batches


def _same(a: FolderState, b: FolderState) -> bool:
    return (a.uidvalidity, a.uidnext) == (b.uidvalidity, b.uidnext)


def _message_id(header_block: bytes) -> str | None:
    value = BytesHeaderParser(policy=compat32).parsebytes(header_block).get("Message-ID")
    if not value:
        return None
    text = str(value).strip()
    start, end = text.find("<"), text.find(">")
    return text[start + 1 : end].strip() if 0 <= start < end else text or None
