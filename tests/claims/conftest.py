"""Shared fixtures for the claims tests: the data folder and one extractor with the packaged actors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.claims import ClaimExtractor, load_default_actors
from tests.conftest import DATA


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def extractor() -> ClaimExtractor:
    return ClaimExtractor(load_default_actors())


def corpus_text(name: str, article_id: str) -> dict:
    """Return one article of a corpus file by id."""
    for line in (DATA / "corpora" / name).open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] == article_id:
            return row
    raise KeyError(article_id)
