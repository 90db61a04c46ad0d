"""Dedup: sign new articles (MinHash) and put them in copy groups.

Owns articles.signature, articles.copy_group and meta.hash_scheme (and, with Redis storage, the Redis index), and
the rows of page furniture in outlet_boilerplate (outlet "*"), which the cluster stage also reads.
The sketches and the index themselves are accord.dedup.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import numpy as np
import pyarrow as pa

from accord.config import DedupConfig
from accord.stages.columns import arrow, list_values
from accord.store import Store

log = logging.getLogger("accord")


def dedup(store: Store, config: DedupConfig) -> dict[str, int]:
    """Sign new articles (MinHash) and put them in copy groups. Signatures are kept with their scheme.

    With `storage.type: memory` the LSH index is rebuilt from the stored signatures each run; with `redis` it
    persists in Redis and only the candidates of new articles are read back. The `copy_group` column is the
    record either way. Changes the database: articles.signature and articles.copy_group, meta.hash_scheme;
    with Redis, adds the new articles to the Redis index.
    """
    from accord.dedup import CopyIndex, HashScheme, signatures
    from accord.identity import without_lines

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
    known = stored_furniture(store)
    resigned = stored_scheme is not None and HashScheme.from_json(stored_scheme) != scheme
    counted, fresh = _learn_furniture(store, resigned)
    fresh -= known
    if fresh:
        log.info("dedup: %d lines of page furniture learned", len(fresh))
    furniture = known | fresh
    # a page whose text is only furniture is no copy of another such page: furniture is left out of the signature
    sigs = np.concatenate(
        [
            signatures([f"{title}\n{without_lines(text, furniture)}" for title, text in rows], scheme)
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
        if fresh:
            store.insert_rows("outlet_boilerplate", [{"outlet": FURNITURE, "line": line} for line in sorted(fresh)])
        _save_line_counts(store, counted, resigned)
        store.con.register("_sig", update)
        try:
            store.con.execute(
                "UPDATE articles SET signature = _sig.signature, copy_group = _sig.copy_group FROM _sig "
                "WHERE articles.id = _sig.id"
            )
        finally:
            store.con.unregister("_sig")
    return {"signed": len(pending), "grouped": len(set(groups[r["id"]] for r in pending))}


# outlet_boilerplate's rows of page furniture seen across outlets and months (accord.identity.furniture_lines)
FURNITURE = "*"


def _learn_furniture(store: Store, resigned: bool) -> tuple[pa.Table, frozenset[str]]:
    """Count the lines at the heads of the articles to sign, add the counts kept from earlier runs (none when every
    article is signed again: `resigned`), and return the merged counts of this batch's lines (kept with the
    signatures, `_save_line_counts`) and the lines that are page furniture by them (accord.identity)."""
    from accord.identity import FURNITURE_HEAD, is_furniture, line_counts, lines_of_keys

    def read() -> Any:
        sql = f"SELECT left(text, {FURNITURE_HEAD}), published FROM articles WHERE signature IS NULL ORDER BY seq"
        return (row for rows in store.batches(sql) for row in rows)

    keys, reports, first, last = line_counts(read())
    batch = pa.table({"key": pa.array(keys, pa.uint64()), "reports": reports, "first_day": first, "last_day": last})
    if not len(keys):
        return batch, frozenset()
    if not resigned:
        store.con.register("_lines", batch)
        try:
            batch = arrow(
                store,
                "SELECT b.key, b.reports + coalesce(c.reports, 0) AS reports, "
                "least(b.first_day, coalesce(c.first_day, b.first_day)) AS first_day, "
                "greatest(b.last_day, coalesce(c.last_day, b.last_day)) AS last_day "
                "FROM _lines b LEFT JOIN line_counts c USING (key)",
            )
        finally:
            store.con.unregister("_lines")
    wanted = is_furniture(batch["reports"].to_numpy(), batch["first_day"].to_numpy(), batch["last_day"].to_numpy())
    if not wanted.any():
        return batch, frozenset()
    return batch, lines_of_keys(read(), set(batch["key"].to_numpy()[wanted].tolist()))


def _save_line_counts(store: Store, counted: pa.Table, resigned: bool) -> None:
    """Keep this run's merged line counts, inside its transaction with the signatures they go with (a run that signs
    every article again replaces them all)."""
    if resigned:
        store.con.execute("DELETE FROM line_counts")
    if not counted.num_rows:
        return
    store.con.register("_lines", counted)
    try:
        store.con.execute("INSERT OR REPLACE INTO line_counts SELECT key, reports, first_day, last_day FROM _lines")
    finally:
        store.con.unregister("_lines")


def stored_furniture(store: Store) -> frozenset[str]:
    """Return the lines of page furniture learned so far (`normal_line` form)."""
    return frozenset(
        r["line"] for r in store.query("SELECT line FROM outlet_boilerplate WHERE outlet = ?", [FURNITURE])
    )


def _signature_array(sigs: np.ndarray) -> pa.Array:
    """Return signatures as an Arrow list<uint64> column, built from the array without Python lists."""
    rows, width = sigs.shape
    offsets = pa.array(np.arange(0, (rows + 1) * width, width, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array(np.ascontiguousarray(sigs).reshape(-1), type=pa.uint64()))


def _signature_matrix(column: pa.ChunkedArray, width: int) -> np.ndarray:
    """Return a list<uint64> Arrow column of equal-length signatures as a (rows, width) uint64 array."""
    return list_values(column, np.uint64).reshape(-1, width)


def _stored_signatures(store: Store, width: int) -> tuple[list[str], np.ndarray, list[Any]]:
    """Return the ids, signatures and published dates of grouped articles, in stored order (read via Arrow)."""
    table = arrow(store, "SELECT id, signature, published FROM articles WHERE copy_group IS NOT NULL ORDER BY seq")
    if not table.num_rows:
        return [], np.zeros((0, width), dtype=np.uint64), []
    return table["id"].to_pylist(), _signature_matrix(table["signature"], width), table["published"].to_pylist()


def _recorded_copies(store: Store, ids: list[str]) -> dict[str, Any]:
    """Return what the database records (signature, copy group, seq) for those of `ids` it has grouped."""
    from accord.dedup import Recorded

    store.con.register("_want", pa.table({"id": ids}))
    try:
        table = arrow(
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
