"""`accord eval`: run dedup, clustering, extraction and scoring on a labelled corpus and measure them.

The pipeline's own stages (accord.stages) run on a throwaway database, with no Prefect server and no network; the
metrics are those of ../shared/CORPUS.md (accord.metrics).
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from accord import metrics
from accord.config import Settings
from accord.corpus import Record, read_records
from accord.data.build import slug
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
    stories: Path | None = None,
) -> dict[str, Any]:
    """Return CORPUS.md's metrics for `corpus`. Raises CorpusError for a malformed file. `embedder_factory` may be an
    embed.EncodingWorker started ahead (the `accord eval` command starts one before it imports the pipeline).
    With `stories`, also writes there one JSON line per story of the pipeline (CORPUS.md's per-story output)."""
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
        actors = extract.actor_list(settings)
        progress(f"score: {score.score(store, run, settings.agreement, actors)}")
        spelled = gold_actor_ids(actors, (g for r in records for g in r.gold.perpetrator))
        if spelled:
            progress("gold actor ids read by name: " + ", ".join(f"{g} = {a}" for g, a in sorted(spelled.items())))
        result = measure(store, records, run.id, spelled)
        if stories is not None:
            written = write_stories(store, records, run.id, stories)
            progress(f"wrote {written} stories to {stories}")
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


def _slug(name: str) -> str:
    """Return a name as the catalogue spells ids (accord.data.build.slug), without a leading article."""
    return re.sub(r"^(?:the|an?)-(?=.)", "", slug(name))


def gold_actor_ids(actors: Sequence[Any], gold_ids: Iterable[str]) -> dict[str, str]:
    """Return, for each gold perpetrator id that is no id of `actors`, the one actor whose name or an alias the id
    spells ("islamic-state": the actor named "Islamic State"; "nigerian-army": the one aliased "Nigerian army").
    A corpus labelled with ids of its own is scored by who the actors are, not by how two lists spell their ids; an
    id that spells no actor's name, or several actors', stays as it is."""
    known = {a.id for a in actors}
    wanted = {_slug(g): g for g in gold_ids if g and g != "unknown" and g not in known}
    spelled_by: dict[str, set[str]] = defaultdict(set)
    for actor in actors:
        for name in (actor.name, *actor.aliases):
            spelled = _slug(name)
            if spelled in wanted:
                spelled_by[spelled].add(actor.id)
    return {wanted[spelled]: next(iter(ids)) for spelled, ids in spelled_by.items() if len(ids) == 1}


def measure(store: Store, records: list[Record], run_id: int, spelled: dict[str, str] | None = None) -> dict[str, Any]:
    """Compare a scored store with the records' gold labels; `spelled` reads gold actor ids as the actor ids they
    name (gold_actor_ids)."""
    spelled = spelled or {}
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
            (
                chosen.get(r.article.id, {}).get("perpetrator", {}).get("actor"),
                [*r.gold.perpetrator, *(spelled[g] for g in r.gold.perpetrator if g in spelled)] or None,
            )
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
    verdict = _verdict(store, run_id, by_story, majority)
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
        "verdict": verdict,
    }


def gold_verdicts(members: list[Record]) -> tuple[bool, bool]:
    """Return a gold story's (count divergent, attribution contested): the analyst's flags where given, else derived
    from the articles' own labels (CORPUS.md)."""
    given_count = next(
        (m.gold.story_count_divergent for m in members if m.gold.story_count_divergent is not None), None
    )
    given_attr = next(
        (m.gold.story_attribution_contested for m in members if m.gold.story_attribution_contested is not None), None
    )
    count = given_count
    if count is None:
        story_killed = next((m.gold.story_killed for m in members if m.gold.story_killed is not None), None)
        count = metrics.gold_count_divergent([m.gold.killed for m in members], story_killed)
    attribution = given_attr
    if attribution is None:
        attribution = metrics.gold_attribution_contested([(m.article.outlet, m.gold.perpetrator) for m in members])
    return count, attribution


def _verdict(store: Store, run_id: int, by_story: dict[str, list[Record]], majority: dict[Any, Any]) -> dict[str, Any]:
    """CORPUS.md's verdict block: over gold stories from at least 2 distinct outlets, the pipeline's flags on the
    story holding most of their articles against the gold verdicts."""
    flags = {
        r["story_id"]: (bool(r["count_divergent"]), bool(r["attribution_contested"]))
        for r in store.query(
            "SELECT story_id, count_divergent, attribution_contested FROM story_scores WHERE run_id = ?", [run_id]
        )
    }
    count_pairs: list[tuple[bool, bool]] = []
    attribution_pairs: list[tuple[bool, bool]] = []
    for story, members in by_story.items():
        if len({m.article.outlet for m in members}) < 2:
            continue
        gold_count, gold_attribution = gold_verdicts(members)
        predicted = flags.get(majority[story], (False, False))
        count_pairs.append((predicted[0], gold_count))
        attribution_pairs.append((predicted[1], gold_attribution))
    return {
        "stories": len(count_pairs),
        "count_divergent": {k: _round(v) for k, v in metrics.flag_metrics(count_pairs).items()},
        "attribution_contested": {k: _round(v) for k, v in metrics.flag_metrics(attribution_pairs).items()},
    }


def write_stories(store: Store, records: list[Record], run_id: int, path: Path) -> int:
    """Write one JSON line per story of the pipeline (CORPUS.md): its articles, its two verdict flags and what explains
    them (grade, headline, consensus, each question's verdict with the voices' values and sentences). An article the
    pipeline placed in no story is a story of its own. Returns the number of lines written."""
    members: dict[str, list[str]] = defaultdict(list)
    for r in store.query("SELECT id, story_id FROM articles ORDER BY seq"):
        members[r["story_id"] or f"unassigned:{r['id']}"].append(r["id"])
    known = {r.article.id for r in records}
    scores = {r["story_id"]: r for r in store.query("SELECT * FROM story_scores WHERE run_id = ?", [run_id])}
    questions: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in store.query("SELECT * FROM story_verdicts WHERE run_id = ?", [run_id]):
        questions[r["story_id"]][r["question"]] = {
            "verdict": r["verdict"],
            "voices": r["voices"],
            "summary": r["summary"],
            "evidence": json.loads(r["evidence"]) if r["evidence"] else [],
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        for story, ids in members.items():
            score = scores.get(story, {})
            line = {
                "story": story,
                "articles": [i for i in ids if i in known],
                "count_divergent": bool(score.get("count_divergent")),
                "attribution_contested": bool(score.get("attribution_contested")),
                "grade": score.get("grade"),
                "headline": score.get("headline"),
                "consensus": {
                    "killed": score.get("consensus_killed"),
                    "injured": score.get("consensus_injured"),
                    "perpetrator": score.get("consensus_perpetrator"),
                },
                "questions": questions.get(story, {}),
            }
            out.write(json.dumps(line, default=str, ensure_ascii=False) + "\n")
    partial.replace(path)
    return len(members)


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value
