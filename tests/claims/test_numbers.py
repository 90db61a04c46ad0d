"""Counts as intervals, from phrases in shared/data (FA-KES, GVA, the seed article)."""

from __future__ import annotations

import pytest

from accord.claims.numbers import find_quantities, word_value


def only(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text,value",
    [
        ("twenty-two", 22),
        ("one hundred and fifty", 150),
        ("1,200", 1200),
        ("1200", 1200),
        ("2.5 million", 2_500_000),
        ("a dozen", 12),
        ("four million", 4_000_000),
    ],
)
def test_word_value(text, value):
    assert word_value(text) == value


def test_digits_with_qualifier_at_least():
    # fakes-dev: "A suicide bomb blast killed at least 16 people in the mostly Kurdish-controlled city of Hasaka"
    q = only("A suicide bomb blast killed at least 16 people")
    assert (q.low, q.high, q.point) == (16, None, 16)


def test_more_than_with_separators():
    # seed: "has killed more than 380,000 people"
    q = only("has killed more than 380,000 people")
    assert (q.low, q.high, q.point) == (380_001, None, 380_000)


def test_stripped_separators_of_fakes():
    # fakes-dev (commas stripped by the dataset authors): "More than 230000 people have been killed in Syria"
    assert only("More than 230000 people have been killed in Syria").point == 230_000


def test_range_between_and():
    q = only("between 10 and 15 people")
    assert (q.low, q.high, q.point) == (10, 15, 12.5)


def test_range_to_and_or():
    # giveme5w1h-like "six or seven children found it" (gva-dev, abc12.com): a group of six or seven children
    q = only("a group of six or seven children")
    assert (q.low, q.high) == (6, 7)


def test_vague_words_take_the_conservative_point():
    # seed: "some reports say dozens have been killed"; title "reportedly kill scores of opposition forces"
    dozens = only("some reports say dozens have been killed")
    assert (dozens.low, dozens.high, dozens.point, dozens.vague) == (12, 99, 12, True)
    scores = only("reportedly kill scores of opposition forces")
    assert scores.low == 20 and scores.high == 99 and scores.vague


def test_hundreds_of_thousands_is_one_count():
    # seed: "halt a regime offensive that displaced hundreds of thousands"
    q = only("a regime offensive that displaced hundreds of thousands")
    assert q.low == 100_000 and q.vague


def test_nearly_and_about():
    # seed: "displaced almost a million people"
    q = only("displaced almost a million people")
    assert q.high == 1_000_000 and q.low < q.high
    q = only("Idlib is home of some four million civilians")
    assert q.low < 4_000_000 < q.high


def test_ages_times_and_units_are_not_counts():
    # gva-dev (ocregister.com): "A 14-year-old boy was hospitalized ... at 9:07 p.m. ... fit a 9 mm cartridge"
    assert find_quantities("A 14-year-old boy was hospitalized Wednesday night") == []
    assert find_quantities("inside his home at 9:07 p.m.") == []
    assert find_quantities("a 9 mm cartridge") == []
