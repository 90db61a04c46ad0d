"""Exceptions raised by the collect stage.

Hierarchy::

    SourceError                 anything the collect stage raises on purpose
    ├── FetchError              one HTTP fetch failed (carries the URL)
    │   ├── UnsafeURLError      scheme is not http/https, or the host resolves to a refused address
    │   ├── RobotsDisallowed    robots.txt forbids the URL for our user agent
    │   ├── FetchTimeout        connect/read timeout or the per-fetch total deadline passed
    │   ├── HTTPStatusError     a final status that is not 2xx/304 (carries `status`)
    │   ├── RedirectError       too many redirects, a loop, or a redirect without Location
    │   ├── ResponseTooLarge    body (or declared Content-Length) above the size cap
    │   ├── UnexpectedContentType  Content-Type not acceptable for what was asked for
    │   └── TransportError      connection refused, reset, truncated body, TLS failure...
    ├── FeedError               a feed or sitemap could not be parsed, or parsed only in part
    ├── ExtractionError         a page gave no article text
    ├── SnapshotError           a snapshot file is unreadable: names file and line
    └── OPMLError               an OPML file is unreadable

Per-item failures are turned into `FetchEvent` records by the collector, never raised out of `Collector.collect`.
"""

from __future__ import annotations


class SourceError(Exception):
    """Base class of every error the collect stage raises on purpose."""


class FetchError(SourceError):
    """A fetch of `url` failed."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class UnsafeURLError(FetchError):
    """The URL is refused before any traffic: bad scheme, or host resolving to a private/loopback/metadata address."""


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids this URL for the configured user agent."""


class FetchTimeout(FetchError):
    """A connect or read timeout, or the total deadline of the fetch, passed."""


class HTTPStatusError(FetchError):
    """The server answered with a status that is not a success (after retries).

    `retry_after` is the wait in seconds the server asked for (Retry-After, already capped), if any.
    """

    def __init__(self, url: str, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(url, message, status=status)
        self.retry_after = retry_after


class RedirectError(FetchError):
    """Too many redirects, a redirect loop, or a redirect without a usable Location."""


class ResponseTooLarge(FetchError):
    """The body is larger than the configured cap."""


class UnexpectedContentType(FetchError):
    """The Content-Type does not fit what was asked for (a feed, a page, a sitemap)."""


class TransportError(FetchError):
    """The connection failed: refused, reset, TLS error, or a body shorter than declared."""


class FeedError(SourceError):
    """A feed or sitemap is malformed; raised or recorded even when part of it was recovered."""


class ExtractionError(SourceError):
    """No article text could be extracted from a page."""


class SnapshotError(SourceError):
    """A snapshot file is malformed; the message names the file and the line."""


class OPMLError(SourceError):
    """An OPML file cannot be read."""
