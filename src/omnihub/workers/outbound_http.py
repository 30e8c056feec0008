"""The HTTP client for every request the hub makes on a channel's behalf (callbacks, typing, media).

The address is checked where the connection is opened, after name resolution, and the connection
goes to the very address that was checked: a host name that resolves to a public address when the
inbox is saved and to 127.0.0.1 a second later (DNS rebinding) gains nothing. The request keeps its
host name, so the Host header and TLS (SNI, certificate check) are those of the URL.

Redirects are never followed: the callback's owner could send the hub anywhere with one.
Environment proxies are ignored (``trust_env=False``): through a proxy the hub would not know where
the connection ends.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from omnihub.channels.failures import AddressNotAllowed
from omnihub.domain.network import IPAddress, PrivateNetworkAllowance

SocketOptions = Iterable[Any] | None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` stands for, as the system resolver (and ``inet_aton``) reads it: so
    ``2130706433`` and ``0177.0.0.1`` are 127.0.0.1 here exactly as they would be for a connect."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in found:
            found.append(address)
    return found


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Resolves, refuses addresses the hub must not reach, and connects to a checked address."""

    def __init__(self, allowance: PrivateNetworkAllowance, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.allowance = allowance
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: SocketOptions = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await resolve(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        trusted_name = self.allowance.allows_host(host)
        allowed = [a for a in addresses if trusted_name or self.allowance.allows_address(a)]
        if not allowed:
            shown = ", ".join(str(a) for a in addresses)
            raise AddressNotAllowed(f"{host} resolves to {shown}: not a public address")
        last_error: Exception | None = None
        for address in allowed:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:  # the next address may answer (IPv6 down, IPv4 up)
                last_error = exc
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: SocketOptions = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressNotAllowed("Unix sockets are not reachable from channels")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, with its connection pool built on the guarded network backend."""

    def __init__(self, allowance: PrivateNetworkAllowance) -> None:
        super().__init__(trust_env=False)
        ssl_context = self._pool._ssl_context
        # httpx offers no way to pass a network backend, so its pool is rebuilt with ours; the
        # request mapping and error translation of AsyncHTTPTransport stay as they are.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, network_backend=GuardedNetworkBackend(allowance)
        )


def outbound_client(allowance: PrivateNetworkAllowance, *, timeout: float) -> httpx.AsyncClient:
    """An HTTP client for requests to channels: guarded addresses, no redirects, no environment proxies."""
    return httpx.AsyncClient(
        transport=GuardedTransport(allowance), timeout=timeout, follow_redirects=False, trust_env=False
    )
