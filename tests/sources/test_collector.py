"""The collector end to end against the local server: the lead's done-check, in small."""

from __future__ import annotations

import dataclasses
import json
import statistics

import pytest
import trafilatura

from accord.sources import Collector, FeedState, OutletSource, canonical_url

from .conftest import test_resolver
from .fundus import load_pages, token_f1

NEWS_PAGES = [
    "uk/TheGuardian_2024_02_24.html.gz",
    "us/Reuters_2024_03_07.html.gz",
    "us/APNews_2024_09_03.html.gz",
    "uk/TheIndependent_2024_11_22.html.gz",
    "us/WashingtonPost_2024_04_26.html.gz",
    "de/DieWelt_2024_08_27.html.gz",
]
FAILING = [
    "/fault/500",
    "/fault/404",
    "/fault/wrongtype",
    "/fault/truncated",
    "/fault/empty",
    "/fault/slow?delay=4",
    "/redirect/loop-a",
    "/redirect/private",
    "/private/uk/TheGuardian_2024_02_24.html.gz",
]


@pytest.fixture
def strict(settings):
    """Loopback allowed for the test server only; everything else private is refused."""
    return dataclasses.replace(settings, allow_private_addresses=False, allowed_networks=("127.0.0.1/32",))


@pytest.fixture
def news(server, url):
    present = {p.html_path.relative_to(p.html_path.parents[1]).as_posix() for p in load_pages()}
    server.news_pages = [p for p in NEWS_PAGES if p in present]
    assert len(server.news_pages) == len(NEWS_PAGES)
    first = "/news/pages/" + server.news_pages[0].removesuffix(".gz")
    server.extra_links = [*FAILING, first + "?utm_source=rss#comments", "/redirect/to-page"]
    return server


def page_url(url, name: str) -> str:
    return url("/news/pages/" + name.removesuffix(".gz"))


def test_first_run_stores_every_good_page_once_and_records_every_failure(news, url, strict, sleeps):
    outlet = OutletSource(
        "Test News",
        feeds=(
            url("/news/feed.xml"),
            url("/feeds/allthis-partial.json"),
            url("/fault/404"),
            url("/fault/html-as-feed"),
        ),
    )
    with Collector(strict, resolver=test_resolver, sleep=sleeps) as collector:
        result = collector.collect(outlet, {}, set())

    ids = [a.id for a in result.articles]
    assert sorted(ids) == sorted(canonical_url(page_url(url, p)) for p in NEWS_PAGES)
    assert all(a.outlet == "Test News" and a.title and a.text and a.url for a in result.articles)
    # The utm link is the same canonical URL and is not fetched; the redirect's target is only known by fetching it
    # (stored once all the same).
    assert news.hits["/news/pages/" + NEWS_PAGES[0].removesuffix(".gz")] == 2

    failed = {(e.url, e.kind): e for e in result.events if not e.ok}
    for path in FAILING:
        event = failed[url(path), "page"]
        assert event.error and event.outlet == "Test News"
    assert "UnsafeURLError" in failed[url("/redirect/private"), "page"].error
    assert "RobotsDisallowed" in failed[url("/private/uk/TheGuardian_2024_02_24.html.gz"), "page"].error
    assert "FetchTimeout" in failed[url("/fault/slow?delay=4"), "page"].error
    assert "no main text" in failed[url("/fault/empty"), "page"].error
    assert failed[url("/feeds/allthis-partial.json"), "feed"].error.startswith("malformed JSON feed")
    assert failed[url("/fault/404"), "feed"].status == 404
    assert "UnexpectedContentType" in failed[url("/fault/html-as-feed"), "feed"].error
    assert len([e for e in result.events if not e.ok]) == len(failed) == len(FAILING) + 3
    assert news.hits["/private/uk/TheGuardian_2024_02_24.html.gz"] == 0

    # Validators are kept for the good feed only: a broken feed is fetched (and reported) again next run.
    states = {s.url: s for s in result.feed_states}
    assert set(states) == {url("/news/feed.xml")}
    assert states[url("/news/feed.xml")].etag and states[url("/news/feed.xml")].last_modified


def test_second_run_stores_nothing_and_unchanged_feeds_answer_304(news, url, strict, sleeps):
    outlet = OutletSource("Test News", feeds=(url("/news/feed.xml"), url("/feeds/allthis-partial.json")))
    with Collector(strict, resolver=test_resolver, sleep=sleeps) as collector:
        first = collector.collect(outlet, {}, set())
        hits_after_first = sum(news.hits.values())
        states = {s.url: s for s in first.feed_states}
        second = collector.collect(outlet, states, {a.id for a in first.articles})

    assert len(first.articles) == len(NEWS_PAGES)
    assert second.articles == []
    feed_event = next(e for e in second.events if e.url == url("/news/feed.xml"))
    assert feed_event.ok and feed_event.not_modified and feed_event.status == 304
    assert news.not_modified["/news/feed.xml"] == 1
    # Only the two feeds were asked again (robots.txt is cached; the failing pages are not in these feeds' items
    # ... except those of the news feed, which answered 304 and so listed nothing).
    assert sum(news.hits.values()) - hits_after_first == 2
    assert {s.url for s in second.feed_states} == {url("/news/feed.xml")}


def test_known_urls_are_not_fetched_even_in_a_new_collector(news, url, strict, sleeps):
    news.extra_links = []
    outlet = OutletSource("Test News", feeds=(url("/news/feed.xml"),))
    known = {canonical_url(page_url(url, NEWS_PAGES[0]) + "?utm_medium=x")}
    with Collector(strict, resolver=test_resolver, sleep=sleeps) as collector:
        result = collector.collect(outlet, {}, known)
    assert len(result.articles) == len(NEWS_PAGES) - 1
    assert news.hits["/news/pages/" + NEWS_PAGES[0].removesuffix(".gz")] == 0


def test_stored_text_scores_at_least_bare_trafilatura(news, url, strict, sleeps):
    news.extra_links = []
    with Collector(strict, resolver=test_resolver, sleep=sleeps) as collector:
        result = collector.collect(OutletSource("Test News", feeds=(url("/news/feed.xml"),)), {}, set())
    expected = {
        canonical_url(page_url(url, p.html_path.relative_to(p.html_path.parents[1]).as_posix())): p
        for p in load_pages()
    }
    ours, bare = [], []
    for article in result.articles:
        page = expected[article.id]
        ours.append(token_f1(article.text, page.body))
        bare.append(token_f1(trafilatura.extract(page.html()) or "", page.body))
    assert len(ours) == len(NEWS_PAGES)
    assert statistics.mean(ours) >= statistics.mean(bare)


@pytest.mark.parametrize("listing", ["/news/feed.json", "/news/sitemap.xml"])
def test_json_feed_and_news_sitemap_sources(news, url, settings, sleeps, listing):
    news.extra_links = []
    kind = "sitemaps" if listing.endswith(".xml") else "feeds"
    outlet = OutletSource("Test News", **{kind: (url(listing),)})
    with Collector(settings, resolver=test_resolver, sleep=sleeps) as collector:
        result = collector.collect(outlet, {}, set())
    assert len(result.articles) == len(NEWS_PAGES)
    assert all(a.published is not None for a in result.articles)
    assert [e.kind for e in result.events].count(kind.rstrip("s")) == 1


def test_pages_per_feed_are_capped(news, url, settings, sleeps):
    capped = dataclasses.replace(settings, max_pages_per_feed=2)
    with Collector(capped, resolver=test_resolver, sleep=sleeps) as collector:
        result = collector.collect(OutletSource("Test News", feeds=(url("/news/feed.xml"),)), {}, set())
    assert len(result.articles) == 2


def test_unreadable_robots_is_an_event_and_its_pages_are_not_fetched(news, url, settings, sleeps):
    news.news_pages = []
    news.extra_links = [url(f"/news/pages/{p.removesuffix('.gz')}", host="robots500.test") for p in NEWS_PAGES[:2]]
    outlet = OutletSource("Test News", feeds=(url("/news/feed.xml"), url("/feeds/livemint.xml", host="robots500.test")))
    with Collector(settings, resolver=test_resolver, sleep=sleeps) as collector:
        result = collector.collect(outlet, {}, set())
    assert result.articles == []
    robots = [e for e in result.events if e.kind == "robots"]
    assert [e.url for e in robots] == [url("/robots.txt", host="robots500.test")]
    assert not robots[0].ok and "500" in robots[0].error
    pages = [e for e in result.events if e.kind == "page"]
    assert len(pages) == 2 and all("RobotsDisallowed" in e.error for e in pages)
    assert news.hits["/news/pages/" + NEWS_PAGES[0].removesuffix(".gz")] == 0


def test_snapshot_source_and_a_broken_snapshot(tmp_path, settings):
    good = tmp_path / "good.jsonl"
    records = [
        {"id": f"r{i}", "outlet": "wire", "title": f"T{i}", "text": "text", "published": "2024-01-02"} for i in range(3)
    ]
    good.write_text("".join(json.dumps(r) + "\n" for r in records))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(records[0]) + "\n{oops\n")
    with Collector(settings, resolver=test_resolver) as collector:
        replay = collector.collect(OutletSource("sample", snapshot=good), {}, {"r1"})
        broken = collector.collect(OutletSource("sample", snapshot=bad), {}, set())
    assert [a.id for a in replay.articles] == ["r0", "r2"]
    assert replay.events[0].kind == "snapshot" and replay.events[0].ok
    assert [a.id for a in broken.articles] == ["r0"]
    assert not broken.events[0].ok and f"{bad}:2" in broken.events[0].error


def test_feed_state_validators_are_sent(news, url, settings, sleeps):
    news.extra_links = []
    feed = url("/feeds/livemint.xml")
    with Collector(dataclasses.replace(settings, max_pages_per_feed=0), resolver=test_resolver, sleep=sleeps) as c:
        first = c.collect(OutletSource("mint", feeds=(feed,)), {}, set())
        state = first.feed_states[0]
        stale = FeedState(feed, etag='"stale"', last_modified=state.last_modified)
        again = c.collect(OutletSource("mint", feeds=(feed,)), {feed: stale}, set())
    assert again.events[0].status == 200  # a stale ETag wins over a matching date (RFC 9110)
    assert again.feed_states[0].etag == state.etag


@pytest.mark.parametrize("concurrency", [1, 2])
def test_pages_of_a_host_are_fetched_at_most_per_host_concurrency_at_once(news, url, settings, sleeps, concurrency):
    news.news_pages = []
    news.extra_links = [f"/synthetic/{n}?delay=0.3" for n in range(4)]
    with Collector(
        dataclasses.replace(settings, per_host_concurrency=concurrency), resolver=test_resolver, sleep=sleeps
    ) as collector:
        result = collector.collect(OutletSource("Daily Example", feeds=(url("/news/feed.xml"),)), {}, set())
    assert len(result.articles) == 4
    assert news.most_active == concurrency


TAGLINE = "The Daily Example is funded by its readers. Support independent journalism today."


def test_outlet_boilerplate_is_learned_across_its_pages(news, url, settings, sleeps):
    news.news_pages = []
    news.extra_links = [f"/synthetic/{n}" for n in range(4)]
    outlet = OutletSource("Daily Example", feeds=(url("/news/feed.xml"),))
    with Collector(settings, resolver=test_resolver, sleep=sleeps) as collector:
        result = collector.collect(outlet, {}, set())
        others = {a.id for a in result.articles[1:]}
        alone = collector.collect(outlet, {}, others)
        remembered = collector.collect(outlet, {}, others, boilerplate=result.boilerplate)
        from_texts = collector.collect(outlet, {}, others, outlet_texts=[f"Report {n}.\n{TAGLINE}" for n in range(3)])
    assert len(result.articles) == 4
    assert TAGLINE.casefold() in result.boilerplate
    for article in result.articles:
        assert "funded by its readers" not in article.text
        assert "air strike on a market" in article.text and "critical state" in article.text
    # One new page alone teaches nothing; lines learned before, or the outlet's earlier texts, do.
    assert len(alone.articles) == 1 and TAGLINE in alone.articles[0].text
    assert len(remembered.articles) == 1 and TAGLINE not in remembered.articles[0].text
    assert len(from_texts.articles) == 1 and TAGLINE not in from_texts.articles[0].text
