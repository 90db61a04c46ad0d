"""The fetcher against the real local server: timeouts, retries, caps, redirects, robots.txt, safety."""

from __future__ import annotations

import dataclasses
import time

import pytest

from accord.sources import (
    FetchSettings,
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

from .conftest import test_resolver

PAGE = "/pages/uk/TheGuardian_2024_02_24.html"


@pytest.fixture
def fetcher(settings, sleeps):
    with Fetcher(settings, resolver=test_resolver, sleep=sleeps) as f:
        yield f


def test_fetches_a_page_with_its_headers(fetcher, url, server):
    result = fetcher.fetch(url(PAGE))
    assert result.status == 200
    assert result.content.startswith(b"<!DOCTYPE html") or b"<html" in result.content[:500]
    assert result.content_type == "text/html"
    assert server.hits[PAGE] == 1


def test_sends_the_configured_user_agent_and_obeys_robots(fetcher, url, server):
    with pytest.raises(RobotsDisallowed, match="disallowed by robots.txt"):
        fetcher.fetch(url("/private/uk/TheGuardian_2024_02_24.html.gz"))
    assert server.hits["/private/uk/TheGuardian_2024_02_24.html.gz"] == 0
    assert server.hits["/robots.txt"] == 1
    fetcher.fetch(url(PAGE))
    assert server.hits["/robots.txt"] == 1  # cached per origin


def test_robots_rules_for_our_user_agent_apply(fetcher, url):
    assert not fetcher.allowed_by_robots(url(PAGE, host="picky.test"))
    assert fetcher.allowed_by_robots(url(PAGE))


def test_robots_404_allows_and_500_disallows(fetcher, url, server):
    assert fetcher.fetch(url(PAGE, host="norobots.test")).status == 200
    with pytest.raises(RobotsDisallowed, match="robots.txt unreadable"):
        fetcher.fetch(url(PAGE, host="robots500.test"))
    assert fetcher.robots_error(url(PAGE, host="robots500.test"))
    assert fetcher.robots_error(url(PAGE)) is None


def test_crawl_delay_spaces_requests_to_a_host(settings, url, sleeps, server):
    with Fetcher(settings, resolver=test_resolver, sleep=sleeps) as fetcher:
        fetcher.fetch(url(PAGE, host="slowrobots.test"))
        fetcher.fetch(url(PAGE, host="slowrobots.test"))
    assert any(1.5 < s <= 2.0 for s in sleeps), sleeps


def test_per_host_delay_spaces_requests(settings, url, sleeps):
    polite = dataclasses.replace(settings, per_host_delay=0.5)
    with Fetcher(polite, resolver=test_resolver, sleep=sleeps) as fetcher:
        for _ in range(3):
            fetcher.fetch(url(PAGE))
    # robots.txt and three pages: three waits, each start planned 0.5 s after the previous one
    # (the recorded sleeps do not pass time, so the plan shows as 0.5, 1.0, 1.5 from now).
    assert len(sleeps) == 3
    gaps = [later - earlier for earlier, later in zip([0.0, *sleeps[:-1]], sleeps, strict=True)]
    assert all(abs(gap - 0.5) < 0.05 for gap in gaps), sleeps


def test_time_queued_for_a_host_does_not_count_against_the_deadline(settings, url):
    polite = dataclasses.replace(settings, per_host_delay=1.2, total_timeout=1.0, obey_robots=False)
    with Fetcher(polite, resolver=test_resolver) as fetcher:  # real sleeps: the second fetch waits 1.2 s
        assert fetcher.fetch(url(PAGE)).status == 200
        assert fetcher.fetch(url(PAGE)).status == 200


def test_slow_server_times_out_within_the_deadline(fetcher, url, server, settings):
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetcher.fetch(url("/fault/slow?delay=3"))
    assert time.monotonic() - started < settings.total_timeout + 0.5
    assert server.hits["/fault/slow"] >= 1


def test_dripping_server_is_cut_at_the_total_deadline(settings, url, sleeps):
    # Each byte comes well within read_timeout; only the total deadline can stop this fetch.
    tight = dataclasses.replace(settings, read_timeout=1.0, total_timeout=1.5, retries=0)
    with Fetcher(tight, resolver=test_resolver, sleep=sleeps) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            fetcher.fetch(url("/fault/drip"))
        assert time.monotonic() - started < 2.2


def test_500_is_retried_with_backoff_then_reported(fetcher, url, server, sleeps):
    with pytest.raises(HTTPStatusError) as info:
        fetcher.fetch(url("/fault/500"))
    assert info.value.status == 500
    assert server.hits["/fault/500"] == 3  # one try and two retries
    assert sleeps == [0.01, 0.02]


def test_404_is_not_retried(fetcher, url, server):
    with pytest.raises(HTTPStatusError):
        fetcher.fetch(url("/fault/404"))
    assert server.hits["/fault/404"] == 1


def test_429_honours_retry_after(fetcher, url, server, sleeps):
    result = fetcher.fetch(url("/fault/429?after=2"))
    assert result.status == 200
    assert server.hits["/fault/429"] == 2
    assert sleeps == [2.0]


def test_retry_after_is_capped_and_a_wait_past_the_deadline_gives_up(settings, url, server, sleeps):
    with Fetcher(dataclasses.replace(settings, max_retry_after=1.0), resolver=test_resolver, sleep=sleeps) as f:
        assert f.fetch(url("/fault/429?after=120")).status == 200
    assert sleeps == [1.0]
    sleeps.clear()
    # An HTTP-date an hour ahead, capped at 5 s, still does not fit in a 2.5 s deadline: no retry.
    with Fetcher(settings, resolver=test_resolver, sleep=sleeps) as f, pytest.raises(HTTPStatusError):
        f.fetch(url("/fault/503-date"))
    assert server.hits["/fault/503-date"] == 1
    assert sleeps == []


def test_truncated_body_is_a_transport_error(fetcher, url, server):
    with pytest.raises(TransportError):
        fetcher.fetch(url("/fault/truncated"))
    assert server.hits["/fault/truncated"] == 3  # retried: a truncated body may be a passing fault


def test_undecodable_gzip_body_is_a_transport_error(fetcher, url):
    with pytest.raises(TransportError, match="DecodingError"):
        fetcher.fetch(url("/fault/bad-gzip"))


def test_size_cap_by_content_length_and_while_streaming(settings, url, sleeps):
    small = dataclasses.replace(settings, max_bytes=50_000)
    with Fetcher(small, resolver=test_resolver, sleep=sleeps) as fetcher:
        with pytest.raises(ResponseTooLarge, match="Content-Length"):
            fetcher.fetch(url("/fault/oversize"))
        with pytest.raises(ResponseTooLarge, match="body above the cap"):
            fetcher.fetch(url("/fault/oversize-chunked"))
        with pytest.raises(ResponseTooLarge, match="body above the cap"):  # the cap counts decompressed bytes
            fetcher.fetch(url("/fault/gzip-bomb"))


def test_content_type_is_checked_per_kind(fetcher, url):
    with pytest.raises(UnexpectedContentType, match="image/png"):
        fetcher.fetch(url("/fault/wrongtype"))
    with pytest.raises(UnexpectedContentType, match="not a feed"):
        fetcher.fetch(url("/fault/html-as-feed"), kind="feed")
    assert fetcher.fetch(url("/feeds/livemint.xml"), kind="feed").status == 200


def test_redirects_are_followed_and_limited(fetcher, url, settings, sleeps):
    result = fetcher.fetch(url("/redirect/chain-3"))
    assert result.final_url == url("/fault/bogus-charset")
    assert len(result.redirects) == 3
    with pytest.raises(RedirectError, match="loop"):
        fetcher.fetch(url("/redirect/loop-a"))
    with pytest.raises(RedirectError, match="more than 5 redirects"):
        fetcher.fetch(url("/redirect/chain-7"))
    with pytest.raises(RedirectError, match="without Location"):
        fetcher.fetch(url("/redirect/no-location"))


def test_redirect_into_robots_forbidden_path_is_refused(fetcher, url, server):
    with pytest.raises(RobotsDisallowed):
        fetcher.fetch(url("/redirect/robots"))
    assert server.hits["/private/uk/TheGuardian_2024_02_24.html.gz"] == 0


def test_conditional_get_is_answered_304(fetcher, url, server):
    first = fetcher.fetch(url("/feeds/livemint.xml"), kind="feed")
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    again = fetcher.fetch(url("/feeds/livemint.xml"), kind="feed", headers={"If-None-Match": etag})
    assert again.not_modified and again.content == b""
    since = fetcher.fetch(url("/feeds/livemint.xml"), kind="feed", headers={"If-Modified-Since": last_modified})
    assert since.not_modified
    assert server.not_modified["/feeds/livemint.xml"] == 2


# -- safety: the server is on loopback, so these tests allow only 127.0.0.1 and check everything else is refused


@pytest.fixture
def guarded(settings, sleeps):
    strict = dataclasses.replace(settings, allow_private_addresses=False, allowed_networks=("127.0.0.1/32",))
    with Fetcher(strict, resolver=test_resolver, sleep=sleeps) as f:
        yield f


def test_redirect_to_metadata_address_is_refused(guarded, url, server):
    assert guarded.fetch(url(PAGE)).status == 200
    with pytest.raises(UnsafeURLError, match="169.254.169.254"):
        guarded.fetch(url("/redirect/private"))
    with pytest.raises(UnsafeURLError, match="10.0.0.5"):
        guarded.fetch(url("/redirect/internal"))
    with pytest.raises(UnsafeURLError, match="scheme 'file'"):
        guarded.fetch(url("/redirect/file"))


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://metadata.test/",
        "http://internal.test/",
        "http://mixed.test/",
        "ftp://news.test/file",
        "file:///etc/passwd",
        "gopher://news.test/",
    ],
)
def test_unsafe_targets_are_refused_before_any_traffic(target, settings, sleeps, url):
    strict = dataclasses.replace(settings, allow_private_addresses=False)
    with Fetcher(strict, resolver=test_resolver, sleep=sleeps) as fetcher, pytest.raises(UnsafeURLError):
        fetcher.fetch(target)


def test_loopback_is_refused_by_default(settings, sleeps, url, server):
    strict = dataclasses.replace(settings, allow_private_addresses=False)
    with Fetcher(strict, resolver=test_resolver, sleep=sleeps) as fetcher, pytest.raises(UnsafeURLError):
        fetcher.fetch(url(PAGE))
    assert server.hits[PAGE] == 0 and server.hits["/robots.txt"] == 0


def test_connect_time_check_catches_a_resolver_that_changes_its_answer(settings, sleeps, url, server):
    # DNS rebinding: the answer checked before the request is allowed, the one at connect time is not.
    answers = iter([["127.0.0.1"], ["10.0.0.9"]])
    strict = dataclasses.replace(
        settings, allow_private_addresses=False, allowed_networks=("127.0.0.1/32",), retries=0, obey_robots=False
    )
    with Fetcher(strict, resolver=lambda host: next(answers), sleep=sleeps) as fetcher:
        with pytest.raises(UnsafeURLError, match="10.0.0.9"):
            fetcher.fetch(url(PAGE, host="rebind.test"))
    assert server.hits[PAGE] == 0


def test_settings_reject_bad_values():
    with pytest.raises(ValueError, match="total_timeout"):
        FetchSettings(total_timeout=0)
    with pytest.raises(ValueError, match="per_host_concurrency"):
        FetchSettings(per_host_concurrency=0)
