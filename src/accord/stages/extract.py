"""Extract: read claims (counts, perpetrators) from articles not read yet, here or in a background worker.

Owns the claims rows and articles.extracted. The extraction itself is accord.claims.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pyarrow as pa

from accord.background import OwnsWorker
from accord.config import Settings
from accord.errors import ConfigError
from accord.models import Claim
from accord.store import Store

log = logging.getLogger("accord")


def extract(store: Store, extractor: Any, batch: int = 2000) -> dict[str, int]:
    """Read claims from articles not read yet; keep every claim with its sentence and offsets.

    An extractor with `extract_many([(title, text), ...])` gets each batch at once (the Dask runner spreads it
    over workers); else `extract(title, text)` is called per article. Changes the database: claims,
    articles.extracted (one transaction per batch).
    """
    total_articles = total_claims = 0
    while True:
        pending = store.query("SELECT id, title, text FROM articles WHERE NOT extracted ORDER BY seq LIMIT ?", [batch])
        if not pending:
            break
        total_claims += _write_claims(store, [r["id"] for r in pending], _read_claims(extractor, pending))
        total_articles += len(pending)
    return {"articles": total_articles, "claims": total_claims}


def _read_claims(extractor: Any, rows: list[dict[str, Any]]) -> list[list[Claim]]:
    """Return the claims of each article row (title, text): through `extract_many` where the extractor has it."""
    extract_many = getattr(extractor, "extract_many", None)
    if extract_many is not None:
        return extract_many([(r["title"], r["text"]) for r in rows])
    return [extractor.extract(r["title"], r["text"]) for r in rows]


def _write_claims(store: Store, ids: list[str], found: list[list[Claim]]) -> int:
    """Store the claims read from the articles `ids` and mark them read, in one transaction; return how many."""
    rows = [_claim_row(article_id, claim) for article_id, claims in zip(ids, found, strict=True) for claim in claims]
    with store.transaction():
        if rows:
            start = store.scalar("SELECT nextval('claim_seq')")
            if len(rows) > 1:
                store.con.execute(f"SELECT max(nextval('claim_seq')) FROM range({len(rows) - 1})").fetchall()
            for i, row in enumerate(rows):
                row["id"] = start + i
            store.insert_rows("claims", rows)
        store.con.register("_done", pa.table({"id": ids}))
        try:
            store.con.execute("UPDATE articles SET extracted = TRUE FROM _done WHERE articles.id = _done.id")
        finally:
            store.con.unregister("_done")
    return len(rows)


# Fewer pending articles than this are read in the caller's process: a worker costs about a second to start
BACKGROUND_MIN = 200
# Articles handed to the worker at most: their texts wait in this process until it takes them, and their claims until
# the caller writes them (10,000 held about 280 MB during clustering at 100k reports)
BACKGROUND_MAX = 5000


class BackgroundExtraction(OwnsWorker):
    """Claims read in a worker process while the caller dedups and clusters; `finish` writes them.

    Extraction needs only each article's title and text, and its regular expressions hold the GIL, so a thread would
    not overlap it; a process (accord.background) runs it at the lowest priority (nice 19), on the cores that dedup
    and placement leave idle, while the model encodes on all of them. (Holding a core for the worker instead made
    the model encode on one thread fewer: gva-dev's eval took 36 s against 29 s.) Use as a context
    manager: leaving it stops the worker, and what it had not handed back stays pending for the next `extract`.
    """

    def __init__(self, store: Store, extractor: Any, batch: int = 250, min_articles: int = BACKGROUND_MIN) -> None:
        self.extractor, self.batch = extractor, batch
        self.in_worker = 0
        self._ids: list[list[str]] = []
        self._worker: Any = None
        pending = store.query(
            "SELECT id, title, text FROM articles WHERE NOT extracted ORDER BY seq LIMIT ?", [BACKGROUND_MAX]
        )
        if not pending or len(pending) < min_articles or not hasattr(extractor, "extract"):
            return
        from accord.background import BatchWorker

        chunks = [pending[first : first + batch] for first in range(0, len(pending), batch)]
        self._ids = [[r["id"] for r in rows] for rows in chunks]
        try:
            self._worker = BatchWorker(
                extractor, "extract", ([(r["title"], r["text"]) for r in rows] for rows in chunks), niceness=19
            )
        except OSError as error:
            self._ids = []
            log.warning("extract: no worker process (%s); reading in this process", error)
            return
        log.info("extract: reading %d articles in a worker process", len(pending))

    def finish(self, store: Store, share: bool = True) -> dict[str, int]:
        """Write what the worker read, then read in this process whatever is still pending (the articles past
        BACKGROUND_MAX, and the rest if the worker failed). Returns `extract`'s counts; `in_worker` tells how many
        of the articles the worker read. Changes the database as `extract` does."""
        from accord.background import WorkerError

        articles = claims = 0
        # the worker reads its batches from the first; unless not `share`, this process reads the ones it has not
        # finished from the last meanwhile (at nice 19 the worker may still hold a few batches when placement ends)
        first, last, in_worker = 0, len(self._ids) - 1, 0
        while first <= last:
            if not share or self._worker.ready(first):
                try:
                    found = self._worker.results(first)
                except WorkerError as error:  # nothing is lost: its articles are read below
                    log.warning("extract: the worker process failed (%s); reading the rest here", error)
                    break
                ids, first = self._ids[first], first + 1
                in_worker += len(ids)
            else:
                rows = store.query(
                    "SELECT id, title, text FROM articles WHERE list_contains(?, id) ORDER BY seq", [self._ids[last]]
                )
                ids, found, last = [r["id"] for r in rows], _read_claims(self.extractor, rows), last - 1
            claims += _write_claims(store, ids, found)
            articles += len(ids)
        self._ids = []
        self.close()
        rest = extract(store, self.extractor, self.batch)
        self.in_worker = in_worker
        return {"articles": articles + rest["articles"], "claims": claims + rest["claims"]}


def _claim_row(article_id: str, claim: Claim) -> dict[str, Any]:
    return {
        "id": None,
        "article_id": article_id,
        "kind": claim.kind,
        "low": claim.low,
        "high": claim.high,
        "point": claim.point,
        "scope": claim.scope,
        "victims": claim.victims,
        "actor": claim.actor,
        "words": claim.words,
        "stance": claim.stance,
        "cited_source": claim.cited_source,
        "sentence": claim.sentence,
        "start_offset": claim.start,
        "end_offset": claim.end,
        "chosen": claim.chosen,
        "extra": json.dumps(claim.extra, ensure_ascii=False, default=str) if claim.extra else None,
    }


def claim_from_row(row: dict[str, Any]) -> Claim:
    return Claim(
        kind=row["kind"],
        sentence=row["sentence"],
        start=row["start_offset"],
        end=row["end_offset"],
        low=row["low"],
        high=row["high"],
        point=row["point"],
        scope=row["scope"],
        victims=row["victims"],
        actor=row["actor"],
        words=row["words"],
        stance=row["stance"],
        cited_source=row["cited_source"],
        chosen=row["chosen"],
        extra=json.loads(row["extra"]) if row.get("extra") else {},
    )


def actor_list(settings: Settings) -> list[Any]:
    """Return the actors the configuration reads with: the packaged catalogue, extended by the configured actors (an
    entry whose id is in the catalogue adds to it, or replaces it with `replace: true`)."""
    from accord.claims import load_default_actors, parse_actors
    from accord.claims.actors import extend_actors

    if settings.actors is None:
        return list(load_default_actors())
    try:
        actors = parse_actors([a.model_dump(exclude_none=True, exclude={"replace"}) for a in settings.actors])
    except ValueError as error:
        raise ConfigError(f"actors: {error}") from None
    replace = {a.id for a in settings.actors if a.replace}
    return list(extend_actors(load_default_actors(), actors, replace))


def build_extractor(settings: Settings) -> Any:
    """Return the claim extractor for the packaged actor catalogue, extended by the configured actors (an entry whose id
    is in the catalogue adds to it, or replaces it with `replace: true`)."""
    from accord.claims import ClaimExtractor

    return ClaimExtractor(actor_list(settings))
