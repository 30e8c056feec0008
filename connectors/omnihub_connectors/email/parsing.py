"""Parsing a raw e-mail into what the hub stores.

:func:`parse_email` takes the bytes as fetched and returns a :class:`ParsedEmail`: addresses, threading
ids, the text (and the new part of a reply apart from quoted history and signature), the sanitized HTML,
attachments and inline images, and whether a machine sent it. It recovers from everything it can (broken
headers, wrong or unknown charsets, broken MIME) and lists what it recovered from in ``defects``; it raises
:class:`UnparseableEmail` only when there is nothing usable, never anything else.

Decisions:

- HTML goes through :func:`omnihub.domain.html.sanitize_html`: remote images are dropped, not kept for a
  "load images" button (see that module); ``cid:`` sources stay so the UI can show inline attachments.
- ``text`` comes from the text/plain parts (joined, newlines as ``\\n``, runs of blank lines cut to one), or
  from the sanitized HTML when there are none or they are empty.
- An attachment is ``inline`` when the HTML shows it (references its Content-ID as ``cid:``); a part marked
  inline that the HTML does not show is an ordinary attachment, so it is never hidden.
- Nothing is dropped silently: a part that is neither body text nor a valid attachment still becomes an
  attachment (a name is derived from its content type), and deeper than :data:`.mime.MAX_DEPTH` levels or
  past :data:`.mime.MAX_PARTS` parts the rest is skipped with a defect.
- Every string is valid UTF-8 without NUL, so it can go into PostgreSQL and JSON as it is.
- Addresses, threading ids, dates: see :mod:`.headers`; charsets: :mod:`.charsets`; the MIME tree:
  :mod:`.mime`; replies: :mod:`.replies`; machine-sent mail: :mod:`.automated`; file names: :mod:`.filenames`.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.policy import EmailPolicy
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from omnihub.domain.html import SanitizedHtml, sanitize_html
from omnihub_connectors.email.automated import automated_reason
from omnihub_connectors.email.headers import (
    MailAddress,
    RawHeaders,
    addresses_in,
    message_id,
    message_ids,
    parse_addresses,
    parse_date,
    received_date,
    short,
)
from omnihub_connectors.email.html_text import html_to_text
from omnihub_connectors.email.mime import MimeContent, MimeWalker, mime_parameters, raw_field
from omnihub_connectors.email.replies import split_reply

__all__ = ["BounceReport", "MailAddress", "ParsedAttachment", "ParsedEmail", "UnparseableEmail", "parse_email"]

MAX_DEFECTS = 50
ENVELOPE_FIELDS = (
    "delivered-to",
    "x-original-to",
    "envelope-to",
    "x-envelope-to",
    "x-orig-to",
    "x-forwarded-to",
    "x-forwarded-for",
    "x-original-recipient",
)
# "for <user@example.com>;": the address is checked by ``addresses_in``. Possessive, so that a long
# "for a@a@a@..." costs one pass, not a backtracking search over every "@".
_RECEIVED_FOR = re.compile(r"\bfor\s++<?+([^\s<>;]++)>?+\s*+;", re.IGNORECASE)
_CID_REFERENCE = re.compile(r"""cid:([^"'\s>)]+)""", re.IGNORECASE)
_NUL = "\x00"
_BLANK_RUN = re.compile(r"\n(?:[ \t\u00a0\u200b\ufeff]*\n){2,}")
_HEADER_LINE = re.compile(
    rb"^(?:from|to|subject|date|received|return-path|delivered-to|message-id|mime-version|content-type|reply-to"
    rb"|sender|dkim-signature|arc-seal|authentication-results|x-[a-z0-9-]{1,60}):[ \t]*\S",
    re.MULTILINE | re.IGNORECASE,
)
_JUNK_SCAN_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class ParsedAttachment:
    filename: str  # always usable and safe: derived from the content type if missing, no path parts
    content_type: str
    content: bytes
    content_id: str | None  # without <>, for inline cid: images
    inline: bool  # the HTML body shows it (cid:); otherwise list it as an attachment


@dataclass(frozen=True, slots=True)
class BounceReport:
    """What a delivery status notification says about a message that did not arrive."""

    recipients: tuple[str, ...]  # the addresses that failed (Final-Recipient, X-Failed-Recipients)
    message_id: str | None  # the Message-ID of the message that bounced, when the report includes it
    diagnostic: str | None  # the remote server's reason ("smtp; 550 5.1.1 user unknown")


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    message_id: str | None  # without <>, as the sender set it; None if missing or garbage
    in_reply_to: tuple[str, ...]  # ids without <>
    references: tuple[str, ...]  # ids without <>, oldest first
    subject: str | None  # RFC 2047 decoded; None when missing or empty
    sender: MailAddress | None  # From (first address), else Sender, else Return-Path
    reply_to: tuple[MailAddress, ...]
    to: tuple[MailAddress, ...]
    cc: tuple[MailAddress, ...]
    envelope_recipients: tuple[str, ...]  # Delivered-To, X-Original-To, Envelope-To ..., Received "for"
    date: datetime | None  # timezone-aware; from Date, else from the newest Received
    text: str  # the whole plain-text body
    reply_text: str  # only the new part of a reply; == text when nothing is quoted and there is no signature
    quoted_text: str | None  # the quoted history, if any
    signature: str | None
    html: str | None  # the HTML body, sanitized; cid: references kept
    attachments: tuple[ParsedAttachment, ...]  # attachments and inline images, in message order
    automated: str | None  # why this is machine-sent (bounce, auto-reply, list/bulk ...), None for a person
    defects: tuple[str, ...]  # what was broken but recovered
    bounce: BounceReport | None = None  # for delivery status notifications


class UnparseableEmail(Exception):
    """Raised by :func:`parse_email` when the input holds nothing usable as a mail."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=2048)
def _header_object(name: str, value: str) -> Any:
    return _BASE_POLICY.header_factory(name, value)


class _ParsingPolicy(EmailPolicy):
    """``policy.default``, except that parsed header objects are cached.

    The parser asks for a part's Content-Type several times and each time the standard policy parses the
    field again; header objects are immutable, so sharing them is safe and makes parsing several times faster.
    """

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name") or len(value) > 1000:
            return super().header_fetch_parse(name, value)
        return _header_object(name, "".join(value.splitlines()))


_BASE_POLICY = EmailPolicy()
_POLICY = _ParsingPolicy()


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one raw message (RFC 5322 bytes, as fetched over IMAP). Pure; raises only :class:`UnparseableEmail`."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise UnparseableEmail(f"expected the message as bytes, got {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        raise UnparseableEmail("the message is empty")
    try:
        return _parse(raw)
    except UnparseableEmail:
        raise
    except RecursionError as error:
        raise UnparseableEmail("the message is nested too deeply to parse") from error
    except Exception as error:
        raise UnparseableEmail(short(f"the parser failed: {type(error).__name__}: {error}")) from error


def _message(raw: bytes, defects: list[str]) -> Message:
    message = email.message_from_bytes(raw, policy=_POLICY)
    if message.keys():
        return message
    # Junk in front of the header (blank lines, a stray line from a mailbox file) hides every field from
    # the parser; start again at the first line that looks like a header field.
    first_field = _HEADER_LINE.search(raw, 0, _JUNK_SCAN_LIMIT)
    if first_field is not None and first_field.start() > 0:
        message = email.message_from_bytes(raw[first_field.start() :], policy=_POLICY)
        if message.keys():
            defects.append(f"{first_field.start()} bytes before the header skipped")
            return message
    raise UnparseableEmail("no header fields found; this is not an e-mail message")


def _parse(raw: bytes) -> ParsedEmail:
    defects: list[str] = []
    message = _message(raw, defects)
    hint = _charset_hint(message)
    headers = RawHeaders(message, hint)
    walker = MimeWalker(hint)
    walker.walk(message)
    content = walker.content
    sender = _sender(headers, defects)
    subject = _clean(headers.text("subject") or "") or None
    html_source = "\n".join(content.html) if content.html else None
    # Still sanitized after _clean (which only drops NULs and the like): the ingest need not do it again.
    html = SanitizedHtml(_clean(sanitize_html(html_source))) if html_source is not None else None
    text = _body_text(content, html)
    parts = split_reply(text)
    content_type = content.content_type
    report_type = _report_type(message, content, content_type, hint)
    automated = automated_reason(
        headers, content_type=content_type, report_type=report_type, sender=sender, subject=subject
    )
    return ParsedEmail(
        message_id=message_id(headers.first("message-id")),
        in_reply_to=message_ids(" ".join(headers.all("in-reply-to"))),
        references=message_ids(" ".join(headers.all("references"))),
        subject=subject,
        sender=sender,
        reply_to=_addresses(headers, "reply-to", defects),
        to=_addresses(headers, "to", defects),
        cc=_addresses(headers, "cc", defects),
        envelope_recipients=_envelope_recipients(headers),
        date=_date(headers, defects),
        text=text,
        reply_text=parts.reply,
        quoted_text=parts.quoted,
        signature=parts.signature,
        html=html,
        attachments=_attachments(content, html_source),
        automated=_printable(automated) if automated else None,
        defects=_defects(headers, content, defects),
        bounce=_bounce(headers, content, content_type, report_type),
    )


def _report_type(message: Message, content: MimeContent, content_type: str, hint: str | None) -> str | None:
    report_type = mime_parameters(raw_field(message, "content-type"), hint).get("report-type")
    if content_type == "multipart/report" and not report_type and content.report_blocks:
        return content.report_blocks[0].partition("/")[2]  # the parameter is missing: what the report holds
    return report_type


def _date(headers: RawHeaders, defects: list[str]) -> datetime | None:
    date = parse_date(headers.first("date"))
    if date is None:
        date = received_date(headers)
        defects.append("no usable Date; " + ("used the newest Received time" if date else "no date at all"))
    return date


def _charset_hint(message: Message) -> str | None:
    """The charset of the first text part: the best guess for raw 8-bit bytes in header fields."""
    stack = [message]
    seen = 0
    while stack and seen < 200:
        part = stack.pop()
        seen += 1
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend(reversed([child for child in payload if isinstance(child, Message)]))
            continue
        charset = mime_parameters(raw_field(part, "content-type"), None).get("charset")
        if charset:
            return charset
    return None


def _clean(text: str) -> str:
    """Newlines as \\n, no NUL (PostgreSQL text cannot hold it), no trailing blank lines or spaces."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _NUL in text:
        text = text.replace(_NUL, "")
    return text.strip("\n").rstrip()


def _clean_body(text: str) -> str:
    """A body text as :func:`_clean`, with runs of blank lines (some clients send dozens) cut to one."""
    text = _clean(text)
    return _BLANK_RUN.sub("\n\n", text)


def _body_text(content: MimeContent, html: str | None) -> str:
    plain = "\n\n".join(cleaned for piece in content.plain if (cleaned := _clean_body(piece)))
    if not plain.strip() and html:
        # From the sanitized HTML: well-formed, so the stdlib's HTML parser reads it in linear time
        # (on crafted markup it can take quadratic time), and without scripts, styles or comments.
        plain = _clean_body(html_to_text(html))
    return plain


def _addresses(headers: RawHeaders, field: str, defects: list[str]) -> tuple[MailAddress, ...]:
    values = headers.all(field)
    if not values:
        return ()
    found = parse_addresses(field, ", ".join(values), headers.hint, defects)
    return tuple(MailAddress(_clean(each.address), _clean(each.name) if each.name else None) for each in found)


def _sender(headers: RawHeaders, defects: list[str]) -> MailAddress | None:
    for field in ("from", "sender"):
        found = _addresses(headers, field, defects)
        if found:
            return found[0]
    for address in addresses_in(headers.first("return-path")):
        return MailAddress(address)
    return None


def _envelope_recipients(headers: RawHeaders) -> tuple[str, ...]:
    found: list[str] = []
    for field in ENVELOPE_FIELDS:
        for value in headers.all(field):
            found.extend(addresses_in(value))
    for received in headers.all("received"):
        for match in _RECEIVED_FOR.finditer(received):
            found.extend(addresses_in(match.group(1)))
    return tuple(dict.fromkeys(found))


def _attachments(content: MimeContent, html_source: str | None) -> tuple[ParsedAttachment, ...]:
    shown = (
        {unquote(match.group(1)).lower() for match in _CID_REFERENCE.finditer(html_source)} if html_source else set()
    )
    return tuple(
        ParsedAttachment(
            filename=attachment.filename,
            content_type=attachment.content_type,
            content=attachment.content,
            content_id=attachment.content_id,
            inline=attachment.content_id is not None and attachment.content_id.lower() in shown,
        )
        for attachment in content.attachments
    )


def _bounce(
    headers: RawHeaders, content: MimeContent, content_type: str, report_type: str | None
) -> BounceReport | None:
    failed = list(content.failed_recipients)
    for value in headers.all("x-failed-recipients"):
        failed.extend(addresses_in(value))
    is_report = content_type == "multipart/report" and (report_type or "").lower() == "delivery-status"
    if not failed and not is_report:
        return None
    return BounceReport(
        recipients=tuple(dict.fromkeys(failed)),
        message_id=content.bounced_message_id,
        diagnostic=_printable(content.diagnostics[0]) if content.diagnostics else None,
    )


def _defects(headers: RawHeaders, content: MimeContent, own: list[str]) -> tuple[str, ...]:
    every = (_printable(defect) for defect in (*content.defects, *headers.defects, *own))
    return tuple(dict.fromkeys(every))[:MAX_DEFECTS]


def _printable(text: str) -> str:
    """Defects quote the input they complain about: keep them printable and valid UTF-8."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else "\ufffd" for c in text).encode("utf-8", "replace").decode("utf-8")
