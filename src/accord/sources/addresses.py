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


def is_public_address(address: IPAddress) -> bool:
    """Return True when `address` is a global unicast address (not loopback, private, link-local, metadata...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
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
