"""Print claim-extraction figures on the dev corpora and the biggest error classes.

Usage: PYTHONPATH=src python analysis/eval_claims.py [--split all|even|odd] [--show N]
The split picks articles by a hash of their story, so tuning on one half can be checked on the other.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from collections import Counter
from pathlib import Path

from accord.claims import ClaimExtractor, article_toll, load_default_actors, main_perpetrator
from accord.metrics import count_metrics, perpetrator_accuracy

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "corpora"


def load(name: str, split: str) -> list[dict]:
    rows = [json.loads(line) for line in (DATA / name).open(encoding="utf-8")]
    if split == "all":
        return rows
    want = 0 if split == "even" else 1
    return [r for r in rows if zlib.crc32(str(r["gold"].get("story")).encode()) % 2 == want]


def error_class(value: float | None, gold: float | None) -> str:
    if gold is None:
        return "unlabelled"
    if gold == 0:
        return "ok" if not value else "count where gold is 0"
    if value is None:
        return "missing"
    if round(value) == gold:
        return "ok"
    if abs(value - gold) <= 0.1 * gold:
        return "within 10%"
    return "too high" if value > gold else "too low"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="all", choices=["all", "even", "odd"])
    parser.add_argument("--show", type=int, default=0, help="print this many errors per corpus and kind")
    args = parser.parse_args()
    extractor = ClaimExtractor(load_default_actors())
    for name, kinds, perp in (("fakes-dev.jsonl", ["killed"], True), ("gva-dev.jsonl", ["killed", "injured"], False)):
        rows = load(name, args.split)
        started = time.perf_counter()
        results = [extractor.extract(r["title"], r["text"]) for r in rows]
        seconds = time.perf_counter() - started
        print(f"== {name} ({len(rows)} articles, {seconds:.2f} s)")
        for kind in kinds:
            pairs = []
            errors: Counter[str] = Counter()
            shown = 0
            for r, claims in zip(rows, results, strict=True):
                toll = article_toll(claims, kind)
                value = None if toll is None else toll.point
                pairs.append((value, r["gold"].get(kind)))
                cls = error_class(value, r["gold"].get(kind))
                errors[cls] += 1
                if cls not in ("ok", "unlabelled") and shown < args.show:
                    shown += 1
                    print(
                        f"  [{kind} {cls}] {r['id']} gold={r['gold'].get(kind)} got={value}"
                        f" :: {toll.sentence[:160] if toll else r['title'][:160]}"
                    )
            print(f"{kind}: {json.dumps(count_metrics(pairs))}")
            print("  classes:", dict(errors.most_common()))
        if perp:
            pairs = []
            confusion: Counter[tuple[str, str]] = Counter()
            shown = 0
            for r, claims in zip(rows, results, strict=True):
                main_claim = main_perpetrator(claims)
                actor = main_claim.actor if main_claim else None
                gold = r["gold"].get("perpetrator")
                pairs.append((actor, gold))
                ok = (actor is None and "unknown" in gold) or actor in gold
                if not ok:
                    confusion[(gold[0], actor or "none")] += 1
                    if shown < args.show:
                        shown += 1
                        print(
                            f"  [perp] {r['id']} gold={gold} got={actor}"
                            f" :: {main_claim.sentence[:160] if main_claim else r['title'][:120]}"
                        )
            print(f"perpetrator: {json.dumps(perpetrator_accuracy(pairs))}")
            print("  errors (gold, got):", dict(confusion.most_common(8)))


if __name__ == "__main__":
    main()
