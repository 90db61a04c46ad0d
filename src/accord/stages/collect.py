"""Collect: fetch each outlet's new reports and store them.

Owns the rows of articles (as first written), outlets, fetch_log, feed_state and outlet_boilerplate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from accord.config import OutletConfig, Settings
from accord.errors import ConfigError
from accord.models import Article
from accord.store import RunInfo, Store, to_naive_utc, utcnow

_ARTICLE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("seq", pa.int64()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("published", pa.timestamp("us")),
        ("fetched", pa.timestamp("us")),
        ("author", pa.string()),
        ("language", pa.string()),
        ("content_hash", pa.string()),
        ("run_id", pa.int64()),
    ]
)


def content_hash(title: str, text: str) -> str:
    """Return a stable fingerprint of an article's title and text."""
    return hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()


# Articles written at once by store_articles: a snapshot of 100k reports is never held whole
STORE_BATCH = 5000


def store_articles(store: Store, articles: Iterable[Article], run: RunInfo | None) -> int:
    """Insert articles not stored yet (by id; the first of repeated ids wins), STORE_BATCH at a time. Returns how
    many were new.

    Changes the database: `articles` and `outlets`, in the caller's transaction.
    """
    written, seen = 0, set()
    batch: dict[str, Article] = {}
    for article in articles:
        if article.id in seen:
            continue
        seen.add(article.id)
        batch[article.id] = article
        if len(batch) == STORE_BATCH:
            written += _store_batch(store, batch, run)
            batch = {}
    return written + _store_batch(store, batch, run)


def _store_batch(store: Store, fresh: dict[str, Article], run: RunInfo | None) -> int:
    """Insert the articles of `fresh` (id -> article) whose ids are not stored yet; return how many."""
    if not fresh:
        return 0
    ids = pa.table({"id": list(fresh)})
    store.con.register("_ids", ids)
    try:
        known = {r[0] for r in store.con.execute("SELECT a.id FROM articles a JOIN _ids USING (id)").fetchall()}
    finally:
        store.con.unregister("_ids")
    new = [a for a in fresh.values() if a.id not in known]
    if not new:
        return 0
    start = store.scalar("SELECT nextval('article_seq')")
    # reserve the rest of the range so seq stays strictly increasing across batches
    if len(new) > 1:
        store.con.execute(f"SELECT max(nextval('article_seq')) FROM range({len(new) - 1})").fetchall()
    now = utcnow()
    rows = [
        {
            "id": a.id,
            "seq": start + i,
            "url": a.url,
            "outlet": a.outlet,
            "title": a.title,
            "text": a.text,
            "published": to_naive_utc(a.published),
            "fetched": now,
            "author": a.author,
            "language": a.language,
            "content_hash": content_hash(a.title, a.text),
            "run_id": run.id if run else None,
        }
        for i, a in enumerate(new)
    ]
    store.insert_rows("articles", rows, _ARTICLE_SCHEMA)
    store.con.execute(
        "INSERT INTO outlets SELECT DISTINCT outlet, ? FROM articles WHERE outlet NOT IN (SELECT name FROM outlets)",
        [now],
    )
    return len(new)


@dataclass(frozen=True)
class CollectCounts:
    outlets: int
    new_articles: int
    fetched_ok: int
    failed: int
    not_modified: int


def collect_outlet(store: Store, outlet: OutletConfig, settings: Settings, run: RunInfo) -> CollectCounts:
    """Collect one outlet's new reports and record every fetch, in one transaction.

    A failing feed, page or snapshot is recorded in fetch_log and the rest goes on. Feed validators (ETag,
    Last-Modified) and the outlet's learned boilerplate lines are kept for the next run. Changes the database:
    articles, outlets, fetch_log, feed_state, outlet_boilerplate.
    """
    from accord.sources import Collector, FeedState, FetchSettings, OutletSource

    stored_states = {
        r["url"]: FeedState(r["url"], r["etag"], r["last_modified"])
        for r in store.query("SELECT url, etag, last_modified FROM feed_state")
    }
    known = {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}
    learned = [r["line"] for r in store.query("SELECT line FROM outlet_boilerplate WHERE outlet = ?", [outlet.name])]
    try:
        fetch_settings = FetchSettings(**settings.fetch.model_dump())
    except ValueError as error:
        raise ConfigError(f"fetch: {error}") from None
    source = OutletSource(
        name=outlet.name, feeds=tuple(outlet.feeds), sitemaps=tuple(outlet.sitemaps), snapshot=outlet.snapshot
    )
    with Collector(fetch_settings) as collector:
        result = collector.collect(source, stored_states, known, boilerplate=learned)
    events = result.events
    with store.transaction():
        new = store_articles(store, result.articles, run)
        store.insert_rows(
            "fetch_log",
            [
                {
                    "run_id": run.id,
                    "logged_at": to_naive_utc(e.at),
                    "outlet": e.outlet,
                    "url": e.url,
                    "kind": e.kind,
                    "ok": e.ok,
                    "status": e.status,
                    "not_modified": e.not_modified,
                    "error": e.error,
                }
                for e in events
            ],
        )
        for state in result.feed_states:
            store.con.execute(
                "INSERT OR REPLACE INTO feed_state VALUES (?, ?, ?, ?)",
                [state.url, state.etag, state.last_modified, utcnow()],
            )
        fresh_lines = sorted(set(result.boilerplate) - set(learned))
        store.insert_rows("outlet_boilerplate", [{"outlet": outlet.name, "line": line} for line in fresh_lines])
    return CollectCounts(
        outlets=1,
        new_articles=new,
        fetched_ok=sum(e.ok for e in events),
        failed=sum(not e.ok for e in events),
        not_modified=sum(e.not_modified for e in events),
    )
