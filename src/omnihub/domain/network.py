"""Which network addresses the hub may open connections to on a channel's behalf.

A callback URL is written by whoever configures an inbox; without these rules it could point the hub
at its own database port, the cloud metadata service or any other host only the hub can reach.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 prefixes that carry an IPv4 address a gateway will connect to (NAT64 well-known prefix).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Never public, whatever ``is_global`` of the running Python says (3.11's misses some of them):
_NOT_PUBLIC = tuple(
    ipaddress.IPv6Network(prefix)
    for prefix in (
        "::/96",  # IPv4-compatible (deprecated), e.g. ::7f00:1 for 127.0.0.1
        "::ffff:0:0:0/96",  # SIIT, IPv4-translated
        "64:ff9b:1::/48",  # local-use NAT64
        "fec0::/10",  # site-local (deprecated)
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
    )
)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (IPv4-mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """True for an address on the public internet: not loopback, private, link-local, shared (CGNAT),
    multicast, unspecified, reserved or documentation, in any of its IPv6 disguises."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public_address(inner)
        if any(address in network for network in _NOT_PUBLIC):
            return False
    return address.is_global and not address.is_multicast


@dataclass(frozen=True, slots=True)
class PrivateNetworkAllowance:
    """Exceptions an operator made (``OMNIHUB_ALLOW_PRIVATE_NETWORKS``): networks and host names."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> PrivateNetworkAllowance:
        """From entries such as ``10.0.0.0/8``, ``192.168.1.5``, ``fd00::/8`` or ``crm.internal``."""
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(tuple(networks), frozenset(hosts))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        if is_public_address(address):
            return True
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address) and (inner := embedded_ipv4(address)) is not None:
            candidates.append(inner)
        return any(candidate in network for candidate in candidates for network in self.networks)
