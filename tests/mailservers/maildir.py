"""Writing many messages straight into a Maildir folder, far faster than appending them one by one."""

from __future__ import annotations

import itertools
import os
import secrets
import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

# IMAP system flags and the letters Maildir keeps them as, after ":2," in the file name.
MAILDIR_FLAG_LETTERS = {r"\Draft": "D", r"\Flagged": "F", r"\Answered": "R", r"\Seen": "S", r"\Deleted": "T"}

_batches = itertools.count(1)


def maildir_info(flags: Iterable[str]) -> str:
    try:
        return ":2," + "".join(sorted(MAILDIR_FLAG_LETTERS[flag] for flag in flags))
    except KeyError as error:
        raise ValueError(f"only system flags can be bulk loaded, not {error.args[0]}") from None


def write_messages(
    folder: Path,
    messages: Iterable[bytes],
    *,
    flags: Iterable[str] = (),
    date: datetime | None = None,
    owner: tuple[int, int] | None = None,
) -> int:
    """Write each message as a file in `folder`/cur; return how many.

    Dovecot gives new files their UIDs in the order of their names, so names follow the order of `messages`.
    Sizes are in the names (S= bytes on disk, W= with CRLF line ends) so Dovecot needs no stat or read to list them.
    """
    cur = folder / "cur"
    info = maildir_info(flags)
    now = int(time.time())
    unique = f"P{os.getpid()}Q{next(_batches)}.omnihub"
    mtime = date.timestamp() if date is not None else None
    count = 0
    for count, raw in enumerate(messages, start=1):
        index = count - 1
        virtual_size = len(raw) + raw.count(b"\n") - raw.count(b"\r\n")
        name = f"{now + index // 1_000_000}.M{index % 1_000_000:06d}{unique},S={len(raw)},W={virtual_size}{info}"
        fd = os.open(cur / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view) :]
            if owner is not None:
                os.fchown(fd, *owner)
            if mtime is not None:
                # Maildir keeps INTERNALDATE as the file's modification time.
                os.utime(fd, (mtime, mtime))
        finally:
            os.close(fd)
    return count


def make_dirs(path: Path, *, stop_at: Path, owner: tuple[int, int] | None) -> None:
    """mkdir -p `path`, handing each directory it creates below `stop_at` to `owner`."""
    missing = []
    while not path.exists() and path != stop_at:
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700)
        if owner is not None:
            os.chown(directory, *owner)


def bulk_messages(count: int, *, subject: str = "Bulk message", to: str = "support@omnihub.test") -> Iterator[bytes]:
    """`count` small, distinct text messages (unique Message-IDs), cheap enough to make 100,000 of."""
    run = secrets.token_hex(4)
    date = format_datetime(datetime.now().astimezone())
    for index in range(count):
        yield (
            f"Message-ID: <bulk-{run}-{index}@example.org>\n"
            f"Date: {date}\n"
            f"From: Customer {index} <customer{index}@example.org>\n"
            f"To: {to}\n"
            f"Subject: {subject} {index}\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "\n"
            f"Hello, this is message {index} of {count}.\n"
        ).encode()
