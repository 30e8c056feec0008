"""Sanitising HTML that customers send, before an agent's browser ever renders it."""

import nh3

# Remote images and styles would let a sender track when an agent opens a message, so only inline
# (cid:) and data: images survive; links keep working but cannot run script.
_ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid", "data"}


# Right-to-left text (Arabic, Hebrew) needs ``dir`` to render correctly; it cannot run anything.
_ALLOWED_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ALLOWED_ATTRIBUTES["*"] = {"dir", "lang", "title", "align"}


def _drop_remote_src(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not value.startswith(("cid:", "data:image/")):
        return None
    if attribute == "href" and value.startswith("data:"):
        return None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_ALLOWED_URL_SCHEMES,
        attribute_filter=_drop_remote_src,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
