"""Which hosts may be contacted: only http(s), never loopback, private, link-local or metadata addresses."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from accord.sources.errors import UnsafeURLError

Resolver = Callable[[str], Sequence[str]]
"""A strategy mapping a host name to its IP addresses (strings); raises OSError when it cannot."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata endpoints that are not covered by the link-local/private tests
# (AWS IPv6 IMDS fd00:ec2::254 is private; 100.100.100.200 is Alibaba's, in shared address space 100.64/10).
_METADATA_NETWORKS = (ipaddress.ip_network("100.64.0.0/10"), ipaddress.ip_network("192.0.0.0/24"))


def system_resolver(host: str) -> list[str]:
    """Return the addresses the system resolver gives for `host` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# IPv6 forms that carry an IPv4 address a gateway or the host's own stack may deliver to: NAT64's well-known
# prefix (RFC 6052) and its local-use prefix (RFC 8215), where the IPv4 address is the last 32 bits.
_NAT64_NETWORKS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Return the IPv4 addresses an IPv6 address carries: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
    (::a.b.c.d), 6to4 (2002:AABB:CCDD::/16), Teredo (2001::/32: server and client) and NAT64 (64:ff9b::/96)."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in net for net in _NAT64_NETWORKS):
        found.append(low32)
    elif int(address) >> 32 == 0 and int(address) > 1:  # deprecated IPv4-compatible ::a.b.c.d (not :: or ::1)
        found.append(low32)
    return found


def is_public_address(address: IPAddress) -> bool:
    """Return True when `address` is a global unicast address (not loopback, private, link-local, metadata...).

    An IPv6 address that embeds an IPv4 address (6to4, Teredo, NAT64, IPv4-mapped or -compatible) is public only
    when every IPv4 address inside is: 2002:7f00:1:: is loopback wearing an IPv6 coat.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner:
            return all(_is_public(v4) for v4 in inner)
    return _is_public(address)


def _is_public(address: IPAddress) -> bool:
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    ):
        return False
    if isinstance(address, ipaddress.IPv4Address) and any(address in net for net in _METADATA_NETWORKS):
        return False
    return address.is_global


class AddressPolicy:
    """Decides whether a URL's host may be contacted, resolving it with the given resolver."""

    def __init__(
        self,
        resolver: Resolver | None = None,
        *,
        allow_private_addresses: bool = False,
        allowed_networks: Sequence[str] = (),
    ) -> None:
        self.resolver: Resolver = resolver if resolver is not None else system_resolver
        self.allow_private_addresses = allow_private_addresses
        self.allowed_networks = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)

    def address_allowed(self, address: IPAddress) -> bool:
        """Return True when traffic to `address` is allowed under this policy."""
        if self.allow_private_addresses or is_public_address(address):
            return True
        return any(address in net for net in self.allowed_networks if net.version == address.version)

    def check_url(self, url: str) -> list[str]:
        """Return the allowed addresses of the URL's host; raise UnsafeURLError (before any traffic) if none."""
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise UnsafeURLError(url, f"malformed URL: {exc}") from exc
        if parts.scheme.lower() not in ("http", "https"):
            raise UnsafeURLError(url, f"scheme {parts.scheme or '(none)'!r} refused: only http and https")
        if not parts.hostname:
            raise UnsafeURLError(url, "URL has no host")
        return self.check_host(parts.hostname, url=url)

    def check_host(self, host: str, *, url: str | None = None) -> list[str]:
        """Return the allowed addresses of `host`; raise UnsafeURLError if it resolves to none or to a refused one."""
        where = url or host
        host = host.strip("[]")
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                addresses = [ipaddress.ip_address(a.split("%")[0]) for a in self.resolver(host)]
            except (OSError, UnicodeError) as exc:
                raise UnsafeURLError(where, f"cannot resolve host {host!r}: {exc}") from exc
            except ValueError as exc:
                raise UnsafeURLError(where, f"resolver gave a bad address for {host!r}: {exc}") from exc
        if not addresses:
            raise UnsafeURLError(where, f"host {host!r} resolves to no address")
        # One refused address refuses the host: a name that mixes public and private answers is a rebinding trick.
        refused = [str(a) for a in addresses if not self.address_allowed(a)]
        if refused:
            raise UnsafeURLError(where, f"host {host!r} resolves to refused address {refused[0]}")
        return [str(a) for a in addresses]
