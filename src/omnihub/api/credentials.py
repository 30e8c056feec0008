"""Where a request's credentials come from (bearer header or the console's session cookie), and whether
a browser request comes from a page the hub trusts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

SESSION_COOKIE = "omnihub_session"


@dataclass(frozen=True, slots=True)
class PresentedToken:
    token: str
    from_cookie: bool


def presented_token(connection: HTTPConnection) -> PresentedToken | None:
    """The bearer token if there is one, else the session cookie's token."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return PresentedToken(token.strip(), from_cookie=False)
    cookie = connection.cookies.get(SESSION_COOKIE)
    if cookie:
        return PresentedToken(cookie, from_cookie=True)
    return None


def origin_allowed(connection: HTTPConnection, allowed: list[str], *, required: bool = False) -> bool:
    """Whether the page that made this browser request may: the hub's own origin or one of ``allowed``.

    Browsers send Origin with WebSocket upgrades and with every POST, PATCH and DELETE. Other clients
    do not, and prove themselves by their bearer token alone; a request authenticated by the session
    cookie is a browser's, so for it ``required`` refuses a missing Origin too.
    """
    origin = connection.headers.get("origin")
    if origin is None:
        # Without Origin, a browser's Fetch Metadata still tells a request from another site.
        return not required and connection.headers.get("sec-fetch-site") != "cross-site"
    if origin in allowed:
        return True
    return urlsplit(origin).netloc == connection.headers.get("host")
