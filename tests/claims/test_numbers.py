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


# -- the word-start scan that stands in for NUMBER_RE.finditer -------------------------------------------------------


def test_only_the_listed_characters_fold_to_ascii_letters():
    """_FOLDS_TO_ASCII holds every character besides ASCII that IGNORECASE matches with an ASCII letter; lowercasing
    keeps the length and the word-character class of every other character (what the scan on lowered text needs)."""
    import re
    import sys

    from accord.claims import numbers

    letter, word = re.compile("[a-z]", re.IGNORECASE), re.compile(r"\w")
    folding = {chr(c) for c in range(128, sys.maxunicode + 1) if letter.fullmatch(chr(c))}
    assert folding == {c for c in "\u0130\u0131\u017f\u212a" if numbers._FOLDS_TO_ASCII.match(c)}
    for c in map(chr, range(sys.maxunicode + 1)):
        if c in folding:
            continue
        lowered = c.lower()
        assert len(lowered) == 1, hex(ord(c))
        assert bool(word.fullmatch(c)) == bool(word.fullmatch(lowered)), hex(ord(c))


TRICKY = [
    "Twenty-two people, among them approx. 20 children, died; between 3 and 4 were hurt",
    "In Tennessee ten died and at least a dozen were wounded",
    "ſeven killed, thouſands fled, İn excess of 40 hurt, Sixty-ſix missing",
    "٣ killed and ۱۲ wounded",
    "x approx. 20 people; upwards of 30 cars; up to 5 (five) homes",
    "nearly half a dozen of them; a few; A FEW; Tens Of Thousands; no fewer than 12",
    "often 10-15 or 2014-15; 1,200 in 2016 at 5 p.m. on 3rd of May",
    "",
    "9",
]


def _spans(matches):
    """The spans of each match and of its groups (the scan's matches are in the lowercased text: spans are what it
    shares with the regex)."""
    return [(m.span(), {g: m.span(g) for g in m.re.groupindex}) for m in matches]


@pytest.mark.parametrize("text", TRICKY)
def test_number_scan_finds_what_the_regex_finds(text):
    from accord.claims.numbers import NUMBER_RE, _number_matches

    assert _spans(_number_matches(text)) == _spans(NUMBER_RE.finditer(text))


def test_number_scan_finds_what_the_regex_finds_in_real_reports(data):
    """Every text of the three corpora: the scan misses no count and finds none the regex does not."""
    import json

    from accord.claims.numbers import NUMBER_RE, _number_matches

    checked = 0
    for name in ("gva-dev", "fakes-dev", "giveme5w1h"):
        for line in (data / "corpora" / f"{name}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            for text in (row.get("title") or "", row.get("text") or ""):
                expected = _spans(NUMBER_RE.finditer(text))
                assert _spans(_number_matches(text)) == expected
                checked += bool(expected)
    assert checked > 3000


def test_a_ceiling_a_party_sets_is_an_upper_bound():
    # invented: an army's answer to a higher toll
    q = only("the number killed did not exceed 150")
    assert (q.low, q.high, q.point) == (1, 150, 150)
    assert only("no more than 20 people were killed").high == 20
