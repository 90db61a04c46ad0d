"""Shared helpers for the bench scripts: read the dev corpora, embed with an on-disk cache."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "corpora"
CACHE = Path("/tmp/accord-emb-cache")


def read_corpus(name: str) -> list[dict]:
    """Return the records of a corpus in shared/data/corpora."""
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def published(record: dict) -> datetime | None:
    """Return the record's published date, or None."""
    value = record.get("published")
    return datetime.fromisoformat(value) if value else None


def cached_embeddings(texts: list[str], embedder_factory) -> np.ndarray:
    """Return embeddings of texts, encoding only those not cached in /tmp/accord-emb-cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    missing = [i for i, k in enumerate(keys) if not (CACHE / f"{k}.npy").exists()]
    if missing:
        embedder = embedder_factory()
        rows = embedder.encode([texts[i] for i in missing])
        for i, row in zip(missing, rows, strict=True):
            np.save(CACHE / f"{keys[i]}.npy", row)
    return np.stack([np.load(CACHE / f"{k}.npy") for k in keys]).astype(np.float32)


def _story_half(story: str) -> int:
    return int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2


def _bag(rows: list[dict]) -> dict[str, float]:
    """Return the normalised word counts of the titles and leads of an incident's reports (for pairing look-alikes)."""
    import re
    from collections import Counter

    words: Counter[str] = Counter()
    for r in rows:
        head = f"{r.get('title') or ''} {(r.get('text') or '')[:600]}".lower()
        words.update(w for w in re.findall(r"[a-z]{4,}", head))
    norm = sum(v * v for v in words.values()) ** 0.5 or 1.0
    return {w: v / norm for w, v in words.items()}


def lookalike_topics(half: int, per_corpus: dict[str, int] | None = None) -> list[dict]:
    """Return an ECB+-like proxy: topics of two look-alike incidents, dates stripped, from one half of the dev stories.

    Per corpus, incidents with at least `min_size` reports (gva 3, fakes 2, giveme5w1h 3) from the half `half` of the
    stories (by a hash of the gold story) are paired greedily with the most similar unpaired incident (word cosine of
    their titles and leads): two shootings, two air strikes, two rocket launches. Up to `per_corpus[name]` topics
    each (default gva 20, fakes 12, giveme5w1h 15). Records keep gold.story; `published` is removed; gold.topic added.
    """
    limits = per_corpus or {"gva-dev": 20, "fakes-dev": 12, "giveme5w1h": 15}
    min_size = {"gva-dev": 3, "fakes-dev": 2, "giveme5w1h": 3}
    out: list[dict] = []
    for name, limit in limits.items():
        by_story: dict[str, list[dict]] = {}
        for r in read_corpus(name):
            by_story.setdefault(r["gold"]["story"], []).append(r)
        stories = sorted(
            (s for s, rs in by_story.items() if len(rs) >= min_size[name] and _story_half(s) == half),
            key=lambda s: hashlib.sha1(s.encode()).hexdigest(),
        )
        bags = {s: _bag(by_story[s]) for s in stories}
        paired: set[str] = set()
        topics = 0
        for s in stories:
            if topics >= limit:
                break
            if s in paired:
                continue
            others = [o for o in stories if o != s and o not in paired]
            if not others:
                break
            mine = bags[s]
            mate = max(others, key=lambda o: (sum(v * bags[o].get(w, 0.0) for w, v in mine.items()), o))
            paired |= {s, mate}
            for story in (s, mate):
                for r in by_story[story]:
                    rec = dict(r)
                    rec["published"] = None
                    rec["gold"] = dict(r["gold"], topic=f"{name}:{s}")
                    out.append(rec)
            topics += 1
    return out
