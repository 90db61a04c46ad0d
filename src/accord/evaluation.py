"""`accord eval`: run dedup, clustering, extraction and scoring on a labelled corpus and measure them.

The pipeline's own stages (accord.stages) run on a throwaway database, with no Prefect server and no network; the
metrics are those of ../shared/CORPUS.md (accord.metrics).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from accord import metrics
from accord.config import Settings
from accord.corpus import Record, read_records
from accord.stages import cluster, collect, dedup, extract, score
from accord.store import Store

log = logging.getLogger("accord.eval")


def evaluate(
    corpus: Path,
    settings: Settings,
    *,
    embedder_factory: Callable[[], Any],
    extractor: Any,
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Return CORPUS.md's metrics for `corpus`. Raises CorpusError for a malformed file. `embedder_factory` may be an
    embed.EncodingWorker started ahead (the `accord eval` command starts one before it imports the pipeline)."""
    started = time.perf_counter()
    records = _unique_ids(list(read_records(corpus)), progress)
    progress(f"read {len(records)} articles from {corpus}")
    with tempfile.TemporaryDirectory(prefix="accord-eval-") as tmp, Store(Path(tmp) / "eval.duckdb") as store:
        run = store.start_run("eval")
        with store.transaction():
            collect.store_articles(store, (r.article for r in records), run)
        # claims are read in a worker process while this one dedups, loads the model and clusters
        with extract.BackgroundExtraction(store, extractor) as reading:
            progress(f"dedup: {dedup.dedup(store, settings.dedup)}")
            progress(f"cluster: {cluster.cluster(store, settings.cluster, embedder_factory, run)}")
            progress(f"extract: {reading.finish(store)}")
        progress(f"score: {score.score(store, run, settings.agreement)}")
        result = measure(store, records, run.id)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return {"articles": len(records), "seconds": result.pop("seconds"), **result}


def _unique_ids(records: list[Record], progress: Callable[[str], None]) -> list[Record]:
    """Give a repeated id (one report linked to two incidents) a suffix, so every gold row is scored."""
    seen: dict[str, int] = {}
    out = []
    for record in records:
        count = seen.get(record.article.id, 0)
        seen[record.article.id] = count + 1
        if count:
            record = replace(record, article=replace(record.article, id=f"{record.article.id}#{count + 1}"))
        out.append(record)
    repeats = sum(n - 1 for n in seen.values())
    if repeats:
        progress(f"{repeats} repeated id(s): each kept as its own article, with a #N suffix")
    return out


def measure(store: Store, records: list[Record], run_id: int) -> dict[str, Any]:
    """Compare a scored store with the records' gold labels."""
    story_of = {r["id"]: r["story_id"] for r in store.query("SELECT id, story_id FROM articles")}
    chosen: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in store.query("SELECT article_id, kind, point, actor FROM claims WHERE chosen"):
        chosen[row["article_id"]][row["kind"]] = row
    consensus = {r["story_id"]: r for r in store.query("SELECT * FROM story_scores WHERE run_id = ?", [run_id])}

    labelled = [r for r in records if r.gold.story is not None]
    predicted = [story_of.get(r.article.id) or f"unassigned:{r.article.id}" for r in labelled]
    gold = [r.gold.story for r in labelled]
    if labelled:
        clustering: dict[str, Any] = metrics.bcubed(predicted, gold)
        clustering["ari"] = metrics.adjusted_rand_index(predicted, gold)
    else:
        clustering = {"bcubed_precision": None, "bcubed_recall": None, "bcubed_f1": None, "ari": None}

    def point(article_id: str, kind: str) -> float | None:
        claim = chosen.get(article_id, {}).get(kind)
        return None if claim is None else claim["point"]

    killed = metrics.count_metrics([(point(r.article.id, "killed"), r.gold.killed) for r in records])
    injured = metrics.count_metrics([(point(r.article.id, "injured"), r.gold.injured) for r in records])
    perpetrator = metrics.perpetrator_accuracy(
        [
            (chosen.get(r.article.id, {}).get("perpetrator", {}).get("actor"), r.gold.perpetrator or None)
            for r in records
        ]
    )

    by_story: dict[str, list[Record]] = defaultdict(list)
    for r in labelled:
        by_story[r.gold.story].append(r)  # type: ignore[index]
    majority = metrics.majority_cluster(predicted, gold)
    killed_pairs: dict[str, tuple[float | None, float | None]] = {}
    injured_pairs: dict[str, tuple[float | None, float | None]] = {}
    for story, members in by_story.items():
        if len(members) < 2:
            continue
        row = consensus.get(majority[story], {})
        recorded_killed = members[0].gold.story_killed
        recorded_injured = members[0].gold.story_injured
        if recorded_killed is not None:
            killed_pairs[story] = (row.get("consensus_killed"), recorded_killed)
        if recorded_injured is not None:
            injured_pairs[story] = (row.get("consensus_injured"), recorded_injured)
    ck = metrics.consensus_metrics(killed_pairs)
    ci = metrics.consensus_metrics(injured_pairs)
    return {
        "clustering": {k: _round(v) for k, v in clustering.items()},
        "killed": {k: _round(v) for k, v in killed.items()},
        "injured": {k: _round(v) for k, v in injured.items()},
        "perpetrator": {k: _round(v) for k, v in perpetrator.items()},
        "consensus": {
            "stories": len(set(killed_pairs) | set(injured_pairs)),
            "killed_exact": _round(ck["exact"]),
            "killed_within_10pct": _round(ck["within_10pct"]),
            "injured_exact": _round(ci["exact"]),
            "injured_within_10pct": _round(ci["within_10pct"]),
        },
    }


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value
