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
        for i, row in zip(missing, rows):
            np.save(CACHE / f"{keys[i]}.npy", row)
    return np.stack([np.load(CACHE / f"{k}.npy") for k in keys]).astype(np.float32)
