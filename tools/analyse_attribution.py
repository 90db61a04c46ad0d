"""List the articles whose main perpetrator is wrong, with the sentences that named actors.

Usage:
  PYTHONPATH=src python tools/analyse_attribution.py --write-config OUT.yaml --actors EXTRA.yaml

Runs the claim extractor alone (no clustering), so the perpetrator accuracy it prints is the figure `accord eval`
gives for the same actor list (both read the chosen perpetrator claim of each article). `--actors` files extend the
packaged list: an id given again adds its aliases to the packaged entry. `--write-config` writes a configuration whose
`actors` key holds that merged list, for `accord eval --config`.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import yaml

from accord.claims import ClaimExtractor, load_default_actors, main_perpetrator
from accord.metrics import perpetrator_accuracy
from accord.models import Actor


def merged_actors(extra_files: list[str]) -> list[Actor]:
    """Return the packaged actors extended by each file's `actors` list (same id: aliases added, name kept)."""
    actors = {a.id: a for a in load_default_actors()}
    for name in extra_files:
        data = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
        entries = data["actors"] if isinstance(data, dict) else data
        for entry in entries:
            aliases = tuple(entry.get("aliases") or ())
            old = actors.get(entry["id"])
            if old is None:
                actors[entry["id"]] = Actor(entry["id"], entry.get("name", entry["id"]), aliases)
            else:
                extra = tuple(a for a in (entry.get("name"), *aliases) if a and a not in old.aliases)
                actors[entry["id"]] = Actor(old.id, old.name, old.aliases + extra)
    return list(actors.values())


def write_config(path: str, actors: list[Actor]) -> None:
    entries = [{"id": a.id, "name": a.name, "aliases": list(a.aliases)} for a in actors]
    Path(path).write_text(yaml.safe_dump({"actors": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--actors", action="append", default=[], help="a YAML actor list that extends the packaged one")
    parser.add_argument("--show", type=int, default=1000, help="print at most this many wrong articles")
    parser.add_argument("--write-config", help="write a config holding the merged actor list, and stop")
    args = parser.parse_args()
    actors = merged_actors(args.actors)
    if args.write_config:
        write_config(args.write_config, actors)
        print(f"wrote {args.write_config} ({len(actors)} actors)")
        return
    if not args.corpus:
        parser.error("a corpus is needed unless --write-config is given")
    rows = [json.loads(line) for line in Path(args.corpus).open(encoding="utf-8")]
    extractor = ClaimExtractor(actors)
    started = time.perf_counter()
    results = [extractor.extract(r.get("title") or "", r.get("text") or "") for r in rows]
    seconds = time.perf_counter() - started
    pairs, wrong = [], []
    confusion: Counter[tuple[str, str]] = Counter()
    for row, claims in zip(rows, results, strict=True):
        gold = (row.get("gold") or {}).get("perpetrator")
        main = main_perpetrator(claims)
        got = main.actor if main else None
        pairs.append((got, gold))
        if gold and not (got in gold if got else "unknown" in gold):
            wrong.append((row, claims, got, gold))
            confusion[("/".join(gold), got or "none")] += 1
    result = perpetrator_accuracy(pairs)
    print(f"{args.corpus}: {len(rows)} articles, {seconds:.2f} s, perpetrator {result}")
    print("confusion (gold -> got):", ", ".join(f"{g}->{o} {n}" for (g, o), n in confusion.most_common()))
    for row, claims, got, gold in wrong[: args.show]:
        print(f"\n## {row['id']} gold={gold} got={got}  title: {row.get('title', '')[:120]}")
        for c in claims:
            if c.kind != "perpetrator":
                continue
            mark = "*" if c.chosen else " "
            print(
                f"  {mark} [{c.extra.get('sentence_index')}] {c.actor} {c.stance} src={c.cited_source!r} "
                f"cue={c.extra.get('cue')} w={c.extra.get('weight', '')} words={c.words!r}: {c.sentence[:220]}"
            )


if __name__ == "__main__":
    main()
