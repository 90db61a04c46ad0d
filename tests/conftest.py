"""Shared fixtures: paths to the data beside the project, the real embedding model (loaded once per session),
and one Prefect test harness per session."""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import pytest

# Prefect reads its settings at import: give the test session its own home, offline and quiet.
_PREFECT_HOME = tempfile.mkdtemp(prefix="accord-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

from tests.shared import CORPORA, DATA, ROOT  # noqa: E402 (after the environment above)

REPO_ROOT = ROOT
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


# -- set-up the tests need beyond `make install` -----------------------------------------------------------------------

SYSTEM_PACKAGES_HINT = "install with `sudo apt-get install chromium redis-server` or `sudo bash .ci/system-deps`"
_missing_system: set[str] = set()


def pytest_sessionstart(session) -> None:
    """Stop at once, naming the folder, when the shared data the tests read is absent."""
    if not DATA.is_dir():
        pytest.exit(
            f"the tests need ../shared (the shared data beside the checkout) and found no {DATA}: copy or link it "
            "there (`ln -s /path/to/shared ../shared`), or set ACCORD_SHARED to its path",
            returncode=4,
        )


def system_binary(name: str) -> str:
    """Return the path of system program `name` (chromium, redis-server), or skip the test with a reason naming it
    and how to install it; the run's summary lists every missing program."""
    found = shutil.which(name)
    if found is None:
        _missing_system.add(name)
        pytest.skip(f"MISSING SYSTEM PACKAGE {name}: {SYSTEM_PACKAGES_HINT}")
    return found


def pytest_terminal_summary(terminalreporter) -> None:
    if _missing_system:
        terminalreporter.section("missing system packages", sep="!", red=True, bold=True)
        for name in sorted(_missing_system):
            terminalreporter.line(f"{name} is not installed: the tests that need it were skipped", red=True, bold=True)
        terminalreporter.line(SYSTEM_PACKAGES_HINT, bold=True)


def pytest_unconfigure(config) -> None:
    """Remove the session's Prefect home: a test run leaves nothing behind in the temporary directory."""
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)
