"""Shared fixtures: the dev corpora in ../shared/data and the real embedding model (loaded once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT.parent / "shared" / "data"


def read_corpus(name: str) -> list[dict]:
    """Return the records of shared/data/corpora/<name>.jsonl."""
    with open(DATA / "corpora" / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class MemoEmbedder:
    """The real model, remembering rows it computed during this test session (in memory only)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.rows: dict[str, object] = {}

    def encode(self, texts):
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self.rows))
        if missing:
            self.rows.update(zip(missing, self.inner.encode(missing)))
        return np.stack([self.rows[t] for t in texts]) if texts else self.inner.encode([])


@pytest.fixture(scope="session")
def embedder():
    from accord.cluster import load_embedder

    return MemoEmbedder(load_embedder())
