"""Shared fixtures: paths to the data beside the project, and one Prefect test harness per session."""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
CORPORA = DATA / "corpora"
SAMPLE = ROOT / "data" / "sample" / "fakes-sample.jsonl"


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

    return load_embedder(None)
