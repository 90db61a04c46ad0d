"""OPML import and sitemap parsing."""

from __future__ import annotations

import gzip

import pytest

from accord.sources import FeedError, OPMLError, load_opml, parse_sitemap
from tests.conftest import DATA

FEEDS = DATA / "rsparser-feeds"


@pytest.mark.parametrize("name", ["Subs.opml", "SubsNoTitleAttributes.opml"])
def test_opml_import(name):
    outlets = load_opml(FEEDS / name)
    assert len(outlets) == 203
    first = outlets[0]
    assert first.name == "Daring Fireball"
    assert first.feeds == ("http://daringfireball.net/feeds/main", "http://daringfireball.net/index.xml")
    assert all(o.feeds and o.name for o in outlets)


def test_opml_without_names_uses_the_host(tmp_path):
    path = tmp_path / "o.opml"
    path.write_text('<opml version="2.0"><body><outline xmlUrl="https://news.example/rss"/></body></opml>')
    assert [o.name for o in load_opml(path)] == ["news.example"]


def test_bad_opml(tmp_path):
    path = tmp_path / "bad.opml"
    path.write_text("<opml><body><outline")
    with pytest.raises(OPMLError, match="malformed"):
        load_opml(path)
    with pytest.raises(OPMLError, match="not OPML"):
        load_opml(FEEDS / "livemint.xml")


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/a</loc><news:news><news:publication_date>2024-03-07T10:00:00+01:00</news:publication_date>
<news:title>Strike kills 12</news:title></news:news></url>
<url><loc>/relative</loc><lastmod>2024-03-01</lastmod></url>
</urlset>"""


def test_news_sitemap():
    sitemap = parse_sitemap(NEWS_SITEMAP, base_url="https://news.example/sitemap.xml")
    assert [e.url for e in sitemap.entries] == ["https://news.example/a", "https://news.example/relative"]
    assert sitemap.entries[0].title == "Strike kills 12"
    assert sitemap.entries[0].published.isoformat() == "2024-03-07T10:00:00+01:00"
    assert sitemap.entries[1].published.isoformat() == "2024-03-01T00:00:00+00:00"


def test_gzipped_sitemap_index_and_text_sitemap():
    index = gzip.compress(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://n.example/s1.xml</loc>'
        b"</sitemap></sitemapindex>"
    )
    assert parse_sitemap(index).children == ("https://n.example/s1.xml",)
    assert [e.url for e in parse_sitemap(b"https://n.example/a\nnot a url\n").entries] == ["https://n.example/a"]


def test_bad_sitemaps():
    with pytest.raises(FeedError, match="malformed"):
        parse_sitemap(b"<urlset><url>")
    with pytest.raises(FeedError, match="root element <rss>"):
        parse_sitemap((FEEDS / "livemint.xml").read_bytes())
    entity_bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><urlset><url><loc>&a;</loc></url></urlset>'
    assert all("aaaa" not in e.url for e in parse_sitemap(entity_bomb).entries)
