"""Where the tests find the shared data beside the checkout (no side effects: analysis/ scripts import it too)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def find_shared() -> Path:
    """Return the shared data folder: $ACCORD_SHARED if set, else `shared` beside the checkout (a copy or a symbolic
    link; beside the checkout as reached, then beside its resolved path). Returns the first candidate when none
    exists (tests/conftest.py then stops the run, naming it)."""
    if os.environ.get("ACCORD_SHARED"):
        return Path(os.environ["ACCORD_SHARED"]).absolute()
    candidates = [Path(__file__).absolute().parents[1].parent / "shared", ROOT.parent / "shared"]
    return next((c for c in candidates if (c / "data").is_dir()), candidates[0])


SHARED = find_shared()
DATA = SHARED / "data"
CORPORA = DATA / "corpora"
