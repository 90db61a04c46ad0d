"""Feed parsing over every saved RSParser feed, and over HTTP with charsets and validators."""

from __future__ import annotations

import pytest

from accord.sources import parse_feed
from tests.conftest import DATA

FEEDS = DATA / "rsparser-feeds"

# file -> (format, items with a link); None items: the feed is broken (its error is set).
EXPECTED = {
    "3960.json": ("json1.1", 20),
    "489.rss": ("rss20", 10),
    "4fsodonline.atom": ("atom10", 25),
    "DaringFireball.atom": ("atom10", 48),
    "DaringFireball.json": ("json1", 48),
    "DaringFireball.rss": ("atom10", 47),  # Atom despite the name
    "EMarley.rss": ("rss20", 10),
    "KatieFloyd.rss": ("rss20", 20),
    "OneFootTsunami.atom": ("atom10", 25),
    "ScriptingNews.json": ("rss-in-json", 50),
    "aktuality.rss": ("rss20", 30),
    "allthis-partial.json": ("json", None),  # truncated
    "allthis.atom": ("rss20", 12),  # RSS despite the name
    "allthis.json": ("json1", 12),
    "atp.rss": ("rss20", 100),
    "authors.json": ("json1.1", 0),  # items without links
    "bio.rdf": ("rss10", 30),
    "cloudblog.rss": ("rss20", 20),
    "curt.json": ("json1", 26),
    "dcrainmaker.xml": ("rss20", 8),
    "donthitsave.xml": ("rss20", 10),
    "expertopinionent.atom": ("atom10", 43),
    "inessential.json": ("json1", 20),
    "jsonfeed-extension.json": ("json1.1", 0),
    "kc0011.rss": ("rss20", 20),  # gb2312
    "lanacion.xml": ("rss20", 100),
    "livemint.xml": ("rss20", 25),
    "macworld.rss": ("rss20", 30),
    "manton.rss": ("rss20", 10),
    "monkeydom.rss": ("rss20", 13),
    "natasha.xml": ("rss20", 10),
    "phpxml.rss": ("rss20", 20),
    "pxlnv.json": ("json1", 20),
    "rose.json": ("json1", 84),
    "rubenerd.rss": ("rss20", 10),
    "russcox.atom": ("atom10", 19),
    "scriptingNews.rss": ("rss20", 50),
    "theomnishow.rss": ("rss20", 4),
    "Subs.opml": ("unknown", None),  # not a feed
    "SubsNoTitleAttributes.opml": ("unknown", None),
}


def test_every_saved_feed_is_listed():
    files = {p.name for p in FEEDS.iterdir() if p.suffix not in (".md", ".txt")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_feed(name):
    feed = parse_feed((FEEDS / name).read_bytes())
    expected_format, expected_items = EXPECTED[name]
    assert feed.format == expected_format
    if expected_items is None:
        assert feed.is_broken and feed.error
        assert not feed.items
    else:
        assert feed.error is None, feed.error
        assert len(feed.items) == expected_items
        assert all(item.url.startswith(("http://", "https://")) for item in feed.items)


def test_item_fields():
    item = parse_feed((FEEDS / "aktuality.rss").read_bytes()).items[0]
    assert item.title and item.title.startswith("Analytici Goldman Sachs")
    assert item.published is not None and item.published.tzinfo is not None
    lanacion = parse_feed((FEEDS / "lanacion.xml").read_bytes()).items[0]
    assert lanacion.title == "El Gobierno aumentó un 50% el monto de la Tarjeta Alimentar, en medio de la crisis"


def test_gb2312_feed_is_decoded():
    feed = parse_feed((FEEDS / "kc0011.rss").read_bytes(), content_type="text/xml")
    assert feed.items[0].title == "建国35周年纪念，华表，和平鸽"


def test_json_feed_authors_and_dates():
    feed = parse_feed((FEEDS / "inessential.json").read_bytes())
    assert feed.items[0].published is not None and feed.items[0].published.utcoffset().total_seconds() == -7 * 3600
    daring = parse_feed((FEEDS / "DaringFireball.json").read_bytes())
    assert daring.items[0].author == "John Gruber"


def test_recovered_items_of_a_malformed_xml_feed_are_kept_but_flagged():
    text = (FEEDS / "livemint.xml").read_bytes()
    truncated = text[: len(text) // 2]
    feed = parse_feed(truncated)
    assert feed.is_broken
    assert feed.error.startswith("malformed feed")
    assert 0 < len(feed.items) < 25


def test_relative_links_are_resolved_against_the_feed_url():
    rss = b'<rss version="2.0"><channel><title>t</title><item><link>/a/story.html</link></item></channel></rss>'
    feed = parse_feed(rss, base_url="https://news.example/feeds/all.xml")
    assert [i.url for i in feed.items] == ["https://news.example/a/story.html"]


def test_non_http_links_are_dropped():
    rss = b'<rss version="2.0"><channel><title>t</title><item><link>javascript:alert(1)</link></item></channel></rss>'
    assert parse_feed(rss).items == ()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("kc0011.rss", "text/xml"), ("kc0011.rss", "text/xml; charset=utf-8"), ("livemint.xml", "")],
)
def test_feeds_over_http_with_their_labels(name, content_type, server, url, settings):
    from accord.sources import Fetcher

    from .conftest import test_resolver

    with Fetcher(settings, resolver=test_resolver) as fetcher:
        response = fetcher.fetch(url(f"/feeds/{name}"), kind="feed")
    # The server's own label, then a lying one: the XML declaration and byte sniffing still win.
    feed = parse_feed(response.content, base_url=response.final_url, content_type=content_type or response.content_type)
    assert feed.error is None
    assert len(feed.items) == EXPECTED[name][1]
    if name == "kc0011.rss":
        assert feed.items[0].title == "建国35周年纪念，华表，和平鸽"
