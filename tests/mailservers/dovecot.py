"""A real Dovecot IMAP server with its own configuration in a temporary directory, listening on 127.0.0.1.

Usable without pytest (benchmarks): ``with DovecotServer.start() as dovecot: user = dovecot.create_user()``.
Nothing of the system's Dovecot (/etc/dovecot, its service, its ports) is read or touched.
"""

from __future__ import annotations

import atexit
import contextlib
import imaplib
import itertools
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.mailservers.certificates import TlsFiles, make_tls_files
from tests.mailservers.dovecot_config import Accounts, render_config
from tests.mailservers.maildir import make_dirs, write_messages
from tests.mailservers.processes import free_port, group_members, stop_process_group

_USER_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
_INDEX_FILES = ("dovecot-uidlist", "dovecot.index", "dovecot.index.log", "dovecot.index.log.2", "dovecot.index.cache")
_LIST_INDEX_FILES = ("dovecot.list.index", "dovecot.list.index.log", "dovecot.list.index.log.2")


@dataclass(frozen=True)
class MailUser:
    name: str
    password: str

    @property
    def address(self) -> str:
        return f"{self.name}@omnihub.test"


@dataclass(frozen=True)
class MailboxStatus:
    messages: int
    uidnext: int
    uidvalidity: int
    unseen: int


def _program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        raise RuntimeError(f"{name} not found: install Debian's dovecot-imapd")
    return found


def _memory_backed_temp_dir() -> str | None:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _name(user: MailUser | str) -> str:
    return user.name if isinstance(user, MailUser) else user


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uid_set(uids: Iterable[int] | None) -> str:
    return "1:*" if uids is None else ",".join(str(uid) for uid in uids)


def _check(response: tuple[str, Sequence[object]], what: str) -> Sequence[object]:
    status, data = response
    if status != "OK":
        raise RuntimeError(f"IMAP {what} failed: {status} {data!r}")
    return data


class DovecotServer:
    """One Dovecot instance: IMAP on `port` (plain, STARTTLS offered) and `tls_port` (implicit TLS)."""

    host = "127.0.0.1"

    def __init__(self, directory: Path, tls: TlsFiles, *, idle: bool, owns_directory: bool) -> None:
        self.directory = directory
        self.tls = tls
        self.idle = idle
        self.port = free_port()
        self.tls_port = free_port()
        self.config_path = directory / "dovecot.conf"
        self.log_path = directory / "dovecot.log"
        self.mail_root = directory / "mail"
        self._users = directory / "users"
        # Unix socket paths are limited to 108 bytes: the runtime directory stays short whatever `directory` is.
        self._base_dir = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self._owns_directory = owns_directory
        self._accounts = Accounts.for_this_process()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._user_numbers = itertools.count(1)

    @classmethod
    def start(cls, directory: Path | None = None, *, idle: bool = True, tls: TlsFiles | None = None) -> DovecotServer:
        """Configure and start a server in `directory` (a new temporary one by default).

        The default directory is in /dev/shm when there is one: creating 100,000 message files there takes
        seconds, on a busy disk it can take a minute. Running as root, the mail processes run as `nobody`, so a
        given `directory` must be reachable by others (tempfile.mkdtemp() is; pytest's tmp_path is not).
        `tls` defaults to a new test CA in the directory.
        """
        owns_directory = directory is None
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="omnihub-dovecot-", dir=_memory_backed_temp_dir()))
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o755)
        server = cls(directory, tls or make_tls_files(directory / "tls"), idle=idle, owns_directory=owns_directory)
        try:
            server._check_reachable()
            server._write_configuration()
            server.start_again()
        except BaseException:
            server.close()
            raise
        return server

    # -- lifecycle ---------------------------------------------------------------------------------------------

    def start_again(self) -> None:
        """Start the (stopped) server with the same configuration, ports and mail."""
        if self._process is not None:
            raise RuntimeError("Dovecot is already running")
        with (self.directory / "dovecot.stderr").open("ab") as stderr:
            self._process = subprocess.Popen(
                [_program("dovecot"), "-F", "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                # A process group of its own, so that stopping it can reach every process it forked.
                start_new_session=True,
            )
        _running.add(self)
        self._wait_until_ready()

    def stop(self) -> None:
        """Shut the server down (as an administrator would) and wait until all its processes are gone."""
        self._end(kill=False)

    def kill(self) -> None:
        """SIGKILL the server and all its processes, as a crash would."""
        self._end(kill=True)

    def restart(self) -> None:
        self.stop()
        self.start_again()

    def pids(self) -> set[int]:
        """The master's pid and those of all its processes (empty when stopped)."""
        return set() if self._process is None else group_members(self._process.pid)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        """Stop the server and delete what it created (its directory, when it made it).

        A server whose directory goes away is killed: a graceful stop takes Dovecot a second.
        """
        self._end(kill=self._owns_directory)
        shutil.rmtree(self._base_dir, ignore_errors=True)
        if self._owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _end(self, *, kill: bool) -> None:
        process, self._process = self._process, None
        _running.discard(self)
        if process is not None:
            stop_process_group(process, kill=kill)

    def _wait_until_ready(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                self._process = None
                _running.discard(self)
                raise RuntimeError(f"Dovecot exited at start:\n{self._logs()}")
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    socket.create_connection((self.host, self.tls_port), timeout=1).close()
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"Dovecot did not answer on port {self.port}:\n{self._logs()}")
            time.sleep(0.02)

    def _logs(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-4000:]
            for path in (self.directory / "dovecot.stderr", self.log_path)
            if path.exists()
        )

    def _check_reachable(self) -> None:
        if not self._accounts.privileged:
            return
        for path in (self.directory, *self.directory.parents):
            if not path.stat().st_mode & 0o001:
                raise ValueError(f"{path} is not searchable by others: Dovecot's mail user could not reach {self}")

    def _write_configuration(self) -> None:
        self.mail_root.mkdir(exist_ok=True)
        if self._accounts.owner is not None:
            os.chown(self.mail_root, *self._accounts.owner)
        self._users.mkdir(mode=0o755, exist_ok=True)
        (self.directory / "state").mkdir(exist_ok=True)
        self.config_path.write_text(
            render_config(
                host=self.host,
                port=self.port,
                tls_port=self.tls_port,
                directory=self.directory,
                base_dir=self._base_dir,
                mail_root=self.mail_root,
                users=self._users,
                accounts=self._accounts,
                tls=self.tls,
                idle=self.idle,
            )
        )

    # -- users and mailboxes -----------------------------------------------------------------------------------

    def create_user(self, name: str | None = None, password: str | None = None) -> MailUser:
        """A new mailbox owner; by default with a unique name and a random password."""
        with self._lock:
            name = name or f"user{next(self._user_numbers)}-{secrets.token_hex(3)}"
            if not _USER_NAME.fullmatch(name):
                raise ValueError(f"user names here are [a-z0-9._-]: {name!r}")
            user = MailUser(name, password or secrets.token_hex(8))
            # One passwd-file per user: Dovecot rereads a changed passwd-file at most once a second, and
            # a user added within that second would not exist yet.
            passwd = self._users / user.name
            if passwd.exists():
                raise ValueError(f"user {name} exists")
            passwd.write_text(f"{user.name}:{{PLAIN}}{user.password}::::::\n")
            passwd.chmod(0o644)
        return user

    def ssl_context(self) -> ssl.SSLContext:
        """A client SSL context that trusts this server's test CA."""
        return self.tls.client_context()

    def doveadm(self, *args: str) -> str:
        result = subprocess.run(
            [_program("doveadm"), "-c", str(self.config_path), *args], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def status(self, user: MailUser | str, folder: str = "INBOX") -> MailboxStatus:
        fields = "messages uidnext uidvalidity unseen"
        out = self.doveadm("-f", "tab", "mailbox", "status", "-u", _name(user), fields, folder)
        names, values = (line.split("\t") for line in out.splitlines()[:2])
        row = dict(zip(names, values, strict=True))
        return MailboxStatus(*(int(row[field]) for field in fields.split()))

    def uids(self, user: MailUser | str, folder: str = "INBOX") -> list[int]:
        out = self.doveadm("search", "-u", _name(user), "mailbox", folder, "all")
        return [int(line.split()[1]) for line in out.splitlines()]

    def folder_path(self, user: MailUser | str, folder: str = "INBOX") -> Path:
        return Path(self.doveadm("mailbox", "path", "-u", _name(user), folder).strip())

    def create_folder(self, user: MailUser | str, folder: str) -> None:
        """Create `folder` (and its parents) unless it exists."""
        try:
            self.doveadm("mailbox", "create", "-u", _name(user), folder)
        except RuntimeError as error:
            if "already exists" not in str(error):
                raise

    def kick(self, user: MailUser | str, timeout: float = 10.0) -> None:
        """Disconnect every IMAP session of `user` and wait until they are gone."""
        name = _name(user)
        with contextlib.suppress(RuntimeError):  # doveadm kick fails when nobody was connected
            self.doveadm("kick", name)
        deadline = time.monotonic() + timeout
        while len(self.doveadm("who", "-1", name).strip().splitlines()) > 1:  # a header, then one line a session
            if time.monotonic() > deadline:
                raise RuntimeError(f"sessions of {name} did not end")
            time.sleep(0.02)

    # -- filling mailboxes -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def imap(self, user: MailUser) -> Iterator[imaplib.IMAP4]:
        """A logged-in standard-library IMAP connection: another mail client on the same box."""
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            _check(client.login(user.name, user.password), "LOGIN")
            yield client
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                client.logout()

    def append(
        self,
        user: MailUser,
        raw: bytes,
        folder: str = "INBOX",
        flags: Iterable[str] = (),
        date: datetime | None = None,
    ) -> int:
        """APPEND one message over IMAP (creating the folder if needed); return its UID."""
        self.create_folder(user, folder)
        with self.imap(user) as client:
            internal_date = imaplib.Time2Internaldate(date) if date is not None else None
            data = _check(client.append(_quote(folder), f"({' '.join(flags)})", internal_date, raw), "APPEND")
        match = re.search(rb"APPENDUID \d+ (\d+)", data[0] if isinstance(data[0], bytes) else b"")
        if match is None:
            raise RuntimeError(f"no APPENDUID in {data!r}")
        return int(match[1])

    def bulk_load(
        self,
        user: MailUser | str,
        messages: Iterable[bytes],
        folder: str = "INBOX",
        *,
        flags: Iterable[str] = (),
        date: datetime | None = None,
    ) -> MailboxStatus:
        """Write `messages` straight into the folder's Maildir, then let Dovecot index them (UIDs in order)."""
        self.create_folder(user, folder)
        path = self.folder_path(user, folder)
        owner = self._accounts.owner
        for sub in ("cur", "new", "tmp"):
            make_dirs(path / sub, stop_at=self.mail_root, owner=owner)
        write_messages(path, messages, flags=flags, date=date, owner=owner)
        return self.status(user, folder)

    def reset_uidvalidity(
        self, user: MailUser | str, folder: str = "INBOX", *, next_uid: int = 1, uidvalidity: int | None = None
    ) -> int:
        """Rebuild the folder as a server migration would: same messages, a new UIDVALIDITY, UIDs from `next_uid`.

        `uidvalidity` chooses it (e.g. another mailbox's, as two servers may happen to use the same one).

        Open sessions of the user are disconnected first. Returns the new UIDVALIDITY.
        """
        before = self.status(user, folder)
        self.kick(user)
        path = self.folder_path(user, folder)
        for directory, names in ((path, _INDEX_FILES), (self.mail_root / _name(user) / "Maildir", _LIST_INDEX_FILES)):
            for index_file in names:
                (directory / index_file).unlink(missing_ok=True)
        uidvalidity = uidvalidity or max(before.uidvalidity + 1, int(time.time()))
        uidlist = path / "dovecot-uidlist"
        # Header of an empty Maildir UID list: version 3, UIDVALIDITY, next UID, mailbox GUID.
        uidlist.write_text(f"3 V{uidvalidity} N{next_uid} G{uuid.uuid4().hex}\n")
        if self._accounts.owner is not None:
            os.chown(uidlist, *self._accounts.owner)
        after = self.status(user, folder)
        if after.uidvalidity != uidvalidity or after.messages != before.messages:
            raise RuntimeError(f"UIDVALIDITY reset went wrong: {before} -> {after}")
        return uidvalidity

    # -- another mail client at work ---------------------------------------------------------------------------

    def set_flags(
        self,
        user: MailUser,
        folder: str = "INBOX",
        flags: Iterable[str] = (r"\Seen",),
        uids: Iterable[int] | None = None,
        *,
        remove: bool = False,
    ) -> None:
        """Add (or remove) flags on the messages with `uids` (all by default)."""
        with self.imap(user) as client:
            _check(client.select(_quote(folder)), "SELECT")
            change = "-FLAGS.SILENT" if remove else "+FLAGS.SILENT"
            _check(client.uid("STORE", _uid_set(uids), change, f"({' '.join(flags)})"), "STORE")

    def mark_seen(self, user: MailUser, folder: str = "INBOX", uids: Iterable[int] | None = None) -> None:
        self.set_flags(user, folder, (r"\Seen",), uids)

    def delete_messages(self, user: MailUser, folder: str = "INBOX", uids: Iterable[int] | None = None) -> None:
        """Flag \\Deleted and expunge the messages (all by default)."""
        uid_set = _uid_set(uids)
        with self.imap(user) as client:
            _check(client.select(_quote(folder)), "SELECT")
            _check(client.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
            _check(client.uid("EXPUNGE", uid_set), "UID EXPUNGE")

    def move_messages(
        self, user: MailUser, destination: str, folder: str = "INBOX", uids: Iterable[int] | None = None
    ) -> None:
        self.create_folder(user, destination)
        with self.imap(user) as client:
            _check(client.select(_quote(folder)), "SELECT")
            _check(client.uid("MOVE", _uid_set(uids), _quote(destination)), "UID MOVE")

    def __repr__(self) -> str:
        return f"<DovecotServer {self.host}:{self.port} tls:{self.tls_port} in {self.directory}>"


_running: set[DovecotServer] = set()


@atexit.register
def _stop_forgotten_servers() -> None:
    for server in list(_running):
        server.stop()
