"""Keeping sanitized HTML within MAX_NESTING levels of elements, and the sanitizer's work bounded.

Two passes. Before parsing, a cheap scan drops start tags deeper than the limit (with their end tags;
their text stays), so the parser never builds an absurdly deep tree: the parser behind nh3 slows down
quadratically with depth. The scan follows the parser where it matters for depth: an end tag closes
the innermost open element of its name and everything inside it, and an end tag that matches nothing
open is ignored, as the parser ignores it (``'<div></x>' * 10000`` is 10,000 nested ``div``s, not 0).

Formatting elements (``<b>``, ``<font>`` ...) need more: one closed by the end of an enclosing element
stays "active" for the parser, which opens it again at the next text, so 250 unclosed ``<b>`` inside a
``<div>`` followed by many short ``<div>x</div>`` make the output hundreds of times the input. The scan
keeps count of the active ones as the parser does (only their own end tag ends them) and drops the start
tags beyond MAX_ACTIVE_FORMATTING, so each text is wrapped in at most that many again.

The scan cannot follow every rule of HTML parsing (implied and re-opened elements, tables), so after
sanitizing, the output, which is well-formed, is measured exactly, and elements beyond the limit are
unwrapped. What is stored therefore never nests deeper than MAX_NESTING, whatever the input.
"""

import re

# Real mail nests a few dozen deep; browsers themselves stop nesting at 512.
MAX_NESTING = 256
# Unclosed <font> and <b> tags pile up in real mail, but a dozen at once is already rare.
MAX_ACTIVE_FORMATTING = 16
_FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}

_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*+)")
# Elements that never hold others (void) or close themselves (<p> ... <p>): they do not make input deeper.
_FLAT = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "p", "li", "dt", "dd", "option", "tr", "td", "th",
}  # fmt: skip
# What the serializer writes without an end tag.
_VOID = {
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
}  # fmt: skip
# A tag as the serializer writes it: attribute values always double-quoted, and they may hold "<" or ">".
_SERIALIZED_TAG = re.compile(r'<(/?)([A-Za-z][^\s/>]*+)(?:[^">]|"[^"]*+")*+>')


def limit_nesting_before_parsing(html: str) -> str:
    """``html`` without the start tags (and their end tags) that would open more than MAX_NESTING levels,
    or more than MAX_ACTIVE_FORMATTING formatting elements at once."""
    if html.count("<") <= MAX_ACTIVE_FORMATTING:
        return html
    open_names: list[str] = []
    active_formatting: list[str] = []
    dropped: dict[str, int] = {}
    pieces: list[str] = []
    kept_until = 0
    for tag in _TAG_START.finditer(html):
        if tag.start() < kept_until:  # inside a tag dropped below
            continue
        name = tag.group(2).lower()
        if name in _FLAT:
            continue
        if tag.group(1):
            drop = dropped.get(name, 0) > 0
            if drop:
                dropped[name] -= 1
            else:
                _close(open_names, name)
                if name in _FORMATTING:
                    _close(active_formatting, name, innermost_only=True)
        else:
            formatting = name in _FORMATTING
            drop = len(open_names) >= MAX_NESTING or (formatting and len(active_formatting) >= MAX_ACTIVE_FORMATTING)
            if drop:
                dropped[name] = dropped.get(name, 0) + 1
            else:
                open_names.append(name)
                if formatting:
                    active_formatting.append(name)
        if drop:
            end = html.find(">", tag.end())
            pieces.append(html[kept_until : tag.start()])
            kept_until = len(html) if end < 0 else end + 1
    if not pieces:
        return html
    pieces.append(html[kept_until:])
    return "".join(pieces)


def _close(names: list[str], name: str, *, innermost_only: bool = False) -> None:
    """An end tag: the innermost open ``name`` ends, and (for elements) all opened inside it."""
    if name not in names:  # at most MAX_NESTING names to look through
        return
    position = len(names) - 1 - names[::-1].index(name)
    if innermost_only:
        del names[position]
    else:
        del names[position:]


def unwrap_beyond_limit(serialized: str) -> str:
    """Sanitizer output with every element deeper than MAX_NESTING unwrapped (its content kept)."""
    if serialized.count("<") <= MAX_NESTING:
        return serialized
    depth = 0
    pieces: list[str] = []
    kept_from = 0
    for tag in _SERIALIZED_TAG.finditer(serialized):
        name = tag.group(2).lower()
        if name in _VOID:
            continue
        closing = bool(tag.group(1))
        if not closing:
            depth += 1
        if depth > MAX_NESTING:
            pieces.append(serialized[kept_from : tag.start()])
            kept_from = tag.end()
        if closing:
            depth -= 1
    if not pieces:
        return serialized
    pieces.append(serialized[kept_from:])
    return "".join(pieces)
