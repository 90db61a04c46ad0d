"""Accuracy gate over the dev corpora: floors pinned a little below the figures reached (analysis/eval_claims.py)."""

from __future__ import annotations

import json

import pytest

from accord.claims import article_toll, main_perpetrator
from accord.metrics import count_metrics, perpetrator_accuracy

from .conftest import DATA

FLOORS = {
    ("fakes-dev.jsonl", "killed", "exact"): 0.848,
    ("fakes-dev.jsonl", "killed", "within_10pct"): 0.868,
    ("fakes-dev.jsonl", "perpetrator", "accuracy"): 0.839,
    ("gva-dev.jsonl", "killed", "exact"): 0.822,
    ("gva-dev.jsonl", "injured", "exact"): 0.714,
}
CEILINGS = {("fakes-dev.jsonl", "killed", "missing"): 0.05}


def _scores(name, extractor):
    rows = [json.loads(line) for line in (DATA / "corpora" / name).open(encoding="utf-8")]
    results = [extractor.extract(r["title"], r["text"]) for r in rows]
    scores = {}
    for kind in ("killed", "injured"):
        pairs = []
        for r, claims in zip(rows, results, strict=True):
            toll = article_toll(claims, kind)
            pairs.append((None if toll is None else toll.point, r["gold"].get(kind)))
        scores[kind] = count_metrics(pairs)
    perps = []
    for r, claims in zip(rows, results, strict=True):
        main = main_perpetrator(claims)
        perps.append((None if main is None else main.actor, r["gold"].get("perpetrator")))
    scores["perpetrator"] = perpetrator_accuracy(perps)
    return scores


@pytest.fixture(scope="module")
def scores(extractor):
    return {name: _scores(name, extractor) for name in ("fakes-dev.jsonl", "gva-dev.jsonl")}


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_floor(scores, key):
    name, block, metric = key
    assert scores[name][block][metric] >= FLOORS[key], scores[name][block]


@pytest.mark.parametrize("key", sorted(CEILINGS))
def test_ceiling(scores, key):
    name, block, metric = key
    assert scores[name][block][metric] <= CEILINGS[key], scores[name][block]
