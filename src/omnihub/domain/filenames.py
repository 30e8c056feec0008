"""One rule for the names attachments are stored and offered for download under.

A name from outside (a mail, an API client) can hold a path (``../../etc/passwd``, ``C:\\x``), control
characters, bidi overrides that make ``exe.pdf`` out of ``fdp.exe``, names Windows refuses (``CON``,
``NUL`` ...), or nothing usable at all. Every way in (API channel, agents' uploads, the e-mail connector)
passes its names through :func:`clean_filename`, so what an agent sees and downloads is the same
everywhere: the last path component only, printable, at most :data:`MAX_FILENAME_BYTES` bytes of UTF-8
with the extension kept, and never empty.
"""

import re
import unicodedata

MAX_FILENAME_BYTES = 200
DEFAULT_FILENAME = "attachment"

# Characters that are visible trouble: C0/C1 controls (CR/LF would split a header), characters Windows
# refuses in names, and the bidi controls that reorder what a reader sees. They become "_" so the name
# still shows that something was there; other invisible characters are dropped (see _printable).
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]')
_WINDOWS_RESERVED = re.compile(
    r"^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(?:\..*)?$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_LONGEST_KEPT_EXTENSION = 10


def _truncate(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_FILENAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > _LONGEST_KEPT_EXTENSION:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = MAX_FILENAME_BYTES - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return cut + suffix


def _printable(name: str) -> str:
    """Format characters (zero-width ones included), unassigned code points and lone surrogates go."""
    if name.isprintable():
        return name
    return "".join(character for character in name if character.isprintable())


def clean_filename(name: str | None, *, fallback: str = DEFAULT_FILENAME) -> str:
    """A name that is safe on any file system and in a Content-Disposition header; ``fallback`` when
    nothing usable is left. Cleaning a cleaned name changes nothing."""
    if not name:
        return fallback
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # directories never count, whatever the separator
    name = _UNSAFE.sub("_", name)
    name = _SPACES.sub(" ", name)
    name = unicodedata.normalize("NFC", _printable(name))
    name = name.strip(" .")  # trailing dots and spaces vanish on Windows; a leading dot hides the file
    if not name.strip("_"):
        return fallback
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    return _truncate(name) or fallback
