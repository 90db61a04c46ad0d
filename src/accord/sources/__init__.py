"""Collect: feeds, sitemaps, pages and snapshots, fetched safely and politely.

The public interface of the stage; see DESIGN.md (collect). No Prefect, no DuckDB here.
"""

from accord.sources.addresses import AddressPolicy, Resolver, system_resolver
from accord.sources.collector import Collector
from accord.sources.errors import (
    ExtractionError,
    FeedError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    OPMLError,
    RedirectError,
    ResponseTooLarge,
    RobotsDisallowed,
    SnapshotError,
    SourceError,
    TransportError,
    UnexpectedContentType,
    UnsafeURLError,
)
from accord.sources.feeds import FeedItem, ParsedFeed, parse_feed
from accord.sources.http import Fetcher, FetchResult
from accord.sources.opml import load_opml
from accord.sources.pages import (
    PageContent,
    decode_html,
    detect_language,
    extract_page,
    learn_boilerplate,
    remove_boilerplate,
)
from accord.sources.settings import CollectResult, FeedState, FetchEvent, FetchSettings, OutletSource
from accord.sources.sitemaps import Sitemap, SitemapEntry, parse_sitemap
from accord.sources.snapshot import read_snapshot
from accord.sources.urls import canonical_url

__all__ = [
    "AddressPolicy",
    "CollectResult",
    "Collector",
    "ExtractionError",
    "FeedError",
    "FeedItem",
    "FeedState",
    "FetchError",
    "FetchEvent",
    "FetchResult",
    "FetchSettings",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "OPMLError",
    "OutletSource",
    "PageContent",
    "ParsedFeed",
    "RedirectError",
    "Resolver",
    "ResponseTooLarge",
    "RobotsDisallowed",
    "Sitemap",
    "SitemapEntry",
    "SnapshotError",
    "SourceError",
    "TransportError",
    "UnexpectedContentType",
    "UnsafeURLError",
    "canonical_url",
    "decode_html",
    "detect_language",
    "extract_page",
    "learn_boilerplate",
    "load_opml",
    "parse_feed",
    "parse_sitemap",
    "read_snapshot",
    "remove_boilerplate",
    "system_resolver",
]
