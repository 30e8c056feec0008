"""Plain text from an HTML mail body, for mail that has no text part.

Block elements become line breaks, list items get a bullet or their number, links read "text (url)" when
the url says something the text does not, block quotes get "> " in front of each line (so the reply
splitter sees them as quoted), and nothing of scripts, styles, the head or hidden preheaders survives.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
}  # fmt: skip
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote", "pre"}
_INVISIBLE = {"script", "style", "head", "title", "template", "noscript", "object", "iframe", "svg", "math"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_SHOWN_LINKS = ("http://", "https://", "mailto:", "tel:", "ftp://")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []  # finished lines, quote prefix applied
        self.current: list[str] = []  # pieces of the line being written
        self.skipping: list[str] = []  # stack of tags whose content is not text
        self.quote_depth = 0
        self.pre_depth = 0
        self.lists: list[int | None] = []  # None for <ul>, the next number for <ol>
        self.links: list[tuple[str | None, int]] = []  # href, index in current where the link text starts

    # -- writing
    def _finish_line(self) -> None:
        text = "".join(self.current)
        if self.pre_depth == 0:
            text = _SPACES.sub(" ", text).strip()
        self.current = []
        prefix = "> " * self.quote_depth
        self.lines.append((prefix + text).rstrip() if text else prefix.rstrip())

    def _break(self, blank: bool = False) -> None:
        if self.current and "".join(self.current).strip():
            self._finish_line()
        else:
            self.current = []
        if blank and self.lines and self.lines[-1].strip("> "):
            self.lines.append("> " * self.quote_depth)

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.skipping:
            if tag == self.skipping[-1] and tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag in _INVISIBLE or (tag not in _VOID and _HIDDEN_STYLE.search(attributes.get("style") or "")):
            self.skipping.append(tag)
            return
        if tag == "br":
            if self.current:
                self._finish_line()
            else:
                self.lines.append("> " * self.quote_depth)
        elif tag in _BLOCKS:
            self._start_block(tag)
        elif tag in ("td", "th") and self.current:
            self.current.append(" ")
        elif tag == "a":
            self.links.append((attributes.get("href"), len(self.current)))

    def _start_block(self, tag: str) -> None:
        self._break(blank=tag in _PARAGRAPHS)
        if tag == "blockquote":
            self.quote_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "ul":
            self.lists.append(None)
        elif tag == "ol":
            self.lists.append(1)
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            indent = "  " * max(0, len(self.lists) - 1)
            if number is None:
                self.current.append(f"{indent}- ")
            else:
                self.current.append(f"{indent}{number}. ")
                self.lists[-1] = number + 1
        elif tag == "hr":
            self.lines.append("> " * self.quote_depth + "---")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "a" and self.links:
            self._end_link()
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote" and self.quote_depth:
                self.quote_depth -= 1
            elif tag == "pre" and self.pre_depth:
                self.pre_depth -= 1
            elif tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            self._break(blank=tag in _PARAGRAPHS)

    def _end_link(self) -> None:
        href, start = self.links.pop()
        text = _SPACES.sub(" ", "".join(self.current[start:])).strip()
        if not href or not href.lower().startswith(_SHOWN_LINKS):
            return
        target = href[7:] if href.lower().startswith("mailto:") else href
        if text and target.rstrip("/") not in text and text not in target:
            self.current.append(f" ({target})")
        elif not text:
            self.current.append(target)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre_depth:
            lines = data.split("\n")
            for line in lines[:-1]:
                self.current.append(line)
                self._finish_line()
            self.current.append(lines[-1])
        else:
            self.current.append(data)

    def text(self) -> str:
        self._break()
        joined = "\n".join(self.lines)
        return _BLANK_LINES.sub("\n\n", joined).strip("\n")


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML document or fragment. Never raises on malformed HTML.

    Give it sanitized HTML (:func:`omnihub.domain.html.sanitize_html`) when the HTML comes from outside:
    the stdlib parser underneath needs quadratic time for some crafted malformed markup.
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.text()
