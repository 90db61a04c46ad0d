"""Score: every story's verdict, agreement and the outlets' reliability, kept per run.

Owns story_scores, story_verdicts and outlet_reliability. The scoring itself is accord.verdict, accord.agreement and
accord.reliability.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

import pyarrow as pa

from accord.errors import ConfigError
from accord.models import Claim
from accord.stages.extract import claim_from_row
from accord.store import RunInfo, Store, utcnow


def load_accounts(store: Store) -> dict[str, list[Any]]:
    """Return every story's accounts: one per article, with the article's chosen claims."""
    from accord.agreement import Account

    chosen: dict[str, dict[str, Claim]] = defaultdict(dict)
    for row in store.query("SELECT * FROM claims WHERE chosen"):
        chosen[row["article_id"]][row["kind"]] = claim_from_row(row)
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


# Stories whose reports, with all their claims and sentences, the verdict holds at once: at 100k reports, holding
# every story's at once made scoring the pipeline's peak of memory (bench/bench_scale.py).
VERDICT_CHUNK = 2000


def story_chunks(store: Store, size: int | None = None) -> list[list[str]]:
    """Return the ids of the stories to score (those with an extracted article), `size` (VERDICT_CHUNK) at a time."""
    size = size or VERDICT_CHUNK
    ids = [
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL AND extracted ORDER BY story_id"
        ).fetchall()
    ]
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def load_reports(store: Store, stories: Sequence[str] | None = None) -> dict[str, list[Any]]:
    """Return every story's reports as the verdict reads them (only those of `stories` when given): one per article,
    with all its claims.

    An undated report stays undated (its collection time is not when it was published)."""
    from accord.verdict import Report

    only = ""
    if stories is not None:
        store.con.register("_stories", pa.table({"story_id": pa.array(list(stories), pa.string())}))
        only = " AND a.story_id IN (SELECT story_id FROM _stories)"
    try:
        claims: dict[str, list[Claim]] = defaultdict(list)
        for row in store.query(
            "SELECT c.* FROM claims c JOIN articles a ON a.id = c.article_id "
            f"WHERE a.story_id IS NOT NULL AND c.kind IN ('killed', 'injured', 'perpetrator'){only} ORDER BY c.id"
        ):
            claims[row["article_id"]].append(claim_from_row(row))
        articles = store.query(
            "SELECT a.id, a.outlet, a.url, a.copy_group, a.published, a.story_id FROM articles a "
            f"WHERE a.story_id IS NOT NULL AND a.extracted{only} ORDER BY a.seq"
        )
    finally:
        if stories is not None:
            store.con.unregister("_stories")
    stories_out: dict[str, list[Any]] = defaultdict(list)
    for r in articles:
        stories_out[r["story_id"]].append(
            Report(
                article_id=r["id"],
                outlet=r["outlet"],
                voice=r["copy_group"] or r["id"],
                published=r["published"],
                url=r["url"],
                claims=tuple(claims.get(r["id"], ())),
            )
        )
    return stories_out


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

    try:
        options = dict(agreement_settings)
        if isinstance(options.get("reliability"), dict):
            options["reliability"] = ReliabilitySettings(**options["reliability"])
        settings = AgreementSettings(**options)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"agreement: {error}") from None
    relations = ActorRelations.from_actors(actors or ())
    with store.transaction():
        store.con.execute("DELETE FROM story_scores WHERE run_id = ?", [run.id])
        store.con.execute("DELETE FROM outlet_reliability WHERE run_id = ?", [run.id])
        store.con.execute("DELETE FROM story_verdicts WHERE run_id = ?", [run.id])
        # the verdicts a chunk of stories at a time, their evidence written as it goes; what story_scores needs of
        # each verdict is kept (a few fields a story)
        verdicts: dict[str, _VerdictSummary] = {}
        for chunk in story_chunks(store):
            verdict_rows = []
            for story_id, reports in load_reports(store, chunk).items():
                v = story_verdict(story_id, reports, relations)
                verdicts[story_id] = _VerdictSummary.of(v)
                verdict_rows += [
                    {
                        "run_id": run.id,
                        "story_id": story_id,
                        "question": q.question,
                        "verdict": q.verdict,
                        "voices": q.voices,
                        "summary": q.summary,
                        "evidence": json.dumps([e.to_json() for e in q.evidence], default=str),
                    }
                    for q in v.questions()
                ]
            store.insert_rows("story_verdicts", verdict_rows)
        # Every run re-scores every story, so reliability is learned afresh from all of them; passing the last
        # run's weights as a prior would count the same evidence twice.
        stories = load_accounts(store)
        scores, reliability = score_stories(stories, None, settings=settings)
        now = utcnow()
        rows = _score_rows(run, now, scores, stories, verdicts)
        rel_rows = [
            {"run_id": run.id, "outlet": o, "scored_at": now, "weight": r.weight, "claims": r.claims, "error": r.error}
            for o, r in reliability.items()
        ]
        store.insert_rows("story_scores", rows)
        store.insert_rows("outlet_reliability", rel_rows)
    return {"stories": len(rows), "outlets": len(rel_rows)}


@dataclass(frozen=True)
class _VerdictSummary:
    """What story_scores keeps of a story's verdict."""

    divergence: float
    grade: str
    count_divergent: bool
    attribution_contested: bool
    killed: str
    injured: str
    attribution: str
    headline: str

    @classmethod
    def of(cls, v: Any) -> _VerdictSummary:
        return cls(
            v.divergence,
            v.grade,
            v.count_divergent,
            v.attribution_contested,
            v.killed.verdict,
            v.injured.verdict,
            v.attribution.verdict,
            v.headline,
        )


def _score_rows(
    run: RunInfo,
    now: Any,
    scores: dict[str, Any],
    stories: dict[str, list[Any]],
    verdicts: dict[str, _VerdictSummary],
) -> list[dict[str, Any]]:
    """Return the story_scores rows of a run: the agreement's consensus beside the verdict's flags."""
    rows = []
    for story_id, s in scores.items():
        killed, injured = s.consensus_killed, s.consensus_injured
        v = verdicts[story_id]
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
                "killed_verdict": v.killed,
                "injured_verdict": v.injured,
                "attribution_verdict": v.attribution,
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
    return rows
