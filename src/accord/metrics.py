"""Evaluation metrics of ../shared/CORPUS.md: clustering (B-cubed, ARI), counts and perpetrators.

Pure functions over plain values, so the evaluation command and the accuracy gates share one definition.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from math import comb, isfinite


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, float]:
    """Return B-cubed precision, recall and F1 of a predicted clustering against gold labels (same order)."""
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold must have the same length")
    n = len(gold)
    if n == 0:
        return {"bcubed_precision": 0.0, "bcubed_recall": 0.0, "bcubed_f1": 0.0}
    pair_counts = Counter(zip(predicted, gold, strict=True))
    pred_sizes = Counter(predicted)
    gold_sizes = Counter(gold)
    precision = sum(c * c / pred_sizes[p] for (p, _), c in pair_counts.items()) / n
    recall = sum(c * c / gold_sizes[g] for (_, g), c in pair_counts.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"bcubed_precision": precision, "bcubed_recall": recall, "bcubed_f1": f1}


def adjusted_rand_index(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> float:
    """Return the adjusted Rand index (Hubert and Arabie) of two labellings of the same items."""
    n = len(gold)
    if n < 2:
        return 1.0
    index = sum(comb(c, 2) for c in Counter(zip(predicted, gold, strict=True)).values())
    sum_pred = sum(comb(c, 2) for c in Counter(predicted).values())
    sum_gold = sum(comb(c, 2) for c in Counter(gold).values())
    expected = sum_pred * sum_gold / comb(n, 2)
    maximum = (sum_pred + sum_gold) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def _matches(value: float | None, gold: float, tolerance: float) -> bool:
    if gold == 0:
        return value is None or value == 0
    if value is None:
        return False
    return abs(value - gold) <= tolerance * gold


def count_metrics(pairs: Sequence[tuple[float | None, float | None]]) -> dict[str, float | int | None]:
    """Score (extracted point, gold) pairs: exact, within 10 %, and missing, over pairs whose gold is not null.

    A gold 0 is matched by an explicit 0 or by no count at all; `missing` is the share of gold values
    above 0 with no extracted count.
    """
    # a gold that is not a finite number (JSON's Infinity/NaN, refused by accord.corpus) is not a label: never scored,
    # so never a match (inf - inf <= 0.1 * inf held)
    scored = [(value, gold) for value, gold in pairs if gold is not None and isfinite(gold)]
    if not scored:
        return {"n": 0, "exact": None, "within_10pct": None, "missing": None}
    exact = sum(_matches(None if v is None else round(v), g, 0.0) for v, g in scored)
    within = sum(_matches(v, g, 0.10) for v, g in scored)
    positive = [(v, g) for v, g in scored if g > 0]
    missing = sum(v is None for v, _ in positive)
    return {
        "n": len(scored),
        "exact": exact / len(scored),
        "within_10pct": within / len(scored),
        "missing": missing / len(positive) if positive else 0.0,
    }


def perpetrator_accuracy(pairs: Sequence[tuple[str | None, Sequence[str] | None]]) -> dict[str, float | int | None]:
    """Score (extracted actor id or None, acceptable gold ids) pairs; gold ["unknown"] is matched by None."""
    scored = [(value, gold) for value, gold in pairs if gold]
    if not scored:
        return {"n": 0, "accuracy": None}
    correct = 0
    for value, gold in scored:
        if value is None:
            correct += "unknown" in gold
        else:
            correct += value in gold
    return {"n": len(scored), "accuracy": correct / len(scored)}


def majority_cluster(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[Hashable, Hashable]:
    """Return, for each gold cluster, the predicted cluster holding most of its items (ties: first seen)."""
    votes: dict[Hashable, Counter[Hashable]] = defaultdict(Counter)
    for p, g in zip(predicted, gold, strict=True):
        votes[g][p] += 1
    return {g: c.most_common(1)[0][0] for g, c in votes.items()}


def consensus_metrics(
    pairs: Mapping[Hashable, tuple[float | None, float | None]],
) -> dict[str, float | int | None]:
    """Score per-story (consensus point, recorded count) pairs; a story with no consensus counts as 0."""
    scored = [(0.0 if v is None else v, g) for v, g in pairs.values() if g is not None and isfinite(g)]
    if not scored:
        return {"n": 0, "exact": None, "within_10pct": None}
    exact = sum(round(v) == g for v, g in scored)
    within = sum(abs(v - g) <= 0.10 * g if g else v == 0 for v, g in scored)
    return {"n": len(scored), "exact": exact / len(scored), "within_10pct": within / len(scored)}
