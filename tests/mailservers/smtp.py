"""An SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts, and fails on request.

Usable without pytest: ``with SmtpSink.start(security="starttls", username="u", password="p") as sink: ...``.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.mailservers.certificates import TlsFiles, make_tls_files
from tests.mailservers.processes import free_port

Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    recipients: list[str]
    raw: bytes  # as received (CRLF line ends)
    message: EmailMessage
    # The AUTH login the client gave, None without AUTH; whether the session was encrypted.
    login: str | None
    over_tls: bool


class SmtpSink:
    """Accepts mail into `received`. Failures to inject: `reject_recipients` (550 at RCPT), `fail_next()`
    (a temporary 451, or any code, at the end of DATA) and `drop_next()` (the connection cut at the end of DATA,
    with no answer and nothing kept).
    """

    host = "127.0.0.1"

    def __init__(self, security: Security, tls: TlsFiles | None, username: str | None, password: str | None) -> None:
        self.security = security
        self.tls = tls
        self.username = username
        self.password = password
        self.port = free_port()
        self.received: list[ReceivedMail] = []
        self.reject_recipients: set[str] = set()
        self._lock = threading.Lock()
        self._failures: list[tuple[int, str]] = []
        self._drops = 0
        self._controller: Controller | None = None
        self._temporary: tempfile.TemporaryDirectory[str] | None = None

    @classmethod
    def start(
        cls,
        *,
        security: Security = "none",
        tls: TlsFiles | None = None,
        username: str | None = None,
        password: str | None = None,
    ) -> SmtpSink:
        """Start a sink. With `username` and `password`, AUTH PLAIN/LOGIN is offered (without TLS too) and
        MAIL is refused (530) until the client authenticates. `tls` defaults to a new test CA for "starttls"/"tls".
        """
        sink = cls(security, tls, username, password)
        if security != "none" and sink.tls is None:
            sink._temporary = tempfile.TemporaryDirectory(prefix="omnihub-smtp-tls-")
            sink.tls = make_tls_files(Path(sink._temporary.name))
        server_context = sink.tls.server_context() if sink.tls is not None and security != "none" else None
        sink._controller = Controller(
            _Handler(sink),
            hostname=sink.host,
            port=sink.port,
            server_hostname="localhost",
            ssl_context=server_context if security == "tls" else None,
            tls_context=server_context if security == "starttls" else None,
            authenticator=sink._authenticate if username is not None else None,
            auth_require_tls=False,
        )
        sink._controller.start()
        return sink

    def close(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
            # aiosmtpd stops its loop without closing connections still in their TLS goodbye; left alone,
            # they are reported as unclosed whenever the garbage collector next runs, in whatever test that is.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                gc.collect()
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    def __enter__(self) -> SmtpSink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fail_next(self, count: int = 1, code: int = 451, text: str = "4.3.0 Try again later") -> None:
        """Answer `code` at the end of DATA for the next `count` messages (451: temporary; 5xx: permanent)."""
        with self._lock:
            self._failures.extend([(code, text)] * count)

    def drop_next(self, count: int = 1) -> None:
        """Cut the connection, without an answer, at the end of DATA for the next `count` messages."""
        with self._lock:
            self._drops += count

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """Block until at least `count` messages arrived; return them."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.received)} of {count} messages arrived")
            time.sleep(0.01)
        return list(self.received)

    async def arrivals(self, count: int) -> list[ReceivedMail]:
        """Wait, without blocking the event loop, until at least `count` messages arrived (bound it with
        asyncio.timeout); return them."""
        while len(self.received) < count:  # noqa: ASYNC110 - messages arrive on the server's thread, not this loop
            await asyncio.sleep(0.01)
        return list(self.received)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.username
            and auth_data.password.decode() == self.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def _take_fault(self) -> tuple[int, str] | Literal["drop"] | None:
        with self._lock:
            if self._drops:
                self._drops -= 1
                return "drop"
            return self._failures.pop(0) if self._failures else None


class _Handler:
    """aiosmtpd hooks; they run on the controller's thread."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        # aiosmtpd's own auth_required warns when TLS is not required too; the check is made here instead.
        if self.sink.username is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.sink.reject_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        fault = self.sink._take_fault()
        if fault == "drop":
            assert isinstance(server.transport, asyncio.Transport)
            server.transport.abort()
            return "421 4.4.2 Connection dropped"  # never reaches the client
        if fault is not None:
            return f"{fault[0]} {fault[1]}"
        raw = envelope.original_content or b""
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        over_tls = server.transport is not None and server.transport.get_extra_info("ssl_object") is not None
        # Parsed with Python's own line ends, so that get_content() reads as the sender wrote it.
        message = message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.sink.received.append(
            ReceivedMail(envelope.mail_from or "", list(envelope.rcpt_tos), raw, message, login, over_tls)
        )
        return "250 2.0.0 OK: queued"
