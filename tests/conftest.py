"""Shared fixtures: paths to the data beside the project, the real embedding model (loaded once per session),
and one Prefect test harness per session."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

# Prefect reads its settings at import: give the test session its own home, offline and quiet.
_PREFECT_HOME = tempfile.mkdtemp(prefix="accord-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

ROOT = REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
CORPORA = DATA / "corpora"
SAMPLE = ROOT / "data" / "sample" / "fakes-sample.jsonl"


def read_corpus(name: str) -> list[dict]:
    """Return the records of shared/data/corpora/<name>.jsonl."""
    with open(CORPORA / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class MemoEmbedder:
    """The real model, remembering rows it computed during this test session (in memory only)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.rows: dict[str, object] = {}
        self.calls = 0

    def encode(self, texts):
        import numpy as np

        self.calls += 1
        missing = list(dict.fromkeys(t for t in texts if t not in self.rows))
        if missing:
            self.rows.update(zip(missing, self.inner.encode(missing), strict=True))
        return np.stack([self.rows[t] for t in texts]) if texts else self.inner.encode([])


@pytest.fixture(scope="session")
def prefect_harness():
    """Prefect's test harness (a temporary API), started once for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def embedder():
    """The real embedding model, loaded once."""
    from accord.cluster import load_embedder

    return MemoEmbedder(load_embedder())
