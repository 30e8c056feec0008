"""Walking the MIME tree: which parts are the body, which are attachments, what a bounce report says.

The body is every text/plain and text/html part that is not an attachment (no ``attachment`` disposition,
no file name), in order, so Apple Mail's "text, image, text" comes out whole. Everything else is an
attachment: parts with or without a disposition or a name, inline ``cid:`` images, forwarded messages
(``message/rfc822`` as ``.eml``), TNEF (``winmail.dat``), delivery reports.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import Message
from email.policy import compat32
from io import BytesIO
from urllib.parse import unquote_to_bytes

from omnihub_connectors.email.charsets import decode_encoded_words, decode_header_bytes, decode_text
from omnihub_connectors.email.filenames import content_type_for, derived_filename, safe_filename
from omnihub_connectors.email.headers import addresses_in, message_id, short

MAX_DEPTH = 40
MAX_PARTS = 2000
_MESSAGE_TYPES = {"message/rfc822", "message/global"}
_REPORT_BLOCK_TYPES = {"message/delivery-status", "message/disposition-notification", "message/global-delivery-status"}
_PARAMETER = re.compile(r';\s*([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)')
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_SECTION = re.compile(r"^(.*?)\*(\d+)?(\*)?$")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


@dataclass(slots=True)
class RawAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None
    disposition: str | None


@dataclass(slots=True)
class MimeContent:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[RawAttachment] = field(default_factory=list)
    failed_recipients: list[str] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    bounced_message_id: str | None = None
    report_blocks: list[str] = field(default_factory=list)  # content types of the report parts
    content_type: str = "text/plain"  # of the message itself
    defects: list[str] = field(default_factory=list)


def raw_field(part: Message, name: str) -> str | None:
    for key, value in part.raw_items():
        if key.lower() == name:
            return value if isinstance(value, str) else str(value)
    return None


def mime_parameters(value: str | None, hint: str | None) -> dict[str, str]:
    """Parameters of a Content-Type or Content-Disposition value, leniently.

    Quoted and bare values (a bare value runs to the next ";", spaces and slashes included), RFC 2231
    continuations and charsets, RFC 2047 encoded words and raw 8-bit bytes all come out as text.
    """
    if not value or ";" not in value:
        return {}
    value, _ = decode_header_bytes(value, hint) if not value.isascii() else (value, None)
    plain: dict[str, str] = {}
    sections: dict[str, list[tuple[int, bool, str]]] = {}
    for match in _PARAMETER.finditer(value):
        name, raw = match.group(1).lower(), match.group(2).strip()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1] if raw.endswith('"') and len(raw) > 1 else raw[1:])
        section = _SECTION.match(name) if "*" in name else None
        if section is None:
            plain.setdefault(name, raw)
            continue
        sections.setdefault(section.group(1), []).append(
            (int(section.group(2) or 0), bool(section.group(3)) or section.group(2) is None, raw)
        )
    for name, pieces in sections.items():
        pieces.sort(key=lambda piece: piece[0])
        charset = None
        data = b""
        for index, (_, extended, raw) in enumerate(pieces):
            if extended and index == 0 and raw.count("'") >= 2:
                charset, _, rest = raw.partition("'")
                raw = rest.partition("'")[2]
            data += unquote_to_bytes(raw) if extended else raw.encode("utf-8", errors="surrogateescape")
        plain[name], _ = decode_text(data, charset or hint)
    return {name: decode_encoded_words(text)[0] for name, text in plain.items()}


def _bytes_of(message: Message) -> bytes:
    """The bytes of a message as close to how it arrived as the parser allows."""
    buffer = BytesIO()
    try:
        BytesGenerator(buffer, mangle_from_=False, policy=compat32.clone(linesep="\r\n")).flatten(message)
        return buffer.getvalue()
    except Exception:
        pass
    try:
        return message.as_bytes()
    except Exception:
        pass
    try:
        return message.as_string().encode("utf-8", errors="replace")
    except Exception:
        return b""


def _body_of_part(part: Message) -> bytes:
    whole = _bytes_of(part)
    for separator in (b"\r\n\r\n", b"\n\n"):
        _, found, body = whole.partition(separator)
        if found:
            return body
    return b""


class MimeWalker:
    """Collects the body texts, the attachments and what a delivery report says about a message."""

    def __init__(self, hint: str | None) -> None:
        self.hint = hint
        self.content = MimeContent()
        self._parts = 0

    def walk(self, part: Message, depth: int = 0) -> None:
        self._parts += 1
        if depth > MAX_DEPTH or self._parts > MAX_PARTS:
            self._defect("MIME structure too deep or too large; the rest is skipped")
            return
        self.content.defects.extend(
            short(f"{type(d).__name__}: {d}" if str(d) else type(d).__name__) for d in part.defects
        )
        try:
            content_type = part.get_content_type()
        except Exception as error:
            self._defect(f"unreadable Content-Type ({type(error).__name__}); treated as binary")
            content_type = "application/octet-stream"
        if not _CONTENT_TYPE.fullmatch(content_type):
            self._defect("invalid Content-Type; treated as text/plain")
            content_type = "text/plain"  # RFC 2045's default, as the stdlib does for other invalid values
        if depth == 0:
            self.content.content_type = content_type
        if content_type in _MESSAGE_TYPES or content_type in _REPORT_BLOCK_TYPES:
            self._message_part(part, content_type)
        elif part.is_multipart():
            for child in part.get_payload():
                if isinstance(child, Message):
                    self.walk(child, depth + 1)
        else:
            self._leaf(part, content_type)

    def _defect(self, text: str) -> None:
        self.content.defects.append(short(text))

    def _disposition(self, part: Message) -> tuple[str | None, dict[str, str]]:
        raw = raw_field(part, "content-disposition")
        if raw is None:
            return None, {}
        kind = raw.split(";", 1)[0].strip().lower() or None
        return kind, mime_parameters(raw, self.hint)

    def _filename(self, part: Message, disposition_params: dict[str, str]) -> str | None:
        name = disposition_params.get("filename")
        if not name:
            name = mime_parameters(raw_field(part, "content-type"), self.hint).get("name")
        return name or None

    def _leaf(self, part: Message, content_type: str) -> None:
        disposition, parameters = self._disposition(part)
        filename = self._filename(part, parameters)
        is_text = content_type in ("text/plain", "text/html") or content_type.startswith("multipart/")
        if is_text and disposition != "attachment" and filename is None:
            self._body(part, content_type)
            return
        content = self._payload(part)
        if content_type == "text/rfc822-headers":
            self._bounced_headers(content)
        self._attach(part, content_type, content, filename, disposition)

    def _payload(self, part: Message) -> bytes:
        try:
            payload = part.get_payload(decode=True)
        except Exception as error:
            self._defect(f"undecodable part body ({type(error).__name__}); kept raw")
            payload = _body_of_part(part)
        return payload if isinstance(payload, bytes) else b""

    def _body(self, part: Message, content_type: str) -> None:
        data = self._payload(part)
        parameters = mime_parameters(raw_field(part, "content-type"), self.hint)
        declared = parameters.get("charset") or None
        if declared is None and content_type == "text/html":
            sniffed = _META_CHARSET.search(data[:4096])
            declared = sniffed.group(1).decode("ascii") if sniffed else None
        text, defect = decode_text(data, declared)
        if defect:
            self._defect(f"{content_type}: {defect}")
        if content_type.startswith("multipart/"):
            self._defect("multipart body without its boundary; shown as text")
            self.content.plain.append(text)
        elif content_type == "text/html":
            self.content.html.append(text)
        else:
            if parameters.get("format", "").lower() == "flowed":
                text = unflow(text.replace("\r\n", "\n"), delete_space=parameters.get("delsp", "").lower() == "yes")
            self.content.plain.append(text)

    def _attach(
        self, part: Message, content_type: str, content: bytes, filename: str | None, disposition: str | None
    ) -> None:
        if filename is None and content_type in _MESSAGE_TYPES:
            inner_subject = _inner_subject(part)
            filename = derived_filename(content_type, inner_subject) if inner_subject else "message.eml"
        name = safe_filename(filename, content_type)
        if content_type == "application/octet-stream":
            content_type = content_type_for(name) or content_type
        cid = message_id(raw_field(part, "content-id"))
        self.content.attachments.append(RawAttachment(name, content_type, content, cid, disposition))

    def _message_part(self, part: Message, content_type: str) -> None:
        disposition, parameters = self._disposition(part)
        if content_type in _REPORT_BLOCK_TYPES:
            self.content.report_blocks.append(content_type)
            if content_type != "message/disposition-notification":
                self._delivery_report(part)
            content = _body_of_part(part)
        else:
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            encoding = (raw_field(part, "content-transfer-encoding") or "").strip().lower()
            if encoding in ("base64", "quoted-printable"):  # not allowed for messages, but sent
                content = _transfer_decoded(_bytes_of(inner) if isinstance(inner, Message) else b"", encoding)
                inner = None
            else:
                content = _bytes_of(inner) if isinstance(inner, Message) else _body_of_part(part)
            if isinstance(inner, Message) and self.content.bounced_message_id is None:
                self.content.bounced_message_id = message_id(raw_field(inner, "message-id"))
        self._attach(part, content_type, content, self._filename(part, parameters), disposition)

    def _delivery_report(self, part: Message) -> None:
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        for block in blocks:
            if not isinstance(block, Message):
                continue
            recipient = raw_field(block, "final-recipient") or raw_field(block, "original-recipient")
            action = (raw_field(block, "action") or "failed").strip().lower()
            if recipient and action in ("failed", "delayed"):
                self.content.failed_recipients.extend(addresses_in(recipient.rpartition(";")[2]))
            diagnostic = raw_field(block, "diagnostic-code")
            if diagnostic:
                self.content.diagnostics.append(short(" ".join(diagnostic.split())))

    def _bounced_headers(self, content: bytes) -> None:
        if self.content.bounced_message_id is not None:
            return
        match = re.search(rb"^message-id:[ \t]*(.+(?:\r?\n[ \t].*)*)", content, re.IGNORECASE | re.MULTILINE)
        if match:
            self.content.bounced_message_id = message_id(match.group(1).decode("ascii", errors="replace"))


def _transfer_decoded(data: bytes, encoding: str) -> bytes:
    if encoding == "quoted-printable":
        return quopri.decodestring(data)
    cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
    cleaned = cleaned[: len(cleaned) - len(cleaned) % 4]
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return data


def _inner_subject(part: Message) -> str | None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    subject = raw_field(inner, "subject") if isinstance(inner, Message) else None
    if not subject:
        return None
    text, _ = decode_encoded_words(decode_header_bytes(" ".join(subject.split()), None)[0])
    return text[:80].strip() or None


def _quoted(depth: int, pieces: list[str]) -> str:
    content = "".join(pieces)
    return ">" * depth + (" " if depth and content else "") + content


def unflow(text: str, *, delete_space: bool) -> str:
    """Join the soft line breaks of format=flowed text (RFC 3676), keeping quote levels apart."""
    lines: list[str] = []
    depth_of_pending = 0
    pending: list[str] = []  # a paragraph being joined, as pieces (joining as we go is quadratic)
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):  # space-stuffing
            content = content[1:]
        if pending and depth != depth_of_pending:
            lines.append(_quoted(depth_of_pending, pending))
            pending = []
        if content.endswith(" ") and content != "-- ":
            depth_of_pending = depth
            pending.append(content[:-1] if delete_space else content)
            continue
        pending.append(content)
        lines.append(_quoted(depth, pending))
        pending = []
    if pending:
        lines.append(_quoted(depth_of_pending, pending))
    return "\n".join(lines)
