"""Fault matrix, HTTP: what one fetch does against each hostile answer of a real local server, and each SSRF form.

Every case is a row: the path (or URL) served, and what accord promises (README "Reliability"). The fetcher raises a
FetchError subclass naming the URL and what was wrong (the collector turns it into a fetch_log row), or returns the
decoded body; nothing is retried that cannot pass, and nothing is held in memory past the size cap.
"""

from __future__ import annotations

import dataclasses
import tracemalloc

import pytest

from accord.sources import (
    FetchTimeout,
    HTTPStatusError,
    RedirectError,
    ResponseTooLarge,
    RobotsDisallowed,
    TransportError,
    UnexpectedContentType,
    UnsafeURLError,
)
from accord.sources.http import Fetcher

from ..sources.httpserver import double_gzip_bomb, gzip_bomb
from .conftest import test_resolver

PAGE_WORDS = b"Words of a report. " * 40

# (case id, path, host, kind, the error class raised or None for a body, what the message or body must hold,
#  how many requests the server may see at most: retries only where the fault may pass)
HTTP_CASES = [
    ("404", "/fault/404", "news.test", "page", HTTPStatusError, "HTTP 404", 1),
    ("500 retried then reported", "/fault/500", "news.test", "page", HTTPStatusError, "HTTP 500", 3),
    ("429 honours Retry-After", "/fault/429?after=0", "news.test", "page", None, PAGE_WORDS, 2),
    ("headers never come", "/fault/slow?delay=4", "news.test", "page", FetchTimeout, "timeout", 3),
    ("body drips past the deadline", "/fault/drip", "news.test", "page", FetchTimeout, "timeout|deadline", 1),
    ("truncated body", "/fault/truncated", "news.test", "page", TransportError, "Error", 3),
    ("redirect loop", "/redirect/loop-a", "news.test", "page", RedirectError, "loop", 1),
    ("redirect without Location", "/redirect/no-location", "news.test", "page", RedirectError, "Location", 1),
    ("redirect to file://", "/redirect/file", "news.test", "page", UnsafeURLError, "scheme 'file'", 1),
    ("redirect to a metadata address", "/redirect/private", "news.test", "page", UnsafeURLError, "169.254", 1),
    ("redirect to an internal name", "/redirect/internal", "news.test", "page", UnsafeURLError, "10.0.0.5", 1),
    ("wrong content type", "/fault/wrongtype", "news.test", "page", UnexpectedContentType, "image/png", 1),
    ("html where a feed was asked", "/fault/html-as-feed", "news.test", "feed", UnexpectedContentType, "feed", 1),
    ("declared size above the cap", "/fault/oversize", "news.test", "page", ResponseTooLarge, "Content-Length", 1),
    ("chunked size above the cap", "/fault/oversize-chunked", "news.test", "page", ResponseTooLarge, "cap", 1),
    ("gzip bomb", "/fault/gzip-bomb", "news.test", "page", ResponseTooLarge, "gzip, layer 1", 1),
    ("gzip, gzip bomb", "/fault/gzip-gzip-bomb", "news.test", "page", ResponseTooLarge, "cap", 1),
    ("corrupt gzip", "/fault/bad-gzip", "news.test", "page", TransportError, "DecodingError", 3),
    ("unknown content coding", "/fault/unknown-encoding", "news.test", "page", TransportError, "x-made-up", 3),
    ("gzip, gzip page", "/fault/gzip-gzip", "news.test", "page", None, PAGE_WORDS, 1),
    ("two gzip members", "/fault/gzip-members", "news.test", "page", None, PAGE_WORDS, 1),
    ("deflate (zlib)", "/fault/deflate", "news.test", "page", None, PAGE_WORDS, 1),
    ("deflate (raw)", "/fault/deflate-raw", "news.test", "page", None, PAGE_WORDS, 1),
    ("unknown charset label", "/fault/bogus-charset", "news.test", "page", None, "Zürich".encode(), 1),
    (
        "robots.txt forbids",
        "/private/uk/TheGuardian_2024_02_24.html.gz",
        "news.test",
        "page",
        RobotsDisallowed,
        "robots.txt",
        0,
    ),
    ("robots.txt answers 500", "/fault/empty", "robots500.test", "page", RobotsDisallowed, "unreadable", 0),
]


@pytest.fixture
def capped(settings):
    """The tests' fast settings with a 120 kB cap and private addresses refused, except the test server's 127/8."""
    return dataclasses.replace(
        settings, max_bytes=120_000, allow_private_addresses=False, allowed_networks=("127.0.0.0/8",)
    )


@pytest.fixture(scope="module", autouse=True)
def bombs() -> None:
    """The bombs, made before any fetch times out waiting for them (the server runs in this process)."""
    gzip_bomb()
    double_gzip_bomb()


@pytest.mark.parametrize(
    "path, host, kind, error, expected, most_hits", [c[1:] for c in HTTP_CASES], ids=[c[0] for c in HTTP_CASES]
)
def test_each_http_fault_ends_as_promised(capped, sleeps, url, server, path, host, kind, error, expected, most_hits):
    with Fetcher(capped, resolver=test_resolver, sleep=sleeps) as fetcher:
        if error is None:
            result = fetcher.fetch(url(path, host=host), kind=kind)
            assert expected in result.content
        else:
            with pytest.raises(error, match=expected) as raised:
                fetcher.fetch(url(path, host=host), kind=kind)
            assert raised.value.url  # the error carries the URL that failed, its message what was wrong
    assert server.hits[path.split("?")[0]] <= most_hits


@pytest.mark.parametrize("path", ["/fault/gzip-bomb", "/fault/gzip-gzip-bomb"], ids=["gzip", "gzip, gzip"])
def test_a_compression_bomb_is_refused_holding_no_more_than_about_the_cap(settings, sleeps, url, path):
    """10 MB (one layer) and 200 MB (two layers) of zeros: refused at a 2 MB cap, never inflated whole in memory."""
    capped = dataclasses.replace(settings, max_bytes=2_000_000)
    with Fetcher(capped, resolver=test_resolver, sleep=sleeps) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLarge, match="above the cap of 2000000 bytes"):
                fetcher.fetch(url(path))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 3 * capped.max_bytes, f"peak {peak / 1e6:.1f} MB for a {capped.max_bytes / 1e6:.0f} MB cap"


# Every form names the test server itself (127.0.0.1 at its port) or a refused range: with private addresses
# refused, none may be contacted, whatever the spelling. Resolved by the system resolver, as in production.
SSRF_FORMS = [
    ("loopback", "http://127.0.0.1:{port}/"),
    ("localhost", "http://localhost:{port}/"),
    ("short dotted", "http://127.1:{port}/"),
    ("decimal", "http://2130706433:{port}/"),
    ("hexadecimal", "http://0x7f000001:{port}/"),
    ("octal", "http://0177.0.0.1:{port}/"),
    ("unspecified", "http://0.0.0.0:{port}/"),
    ("IPv6 loopback", "http://[::1]:{port}/"),
    ("IPv4-mapped IPv6", "http://[::ffff:127.0.0.1]:{port}/"),
    ("IPv4-compatible IPv6", "http://[::127.0.0.1]:{port}/"),
    ("6to4 loopback", "http://[2002:7f00:1::]:{port}/"),
    ("6to4 link-local", "http://[2002:a9fe:a9fe::]:{port}/"),
    ("NAT64 loopback", "http://[64:ff9b::7f00:1]:{port}/"),
    ("NAT64 metadata", "http://[64:ff9b::a9fe:a9fe]:{port}/"),
    ("Teredo, loopback client", "http://[2001:0:808:808::80ff:fffe]:{port}/"),
    ("private 10/8", "http://10.0.0.5:{port}/"),
    ("private 192.168/16", "http://192.168.1.1:{port}/"),
    ("metadata", "http://169.254.169.254/latest/meta-data/"),
    ("Alibaba metadata", "http://100.100.100.200/"),
    ("AWS IPv6 metadata", "http://[fd00:ec2::254]/"),
    ("IPv6 link-local", "http://[fe80::1]:{port}/"),
    ("file scheme", "file:///etc/passwd"),
    ("gopher scheme", "gopher://127.0.0.1:{port}/"),
    ("malformed", "http://[::1"),
]


@pytest.mark.parametrize("form", [f[1] for f in SSRF_FORMS], ids=[f[0] for f in SSRF_FORMS])
def test_each_ssrf_form_is_refused_before_any_traffic(settings, sleeps, server, form):
    safe = dataclasses.replace(settings, allow_private_addresses=False)
    with Fetcher(safe, sleep=sleeps) as fetcher:
        with pytest.raises(UnsafeURLError):
            fetcher.fetch(form.format(port=server.port))
    assert not server.hits


def test_a_name_resolving_to_a_public_and_a_private_address_is_refused(settings, sleeps, url, server):
    safe = dataclasses.replace(settings, allow_private_addresses=False, allowed_networks=("127.0.0.1/32",))
    with Fetcher(safe, resolver=test_resolver, sleep=sleeps) as fetcher:
        with pytest.raises(UnsafeURLError, match="10.1.1.1"):
            fetcher.fetch(url("/fault/empty", host="mixed.test"))
        assert fetcher.fetch(url("/fault/empty")).status == 200  # the allowed network itself is reachable
    assert not server.hits["/fault/empty"] > 1
