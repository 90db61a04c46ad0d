"""Print B-cubed precision, recall, F1 and ARI of story clustering per dev corpus, with and without dates.

Runs the pipeline's order: copy groups first (MinHash), then the copy-group representatives are clustered and the
copies inherit their representative's story. Embeddings are cached in /tmp/accord-emb-cache.
lookalike-0 and lookalike-1 are the ECB+-like proxy (bench/_corpora.lookalike_topics: topics of two look-alike
incidents, no dates) built from the two halves of the dev stories; they are run undated only.
Usage: PYTHONPATH=src python analysis/eval_cluster.py [--no-dedup] [--only=name,name] [--dated-only]
       [key=value settings overrides ...]
"""

from __future__ import annotations

import sys
import time
from dataclasses import fields, replace
from pathlib import Path

# the corpus readers and the look-alike proxy are shared with the benchmarks (bench/_corpora.py)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from _corpora import cached_embeddings, lookalike_topics, published, read_corpus  # noqa: E402

from accord.cluster import ClusterSettings, StoryIndex, StoryInput, identity_text, load_embedder  # noqa: E402
from accord.dedup import COPY_THRESHOLD, CopyIndex, HashScheme, signatures  # noqa: E402
from accord.metrics import adjusted_rand_index, bcubed  # noqa: E402

CORPORA = ("fakes-dev", "giveme5w1h", "gva-dev", "lookalike-0", "lookalike-1")


def run(rows: list[dict], config: ClusterSettings, dated: bool, dedup: bool) -> dict[str, float]:
    """Return clustering metrics of one corpus."""
    inputs = [
        StoryInput(r["id"], r.get("title") or "", r.get("text") or "", published(r) if dated else None, r["outlet"])
        for r in rows
    ]
    group = {r.id: r.id for r in inputs}
    if dedup:
        scheme = HashScheme()
        copies = CopyIndex(scheme, COPY_THRESHOLD)
        order = sorted(range(len(inputs)), key=lambda i: (inputs[i].published is None, str(inputs[i].published)))
        group = copies.add(
            [inputs[i].id for i in order],
            signatures([inputs[i].text for i in order], scheme),
            [inputs[i].published for i in order],
        )
    reps = [r for r in inputs if group[r.id] == r.id]
    emb = cached_embeddings([identity_text(r.title, r.text) for r in reps], load_embedder)
    index = StoryIndex(config)
    index.assign(reps, emb)
    predicted = [index.story_of(group[r.id]) for r in inputs]
    gold = [r["gold"]["story"] for r in rows]
    out = bcubed(predicted, gold)
    out["ari"] = adjusted_rand_index(predicted, gold)
    out["stories"] = len(set(predicted))
    out["gold"] = len(set(gold))
    out["copies"] = len(inputs) - len(reps)
    return out


def main(argv: list[str]) -> None:
    names = {f.name: f.type for f in fields(ClusterSettings)}
    overrides = dict(a.split("=", 1) for a in argv if "=" in a and not a.startswith("--"))
    only = next((a.split("=", 1)[1].split(",") for a in argv if a.startswith("--only=")), CORPORA)
    config = replace(ClusterSettings(), **{k: float(v) for k, v in overrides.items() if k in names})
    dedup = "--no-dedup" not in argv
    print(config)
    for name in CORPORA:
        if name not in only:
            continue
        proxy = name.startswith("lookalike-")
        rows = lookalike_topics(int(name[-1])) if proxy else read_corpus(name)
        for dated in (False,) if proxy else (True,) if "--dated-only" in argv else (True, False):
            start = time.perf_counter()
            m = run(rows, config, dated, dedup)
            print(
                f"{name:12s} {'dated  ' if dated else 'no date'} "
                f"P {m['bcubed_precision']:.3f} R {m['bcubed_recall']:.3f} "
                f"F1 {m['bcubed_f1']:.3f} ARI {m['ari']:.3f}  stories {m['stories']}/{m['gold']} "
                f"copies {m['copies']}  {time.perf_counter() - start:.1f}s",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
