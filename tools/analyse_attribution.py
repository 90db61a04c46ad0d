"""List the articles whose main perpetrator is wrong, with the sentences that named actors.

Usage:
  PYTHONPATH=src python tools/analyse_attribution.py --write-config OUT.yaml --actors EXTRA.yaml

Runs the claim extractor alone (no clustering), so the perpetrator accuracy it prints is the figure `accord eval`
gives for the same actor list (both read the chosen perpetrator claim of each article). `--actors` files extend the
packaged list: an id given again adds its aliases to the packaged entry. `--write-config` writes a configuration whose
`actors` key holds that merged list, for `accord eval --config`. `--contested` prints, per reading, how well the
claims flag stories whose attribution is contested (CORPUS.md's verdict, gold derived as it says): "main" (the
articles' chosen perpetrators differ) and "claims" (two actors named in the report's own voice or by a configured
party, or an actor named and denied, over all incident-scope claims of the story). A hint for the verdict, not it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from accord.claims import ClaimExtractor, load_default_actors, main_perpetrator, parse_actors
from accord.claims.actors import extend_actors
from accord.metrics import perpetrator_accuracy
from accord.models import Actor, Claim


def merged_actors(extra_files: list[str]) -> list[Actor]:
    """Return the packaged actors extended by each file's `actors` list as a configuration's are (extend_actors: the
    same id joins the packaged entry; an entry sharing a packaged actor's name or words takes its place)."""
    actors = load_default_actors()
    for name in extra_files:
        data = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
        actors = extend_actors(actors, parse_actors(data["actors"] if isinstance(data, dict) else data))
    return actors


def write_config(path: str, actors: list[Actor]) -> None:
    entries = [{"id": a.id, "name": a.name, "aliases": list(a.aliases)} for a in actors]
    Path(path).write_text(yaml.safe_dump({"actors": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--actors", action="append", default=[], help="a YAML actor list that extends the packaged one")
    parser.add_argument("--show", type=int, default=1000, help="print at most this many wrong articles")
    parser.add_argument("--contested", action="store_true", help="print the contested-attribution hints per reading")
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
    if args.contested:
        contested_hints(rows, results, {a.id for a in actors})
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


def _gold_contested(rows: list[dict]) -> bool:
    given = rows[0]["gold"].get("story_attribution_contested")
    if given is not None:
        return bool(given)
    sets = [set(r["gold"].get("perpetrator") or []) - {"unknown"} for r in rows]
    return any(a and b and not a & b for i, a in enumerate(sets) for b in sets[i + 1 :])


def _claims_contested(claim_lists: list[list[Claim]], ids: set[str]) -> bool:
    named: set[str] = set()
    denied: set[str] = set()
    for claims in claim_lists:
        for c in claims:
            if c.kind != "perpetrator" or c.scope != "incident":
                continue
            if c.stance == "denied":
                denied.add(c.actor)
            elif c.cited_source is None or c.cited_source in ids:
                named.add(c.actor)
    return len(named) >= 2 or bool(denied & named)


def contested_hints(rows: list[dict], results: list[list[Claim]], ids: set[str]) -> None:
    stories: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if (row.get("gold") or {}).get("story"):
            stories[row["gold"]["story"]].append(i)
    readings = {
        "main": lambda lists: len({c.actor for cs in lists for c in cs if c.kind == "perpetrator" and c.chosen}) >= 2,
        "claims": lambda lists: _claims_contested(lists, ids),
    }
    for name, flag in readings.items():
        tally: Counter[str] = Counter()
        for members in stories.values():
            if len({rows[i]["outlet"] for i in members}) < 2:
                continue
            gold = _gold_contested([rows[i] for i in members])
            got = flag([results[i] for i in members])
            tally["tp" if got and gold else "fp" if got else "fn" if gold else "tn"] += 1
        precision = tally["tp"] / (tally["tp"] + tally["fp"]) if tally["tp"] + tally["fp"] else None
        recall = tally["tp"] / (tally["tp"] + tally["fn"]) if tally["tp"] + tally["fn"] else None
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
        print(f"contested ({name}): {dict(tally)} F1 {None if f1 is None else round(f1, 3)}")


if __name__ == "__main__":
    main()
