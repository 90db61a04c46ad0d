"""Print the time to process ~5,000 reports from scratch against adding 1 % new reports to the stored state.

Processing = MinHash signatures + copy groups, embedding the new copy-group representatives (title and lead) and
placing them in stories. The 5,000 are gva-dev, fakes-dev and giveme5w1h (3,720 reports) plus reruns of gva-dev
reports with a new byline (syndication), to reach 5,000; the 1 % are held out. Embeddings are computed, not cached.
Usage: PYTHONPATH=src python bench/bench_incremental.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import published, read_corpus  # noqa: E402

from accord.cluster import StoryIndex, StoryInput, load_embedder  # noqa: E402
from accord.dedup import COPY_THRESHOLD, CopyIndex, HashScheme, signatures  # noqa: E402


def reports() -> list[StoryInput]:
    rows = read_corpus("gva-dev") + read_corpus("fakes-dev") + read_corpus("giveme5w1h")
    out = [StoryInput(r["id"], r["title"], r["text"], published(r), r["outlet"]) for r in rows]
    rng = random.Random(0)
    for k, r in enumerate(rng.sample(out, 5000 - len(out))):
        text = f"By Wire Staff\n{r.text}\nShare this story."
        out.append(StoryInput(f"rerun-{k}", r.title, text, r.published, "wire"))
    return sorted(out, key=lambda r: (r.published is None, r.published))


def process(items: list[StoryInput], copies: CopyIndex, stories: StoryIndex, embedder) -> int:
    """Run dedup and clustering on new items; return how many texts were embedded."""
    new = [r for r in items if r.id not in copies]
    sigs = signatures([r.text for r in new], copies.scheme)
    groups = copies.add([r.id for r in new], sigs, [r.published for r in new])
    representatives = [r for r in new if groups[r.id] == r.id]
    stories.assign_new(representatives, embedder)
    return len(representatives)


def main() -> None:
    all_reports = reports()
    held = set(random.Random(1).sample(range(len(all_reports)), len(all_reports) // 100))
    base = [r for i, r in enumerate(all_reports) if i not in held]
    new = [r for i, r in enumerate(all_reports) if i in held]
    start = time.perf_counter()
    embedder = load_embedder()
    print(f"model load: {time.perf_counter() - start:.1f} s (paid once per process, not counted below)")

    scheme = HashScheme()
    start = time.perf_counter()
    copies, stories = CopyIndex(scheme, COPY_THRESHOLD), StoryIndex()
    embedded = process(base, copies, stories, embedder)
    scratch = time.perf_counter() - start
    print(f"from scratch: {len(base)} reports, {embedded} embedded, {scratch:.1f} s")

    start = time.perf_counter()
    state = stories.export()
    restored = StoryIndex.from_state(stories.config, state)
    restore = time.perf_counter() - start
    start = time.perf_counter()
    embedded = process(new, copies, restored, embedder)
    add = time.perf_counter() - start
    print(f"restore from exported state: {restore:.2f} s")
    print(
        f"add 1 %: {len(new)} reports, {embedded} embedded, {add:.2f} s "
        f"({100 * (add + restore) / scratch:.1f} % of scratch, restore included)"
    )
    start = time.perf_counter()
    embedded = process(new, copies, restored, embedder)
    print(f"re-run with nothing new: {embedded} embedded, {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
