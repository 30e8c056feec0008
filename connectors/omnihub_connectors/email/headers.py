"""Reading the header fields the hub needs, each on its own, so one broken field never costs the others.

Values are taken raw from the message (unfolded, raw 8-bit bytes decoded by :mod:`.charsets`) and parsed
here; address fields go through the standard library's ``policy.default`` header parser, except for plain
``Name <user@example.com>`` lists, which a regular expression reads to the same result much faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import errors, policy, utils
from email.message import Message

from omnihub_connectors.email.charsets import (
    decode_encoded_words,
    decode_header_bytes,
    normalize_encoded_word_charsets,
    repair_surrogates,
)

MAX_DEFECT_TEXT = 200
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_LINE_BREAK = re.compile(r"[\r\n]+")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class MailAddress:
    address: str  # "user@example.com", domain lower-cased
    name: str | None = None


class RawHeaders:
    """The message's header fields by lower-cased name, unfolded, 8-bit bytes decoded, in message order."""

    __slots__ = ("_fields", "defects", "hint")

    def __init__(self, message: Message, hint: str | None) -> None:
        self._fields: dict[str, list[str]] = {}
        self.defects: list[str] = []
        self.hint = hint
        for name, value in message.raw_items():
            if not isinstance(value, str):  # a header object set by code, never from parsing
                value = str(value)
            unfolded = _LINE_BREAK.sub(" ", _FOLD.sub("", value)).strip()
            decoded, defect = decode_header_bytes(unfolded, hint)
            if defect:
                self.defects.append(f"{name}: {defect}")
            self._fields.setdefault(name.strip().lower(), []).append(decoded)

    def first(self, name: str) -> str | None:
        values = self._fields.get(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self._fields.get(name, [])

    def __contains__(self, name: str) -> bool:
        return name in self._fields

    def __len__(self) -> int:
        return len(self._fields)

    def text(self, name: str) -> str | None:
        """An unstructured field (Subject ...) with RFC 2047 encoded words decoded."""
        value = self.first(name)
        if value is None:
            return None
        decoded, defects = decode_encoded_words(value)
        self.defects.extend(f"{name}: {defect}" for defect in defects)
        return _WHITESPACE.sub(" ", decoded).strip()


def short(text: str) -> str:
    return text if len(text) <= MAX_DEFECT_TEXT else text[: MAX_DEFECT_TEXT - 1] + "…"


# --- Message-IDs

_BRACKETED = re.compile(r"<([^<>]*)>")
# Runs of characters that may form a bare id. Matching "word@word" directly would backtrack over every
# "@" of a long run of them (quadratic on "a@a@a@..."); a run is taken whole and checked for an "@".
_BARE_ID_RUN = re.compile(r"[^\s<>,;\"'()]++")
MAX_ID_LENGTH = 998


def _without_comments_and_quotes(value: str) -> str:
    """Drop (comments) and "quoted strings" outside <...>, where junk such as "Your message of <...>" lives."""
    if "(" not in value and '"' not in value:
        return value
    kept: list[str] = []
    depth = 0
    in_quotes = in_angle = escaped = False
    for character in value:
        if escaped:
            escaped = False
        elif character == "\\" and (depth or in_quotes):
            escaped = True
        elif in_angle:
            kept.append(character)
            in_angle = character != ">"
        elif in_quotes:
            in_quotes = character != '"'
        elif character == "(":
            depth += 1
        elif depth:
            depth -= character == ")"
        elif character == '"':
            in_quotes = True
        else:
            kept.append(character)
            in_angle = character == "<"
    return "".join(kept)


def message_ids(value: str | None) -> tuple[str, ...]:
    """Every Message-ID in an In-Reply-To or References field, without <>, de-duplicated, in order."""
    if not value:
        return ()
    cleaned = _without_comments_and_quotes(value)
    found = ["".join(match.group(1).split()) for match in _BRACKETED.finditer(cleaned)]
    if not found:
        found = [run for run in _BARE_ID_RUN.findall(cleaned) if "@" in run[1:-1]]
    return tuple(dict.fromkeys(ident for ident in found if 0 < len(ident) <= MAX_ID_LENGTH and ident.isprintable()))


def message_id(value: str | None) -> str | None:
    """The Message-ID as the sender set it, without <>; None when missing or garbage."""
    if not value:
        return None
    ids = message_ids(value)
    if ids:
        return ids[0]
    bare = value.strip()
    if bare and len(bare) <= MAX_ID_LENGTH and bare.isprintable() and not any(c in bare for c in ' \t<>"()'):
        return bare
    return None


# --- addresses

# Possessive quantifiers throughout, over classes that never overlap where they meet: a field that is not
# a plain list fails at once instead of backtracking (the full parser takes it then).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+"
_SIMPLE_ADDR_SPEC = rf"{_ATEXT}++(?:\.{_ATEXT}++)*+@{_LABEL}(?:\.{_LABEL})*+"
# A display-name word: atoms, encoded words (their "=?" and "?" are atom characters) and UTF-8 (RFC 6532).
_NAME_WORD = r"(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\x00-\x7f])++"
_SIMPLE_MAILBOX = re.compile(
    rf"[ \t]*(?:(?P<bare>{_SIMPLE_ADDR_SPEC})"
    rf"|(?:\"(?P<quoted>[^\"\\]*+)\"|(?P<phrase>{_NAME_WORD}(?:[ \t.]++{_NAME_WORD})*+\.?))?"
    rf"[ \t]*<(?P<spec>{_SIMPLE_ADDR_SPEC})>)[ \t]*(?:,|$)"
)
# An address found in free text is a run of these characters with an "@" and a dot after it. The run is
# matched whole and split in code: "x+@x+\.x+" over a class that holds "@" and "." backtracks cubically on
# "a@a@a@..." (a few KB of it took seconds, on the event loop).
_ADDRESS_RUN = re.compile(r"[^\s\x00-\x1f\x7f<>()\[\],;:\"'`]++")
_POLICY = policy.default
_ADDRESS_FIELDS = {"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-sender"}


def _address(local: str, domain: str) -> str | None:
    local, domain = local.strip(), domain.strip().rstrip(".").lower()
    if not (local + domain).isprintable():
        local, domain = _printable_only(local), _printable_only(domain)
    return f"{local}@{domain}" if local and domain else None


def _printable_only(text: str) -> str:
    return "".join(character for character in text if character.isprintable())


def _name(display_name: str | None, hint: str | None, defects: list[str]) -> str | None:
    if not display_name:
        return None
    name, defect = repair_surrogates(display_name, hint)
    if defect:
        defects.append(defect)
    if "=?" in name:  # an encoded word the stdlib left alone (inside a quoted string, say)
        name, more = decode_encoded_words(name)
        defects.extend(more)
    name = _WHITESPACE.sub(" ", name).strip().strip('"').strip()
    return name or None


def _simple_addresses(value: str) -> list[MailAddress] | None:
    """The addresses of a plain list, or None when the list needs the full parser."""
    if "(" in value or "\\" in value or ";" in value:
        return None
    found: list[MailAddress] = []
    position = 0
    while position < len(value):
        match = _SIMPLE_MAILBOX.match(value, position)
        if match is None or match.end() == position:
            return None
        spec = match.group("bare") or match.group("spec")
        local, _, domain = spec.rpartition("@")
        name = match.group("quoted") if match.group("quoted") is not None else match.group("phrase")
        if name and "=?" in name:
            name = decode_encoded_words(name)[0]
        name = _WHITESPACE.sub(" ", name).strip() if name else None
        found.append(MailAddress(f"{local}@{domain.lower()}", name or None))
        position = match.end()
    return found


def parse_addresses(field: str, value: str | None, hint: str | None, defects: list[str]) -> tuple[MailAddress, ...]:
    """The mailboxes of an address field; garbage is skipped (with a defect), never fatal."""
    if not value or not value.strip():
        return ()
    simple = _simple_addresses(value)
    if simple is not None:
        return tuple(dict.fromkeys(simple))
    found: list[MailAddress] = []
    try:
        header = _POLICY.header_factory(
            field if field in _ADDRESS_FIELDS else "to", normalize_encoded_word_charsets(value)
        )
        for defect in header.defects:
            if isinstance(defect, errors.ObsoleteHeaderDefect):  # old but valid syntax, nothing to recover
                continue
            defects.append(short(f"{field}: {type(defect).__name__}: {defect}"))
        for mailbox in header.addresses:
            address = _address(mailbox.username, mailbox.domain)
            if address is None:
                continue
            address, defect = repair_surrogates(address, hint)
            if defect:
                defects.append(f"{field}: {defect}")
            found.append(MailAddress(address, _name(mailbox.display_name, hint, defects)))
    except Exception as error:  # the stdlib parser has raised on odd input before; fall back below
        defects.append(short(f"{field}: unparseable ({type(error).__name__}: {error})"))
    if not found:
        for candidate in _address_candidates(value):
            local, _, domain = candidate.rpartition("@")
            address = _address(local, domain)
            if address:
                found.append(MailAddress(address))
        if found:
            defects.append(f"{field}: addresses recovered from malformed field")
    return tuple(dict.fromkeys(found))


def _address_candidates(value: str) -> list[str]:
    """Each run of address characters shaped like "local@domain.tld" (the domain after its last "@")."""
    candidates = []
    for run in _ADDRESS_RUN.findall(value):
        local, at, domain = run.rpartition("@")
        if at and local and "." in domain[1:-1]:
            candidates.append(run)
    return candidates


def addresses_in(value: str | None) -> list[str]:
    """Every user@domain in a free-form field (Delivered-To, Received ... for <...>), domain lower-cased."""
    if not value:
        return []
    found = []
    for candidate in _address_candidates(value):
        local, _, domain = candidate.strip(".").rpartition("@")
        address = _address(local, domain)
        if address:
            found.append(address)
    return found


# --- dates


def parse_date(value: str | None) -> datetime | None:
    """A timezone-aware datetime (UTC when the zone is missing or -0000), or None for garbage."""
    if not value or not value.strip():
        return None
    try:
        parsed = utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def received_date(headers: RawHeaders) -> datetime | None:
    """When the topmost Received field says the message arrived."""
    for received in headers.all("received")[:1]:
        _, semicolon, stamp = received.rpartition(";")
        if semicolon:
            return parse_date(stamp)
    return None
