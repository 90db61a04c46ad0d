import pytest

from accord import metrics


def test_bcubed_perfect_and_lumped():
    gold = ["a", "a", "b", "b"]
    assert metrics.bcubed(["x", "x", "y", "y"], gold)["bcubed_f1"] == 1.0
    lumped = metrics.bcubed(["x", "x", "x", "x"], gold)
    assert lumped["bcubed_precision"] == pytest.approx(0.5)
    assert lumped["bcubed_recall"] == 1.0


def test_ari_is_one_for_identical_and_near_zero_for_unrelated():
    assert metrics.adjusted_rand_index([1, 1, 2, 2], ["a", "a", "b", "b"]) == pytest.approx(1.0)
    assert metrics.adjusted_rand_index([1, 2, 1, 2], ["a", "a", "b", "b"]) < 0


def test_count_metrics_follow_corpus_rules():
    pairs = [(22.0, 22), (None, 0), (0.0, 0), (None, 10), (105.0, 100), (None, None)]
    result = metrics.count_metrics(pairs)
    assert result["n"] == 5
    assert result["exact"] == pytest.approx(3 / 5)
    assert result["within_10pct"] == pytest.approx(4 / 5)
    assert result["missing"] == pytest.approx(1 / 3)


def test_perpetrator_unknown_is_matched_by_none():
    result = metrics.perpetrator_accuracy(
        [(None, ["unknown"]), ("russia", ["syrian-government", "russia"]), ("isis", ["sdf"])]
    )
    assert result == {"n": 3, "accuracy": pytest.approx(2 / 3)}


def test_consensus_counts_missing_as_zero():
    result = metrics.consensus_metrics({"s1": (None, 0), "s2": (3.0, 3), "s3": (None, 2)})
    assert result["exact"] == pytest.approx(2 / 3)
