"""Real mail servers for the e-mail tests: one Dovecot per run (a fresh user per test), SMTP sinks per test."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from omnihub.config import Settings
from tests.mailservers import DovecotServer, ImapCommandCounter, MailUser, SmtpSink, TlsFiles, make_tls_files


@pytest.fixture(scope="session")
def mail_tls() -> Iterator[TlsFiles]:
    """One test CA and server certificate shared by every mail server of the run."""
    with tempfile.TemporaryDirectory(prefix="omnihub-mail-tls-") as directory:
        yield make_tls_files(Path(directory))


@pytest.fixture(scope="session")
def dovecot(mail_tls: TlsFiles) -> Iterator[DovecotServer]:
    """The run's shared Dovecot (IDLE on). Never stop it in a test: use `own_dovecot` for that."""
    with DovecotServer.start(tls=mail_tls) as server:
        yield server


@pytest.fixture(scope="session")
def dovecot_without_idle(mail_tls: TlsFiles) -> Iterator[DovecotServer]:
    """A Dovecot that does not offer IDLE, so clients have to poll."""
    with DovecotServer.start(tls=mail_tls, idle=False) as server:
        yield server


@pytest.fixture
def own_dovecot(mail_tls: TlsFiles) -> Iterator[DovecotServer]:
    """A Dovecot for this test alone, which it may stop, kill and start again."""
    with DovecotServer.start(tls=mail_tls) as server:
        yield server


@pytest.fixture
def mail_user(dovecot: DovecotServer) -> MailUser:
    """A new, empty mailbox on the shared Dovecot."""
    return dovecot.create_user()


@pytest.fixture
def imap_counter(dovecot: DovecotServer) -> Iterator[ImapCommandCounter]:
    """A counting proxy in front of the shared Dovecot's plain port: connect to `imap_counter.port`."""
    with ImapCommandCounter.start(dovecot.host, dovecot.port) as counter:
        yield counter


@pytest.fixture
def make_smtp_sink(mail_tls: TlsFiles) -> Iterator[Callable[..., SmtpSink]]:
    """Start SMTP sinks with SmtpSink.start()'s options (security, username, password); all stop after the test."""
    sinks: list[SmtpSink] = []

    def make(**options: Any) -> SmtpSink:
        options.setdefault("tls", mail_tls)
        sinks.append(SmtpSink.start(**options))
        return sinks[-1]

    yield make
    for sink in sinks:
        sink.close()


@pytest.fixture
def smtp_sink(make_smtp_sink: Callable[..., SmtpSink]) -> SmtpSink:
    """A plain SMTP server without AUTH or TLS, for this test."""
    return make_smtp_sink()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, with a new e-mail inbox followed within a fraction of a second."""
    return settings.model_copy(update={"pull_scan_seconds": 0.2})
