"""Sanitising HTML that customers send, before an agent's browser ever renders it.

What survives: text, structure and formatting (nh3's default tags plus ``font``, table layout attributes
and a safe subset of inline CSS), ``dir`` and ``lang`` (right-to-left text needs them), links (http, https,
mailto, tel; opened with ``rel="noopener noreferrer nofollow"``), inline images (``cid:`` and
``data:image/`` in a raster format) and, of ``class``, only the names mail clients mark quoted history with
(``gmail_quote`` ...: see ``QUOTE_CLASSES``).

What does not:

- anything that runs: ``<script>``, event handlers, ``javascript:``/``vbscript:`` and ``data:`` links;
- anything that loads from elsewhere or reads the page: ``<link>``, ``<base>``, ``<meta>`` (refresh),
  ``<iframe>``, ``<object>``, ``<embed>``, ``<form>``, ``<svg>``, ``srcset``, ``background=``,
  ``<style>`` sheets, and in ``style`` attributes ``url()``, ``@import``, ``expression()``, ``image-set()``,
  CSS escapes and comments, as well as the properties that could lay a message over the console
  (``position``, ``z-index`` ...);
- remote images. A remote ``<img src="https://...">`` loses its ``src`` (the element stays with its
  ``alt`` text): remote images tell the sender when, where and how often a message is read (tracking
  pixels), so like the mail clients that block remote content by default, the hub never loads them.
  They are dropped rather than kept aside for a "load images" button: an agent does not need them, and
  nothing that leaks stays in what is stored;
- relative URLs, which would point into the hub itself.
"""

import re
from itertools import islice

import nh3

from omnihub.domain.html_nesting import MAX_NESTING, limit_nesting_before_parsing, unwrap_beyond_limit

__all__ = ["MAX_ATTRIBUTES", "MAX_NESTING", "QUOTE_CLASSES", "SanitizedHtml", "ensure_sanitized", "sanitize_html"]


class SanitizedHtml(str):
    """What :func:`sanitize_html` returned (or a piece of it): sanitizing it again would change nothing.

    Sanitizing a large body costs noticeable time, so the ingest, which sanitizes whatever it is given,
    skips HTML of this type: sanitized already in a worker process (a parsed mail, a large API body).
    """

    __slots__ = ()


_ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid", "data"}
_INLINE_IMAGE_DATA = ("data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif", "data:image/webp")

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "tfoot", "address", "big"}
_REMOVED_WITH_CONTENT = {"script", "style", "title", "noscript", "template", "svg", "math", "head"}

_ALLOWED_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
# Right-to-left text (Arabic, Hebrew) needs ``dir`` to render correctly; none of these can run anything.
_ALLOWED_ATTRIBUTES["*"] = {"dir", "lang", "title", "align", "style", "class"}
# The only classes kept: those by which mail clients mark the quoted history, so that the console can
# fold it away. Any other class is dropped (the console has no use for it).
QUOTE_CLASSES = frozenset({"gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote"})
_LAYOUT = {"width", "height", "valign", "bgcolor", "border", "cellpadding", "cellspacing", "nowrap", "colspan"}
for _tag in ("table", "tr", "td", "th", "thead", "tbody", "tfoot", "col", "colgroup"):
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).update(_LAYOUT)
_ALLOWED_ATTRIBUTES["font"] = {"color", "face", "size"}
_ALLOWED_ATTRIBUTES["li"] = {"value"}
_ALLOWED_ATTRIBUTES["ol"] = {"start", "type"}

_CSS_PROPERTIES = {
    "color", "background-color", "font", "font-family", "font-size", "font-style", "font-weight",
    "font-variant", "text-align", "text-decoration", "text-transform", "text-indent", "letter-spacing",
    "word-spacing", "line-height", "white-space", "word-break", "word-wrap", "overflow-wrap", "direction",
    "unicode-bidi", "vertical-align", "border", "border-top", "border-right", "border-bottom", "border-left",
    "border-color", "border-style", "border-width", "border-collapse", "border-spacing", "border-radius",
    "padding", "padding-top", "padding-right", "padding-bottom", "padding-left", "margin", "margin-top",
    "margin-right", "margin-bottom", "margin-left", "width", "height", "max-width", "min-width", "max-height",
    "min-height", "list-style-type", "table-layout", "caption-side", "empty-cells", "display",
}  # fmt: skip
_CSS_FORBIDDEN_VALUES = ("url(", "expression", "\\", "@import", "script:", "image(", "image-set(", "/*", "<", "var(")
# Properties that are kept, but not with values that hide text from the agent or move it over other text:
# a sender could otherwise show the agent something other than what the message says.
_NEGATIVE = re.compile(r"-\s*+\.?\d")
_NEGATIVE_NOT_ALLOWED = {"margin", "margin-top", "margin-right", "margin-bottom", "margin-left", "text-indent",
                         "letter-spacing", "word-spacing", "line-height", "padding", "border-spacing"}  # fmt: skip
_SIZE = re.compile(r"(?<![\w.-])(\d++(?:\.\d++)?+|\.\d++)(px|pt|em|rem|ex|ch|%|vw|vh)?+(?![\w.-])")
_SMALLEST_VISIBLE = {"px": 6.0, "pt": 5.0, "em": 0.4, "rem": 0.4, "ex": 0.8, "ch": 0.8, "%": 40.0, "vw": 0.5, "vh": 0.5}
_VERTICAL_ALIGN = {"baseline", "sub", "super", "top", "text-top", "middle", "bottom", "text-bottom", "inherit"}
_UNICODE_BIDI = {"normal", "embed", "isolate", "plaintext", "inherit"}  # no "bidi-override": it reverses text
_ALPHA = re.compile(r"(?:rgba?|hsla?)\(([^)]*+)\)")


def _hides_text(name: str, value: str) -> bool:
    """Whether a declaration this sanitizer otherwise allows would hide or displace the message's text."""
    if name == "display":
        return value == "none"
    if name in _NEGATIVE_NOT_ALLOWED and _NEGATIVE.search(value):
        return True
    if name in ("font-size", "font"):
        return any(_too_small(number, unit, 1.0) for number, unit in _SIZE.findall(value.partition("/")[0]))
    if name == "line-height":
        return any(_too_small(number, unit, 0.5) for number, unit in _SIZE.findall(value))
    if name == "vertical-align":
        return value not in _VERTICAL_ALIGN
    if name == "unicode-bidi":
        return value not in _UNICODE_BIDI
    if name == "color":
        return "transparent" in value or any(_transparent(arguments) for arguments in _ALPHA.findall(value))
    return False


def _too_small(number: str, unit: str, smallest_without_unit: float) -> bool:
    return float(number) < _SMALLEST_VISIBLE.get(unit, smallest_without_unit)


def _transparent(color_arguments: str) -> bool:
    """Whether rgba()/hsla() arguments ("0, 0, 0, 0" or "0 0 0 / 0%") end in an alpha of zero."""
    parts = re.split(r"[,/]", color_arguments)
    if len(parts) < 4 and "/" not in color_arguments:
        return False
    try:
        return float(parts[-1].strip().removesuffix("%")) == 0
    except ValueError:
        return False


def _safe_style(value: str) -> str | None:
    kept = []
    for declaration in value.split(";"):
        name, colon, css_value = declaration.partition(":")
        name = name.strip().lower()
        if not colon or name not in _CSS_PROPERTIES:
            continue
        lowered = css_value.strip().lower().removesuffix("!important").strip()
        if any(token in lowered for token in _CSS_FORBIDDEN_VALUES) or _hides_text(name, lowered):
            continue
        kept.append(f"{name}:{css_value.strip()}")
    return ";".join(kept) or None


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return _safe_style(value)
    if attribute == "class":
        return " ".join(sorted(set(value.split()) & QUOTE_CLASSES)) or None
    if attribute == "src":
        return value if value.lower().startswith(("cid:", *_INLINE_IMAGE_DATA)) else None
    if value.lstrip().lower().startswith("data:"):
        return None
    return value


# The parser behind nh3 also slows down with the number of attributes of one tag: a tag with more than
# MAX_ATTRIBUTES attributes loses the rest before parsing. Real mail has a handful per tag.
MAX_ATTRIBUTES = 128
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{4096,}>?")
# Possessive, and only from the start of a run of blanks: a tag of a megabyte of blanks costs one pass.
_ATTRIBUTE = re.compile(r"""(?<!\s)\s++[^\s=>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?+""")


def _trim_attributes(tag: re.Match[str]) -> str:
    text = tag.group(0)
    name_end = re.match(r"<[A-Za-z][A-Za-z0-9-]*", text)
    start = name_end.end() if name_end else 2
    attributes = [match.group(0) for match in islice(_ATTRIBUTE.finditer(text, start), MAX_ATTRIBUTES + 1)]
    if len(attributes) <= MAX_ATTRIBUTES:
        return text
    return text[:start] + "".join(attributes[:MAX_ATTRIBUTES]) + ">"


# Sanitized HTML is never larger than this, or than this many times its input (whichever is more).
MAX_OUTPUT_CHARS = 2 * 1024 * 1024
OUTPUT_GROWTH = 4


def _bounded(html: str) -> str:
    """``html`` without the constructs that would make sanitizing it slow: overlong tags, deep nesting."""
    if len(html) > 4096:
        html = _LONG_TAG.sub(_trim_attributes, html)
    return limit_nesting_before_parsing(html)


def ensure_sanitized(html: str) -> SanitizedHtml:
    """``html`` sanitized, unless it was already (see :class:`SanitizedHtml`)."""
    return html if isinstance(html, SanitizedHtml) else sanitize_html(html)


def sanitize_html(html: str) -> SanitizedHtml:
    """HTML that is safe to show in the agent console; see the module docstring for what is kept.

    The result never nests elements deeper than MAX_NESTING (:mod:`omnihub.domain.html_nesting`).
    """
    cleaned = nh3.clean(
        _bounded(html),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_REMOVED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_ALLOWED_URL_SCHEMES,
        attribute_filter=_filter_attribute,
        filter_style_properties=_CSS_PROPERTIES,
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    if len(cleaned) > max(MAX_OUTPUT_CHARS, OUTPUT_GROWTH * len(html)):
        # Markup built to multiply itself in the parser: the message keeps its text, not this HTML.
        return SanitizedHtml("")
    return SanitizedHtml(unwrap_beyond_limit(cleaned))
