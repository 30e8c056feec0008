"""The test mail servers themselves, driven by the clients the e-mail connector uses (aioimaplib, aiosmtplib)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import re
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aioimaplib
import aiosmtplib
import pytest
from aioimaplib.aioimaplib import Command

from tests.mailservers import (
    DovecotServer,
    ImapCommandCounter,
    MailUser,
    SmtpSink,
    TlsFiles,
    bulk_messages,
)
from tests.mailservers.imap_counter import ImapCommandParser

RAW = (
    b"Message-ID: <first@example.org>\r\n"
    b"From: Layla Haddad <layla@example.org>\r\n"
    b"To: support@omnihub.test\r\n"
    b"Subject: Where is my order?\r\n"
    b"\r\n"
    b"Hello, order #1234 has not arrived.\r\n"
)


async def starttls(client: aioimaplib.IMAP4, context: ssl.SSLContext, server_hostname: str) -> None:
    """aioimaplib 2.0.3 knows the STARTTLS command but has no method for it: upgrade its transport in place."""
    protocol = client.protocol
    response = await protocol.execute(Command("STARTTLS", protocol.new_tag(), loop=protocol.loop))
    assert response.result == "OK", response
    loop = asyncio.get_running_loop()
    protocol.transport = await loop.start_tls(protocol.transport, protocol, context, server_hostname=server_hostname)
    await protocol.capability()


@asynccontextmanager
async def imap_session(
    port: int, user: MailUser, *, tls: ssl.SSLContext | None = None, starttls_with: ssl.SSLContext | None = None
) -> AsyncIterator[aioimaplib.IMAP4]:
    if tls is not None:
        client: aioimaplib.IMAP4 = aioimaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls, timeout=5)
    else:
        client = aioimaplib.IMAP4("127.0.0.1", port, timeout=5)
    try:
        await client.wait_hello_from_server()
        if starttls_with is not None:
            await starttls(client, starttls_with, "127.0.0.1")
        response = await client.login(user.name, user.password)
        assert response.result == "OK", response
        yield client
        await client.logout()
    finally:
        # The server closes the connection after LOGOUT; after a failure, this side does.
        if client.protocol.transport is not None:
            client.protocol.transport.close()


def selected(response: object, code: str) -> int:
    """A number from a SELECT response: an untagged "N EXISTS" or a response code such as "UIDVALIDITY"."""
    text = b"\n".join(response.lines).decode()  # type: ignore[attr-defined]
    match = re.search(rf"(\d+) {code}\b", text) or re.search(rf"\[{code} (\d+)\]", text)
    assert match is not None, text
    return int(match[1])


def fetched(response: object) -> dict[int, bytes]:
    """UID -> the literal that follows each FETCH line of a UID FETCH response."""
    lines = response.lines  # type: ignore[attr-defined]
    found = {}
    for line, literal in itertools.pairwise(lines):
        match = re.match(rb"\d+ FETCH \(.*UID (\d+)", line)
        if match is not None and isinstance(literal, bytearray):
            found[int(match[1])] = bytes(literal)
    return found


# -- Dovecot -------------------------------------------------------------------------------------------------------


async def test_appended_message_comes_back_with_its_flags_and_date(dovecot: DovecotServer, mail_user: MailUser) -> None:
    date = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    uid = dovecot.append(mail_user, RAW, folder="Support/Orders", flags=[r"\Flagged"], date=date)

    async with imap_session(dovecot.port, mail_user) as client:
        assert selected(await client.select("Support/Orders"), "EXISTS") == 1
        response = await client.uid("fetch", str(uid), "(UID FLAGS INTERNALDATE BODY.PEEK[])")

    assert response.result == "OK"
    assert fetched(response) == {uid: RAW}
    assert rb"\Flagged" in response.lines[0]
    internal_date = re.search(rb'INTERNALDATE "([^"]+)"', response.lines[0])
    assert internal_date is not None
    assert datetime.strptime(internal_date[1].decode(), "%d-%b-%Y %H:%M:%S %z") == date


async def test_idle_reports_a_message_appended_by_another_client(dovecot: DovecotServer, mail_user: MailUser) -> None:
    async with imap_session(dovecot.port, mail_user) as client:
        await client.select("INBOX")
        idle = await client.idle_start(timeout=10)
        await asyncio.to_thread(dovecot.append, mail_user, RAW)
        push = await client.wait_server_push(timeout=5)
        client.idle_done()
        await asyncio.wait_for(idle, 5)

    assert b"1 EXISTS" in push


async def test_a_server_without_idle_makes_clients_poll(
    dovecot: DovecotServer, dovecot_without_idle: DovecotServer
) -> None:
    for server, offers_idle in ((dovecot, True), (dovecot_without_idle, False)):
        async with imap_session(server.port, server.create_user()) as client:
            assert client.has_capability("IDLE") is offers_idle
            assert client.has_capability("UIDPLUS")


async def test_uidvalidity_reset_gives_the_same_messages_new_uids(dovecot: DovecotServer, mail_user: MailUser) -> None:
    dovecot.bulk_load(mail_user, bulk_messages(3))

    async def uidvalidity_and_message_ids() -> tuple[int, dict[int, bytes]]:
        async with imap_session(dovecot.port, mail_user) as client:
            uidvalidity = selected(await client.select("INBOX"), "UIDVALIDITY")
            response = await client.uid("fetch", "1:*", "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        return uidvalidity, {uid: header.strip() for uid, header in fetched(response).items()}

    first_validity, first = await uidvalidity_and_message_ids()
    assert list(first) == [1, 2, 3]

    assert dovecot.reset_uidvalidity(mail_user, next_uid=100) != first_validity
    second_validity, second = await uidvalidity_and_message_ids()
    assert second_validity != first_validity
    assert list(second) == [100, 101, 102]
    assert list(second.values()) == list(first.values())

    dovecot.reset_uidvalidity(mail_user)
    third_validity, third = await uidvalidity_and_message_ids()
    assert third_validity not in (first_validity, second_validity)
    assert third == first


async def test_bulk_load_of_1000_messages_in_order(dovecot: DovecotServer, mail_user: MailUser) -> None:
    date = datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    status = dovecot.bulk_load(mail_user, bulk_messages(1000), "Archive", flags=[r"\Seen"], date=date)

    assert (status.messages, status.uidnext, status.unseen) == (1000, 1001, 0)
    async with imap_session(dovecot.port, mail_user) as client:
        assert selected(await client.select("Archive"), "EXISTS") == 1000
        response = await client.uid("fetch", "1,500,1000", "(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    subjects = {uid: header.strip() for uid, header in fetched(response).items()}
    assert subjects == {
        1: b"Subject: Bulk message 0",
        500: b"Subject: Bulk message 499",
        1000: b"Subject: Bulk message 999",
    }
    assert b'INTERNALDATE "02-Jan-2023 03:04:05 +0000"' in response.lines[0]


async def test_another_client_flags_deletes_and_moves(dovecot: DovecotServer, mail_user: MailUser) -> None:
    uids = [dovecot.append(mail_user, RAW) for _ in range(4)]
    assert dovecot.status(mail_user).unseen == 4

    dovecot.mark_seen(mail_user)
    assert dovecot.status(mail_user).unseen == 0
    dovecot.set_flags(mail_user, "INBOX", [r"\Seen"], [uids[0]], remove=True)
    assert dovecot.status(mail_user).unseen == 1
    dovecot.delete_messages(mail_user, uids=[uids[1]])
    dovecot.move_messages(mail_user, "Archive", uids=[uids[2]])

    assert dovecot.uids(mail_user) == [uids[0], uids[3]]
    assert dovecot.status(mail_user, "Archive").messages == 1


async def test_implicit_tls_with_the_test_ca(dovecot: DovecotServer, mail_user: MailUser) -> None:
    async with imap_session(dovecot.tls_port, mail_user, tls=dovecot.ssl_context()) as client:
        assert (await client.select("INBOX")).result == "OK"


async def test_implicit_tls_refuses_a_client_that_does_not_trust_the_ca(dovecot: DovecotServer) -> None:
    client = aioimaplib.IMAP4_SSL("127.0.0.1", dovecot.tls_port, ssl_context=ssl.create_default_context(), timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError):
        await client.wait_hello_from_server()


async def test_starttls_with_the_test_ca(dovecot: DovecotServer, mail_user: MailUser) -> None:
    async with imap_session(dovecot.port, mail_user, starttls_with=dovecot.ssl_context()) as client:
        assert client.protocol.transport.get_extra_info("ssl_object") is not None
        assert (await client.select("INBOX")).result == "OK"


async def test_stopped_or_killed_server_comes_back_on_its_port_with_its_mail(own_dovecot: DovecotServer) -> None:
    user = own_dovecot.create_user()
    own_dovecot.append(user, RAW)
    async with imap_session(own_dovecot.port, user) as client:
        validity = selected(await client.select("INBOX"), "UIDVALIDITY")

    for end in (own_dovecot.stop, own_dovecot.kill):
        end()
        assert not own_dovecot.running
        with pytest.raises(OSError):
            await asyncio.open_connection("127.0.0.1", own_dovecot.port)
        own_dovecot.start_again()
        async with imap_session(own_dovecot.port, user) as client:
            response = await client.select("INBOX")
        assert (selected(response, "EXISTS"), selected(response, "UIDVALIDITY")) == (1, validity)


async def test_closing_a_server_leaves_no_process_behind(mail_tls: TlsFiles) -> None:
    for end in ("close", "kill"):
        with DovecotServer.start(tls=mail_tls) as server:
            user = server.create_user()
            # A logged-in client, so that an imap process runs too.
            reader, writer = await asyncio.open_connection(server.host, server.port)
            writer.write(f"a LOGIN {user.name} {user.password}\r\n".encode())
            assert b"a OK" in await reader.readuntil(b"Logged in\r\n")
            pids = server.pids()
            assert len(pids) > 4  # master, log, config, anvil, auth, imap-login, imap ...
            getattr(server, end)()
            await reader.read()
            writer.close()
        assert not set(pids) & _living_processes()
        assert not server.directory.exists()


def _living_processes() -> set[int]:
    living = set()
    for entry in os.listdir("/proc"):
        with contextlib.suppress(OSError):
            if entry.isdigit() and Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
                living.add(int(entry))
    return living


# -- counting IMAP commands ----------------------------------------------------------------------------------------


def test_parser_skips_literals_and_sees_done_wherever_the_stream_is_cut() -> None:
    stream = (
        b"a1 LOGIN {4}\r\nuser {6+}\r\nsecret\r\n"
        b"a2 APPEND INBOX (\\Seen) {21}\r\nb1 NOOP\r\nnot a line\r\n\r\n"
        b"a3 uid fetch 1:* (FLAGS)\r\na4 IDLE\r\nDONE\r\na5 LOGOUT\r\n"
    )
    commands: list[str] = []
    parser = ImapCommandParser(commands)
    for index in range(len(stream)):
        parser.feed(stream[index : index + 1])
    assert commands == ["LOGIN", "APPEND", "UID FETCH", "IDLE", "DONE", "LOGOUT"]


async def test_counter_counts_commands_of_a_session(imap_counter: ImapCommandCounter, mail_user: MailUser) -> None:
    async with imap_session(imap_counter.port, mail_user) as client:
        await client.select("INBOX")
        await client.append(RAW, mailbox="INBOX")
        await client.uid_search("ALL")
        await client.noop()
        idle = await client.idle_start(timeout=10)
        client.idle_done()
        await asyncio.wait_for(idle, 5)

    expected = ["CAPABILITY", "LOGIN", "SELECT", "APPEND", "UID SEARCH", "NOOP", "IDLE", "DONE", "LOGOUT"]
    assert imap_counter.commands == expected
    assert imap_counter.connections == 1
    assert imap_counter.bytes_from_client > len(RAW) and imap_counter.bytes_from_server > 0
    imap_counter.reset()
    assert (imap_counter.commands, imap_counter.bytes_from_client, imap_counter.connections) == ([], 0, 0)


async def test_counter_counts_every_byte_each_way(imap_counter: ImapCommandCounter, mail_user: MailUser) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", imap_counter.port)
    received = await reader.readuntil(b"\r\n")
    sent = f"t1 LOGIN {mail_user.name} {mail_user.password}\r\nt2 NOOP\r\nt3 LOGOUT\r\n".encode()
    writer.write(sent)
    received += await reader.read()  # until the server closes after LOGOUT
    writer.close()
    await writer.wait_closed()

    assert b"t3 OK" in received
    assert imap_counter.commands == ["LOGIN", "NOOP", "LOGOUT"]
    assert (imap_counter.bytes_from_client, imap_counter.bytes_from_server) == (len(sent), len(received))


# -- SMTP ----------------------------------------------------------------------------------------------------------


async def send_plain(sink: SmtpSink, message: EmailMessage, **options: Any) -> tuple[dict[str, Any], str]:
    """Send without TLS (no STARTTLS either)."""
    return await aiosmtplib.send(message, hostname=sink.host, port=sink.port, start_tls=False, **options)


def outgoing(to: str = "Layla Haddad <layla@example.org>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Support <support@omnihub.test>"
    message["To"] = to
    message["Subject"] = "Re: Où est ma commande ?"
    message.set_content("It ships today.\n.\nA line with only a dot, above.\n")
    return message


async def test_sink_keeps_what_it_accepts(smtp_sink: SmtpSink) -> None:
    await send_plain(smtp_sink, outgoing())

    [mail] = smtp_sink.received
    assert (mail.mail_from, mail.recipients, mail.login, mail.over_tls) == (
        "support@omnihub.test",
        ["layla@example.org"],
        None,
        False,
    )
    assert mail.message["Subject"] == "Re: Où est ma commande ?"
    assert mail.message.get_content() == "It ships today.\n.\nA line with only a dot, above.\n"
    assert mail.raw.startswith(b"From: Support <support@omnihub.test>\r\n")
    assert await asyncio.wait_for(smtp_sink.arrivals(1), 1) == [mail]


async def test_sink_with_auth_wants_the_right_login(make_smtp_sink: Callable[..., SmtpSink]) -> None:
    sink = make_smtp_sink(username="omnihub", password="s3cret")
    with pytest.raises(aiosmtplib.SMTPSenderRefused) as refused:
        await send_plain(sink, outgoing())
    assert refused.value.code == 530
    with pytest.raises(aiosmtplib.SMTPAuthenticationError):
        await send_plain(sink, outgoing(), username="omnihub", password="wrong")
    for mechanism in ("auth_plain", "auth_login"):
        async with aiosmtplib.SMTP(hostname=sink.host, port=sink.port, start_tls=False) as client:
            await client.ehlo()
            await getattr(client, mechanism)("omnihub", "s3cret")
            await client.send_message(outgoing())

    assert [mail.login for mail in sink.received] == ["omnihub", "omnihub"]


async def test_sink_over_starttls_and_implicit_tls(make_smtp_sink: Callable[..., SmtpSink], mail_tls: TlsFiles) -> None:
    starttls_sink = make_smtp_sink(security="starttls", username="omnihub", password="s3cret")
    await aiosmtplib.send(
        outgoing(),
        hostname=starttls_sink.host,
        port=starttls_sink.port,
        start_tls=True,
        tls_context=mail_tls.client_context(),
        username="omnihub",
        password="s3cret",
    )
    tls_sink = make_smtp_sink(security="tls")
    await aiosmtplib.send(
        outgoing(), hostname=tls_sink.host, port=tls_sink.port, use_tls=True, tls_context=mail_tls.client_context()
    )

    assert [(mail.login, mail.over_tls) for mail in starttls_sink.received + tls_sink.received] == [
        ("omnihub", True),
        (None, True),
    ]


async def test_rejected_recipient_is_a_permanent_550(smtp_sink: SmtpSink) -> None:
    smtp_sink.reject_recipients.add("gone@example.org")
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
        await send_plain(smtp_sink, outgoing("gone@example.org"))
    assert [error.code for error in refused.value.recipients] == [550]

    errors, _ = await send_plain(smtp_sink, outgoing("gone@example.org, layla@example.org"))
    assert errors["gone@example.org"].code == 550
    assert [mail.recipients for mail in smtp_sink.received] == [["layla@example.org"]]


async def test_temporary_failures_for_the_next_messages(smtp_sink: SmtpSink) -> None:
    smtp_sink.fail_next(2)
    for _ in range(2):
        with pytest.raises(aiosmtplib.SMTPDataError) as failed:
            await send_plain(smtp_sink, outgoing(), timeout=5)
        assert failed.value.code == 451
    await send_plain(smtp_sink, outgoing(), timeout=5)

    assert len(smtp_sink.received) == 1


async def test_dropped_connection_loses_the_message(smtp_sink: SmtpSink) -> None:
    smtp_sink.drop_next()
    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await send_plain(smtp_sink, outgoing(), timeout=5)
    assert smtp_sink.received == []
    await send_plain(smtp_sink, outgoing(), timeout=5)
    assert len(smtp_sink.received) == 1
