"""Telling the new part of a reply from the quoted history and the signature.

The quoted history starts at the first of:

- a reply header as the ``mail-parser-reply`` library knows it, in any of :data:`LANGUAGES`: Gmail and Apple
  Mail attribution lines ("On <date>, <name> <addr> wrote:", "Am ... schrieb ...:"), Outlook header blocks
  ("From: ... / Sent: ... / To: ..." in the client's language) and ``-----Original Message-----``;
- the same for languages the library lacks (Arabic, Hebrew, Portuguese, Russian) and a Spanish attribution the
  library's pattern misses (it wants two spaces before "escribió");
- an attribution-like line (ending in ":", holding a date or an address) followed by ">"-quoted lines, in any
  language;
- a run of ">"-quoted lines that lasts to the end of the text.

A separator line right above (Outlook's row of underscores, a horizontal rule) goes with the history.
Interleaved answers ("> question / answer / > question / answer") are left whole, as is a forwarded message:
what a customer forwards is new to the hub, not history. When nothing precedes the history (a mail that is
all quote), nothing is split off.

The signature is what follows the last ``-- `` delimiter (when at most a dozen lines follow it), or a
"Sent from my iPhone"-style line among the last lines. The library's own signature rules are not used: they
treat "Thanks," or a line starting with "- " as the start of a signature and would hide real text.

To bound the work on hostile input, only the first :data:`MAX_SCANNED_LINES` lines are searched, each cut
to :data:`MAX_SCANNED_LINE` characters, and the library's patterns (some of which backtrack) are tried on at
most :data:`MAX_HEADER_CANDIDATES` lines that could start a header (a colon on it or the two lines below,
or a leading "-"). A reply header beyond these limits is not found, and the text stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailparser_reply.constants import (
    GENERIC_MAIL_SEPARATOR,
    MAIL_LANGUAGES,
)

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "sv", "da", "cs", "pl", "ja", "zh", "ko")
MAX_SCANNED_LINES = 3000
MAX_SCANNED_LINE = 200
MAX_HEADER_CANDIDATES = 400

_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")


def _library_header_patterns() -> list[str]:
    patterns = [f"({GENERIC_MAIL_SEPARATOR})"]
    for language in LANGUAGES:
        entries = MAIL_LANGUAGES[language]
        for key in ("wrote_header", "from_header"):
            pattern = entries.get(key)
            if not pattern:
                continue
            if language == "pl" and key == "from_header":
                # The Polish block needs only one line, so any "Data: ..." or "Do: ..." line would match.
                pattern = pattern.replace("){1,}(", "){2,}(")
            patterns.append(pattern)
    return patterns


_LIBRARY_HEADERS = re.compile("|".join(_library_header_patterns()), re.MULTILINE | re.IGNORECASE)

_FORWARD_MARKER = re.compile(
    r"^(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transf[ée]r[ée]|mensaje reenviado"
    r"|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada|пересылаемое сообщение"
    r"|الرسالة المعاد توجيهها|الرسالة المُعاد توجيهها|הודעה שהועברה|転送されたメッセージ|转发的邮件)\s*-{2,}"
    r"|begin forwarded message:|anfang der weitergeleiteten nachricht:|début du message réexpédié ?:"
    r"|comienzo del mensaje reenviado:|inizio messaggio inoltrato:|início da mensagem reencaminhada:)$",
    re.IGNORECASE,
)
# Outlook's and Thunderbird's reply separators in the languages the library has no separator for.
_ORIGINAL_MESSAGE = re.compile(
    r"^-{3,}\s*(?:original message|urspr[üu]ngliche nachricht|message d'origine|mensaje original"
    r"|messaggio originale|oorspronkelijk bericht|mensagem original|исходное сообщение|הודעה מקורית"
    r"|الرسالة الأصلية|原始邮件)\s*-{3,}$",
    re.IGNORECASE,
)
# Outlook's row of underscores or a horizontal rule rendered as text, right above a reply header.
_SEPARATOR = re.compile(r"^[_\-=—]{3,}$")
_SENT_FROM = re.compile(
    r"^(?:sent from (?:my|mail for|outlook|yahoo)|sent with |get outlook for |envoyé (?:de|depuis) mon "
    r"|von meinem .{1,40} gesendet|gesendet von (?:meinem|mein)|enviado (?:desde|do|de) (?:mi|meu|o meu) "
    r"|inviato da |verzonden (?:vanaf|met) (?:mijn|een) |verstuurd vanaf mijn |skickat från min |sendt fra min "
    r"|odesláno z |wysłano z |отправлено (?:с|из) |أرسلت من |أُرسلت من |مرسل من |تم الإرسال من |נשלח מ"  # noqa: RUF001
    r"|从我的|내 .{1,20}에서 보냄)",
    re.IGNORECASE,
)
_SENT_FROM_MAX = 80
_SIGNATURE_MAX_LINES = 12
_SENT_FROM_WITHIN_LAST = 3

# Outlook header block labels the library does not know, by language; the block starts with a "from" label.
_FROM_LABELS = ("من:", "المرسل:", "מאת:", "de:", "от:")
_HEADER_LABELS = (
    *_FROM_LABELS,
    "أرسلت:", "أُرسلت:", "مرسل:", "تم الإرسال:", "تاريخ الإرسال:", "التاريخ:", "إلى:", "الى:", "نسخة:",
    "نسخة إلى:", "الموضوع:", "נשלח:", "תאריך:", "אל:", "עותק:", "נושא:", "enviado:", "enviada em:",
    "data:", "para:", "cc:", "assunto:", "отправлено:", "дата:", "кому:", "копия:", "тема:",
)  # fmt: skip
# "From:", "Enviada em:", "تم الإرسال:": one to three words of letters, then the colon.
# Leading quote marks and blanks stay within the line ("\\s" would run on over blank lines, and back).
_LABEL_LINE = re.compile("^(?:[>*]|[^\\S\\n])*+[^\\W\\d_]+(?: [^\\W\\d_]+){0,2} ?[:\uff1a]", re.MULTILINE)
_RU_WROTE = ("пишет:", "написал:", "написала:", "написал(а):")  # noqa: RUF001


@dataclass(frozen=True, slots=True)
class ReplyParts:
    reply: str
    quoted: str | None
    signature: str | None


def _probe_lines(text: str) -> list[str]:
    """Lines as the patterns see them: no bidi marks, no surrounding space, bounded length."""
    if not text.isascii():
        text = _BIDI_MARKS.sub("", text)
    return [line.strip()[:MAX_SCANNED_LINE] for line in text.split("\n", MAX_SCANNED_LINES)[:MAX_SCANNED_LINES]]


def _unquoted(line: str) -> str:
    return line.lstrip("> ").strip() if line.startswith(">") else line


def _is_attribution(line: str) -> bool:
    """An "X wrote:" line in a language the library does not know."""
    if not line.endswith(":"):
        return False
    if line.startswith("في ") and ("كتب" in line or "كتابة" in line):
        return True
    if (line.startswith("בתאריך ") and "מאת" in line) or (line.startswith("ב") and "כתב" in line):
        return True
    if line.startswith("El ") and line.endswith("escribió:"):
        return True
    if line.startswith(("Em ", "No dia ")) and line.endswith("escreveu:"):
        return True
    return line.endswith(_RU_WROTE)


def _is_header_block(lines: list[str], index: int) -> bool:
    first = lines[index].lower()
    if not first.startswith(_FROM_LABELS) or index + 1 >= len(lines):
        return False
    return lines[index + 1].lower().startswith(_HEADER_LABELS) and _plausible_block("\n".join(lines[index : index + 5]))


def _plausible_block(block: str) -> bool:
    """Whether a matched reply header is one: a "From:/To:" block needs an address or three fields.

    Two short "Label: value" lines are too common in what people write ("From: London / To: Paris").
    """
    first = block.lstrip("\n").split("\n", 1)[0]
    if not _LABEL_LINE.match(first):
        return True  # an attribution ("On ... wrote:") or a separator line
    return "@" in block or len(_LABEL_LINE.findall(block)) >= 3


def _next_non_blank(lines: list[str], index: int) -> int | None:
    for following in range(index + 1, min(len(lines), index + 3)):
        if lines[following]:
            return following
    return None


def _could_start_header(probe: list[str], index: int) -> bool:
    """Whether a library pattern could match here: each ends in a colon within three lines, but one."""
    if probe[index].startswith("-"):
        return True
    return any(":" in line or "\uff1a" in line for line in probe[index : index + 3])


def _library_boundary(probe: list[str]) -> int | None:
    # Every library pattern starts at a line start, so matching there (not searching every character)
    # finds the same first header in a fraction of the time.
    joined = "\n".join(probe)
    position = 0
    tried = 0
    for index, line in enumerate(probe):
        if line and _could_start_header(probe, index):
            match = _LIBRARY_HEADERS.match(joined, position)
            if match and _plausible_block(match.group(0)):
                return index
            tried += 1
            if tried >= MAX_HEADER_CANDIDATES:
                return None
        position += len(line) + 1
    return None


def _own_boundary(probe: list[str]) -> int | None:
    unquoted = [_unquoted(line) for line in probe]
    for index, line in enumerate(probe):
        bare = unquoted[index]
        if not bare:
            continue
        if _is_attribution(bare) or _ORIGINAL_MESSAGE.match(bare) or _is_header_block(unquoted, index):
            return index
        if bare.endswith(":") and not line.startswith(">") and ("@" in bare or any(c.isdigit() for c in bare)):
            following = _next_non_blank(probe, index)
            if following is not None and probe[following].startswith(">"):
                return index
    return None


def _trailing_quote(probe: list[str], total: int) -> int | None:
    if len(probe) < total:
        return None  # the end of the text was not scanned
    index = len(probe)
    quoted = 0
    while index > 0 and (not probe[index - 1] or probe[index - 1].startswith(">")):
        index -= 1
        quoted += probe[index].startswith(">")
    if not quoted:
        return None
    while index < len(probe) and not probe[index]:
        index += 1
    above = index - 1
    while above >= 0 and not probe[above]:
        above -= 1
    if above >= 0 and probe[above].endswith(":") and ("@" in probe[above] or any(c.isdigit() for c in probe[above])):
        return above
    return index


def _forward_marker(probe: list[str]) -> int | None:
    for index, line in enumerate(probe):
        if line and line[0] in "-BbAaDdCcIi" and _FORWARD_MARKER.match(line):
            return index
    return None


def _quote_start(lines: list[str], probe: list[str]) -> int | None:
    found = [start for start in (_library_boundary(probe), _trailing_quote(probe, len(lines))) if start is not None]
    own = _own_boundary(probe[: min(found) + 1] if found else probe)
    if own is not None:
        found.append(own)
    if not found:
        return None
    start = min(found)
    forward = _forward_marker(probe[: start + 1])
    if forward is not None and forward <= start:
        return None
    above = start - 1
    while above >= 0 and not probe[above]:
        above -= 1
    if above >= 0 and _SEPARATOR.match(probe[above]):
        start = above
    return start


def _signature_start(lines: list[str], probe: list[str]) -> int | None:
    if len(probe) < len(lines):
        return None  # the end of the text, where a signature would be, was not scanned
    non_blank = [index for index, line in enumerate(probe) if line]
    candidates = []
    for index in reversed(non_blank):
        if probe[index] == "--":
            if sum(1 for each in non_blank if each > index) <= _SIGNATURE_MAX_LINES:
                candidates.append(index)
            break
    for index in non_blank[-_SENT_FROM_WITHIN_LAST:]:
        if len(probe[index]) <= _SENT_FROM_MAX and _SENT_FROM.match(probe[index]):
            candidates.append(index)
            break
    return min(candidates) if candidates else None


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n").rstrip()


def split_reply(text: str) -> ReplyParts:
    """Split ``text`` (newlines already ``\\n``) into the new reply, the quoted history and the signature.

    ``reply`` is ``text`` itself when nothing is found, and never empty when ``text`` is not.
    """
    lines = text.split("\n")
    probe = _probe_lines(text)
    start = _quote_start(lines, probe)
    quoted = None
    if start is not None and _join(lines[:start]).strip():
        quoted = _join(lines[start:]) or None
        lines = lines[:start]
    signature_at = _signature_start(lines, probe[: len(lines)])
    signature = None
    if signature_at is not None:
        delimiter = lines[signature_at].strip() == "--"
        body = _join(lines[:signature_at])
        if body.strip():
            signature = _join(lines[signature_at + 1 if delimiter else signature_at :]) or None
            lines = lines[:signature_at]
    if quoted is None and signature is None:
        return ReplyParts(text, None, None)
    return ReplyParts(_join(lines), quoted, signature)
