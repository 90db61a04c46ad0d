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


def test_flag_metrics_counts_positives_precision_recall_f1_and_accuracy():
    from accord.metrics import flag_metrics

    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    m = flag_metrics(pairs)
    assert m["positives"] == 3
    assert m["precision"] == 2 / 3 and m["recall"] == 2 / 3 and abs(m["f1"] - 2 / 3) < 1e-12
    assert m["accuracy"] == 3 / 5
    # nothing flagged and nothing positive: precision and F1 are null
    assert flag_metrics([(False, False)]) == {
        "positives": 0,
        "precision": None,
        "recall": None,
        "f1": None,
        "accuracy": 1.0,
    }
    assert flag_metrics([])["accuracy"] is None


def test_gold_verdicts_derived_from_article_labels():
    from accord.metrics import gold_attribution_contested, gold_count_divergent

    assert gold_count_divergent([10, 22, 22], None)
    assert not gold_count_divergent([30, 39], None)  # 9 is not more than a quarter of 39
    assert not gold_count_divergent([1, 3], None)  # a gap under 3
    assert not gold_count_divergent([10, 40], 40)  # a recorded toll: not derived
    assert gold_attribution_contested([("a", ["isis"]), ("b", ["sdf"])])
    assert not gold_attribution_contested([("a", ["isis"]), ("a", ["sdf"])])  # one outlet
    assert not gold_attribution_contested([("a", ["syrian-government", "russia"]), ("b", ["russia"])])
    assert not gold_attribution_contested([("a", ["unknown"]), ("b", ["isis"])])
