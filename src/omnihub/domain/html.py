"""Sanitising HTML that customers send, before an agent's browser ever renders it.

What survives: text, structure and formatting (nh3's default tags plus ``font``, table layout attributes
and a safe subset of inline CSS), ``dir`` and ``lang`` (right-to-left text needs them), links (http, https,
mailto, tel; opened with ``rel="noopener noreferrer nofollow"``) and inline images (``cid:`` and
``data:image/`` in a raster format).

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

_ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid", "data"}
_INLINE_IMAGE_DATA = ("data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif", "data:image/webp")

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "tfoot", "address", "big"}
_REMOVED_WITH_CONTENT = {"script", "style", "title", "noscript", "template", "svg", "math", "head"}

_ALLOWED_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
# Right-to-left text (Arabic, Hebrew) needs ``dir`` to render correctly; none of these can run anything.
_ALLOWED_ATTRIBUTES["*"] = {"dir", "lang", "title", "align", "style"}
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


def _safe_style(value: str) -> str | None:
    kept = []
    for declaration in value.split(";"):
        name, colon, css_value = declaration.partition(":")
        name = name.strip().lower()
        if not colon or name not in _CSS_PROPERTIES:
            continue
        lowered = css_value.lower()
        if any(token in lowered for token in _CSS_FORBIDDEN_VALUES):
            continue
        kept.append(f"{name}:{css_value.strip()}")
    return ";".join(kept) or None


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return _safe_style(value)
    if attribute == "src":
        return value if value.lower().startswith(("cid:", *_INLINE_IMAGE_DATA)) else None
    if value.lstrip().lower().startswith("data:"):
        return None
    return value


# The HTML parser behind nh3 slows down quadratically with element depth (20,000 nested <div>s take
# seconds) and with the number of attributes of one tag, so before it runs, tags deeper than MAX_NESTING
# are dropped (their text stays) and a tag with more than MAX_ATTRIBUTES attributes loses the rest.
# Real mail nests a few dozen deep and has a handful of attributes per tag.
MAX_NESTING = 256
MAX_ATTRIBUTES = 128
_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Elements that never hold others (void) or close themselves (<p> ... <p>): they do not make HTML deeper.
_FLAT = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "p", "li", "dt", "dd", "option", "tr", "td", "th",
}  # fmt: skip
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{4096,}>?")
# Possessive, and only from the start of a run of blanks: a tag of a megabyte of blanks costs one pass.
_ATTRIBUTE = re.compile(r"""(?<!\s)\s++[^\s=>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?+""")


def _limit_nesting(html: str) -> str:
    if html.count("<") <= MAX_NESTING:
        return html
    depth = 0
    pieces: list[str] = []
    kept_until = 0
    for tag in _TAG_START.finditer(html):
        if tag.start() < kept_until:  # inside a tag dropped below
            continue
        if tag.group(2).lower() in _FLAT:
            continue
        if tag.group(1):
            depth = max(0, depth - 1)
            too_deep = depth >= MAX_NESTING
        else:
            too_deep = depth >= MAX_NESTING
            depth += 1
        if too_deep:
            end = html.find(">", tag.end())
            pieces.append(html[kept_until : tag.start()])
            kept_until = len(html) if end < 0 else end + 1
    if not pieces:
        return html
    pieces.append(html[kept_until:])
    return "".join(pieces)


def _trim_attributes(tag: re.Match[str]) -> str:
    text = tag.group(0)
    name_end = re.match(r"<[A-Za-z][A-Za-z0-9-]*", text)
    start = name_end.end() if name_end else 2
    attributes = [match.group(0) for match in islice(_ATTRIBUTE.finditer(text, start), MAX_ATTRIBUTES + 1)]
    if len(attributes) <= MAX_ATTRIBUTES:
        return text
    return text[:start] + "".join(attributes[:MAX_ATTRIBUTES]) + ">"


def _bounded(html: str) -> str:
    """``html`` without the constructs that would make sanitizing it slow; see MAX_NESTING."""
    if len(html) > 4096:
        html = _LONG_TAG.sub(_trim_attributes, html)
    return _limit_nesting(html)


def sanitize_html(html: str) -> str:
    """HTML that is safe to show in the agent console; see the module docstring for what is kept."""
    return nh3.clean(
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
