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


def flag_metrics(pairs: Sequence[tuple[bool, bool]]) -> dict[str, float | int | None]:
    """Score (predicted, gold) verdict flags: gold positives, precision, recall, F1 and accuracy.

    Precision and F1 are None where nothing was flagged and nothing is positive (CORPUS.md); recall is None with no
    positives.
    """
    if not pairs:
        return {"positives": 0, "precision": None, "recall": None, "f1": None, "accuracy": None}
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    positives = tp + fn
    flagged = tp + fp
    precision = tp / flagged if flagged else (None if not positives else 0.0)
    recall = tp / positives if positives else None
    if precision is None:
        f1 = None
    elif recall is None:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(p == g for p, g in pairs) / len(pairs)
    return {"positives": positives, "precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def gold_count_divergent(killed: Sequence[float | None], story_killed: float | None) -> bool:
    """CORPUS.md's derived verdict: no recorded toll, and the largest and smallest article tolls differ by more than a
    quarter of the largest and by at least 3."""
    values = [k for k in killed if k is not None]
    if story_killed is not None or not values:
        return False
    hi, lo = max(values), min(values)
    return hi - lo > 0.25 * hi and hi - lo >= 3


def gold_attribution_contested(perpetrators: Sequence[tuple[str, Sequence[str]]]) -> bool:
    """CORPUS.md's derived verdict: two articles of distinct outlets have non-empty, disjoint perpetrator sets once
    `unknown` is removed. `perpetrators` holds (outlet, gold ids) per article."""
    sets = [(outlet, frozenset(ids) - {"unknown"}) for outlet, ids in perpetrators]
    sets = [(o, s) for o, s in sets if s]
    return any(a[0] != b[0] and not (a[1] & b[1]) for i, a in enumerate(sets) for b in sets[i + 1 :])
