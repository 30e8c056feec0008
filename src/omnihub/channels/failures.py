"""Failure reasons that say what went wrong without repeating what the other side said.

Agents see a message's ``failure_reason``; a remote server's answer body, its banner or the
text of a low-level error may carry internal host names, versions or port states, so they are kept
for admins (``DeliveryError.detail``) and agents get one of a few fixed phrases.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import httpcore
import httpx

from omnihub.channels.spi import DeliveryError

ADDRESS_NOT_ALLOWED = "address not allowed"
# How much of a remote answer admins get to read.
DETAIL_LIMIT = 1000
# Statuses worth retrying: the receiver is busy or timed out, not refusing the payload.
RETRYABLE_CLIENT_ERRORS = frozenset({408, 409, 425, 429})


class AddressNotAllowed(httpcore.ConnectError):
    """The hub refused to connect: the host resolves to an address it must not reach (see ``domain.network``)."""


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def connection_failure_reason(exc: BaseException) -> str:
    """A fixed phrase for why a connection failed, from the exception and its causes."""
    causes = list(_causes(exc))
    checks: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
        ((AddressNotAllowed,), ADDRESS_NOT_ALLOWED),
        ((ssl.SSLError, ssl.CertificateError), "TLS error"),
        ((httpx.TimeoutException, httpcore.TimeoutException, TimeoutError), "timed out"),
        ((ConnectionRefusedError,), "connection refused"),
        ((socket.gaierror,), "host not found"),
        ((ConnectionResetError, BrokenPipeError, httpx.RemoteProtocolError), "connection closed"),
    )
    for types, reason in checks:
        if any(isinstance(cause, types) for cause in causes):
            return reason
    return "connection failed"


def http_failure(exc: httpx.HTTPError | httpx.InvalidURL, url: str) -> DeliveryError:
    """A request that got no answer: classified for agents, the error's own text for admins."""
    reason = "invalid URL" if isinstance(exc, httpx.InvalidURL) else connection_failure_reason(exc)
    detail = f"{type(exc).__name__} for {url}: {exc}"[:DETAIL_LIMIT]
    return DeliveryError(reason, permanent=reason in (ADDRESS_NOT_ALLOWED, "invalid URL"), detail=detail)


def status_failure(response: httpx.Response, what: str = "callback", *, body: bytes | None = None) -> DeliveryError:
    """An answer that is not a success. Redirects are not followed (the target could be anywhere)."""
    code = response.status_code
    if 300 <= code < 400:
        reason, permanent = f"{what} refused: redirect (HTTP {code})", True
    elif 400 <= code < 500:
        reason, permanent = f"{what} refused: HTTP {code}", code not in RETRYABLE_CLIENT_ERRORS
    else:
        reason, permanent = f"{what} failed: HTTP {code}", False
    location = f", Location: {response.headers['location']}" if "location" in response.headers else ""
    text = response.text if body is None else body.decode("utf-8", "replace")
    detail = f"HTTP {code} from {response.request.url}{location}: {text}"[:DETAIL_LIMIT]
    return DeliveryError(reason, permanent=permanent, detail=detail)


def server_failure_reason(error: str) -> str:
    """A fixed phrase for a failure known only by its text (a mailbox connection's error, say)."""
    lowered = error.lower()
    phrases = (  # first match wins: "STARTTLS refused" is a TLS error, "login refused" no refused connection
        (("certificate", "ssl", "tls"), "TLS error"),
        (("timed out", "timeout"), "timed out"),
        (("authenticationfailed", "login", "authenticat", "credentials"), "login refused"),
        (("refused", "errno 111"), "connection refused"),
        (("name or service", "nodename", "getaddrinfo", "errno -2", "errno -3"), "host not found"),
        (("connection lost", "reset", "broken pipe"), "connection closed"),
    )
    for needles, reason in phrases:
        if any(needle in lowered for needle in needles):
            return reason
    return "server error"
