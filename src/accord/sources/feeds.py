"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1.x and RSS-in-JSON (here)."""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from accord.dates import parse_datetime
from accord.sources.urls import is_http_url

# feedparser flags these when it has read the whole document correctly but the document's own labels were
# wrong (an HTTP charset that lies, a feed served as text/plain): the items are complete, so not a failure.
_HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: the link to the report and what the feed says about it."""

    url: str
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed. `error` is set when the feed is malformed, even if some items were recovered."""

    format: str
    items: tuple[FeedItem, ...]
    title: str | None = None
    error: str | None = None

    @property
    def is_broken(self) -> bool:
        """True when the feed is malformed or is not a feed."""
        return self.error is not None


def parse_feed(content: bytes, *, base_url: str | None = None, content_type: str = "") -> ParsedFeed:
    """Parse a feed document of any supported format; never raises for bad input (see `ParsedFeed.error`)."""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return _parse_json_feed(content, base_url)
    return _parse_xml_feed(content, base_url, content_type)


def _parse_xml_feed(content: bytes, base_url: str | None, content_type: str) -> ParsedFeed:
    headers: dict[str, str] = {}
    if base_url:
        headers["content-location"] = base_url
    # Without a charset parameter feedparser applies RFC 3023's us-ascii default for text/xml, which misreads
    # most real feeds; the XML declaration and byte sniffing are more reliable then.
    if "charset=" in content_type.lower():
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    error = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if type(exc).__name__ not in _HARMLESS_BOZO:
            error = f"malformed feed: {type(exc).__name__}: {exc}"
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        error = error or "not a feed: no RSS, Atom or JSON Feed structure found"
    items = []
    for entry in parsed.entries:
        url = _entry_link(entry, base_url)
        if url is None:
            continue
        items.append(
            FeedItem(
                url=url,
                title=_clean(entry.get("title")),
                published=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=_clean(entry.get("author")),
                summary=_clean(entry.get("summary")),
            )
        )
    return ParsedFeed(
        format=version or "unknown", items=tuple(items), title=_clean(parsed.feed.get("title")), error=error
    )


def _entry_link(entry: Mapping[str, Any], base_url: str | None) -> str | None:
    candidates = [entry.get("link")]
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate":
            candidates.append(link.get("href"))
    guid = entry.get("id")
    if entry.get("guidislink") or (isinstance(guid, str) and guid.startswith(("http://", "https://"))):
        candidates.append(guid)
    return _first_url(candidates, base_url)


def _first_url(candidates: list[Any], base_url: str | None) -> str | None:
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            url = urljoin(base_url, candidate.strip()) if base_url else candidate.strip()
            if is_http_url(url):
                return url
    return None


def _parse_json_feed(content: bytes, base_url: str | None) -> ParsedFeed:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return ParsedFeed("json", (), error=f"malformed JSON feed: not UTF-8: {exc}")
    except json.JSONDecodeError as exc:
        return ParsedFeed("json", (), error=f"malformed JSON feed: {exc}")
    if not isinstance(document, dict):
        return ParsedFeed("json", (), error="not a feed: JSON document is not an object")
    if isinstance(document.get("rss"), dict):
        return _parse_rss_in_json(document["rss"], base_url)
    raw_items = document.get("items")
    if not isinstance(raw_items, list):
        return ParsedFeed("json", (), error="not a feed: JSON Feed without an items list")
    version = str(document.get("version") or "")
    feed_format = "json" + (version.rstrip("/").rsplit("/", 1)[-1] if version else "")
    feed_author = _json_author(document)
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        url = _first_url([raw.get("url"), raw.get("external_url"), raw.get("id")], base_url)
        if url is None:
            continue
        items.append(
            FeedItem(
                url=url,
                title=_clean(raw.get("title")),
                published=parse_datetime(raw.get("date_published") or raw.get("date_modified")),
                author=_json_author(raw) or feed_author,
                summary=_clean(raw.get("summary") or raw.get("content_text")),
            )
        )
    return ParsedFeed(feed_format, tuple(items), title=_clean(document.get("title")))


def _parse_rss_in_json(rss: Mapping[str, Any], base_url: str | None) -> ParsedFeed:
    """Dave Winer's RSS-in-JSON: {"rss": {"channel": {"item": [...]}}} with RSS 2.0 element names."""
    channel = rss.get("channel")
    if not isinstance(channel, dict):
        return ParsedFeed("rss-in-json", (), error="not a feed: rss object without a channel")
    raw_items = channel.get("item") or []
    if isinstance(raw_items, dict):
        raw_items = [raw_items]
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        guid = raw.get("guid")
        guid_url = guid.get("#value") or guid.get("value") if isinstance(guid, dict) else guid
        url = _first_url([raw.get("link"), guid_url], base_url)
        if url is None:
            continue
        items.append(
            FeedItem(
                url=url,
                title=_clean(raw.get("title")),
                published=parse_datetime(raw.get("pubDate")),
                author=_clean(raw.get("author")),
                summary=_clean(raw.get("description")),
            )
        )
    return ParsedFeed("rss-in-json", tuple(items), title=_clean(channel.get("title")))


def _json_author(record: Mapping[str, Any]) -> str | None:
    authors = record.get("authors")
    names = []
    if isinstance(authors, list):
        names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
    if not names and isinstance(record.get("author"), dict) and record["author"].get("name"):
        names = [record["author"]["name"]]
    return "; ".join(names) or None


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
