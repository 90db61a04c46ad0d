"""Typed settings and records of the collect stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from accord.models import Article


@dataclass(frozen=True)
class FetchSettings:
    """How politely and safely to fetch.

    Timeouts are seconds; `total_timeout` bounds one fetch from first byte sent to last byte read, redirects,
    retries and back-off sleeps included (time queued behind the per-host delay or concurrency limit is not).
    `max_bytes` caps the decoded body. `per_host_delay` is the least time between the starts of two requests to
    one host (a robots.txt Crawl-delay raises it, capped at `max_retry_after`). `allowed_networks` (CIDR
    strings) are exempt from the private-address refusal, e.g. an intranet mirror; `allow_private_addresses`
    lifts the refusal entirely (tests, local replays). `obey_robots` False skips robots.txt (own servers only).
    """

    user_agent: str = "accord/0.1 (+https://example.invalid/accord)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000
    per_host_delay: float = 1.0
    per_host_concurrency: int = 2
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 60.0
    max_redirects: int = 5
    allow_private_addresses: bool = False
    allowed_networks: tuple[str, ...] = ()
    max_pages_per_feed: int = 50
    obey_robots: bool = True

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")
        for name in ("per_host_delay", "backoff", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        for name in ("retries", "max_redirects", "max_pages_per_feed"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if self.per_host_concurrency < 1:
            raise ValueError(f"per_host_concurrency must be >= 1, got {self.per_host_concurrency!r}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be >= 1, got {self.max_bytes!r}")


@dataclass(frozen=True)
class OutletSource:
    """Where one outlet's reports come from: feeds, sitemaps, or a saved snapshot (JSON Lines file or folder)."""

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    snapshot: Path | None = None


@dataclass(frozen=True)
class FeedState:
    """The validators a feed last answered with, sent back as If-None-Match / If-Modified-Since."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchEvent:
    """One fetch (or snapshot read) and how it went. `ok` False carries the error; failures are data."""

    url: str
    outlet: str
    kind: str  # "feed" | "page" | "robots" | "sitemap" | "snapshot"
    ok: bool
    status: int | None
    error: str | None
    at: datetime
    not_modified: bool = False


@dataclass
class CollectResult:
    """What one outlet's collection produced: new articles, every fetch event, and what to keep for next time.

    `feed_states`: validators of the outlet's feeds and sitemaps. `boilerplate`: the outlet's repeated lines
    (given and newly learned, normalised), to pass back to the next `collect` of this outlet.
    """

    articles: list[Article] = field(default_factory=list)
    events: list[FetchEvent] = field(default_factory=list)
    feed_states: list[FeedState] = field(default_factory=list)
    boilerplate: frozenset[str] = frozenset()
