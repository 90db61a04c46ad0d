"""Sitemaps: <urlset> (with Google News extensions), <sitemapindex>, plain-text lists, gzipped or not."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from accord.dates import parse_datetime
from accord.sources.errors import FeedError
from accord.sources.urls import is_http_url

# A gzipped sitemap may hold 50 MB uncompressed (sitemaps.org limit); refuse more than that.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SitemapEntry:
    """One <url> of a sitemap; news sitemaps add a title and a publication date."""

    url: str
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: page entries, and child sitemaps when it is an index."""

    entries: tuple[SitemapEntry, ...] = ()
    children: tuple[str, ...] = ()


def parse_sitemap(content: bytes, *, base_url: str | None = None) -> Sitemap:
    """Parse a sitemap document. Raises FeedError when it is neither XML sitemap nor a text list of URLs."""
    content = _gunzip(content)
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<"):
        urls = [line.strip() for line in stripped.decode("utf-8", errors="replace").splitlines()]
        entries = tuple(SitemapEntry(u) for u in urls if is_http_url(u))
        if not entries:
            raise FeedError("not a sitemap: neither XML nor a list of URLs")
        return Sitemap(entries=entries)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(stripped, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed sitemap: {exc}") from exc
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        children = [_join(base_url, _text(node, "loc")) for node in root if _localname(node) == "sitemap"]
        return Sitemap(children=tuple(c for c in children if c))
    if tag != "urlset":
        raise FeedError(f"not a sitemap: root element <{tag}>")
    entries = []
    for node in root:
        if _localname(node) != "url":
            continue
        url = _join(base_url, _text(node, "loc"))
        if not url:
            continue
        title = published = None
        for child in node.iter():
            name = _localname(child)
            if name == "title" and child.text:
                title = " ".join(child.text.split())
            elif name == "publication_date" and child.text:
                published = parse_datetime(child.text)
        if published is None:
            published = parse_datetime(_text(node, "lastmod"))
        entries.append(SitemapEntry(url, title, published))
    return Sitemap(entries=tuple(entries))


def _gunzip(content: bytes) -> bytes:
    if not content.startswith(b"\x1f\x8b"):
        return content
    try:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = decompressor.decompress(content, MAX_SITEMAP_BYTES)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise FeedError(f"malformed gzipped sitemap: {exc}") from exc
    if decompressor.unconsumed_tail:
        raise FeedError(f"gzipped sitemap above {MAX_SITEMAP_BYTES} bytes uncompressed")
    return data


def _localname(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _text(node: etree._Element, localname: str) -> str | None:
    for child in node:
        if _localname(child) == localname and child.text:
            return child.text.strip()
    return None


def _join(base_url: str | None, url: str | None) -> str | None:
    if not url:
        return None
    url = urljoin(base_url, url) if base_url else url
    return url if is_http_url(url) else None
