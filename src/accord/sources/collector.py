"""One outlet's collection: snapshot records, feeds and sitemaps read, new pages fetched and extracted."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from accord.models import Article
from accord.sources.addresses import Resolver
from accord.sources.errors import ExtractionError, FeedError, FetchError, SnapshotError
from accord.sources.feeds import FeedItem, parse_feed
from accord.sources.http import Fetcher, FetchResult, Sleep
from accord.sources.pages import PageContent, extract_page, learn_boilerplate, remove_boilerplate
from accord.sources.settings import CollectResult, FeedState, FetchEvent, FetchSettings, OutletSource
from accord.sources.sitemaps import parse_sitemap
from accord.sources.snapshot import read_snapshot
from accord.sources.urls import canonical_url
from accord.textfix import repair_text

# A sitemap index can name thousands of child sitemaps; news sites list the newest first.
MAX_CHILD_SITEMAPS = 5


@dataclass(frozen=True)
class _Candidate:
    """A page to fetch and what its feed or sitemap said about it."""

    url: str
    canonical: str
    item: FeedItem


@dataclass(frozen=True)
class _Fetched:
    """A fetched and extracted page, before the outlet's learned boilerplate is removed."""

    candidate: _Candidate
    final_url: str
    canonical: str
    page: PageContent


class Collector:
    """Collects outlets politely and safely; holds the connection pool, robots.txt cache and host gates.

    One Collector may serve several outlets, also from several threads. Call close() when done.
    """

    def __init__(
        self,
        settings: FetchSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Sleep | None = None,
        boilerplate_min_pages: int = 3,
    ) -> None:
        self.settings = settings
        self._clock = clock if clock is not None else (lambda: datetime.now(UTC))
        self._fetcher = Fetcher(settings, transport=transport, resolver=resolver, clock=self._clock, sleep=sleep)
        self._boilerplate_min_pages = boilerplate_min_pages

    def close(self) -> None:
        """Close the connection pool."""
        self._fetcher.close()

    def __enter__(self) -> Collector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def collect(
        self,
        outlet: OutletSource,
        feed_states: Mapping[str, FeedState],
        known_urls: Collection[str],
        *,
        outlet_texts: Sequence[str] = (),
        boilerplate: Collection[str] = (),
    ) -> CollectResult:
        """Collect one outlet: return its new articles, an event per fetch, and the feed validators to keep.

        Pages whose canonical URL is in `known_urls` (or was reached earlier in this run) are not fetched or
        returned. The outlet's repeated lines are learned from this run's pages plus `outlet_texts` (texts of its
        earlier pages) and added to `boilerplate` (lines learned before, as returned in
        `CollectResult.boilerplate`); all of them are removed from this run's pages. Snapshot records keep their
        own outlet and id. Never raises for a failing feed, page or snapshot: each failure is a FetchEvent with
        ok False. Does not write anything.
        """
        result = CollectResult()
        seen: set[str] = set(known_urls)
        if outlet.snapshot is not None:
            self._collect_snapshot(outlet, seen, result)
        candidates: list[_Candidate] = []
        robots_checked: set[str] = set()
        self._report_robots_failures(outlet, [*outlet.feeds, *outlet.sitemaps], robots_checked, result)
        for url in outlet.feeds:
            candidates.extend(self._read_listing(outlet, url, "feed", feed_states, seen, result))
        for url in outlet.sitemaps:
            candidates.extend(self._read_listing(outlet, url, "sitemap", feed_states, seen, result))
        self._report_robots_failures(outlet, [c.url for c in candidates], robots_checked, result)
        fetched = self._fetch_pages(outlet, candidates, seen, result)
        learned = learn_boilerplate(
            [*outlet_texts, *(f.page.text for f in fetched)], min_pages=self._boilerplate_min_pages
        )
        result.boilerplate = frozenset(boilerplate) | learned
        for page in fetched:
            result.articles.append(self._article(outlet, page, result.boilerplate))
        return result

    # -- sources ------------------------------------------------------------------------------------------------

    def _collect_snapshot(self, outlet: OutletSource, seen: set[str], result: CollectResult) -> None:
        assert outlet.snapshot is not None
        bad: list[str] = []  # bad lines are skipped and reported; the good records around them are kept
        try:
            for article in read_snapshot(outlet.snapshot, errors=bad):
                if article.id not in seen:
                    seen.add(article.id)
                    result.articles.append(article)
        except SnapshotError as exc:
            bad.append(str(exc))
        except Exception as exc:  # an unforeseen fault in one snapshot must not end the outlet's run
            bad.append(f"unexpected {type(exc).__name__}: {exc}")
        error = None
        if bad:
            shown = "; ".join(bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
            error = f"{len(bad)} bad line(s) skipped: {shown}" if len(bad) > 1 else bad[0]
        result.events.append(self._event(str(outlet.snapshot), outlet, "snapshot", error=error))

    def _read_listing(
        self,
        outlet: OutletSource,
        url: str,
        kind: str,
        feed_states: Mapping[str, FeedState],
        seen: set[str],
        result: CollectResult,
    ) -> list[_Candidate]:
        """Fetch a feed or sitemap conditionally; return its new pages (at most max_pages_per_feed)."""
        state = feed_states.get(url)
        headers = {}
        if state is not None and state.etag:
            headers["If-None-Match"] = state.etag
        if state is not None and state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            response = self._fetcher.fetch(url, kind=kind, headers=headers)
        except FetchError as exc:
            result.events.append(self._event(url, outlet, kind, status=exc.status, error=_describe(exc)))
            if state is not None:
                result.feed_states.append(state)
            return []
        except Exception as exc:  # an unforeseen fault on one feed must not end the outlet's run
            result.events.append(self._event(url, outlet, kind, error=f"unexpected {type(exc).__name__}: {exc}"))
            if state is not None:
                result.feed_states.append(state)
            return []
        if response.not_modified:
            result.events.append(self._event(url, outlet, kind, status=304, not_modified=True))
            result.feed_states.append(
                FeedState(
                    url,
                    response.headers.get("etag") or (state.etag if state else None),
                    response.headers.get("last-modified") or (state.last_modified if state else None),
                )
            )
            return []
        items, error = self._parse_listing(response, kind)
        result.events.append(self._event(url, outlet, kind, status=response.status, error=error))
        if error is None:
            result.feed_states.append(
                FeedState(url, response.headers.get("etag"), response.headers.get("last-modified"))
            )
        # A malformed feed keeps no validators, so it is fetched and reported again next run; the items
        # recovered from it are still followed.
        candidates = []
        for item in items[: self.settings.max_pages_per_feed]:
            try:
                canonical = canonical_url(item.url)
            except ValueError:
                continue
            if canonical in seen:
                continue
            seen.add(canonical)
            candidates.append(_Candidate(item.url, canonical, item))
        return candidates

    def _parse_listing(self, response: FetchResult, kind: str) -> tuple[list[FeedItem], str | None]:
        if kind == "feed":
            feed = parse_feed(response.content, base_url=response.final_url, content_type=response.content_type)
            return list(feed.items), feed.error
        try:
            sitemap = parse_sitemap(response.content, base_url=response.final_url)
        except FeedError as exc:
            return [], str(exc)
        items = [FeedItem(e.url, e.title, e.published) for e in sitemap.entries]
        errors = []
        for child in sitemap.children[:MAX_CHILD_SITEMAPS]:
            try:
                child_map = parse_sitemap(self._fetcher.fetch(child, kind="sitemap").content, base_url=child)
            except (FetchError, FeedError) as exc:
                errors.append(f"{child}: {exc}")
                continue
            items.extend(FeedItem(e.url, e.title, e.published) for e in child_map.entries)
        # Newest first, so the page cap keeps the latest reports.
        items.sort(key=lambda i: i.published or datetime.min.replace(tzinfo=UTC), reverse=True)
        return items, "; ".join(errors) or None

    # -- pages --------------------------------------------------------------------------------------------------

    def _report_robots_failures(
        self, outlet: OutletSource, urls: Sequence[str], checked: set[str], result: CollectResult
    ) -> None:
        """Add one "robots" event per origin (not in `checked`) whose robots.txt cannot be read."""
        origins: dict[str, str] = {}
        for url in urls:
            try:
                parts = urlsplit(url)
            except ValueError:
                continue  # a malformed URL (`http://[::1`) is reported by its own fetch, as UnsafeURLError
            origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
            if origin not in checked:
                checked.add(origin)
                origins[origin] = url
        for origin, url in origins.items():
            try:
                self._fetcher.policy.check_url(url)
            except FetchError:
                continue  # an unsafe origin is reported by its page fetch, not as a robots.txt failure
            try:
                error = self._fetcher.robots_error(url)
            except Exception as exc:  # an unforeseen fault on one origin must not end the outlet's run
                error = f"unexpected {type(exc).__name__}: {exc}"
            if error:
                result.events.append(self._event(f"{origin}/robots.txt", outlet, "robots", error=error))

    def _fetch_pages(
        self, outlet: OutletSource, candidates: list[_Candidate], seen: set[str], result: CollectResult
    ) -> list[_Fetched]:
        workers = max(1, min(self.settings.per_host_concurrency, len(candidates)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="accord-fetch") as pool:
            outcomes = list(pool.map(self._fetch_page, candidates))
        fetched = []
        for candidate, outcome in zip(candidates, outcomes, strict=True):
            if isinstance(outcome, FetchEvent):
                result.events.append(replace(outcome, outlet=outlet.name))
                continue
            result.events.append(self._event(candidate.url, outlet, "page", status=outcome[0]))
            page = outcome[1]
            if page.canonical != candidate.canonical and page.canonical in seen:
                continue  # redirected to a page already stored or already fetched in this run
            seen.add(page.canonical)
            fetched.append(page)
        return fetched

    def _fetch_page(self, candidate: _Candidate) -> FetchEvent | tuple[int, _Fetched]:
        """Fetch and extract one page; return a failure event (outlet filled in by the caller) or the page."""
        try:
            return self._fetch_page_or_raise(candidate)
        except Exception as exc:  # an unforeseen fault on one page must not end the outlet's run
            return self._failure(candidate.url, "page", None, f"unexpected {type(exc).__name__}: {exc}")

    def _fetch_page_or_raise(self, candidate: _Candidate) -> FetchEvent | tuple[int, _Fetched]:
        try:
            response = self._fetcher.fetch(candidate.url, kind="page")
        except FetchError as exc:
            return self._failure(candidate.url, "page", exc.status, _describe(exc))
        try:
            page = extract_page(response.content, response.final_url, content_type=response.content_type)
        except ExtractionError as exc:
            return self._failure(candidate.url, "page", response.status, str(exc))
        try:
            canonical = canonical_url(response.final_url)
        except ValueError:
            canonical = candidate.canonical
        return response.status, _Fetched(candidate, response.final_url, canonical, page)

    def _article(self, outlet: OutletSource, fetched: _Fetched, learned: frozenset[str]) -> Article:
        page, item = fetched.page, fetched.candidate.item
        text = remove_boilerplate(page.text, learned) if learned else page.text
        return Article(
            id=fetched.canonical,
            outlet=outlet.name,
            title=repair_text(page.title or item.title or ""),
            text=repair_text(text),
            url=fetched.final_url,
            # The feed's time is to the second and in a known zone; a page date is often a day only.
            published=item.published or page.published,
            author=page.author or item.author,
            language=page.language,
        )

    # -- events -------------------------------------------------------------------------------------------------

    def _event(
        self,
        url: str,
        outlet: OutletSource,
        kind: str,
        *,
        status: int | None = None,
        error: str | None = None,
        not_modified: bool = False,
    ) -> FetchEvent:
        return FetchEvent(url, outlet.name, kind, error is None, status, error, self._clock(), not_modified)

    def _failure(self, url: str, kind: str, status: int | None, error: str) -> FetchEvent:
        return FetchEvent(url, "", kind, False, status, error, self._clock())


def _describe(exc: FetchError) -> str:
    """Return an error message naming the error class, e.g. 'FetchTimeout: timeout: ...'."""
    return f"{type(exc).__name__}: {exc}"
