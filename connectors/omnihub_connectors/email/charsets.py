"""Turning the bytes of a mail body or header into text, whatever charset the sender claimed.

Real mailboxes hold labels Python does not know (``iso-8859-8-i``, ``windows-874``), labels that lie
(UTF-8 sent as ``iso-8859-1``, ``windows-1256`` sent as ``iso-8859-6``) and 8-bit text with no label at
all. :func:`decode_text` tries, in order:

1. for a single-byte label (Latin, Arabic, Hebrew, Cyrillic ...): UTF-8, because legacy single-byte text
   practically never forms valid UTF-8 while UTF-8 mislabelled as Latin-1 is common;
2. the declared charset, read as the superset mail clients really use, as browsers do (WHATWG Encoding
   Standard): ``iso-8859-1`` is windows-1252, ``gb2312`` is gb18030, ``shift_jis`` is cp932,
   ``euc-kr`` is cp949, ``iso-8859-8-i`` is iso-8859-8;
3. codecs that are frequently confused with the declared one (``iso-8859-6`` -> ``windows-1256``,
   ``big5`` -> ``cp950`` ...);
4. UTF-8;
5. nothing fits: the declared codec (or UTF-8) with replacement characters when only a few bytes are bad,
   otherwise windows-1252, which gives every byte some character.

Every step after the first successful guess records a defect, so an admin can see why a message looks odd.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from functools import lru_cache

# Names mail clients use that Python does not know, or knows as a narrower charset than the one meant.
_LABEL_ALIASES = {
    "iso-8859-8-i": "iso8859-8",
    "iso-8859-8-e": "iso8859-8",
    "iso_8859-8-i": "iso8859-8",
    "iso_8859-8-e": "iso8859-8",
    "csiso88598i": "iso8859-8",
    "csiso88598e": "iso8859-8",
    "logical": "iso8859-8",
    "visual": "iso8859-8",
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
    "iso_8859-6-i": "iso8859-6",
    "iso_8859-6-e": "iso8859-6",
    "windows-874": "cp874",
    "x-windows-874": "cp874",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "x-gbk": "gb18030",
    "x-euc-cn": "gb18030",
    "x-windows-949": "cp949",
    "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-greek": "mac-greek",
    "x-mac-turkish": "mac-turkish",
    "x-unicode20utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-user-defined": "cp1252",
}

# The superset each narrow codec is sent as in practice.
_SUPERSETS = {
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}

# Codecs tried after the declared one fails: those it is most often confused with.
_RELATED = {
    "iso8859-6": ("cp1256",),
    "iso8859-8": ("cp1255",),
    "cp1255": ("iso8859-8",),
    "koi8-r": ("koi8-u", "cp1251"),
    "cp1251": ("koi8-r",),
    "iso2022_jp": ("iso2022_jp_2", "iso2022_jp_ext", "iso2022_jp_2004", "cp932"),
    "euc_jp": ("euc_jis_2004", "cp932"),
    "cp932": ("shift_jis_2004", "euc_jp"),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("big5hkscs",),
    "cp949": ("johab",),
}

# Codecs that are not character sets, or that turn bytes into something other than the text they carry.
_REFUSED_CODECS = {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "mbcs", "oem"}

# 7-bit encodings whose ASCII-looking bytes still need decoding (escape sequences, base64 runs, NUL bytes).
_NOT_ASCII_COMPATIBLE = ("utf-7", "utf-16", "utf-32", "iso2022", "hz")

_ASCII_BYTES = bytes(range(128))
# windows-1252 for the bytes 0x80-0x9F, which Latin-1 leaves as control characters.
_C1_AS_CP1252 = {
    byte: character
    for byte in range(0x80, 0xA0)
    if (character := bytes([byte]).decode("cp1252", errors="replace")) != "\ufffd"
}

# A few stray bytes in otherwise well-formed text are corruption, many are a wrong charset.
_TOLERATED_BAD_SHARE = 0.1


def _strip_label(label: str) -> str:
    return label.strip().strip("\"'").strip().lower()


@lru_cache(maxsize=512)
def codec_for(label: str | None) -> str | None:
    """The Python codec name that decodes what senders mean by ``label``, or None if unknown."""
    if not label:
        return None
    name = _strip_label(label)
    name = _LABEL_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return None
    return _SUPERSETS.get(info.name, info.name)


@lru_cache(maxsize=128)
def _is_single_byte(codec: str) -> bool:
    if codec.startswith(_NOT_ASCII_COMPATIBLE) or codec == "utf-8":
        return False
    return len(bytes(range(256)).decode(codec, errors="replace")) == 256


def _latin1_as_cp1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_C1_AS_CP1252)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def decode_text(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode ``data`` declared as charset ``declared``; return the text and a defect, if any.

    Never raises; see the module docstring for the order in which charsets are tried.
    """
    codec = codec_for(declared)
    unknown = f"unknown charset {declared!r}" if declared and codec is None else None
    if not data:
        return "", unknown
    if codec is None and (b"\x1b$B" in data or b"\x1b$@" in data):  # undeclared ISO-2022-JP
        codec = "iso2022_jp"
    if data.isascii() and not (codec and codec.startswith(_NOT_ASCII_COMPATIBLE)):
        return data.decode("ascii"), unknown

    candidates: list[str] = []
    if codec is None or _is_single_byte(codec):
        candidates.append("utf-8")
    if codec:
        candidates.append(codec)
        candidates.extend(_RELATED.get(codec, ()))
    candidates.append("utf-8")
    for position, candidate in enumerate(dict.fromkeys(candidates)):
        text = _strict(data, candidate)
        if text is None:
            continue
        if codec is None or candidate == codec:
            return text, unknown
        if position == 0 and candidate == "utf-8":
            return text, f"text declared as {declared!r} is UTF-8"
        return text, f"text is not valid {declared!r}; read as {candidate}"
    return _decode_leniently(data, declared, codec)


def _decode_leniently(data: bytes, declared: str | None, codec: str | None) -> tuple[str, str]:
    best_guess = codec or "utf-8"
    try:
        text = data.decode(best_guess, errors="replace")
    except (LookupError, ValueError):  # stateful codecs can refuse even with errors="replace"
        text = None
    if text is not None:
        bad = text.count("\ufffd")
        non_ascii = len(data.translate(None, _ASCII_BYTES))
        if bad <= non_ascii * _TOLERATED_BAD_SHARE:
            return text, f"text has {bad} byte(s) that are not valid {declared or best_guess!r}; replaced"
    return _latin1_as_cp1252(data), f"text is not valid {declared or 'UTF-8'!r}; read as windows-1252"


def decode_header_bytes(value: str, hint: str | None) -> tuple[str, str | None]:
    """Decode a raw header value whose 8-bit bytes the parser kept as surrogate escapes.

    Raw 8-bit header bytes are tried as UTF-8 first, then as ``hint`` (the charset of the message's text),
    as Thunderbird does, then the usual fallbacks.
    """
    if not _has_surrogates(value):
        return value, None
    data = value.encode("utf-8", errors="surrogateescape")
    text = _strict(data, "utf-8")
    if text is not None:
        return text, None
    hint_codec = codec_for(hint)
    if hint_codec and (text := _strict(data, hint_codec)) is not None:
        return text, f"raw 8-bit header read as {hint_codec}"
    text, defect = decode_text(data, None)
    return text, f"raw 8-bit header: {defect}" if defect else None


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# Lenient on purpose: malformed senders put spaces inside the encoded text or omit the charset.
_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([bBqQ])\?([^?]*)(?:\?=|$)")
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")


def _decode_b(encoded: str) -> bytes:
    cleaned = _NOT_BASE64.sub("", encoded.replace("-", "+").replace("_", "/"))
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        return encoded.encode("utf-8", errors="surrogateescape")


def _decode_q(encoded: str) -> bytes:
    raw = encoded.replace("_", " ").encode("utf-8", errors="surrogateescape")
    return _Q_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)


def decode_encoded_words(value: str) -> tuple[str, list[str]]:
    """Decode RFC 2047 encoded words anywhere in ``value`` (also malformed ones); return text and defects.

    Adjacent encoded words in the same charset are joined before decoding, so a character split across two
    words (as some encoders do) comes out whole.
    """
    if "=?" not in value:
        return value, []
    pieces: list[str] = []
    defects: list[str] = []
    pending = b""
    pending_charset: str | None = None
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset is not None:
            text, defect = decode_text(pending, pending_charset or None)
            pieces.append(text)
            if defect:
                defects.append(f"encoded word: {defect}")
        pending, pending_charset = b"", None

    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if pending_charset is None or between.strip():
            flush()
            pieces.append(between)
        charset = match.group(1).split("*", 1)[0]  # RFC 2231 language suffix: =?utf-8*en?Q?...?=
        data = _decode_b(match.group(3)) if match.group(2) in "bB" else _decode_q(match.group(3))
        if pending_charset is not None and charset.lower() != pending_charset.lower():
            flush()
        pending_charset = charset
        pending += data
        position = match.end()
    flush()
    pieces.append(value[position:])
    return "".join(pieces), defects


def normalize_encoded_word_charsets(value: str) -> str:
    """Rename the charsets of encoded words to codecs Python knows, before the stdlib header parser sees them."""
    if "=?" not in value:
        return value

    def rename(match: re.Match[str]) -> str:
        codec = codec_for(match.group(1).split("*", 1)[0])
        return f"=?{codec or match.group(1)}?{match.group(2)}?{match.group(3)}?=" if codec else match.group(0)

    return _ENCODED_WORD.sub(rename, value)


def repair_surrogates(value: str, hint: str | None) -> tuple[str, str | None]:
    """Text the stdlib left with surrogate escapes (bytes of an unknown charset) decoded by our rules."""
    if not _has_surrogates(value):
        return value, None
    return decode_header_bytes(value, hint)
