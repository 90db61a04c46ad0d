"""Print consensus figures on the dev corpora: accord's consensus against per-article and naive baselines.

Usage: PYTHONPATH=src python analysis/eval_consensus.py [--split all|even|odd] [--silence-killed W]
       [--silence-injured W] [--tie-break latest|largest] [--no-reliability] [--grid]

Stories are the gold stories (clustering is another stage's work); copy groups are near-duplicate texts within a
story (word 5-shingle Jaccard >= 0.8), standing in for the dedup stage. Extraction is the claims branch's
ClaimExtractor; its output is cached under /tmp keyed by the extractor's source, so reruns take a second.
The consensus metric is CORPUS.md's: gold stories with >= 2 articles and a recorded count; no consensus compares as 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import statistics
import time
import zlib
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from accord.agreement import Account, AgreementSettings, score_stories
from accord.claims import ClaimExtractor, article_toll, load_default_actors, main_perpetrator
from accord.metrics import consensus_metrics, count_metrics

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "corpora"
KINDS = ("killed", "injured")


def load(name: str, split: str) -> list[dict]:
    rows = [json.loads(line) for line in (DATA / name).open(encoding="utf-8")]
    if split == "all":
        return rows
    want = 0 if split == "even" else 1
    return [r for r in rows if zlib.crc32(str(r["gold"].get("story")).encode()) % 2 == want]


def extract_all(name: str, rows: list[dict]) -> dict[str, list]:
    """Return article id -> claims, cached by the extractor's source and the corpus name."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "src" / "accord" / "claims").glob("*")):
        digest.update(path.read_bytes())
    cache = Path("/tmp") / f"accord-claims-{name}-{digest.hexdigest()[:12]}.pickle"
    if cache.exists():
        cached = pickle.loads(cache.read_bytes())
        if all(r["id"] in cached for r in rows):
            return cached
    extractor = ClaimExtractor(load_default_actors())
    everything = [json.loads(line) for line in (DATA / name).open(encoding="utf-8")]
    result = {r["id"]: extractor.extract(r["title"], r["text"]) for r in everything}
    cache.write_bytes(pickle.dumps(result))
    return result


def shingles(text: str, n: int = 5) -> set[int]:
    words = text.lower().split()
    return {hash(" ".join(words[i : i + n])) for i in range(max(1, len(words) - n + 1))}


def copy_groups(rows: list[dict], threshold: float = 0.8) -> dict[str, str]:
    """Return article id -> copy group id (the first article of the group), near-duplicates within a story."""
    group: dict[str, str] = {}
    by_story: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_story[r["gold"].get("story") or r["id"]].append(r)
    for members in by_story.values():
        sigs = [(r["id"], shingles(r["text"])) for r in members]
        for i, (rid, sig) in enumerate(sigs):
            group[rid] = rid
            for other, osig in sigs[:i]:
                if sig and osig and len(sig & osig) / len(sig | osig) >= threshold:
                    group[rid] = group[other]
                    break
    return group


def published(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:19])
    except ValueError:
        return None


def build_accounts(rows: list[dict], claims: dict[str, list]) -> dict[str, list[Account]]:
    groups = copy_groups(rows)
    stories: dict[str, list[Account]] = defaultdict(list)
    for r in rows:
        cs = claims[r["id"]]
        stories[r["gold"].get("story") or r["id"]].append(
            Account(
                article_id=r["id"],
                outlet=r["outlet"],
                voice=groups[r["id"]],
                published=published(r.get("published")),
                killed=article_toll(cs, "killed"),
                injured=article_toll(cs, "injured"),
                perpetrator=main_perpetrator(cs),
            )
        )
    return stories


def gold_story_counts(rows: list[dict], kind: str) -> dict[str, float | None]:
    """Return story -> recorded count for gold stories with >= 2 articles."""
    sizes = Counter(r["gold"].get("story") for r in rows)
    return {
        r["gold"]["story"]: r["gold"].get(f"story_{kind}")
        for r in rows
        if r["gold"].get("story") and sizes[r["gold"]["story"]] >= 2
    }


def fmt(m: dict) -> str:
    if not m["n"]:
        return "n=0"
    return f"n={m['n']} exact={m['exact']:.3f} within10={m['within_10pct']:.3f}"


def baselines(rows: list[dict], claims: dict[str, list], kind: str) -> dict[str, dict]:
    gold = gold_story_counts(rows, kind)
    by_story: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_story[r["gold"].get("story")].append(r)

    def point(r: dict) -> float | None:
        toll = article_toll(claims[r["id"]], kind)
        return None if toll is None else toll.point

    out = {}
    ordered = {s: sorted(by_story[s], key=lambda r: (r.get("published") or "", r["id"])) for s in gold}
    out["first report"] = consensus_metrics({s: (point(ordered[s][0]), g) for s, g in gold.items()})
    out["latest report"] = consensus_metrics({s: (point(ordered[s][-1]), g) for s, g in gold.items()})
    medians = {}
    for s, g in gold.items():
        stated = [p for p in map(point, ordered[s]) if p is not None]
        medians[s] = (statistics.median_low(stated) if stated else None, g)
    out["median of stated"] = consensus_metrics(medians)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="all", choices=["all", "even", "odd"])
    parser.add_argument("--silence-killed", type=float, default=None)
    parser.add_argument("--silence-injured", type=float, default=None)
    parser.add_argument("--tie-break", default=None, choices=["latest", "largest"])
    parser.add_argument("--no-reliability", action="store_true", help="one pass with equal weights")
    parser.add_argument("--grid", action="store_true", help="sweep silence weights and tie-breaks on gva-dev")
    args = parser.parse_args()
    base = AgreementSettings()
    overrides = {
        k: v
        for k, v in (
            ("silence_weight_killed", args.silence_killed),
            ("silence_weight_injured", args.silence_injured),
            ("tie_break", args.tie_break),
        )
        if v is not None
    }
    if args.no_reliability:
        overrides["max_iterations"] = 1
    settings = AgreementSettings(**{**base.__dict__, **overrides})

    rows = load("gva-dev.jsonl", args.split)
    claims = extract_all("gva-dev.jsonl", rows)
    stories = build_accounts(rows, claims)
    print(f"== gva-dev ({len(rows)} articles, {len(stories)} stories)")
    for kind in KINDS:
        per_article = count_metrics(
            [
                (None if (t := article_toll(claims[r["id"]], kind)) is None else t.point, r["gold"].get(kind))
                for r in rows
            ]
        )
        print(f"{kind} per article: {fmt(per_article)}")
        for label, m in baselines(rows, claims, kind).items():
            print(f"{kind} {label}: {fmt(m)}")

    def run(s: AgreementSettings) -> tuple[dict, dict, dict, float]:
        started = time.perf_counter()
        scores, reliability = score_stories(stories, settings=s)
        seconds = time.perf_counter() - started
        figures = {}
        for kind in KINDS:
            gold = gold_story_counts(rows, kind)
            pairs = {}
            for sid, g in gold.items():
                c = getattr(scores[sid], f"consensus_{kind}")
                pairs[sid] = (None if c is None else c.point, g)
            figures[kind] = consensus_metrics(pairs)
        return figures, scores, reliability, seconds

    if args.grid:
        for tie in ("latest", "largest"):
            for sk in (0.0, 0.5, 1.0):
                for si in (0.0, 0.5, 1.0, 1.5):
                    s = AgreementSettings(
                        **{
                            **settings.__dict__,
                            "tie_break": tie,
                            "silence_weight_killed": sk,
                            "silence_weight_injured": si,
                        }
                    )
                    figures, *_ = run(s)
                    print(
                        f"grid tie={tie} silence_killed={sk} silence_injured={si}: "
                        f"killed {fmt(figures['killed'])} | injured {fmt(figures['injured'])}"
                    )
        return

    figures, scores, reliability, seconds = run(settings)
    for kind in KINDS:
        print(f"{kind} accord consensus: {fmt(figures[kind])}")
    print(f"score_stories: {seconds:.2f} s; grades {dict(Counter(s.grade for s in scores.values()).most_common())}")
    weighted = sorted(reliability.values(), key=lambda r: r.weight)
    print("lowest weights:", [(r.outlet, round(r.weight, 2), r.claims) for r in weighted[:5]])
    print("highest weights:", [(r.outlet, round(r.weight, 2), r.claims) for r in weighted[-5:]])

    rows = load("fakes-dev.jsonl", "all")
    claims = extract_all("fakes-dev.jsonl", rows)
    stories = build_accounts(rows, claims)
    scores, reliability = score_stories(stories, settings=settings)
    print(f"== fakes-dev ({len(rows)} articles, {len(stories)} stories)")
    # FA-KES labels each article's own claim; the median of those is the story's reference figure here.
    by_story: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["gold"].get("killed") is not None:
            by_story[r["gold"]["story"]].append(r["gold"]["killed"])
    pairs = {
        s: (None if scores[s].consensus_killed is None else scores[s].consensus_killed.point, statistics.median_low(v))
        for s, v in by_story.items()
        if len(v) >= 2
    }
    print(f"killed consensus vs median of labelled article claims: {fmt(consensus_metrics(pairs))}")
    print(f"grades {dict(Counter(s.grade for s in scores.values()).most_common())}")
    weighted = sorted(reliability.values(), key=lambda r: r.weight)
    print(
        "weights:",
        [(r.outlet, round(r.weight, 2), r.claims, None if r.error is None else round(r.error, 2)) for r in weighted],
    )
    idlib = [s for s in scores.values() if s.story_id.startswith("2017-04-04")]
    for s in idlib:
        print(
            f"{s.story_id}: killed {s.consensus_killed} grade={s.grade} divergence={s.divergence:.2f} "
            f"perpetrator={s.consensus_perpetrator} contested={s.contested}"
        )
        for row in s.details:
            print(
                f"   {row.outlets} killed={row.killed and row.killed.point} perp={row.perpetrator}/{row.stance}"
                f" w={row.weight:.2f}"
            )


if __name__ == "__main__":
    main()
