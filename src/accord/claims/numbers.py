"""Counts as news writes them: digits, number words, ranges, qualifiers and vague words, each read as an interval.

Every count becomes a `Quantity`: `low`/`high` bound what the words allow (`high` None = open-ended) and `point` is the
single figure used when one number is needed (comparison, consensus).

Rules for the point estimate
- Exact figures ("22", "twenty-two", "a dozen"): the figure itself.
- "at least 20", "more than 20", "over 20": [20 or 21, open]; point 20. Reports use the floor they can vouch for, and
  the figure printed is what other outlets echo, so the printed number is the best single reading.
- "up to 20", "as many as 20": [1, 20]; point 20, the figure printed. "nearly/almost 20": [18, 20]; point 20.
  "about/around/some 20": [18, 22] (10 %), point 20.
- Ranges ("10 to 15", "between 10 and 15", "10-15", "two or three"): [10, 15]; point the midpoint.
- Vague words get the most conservative reading as the point, the convention of ACLED's codebook (it codes "dozens" as
  12 fatalities and "hundreds" as 100): counts are later compared across outlets, and a conservative point keeps a vague
  report from outvoting precise ones. The interval keeps what the word can mean:
  "a few" [2, 5] -> 3, "several" [3, 9] -> 3, "dozens" [12, 99] -> 12 (ACLED reads "dozens" as at least a dozen),
  "scores" [20, 99] -> 20, "hundreds" [100, 999] -> 100, "thousands" [1000, 9999] -> 1000, "tens of thousands"
  [10000, 99999] -> 10000, "hundreds of thousands" [100000, 999999] -> 100000, "millions" [1e6, 1e7-1] -> 1e6.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from accord.claims.prefilter import FOLDS_TO_ASCII, lowercase_twin, prefix_pattern, scan_matches
from accord.domain import number_table

# the one table of number words and vague words (accord/data/numbers.yaml)
_TABLE = number_table()
UNITS = _TABLE.units
SCALES = _TABLE.scales
# word -> (low, high, point); see the module docstring for why the point is the low end.
VAGUE = _TABLE.vague
FIXED = _TABLE.fixed

_WORD = "|".join(sorted((w for w in list(UNITS) + list(SCALES) if w != "no"), key=len, reverse=True))
_WORDNUM = rf"(?:(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}|hundred|thousand|million))*)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:million|thousand|hundred))?"
_FIXED = "|".join(sorted(map(re.escape, FIXED), key=len, reverse=True))
_VAGUE = "|".join(sorted(map(re.escape, VAGUE), key=len, reverse=True))
_ATOM = rf"(?:{_FIXED}|{_DIGITS}|{_WORDNUM})"

QUALIFIERS = {
    "at least": "min",
    "no fewer than": "min",
    "no less than": "min",
    "a minimum of": "min",
    "more than": "more",
    "over": "more",
    "in excess of": "more",
    "upwards of": "more",
    "above": "more",
    "up to": "max",
    "as many as": "max",
    "at most": "max",
    "a maximum of": "max",
    "no more than": "max",
    "not more than": "max",
    "did not exceed": "max",
    "does not exceed": "max",
    "not exceeded": "max",
    "not exceeding": "max",
    "less than": "less",
    "fewer than": "less",
    "under": "less",
    "nearly": "near",
    "almost": "near",
    "close to": "near",
    "just under": "near",
    "nearing": "near",
    "about": "approx",
    "around": "approx",
    "some": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "an estimated": "approx",
    "estimated": "approx",
    "approx.": "approx",
    "circa": "approx",
}
_QUAL = "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True))

NUMBER_RE = re.compile(
    rf"\b(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:(?:between|from)\s+(?P<lo>{_ATOM})\s+(?:and|to)\s+(?P<hi>{_ATOM})"
    rf"|(?P<vague>{_VAGUE})"
    rf"|(?P<a>{_ATOM})(?:\s*(?:-|–|to|or)\s*(?P<b>{_ATOM}))?)"
    r"(?![\w-]*\s*(?:-|\s)?(?:year|month|week|day|hour|minute|km|kilomet|mile|metre|meter|percent|per cent|%|mm\b"
    r"|caliber|calibre|p\.m|a\.m|:\d|th\b|st\b|nd\b|rd\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A count found in text: character span, interval [low, high] (high None = open) and point estimate."""

    start: int
    end: int
    text: str
    low: int
    high: int | None
    point: float
    vague: bool = False


_DIGIT_VALUE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s+(million|thousand|hundred))?")
_WORD_SPLIT = re.compile(r"[\s-]+")
_FOUR_DIGITS = re.compile(r"\d{4}")


def word_value(text: str) -> int | None:
    """Return the value of a number written in words or digits ("twenty-two", "1,200", "2.5 million"), else None."""
    t = text.lower().strip()
    if t in FIXED:
        return FIXED[t]
    m = _DIGIT_VALUE.fullmatch(t)
    if m:
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= SCALES[m.group(3)]
        return int(round(value))
    total, current = 0, 0
    for token in _WORD_SPLIT.split(t):
        if token in ("and", ""):
            continue
        if token in UNITS:
            current += UNITS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in SCALES:
            total += max(current, 1) * SCALES[token]
            current = 0
        else:
            return None
    return total + current


# A figure written in words and restated in digits, as government communiqués write them: "eight (8) soldiers"
_RESTATED = re.compile(r"\b([A-Za-z]+(?:-[A-Za-z]+)?)\s*(\(\d{1,5}\))")


def blank_restated_figures(text: str) -> str:
    """Return `text` with the digits restating a figure in words blanked ("eight (8) soldiers" -> "eight     soldiers"):
    the same length, so that offsets into it are offsets into `text`."""
    if "(" not in text:
        return text
    out = None
    for m in _RESTATED.finditer(text):
        if word_value(m.group(1)) == int(m.group(2)[1:-1]):
            out = out if out is not None else list(text)
            out[m.start(2) : m.end(2)] = " " * (m.end(2) - m.start(2))
    return "".join(out) if out is not None else text


def _qualify(qual: str | None, n: int) -> tuple[int, int | None]:
    kind = QUALIFIERS.get((qual or "").lower())
    if kind == "min":
        return n, None
    if kind == "more":
        return n + 1, None
    if kind == "max":
        return min(1, n), n
    if kind == "less":
        return 0, max(n - 1, 0)
    if kind == "near":
        return int(n * 0.9), n
    if kind == "approx":
        return int(n * 0.9), int(round(n * 1.1))
    return n, n


# A count starts at a word: a digit, a qualifier, "between" or "from", a vague word, a fixed phrase or a number word,
# each written out whole (NUMBER_RE matches a phrase's words with the single space between them, which lowercasing
# keeps). NUMBER_RE is tried only where one of these starts a word of the lowercased text: that finds what
# NUMBER_RE.finditer finds in a fifth of the time (the regex engine tries its dozens of case-folded alternatives at
# every word boundary). Whole phrases, not their first words: "a", "in", "at", "as" and "an" start a phrase ("a dozen",
# "in excess of", "at least") but mostly start none, and were a third of the places tried, nearly all in vain (all
# three corpora: 169k tries for 44k counts before, 76k after; measured 3% less extraction CPU).
_COUNT_WORDS = frozenset(
    {w for table in (QUALIFIERS, VAGUE, FIXED) for w in table} | set(_WORD.split("|")) | {"between", "from"}
)
# The only characters other than ASCII that IGNORECASE matches with ASCII letters (dotted and dotless i, long s, the
# Kelvin sign). Without them, lowercasing keeps every character's place and whether it is a word character (U+0130
# alone lowercases to two), so a word of the lowercased text starts where the word of the text does, with ASCII letters
# where the regex would match them. tests/test_numbers.py derives both facts again. The guards of prefilter rest on
# the same facts: `lowered` gives the lowercased text, or None for a text holding one of these characters.
_FOLDS_TO_ASCII = FOLDS_TO_ASCII

# prefix_pattern: a tree of the words' letters (no alternative repeats a letter: the engine chooses a branch by one
# character), cut at the shortest word of each branch. A lookahead, so that finditer yields every place: a phrase
# found at one place does not hide a count that starts inside it ("no fewer than" holds "fewer than").
_COUNT_START = re.compile(rf"\b(?=\d|{prefix_pattern(_COUNT_WORDS)})")


# NUMBER_RE without IGNORECASE, matched in the lowercased text: the same spans in half the time (prefilter).
_NUMBER_TWIN = lowercase_twin(NUMBER_RE)


def _number_matches(text: str) -> Iterator[re.Match[str]]:
    """Yield NUMBER_RE.finditer(text)'s matches, trying NUMBER_RE only where a count can start: as the lowercased
    text's matches (the same spans; their groups are lowercased, so a count's own words are read from `text`)."""
    return scan_matches(NUMBER_RE, _COUNT_START, text, _NUMBER_TWIN)


def find_quantities(text: str) -> list[Quantity]:
    """Return every count in `text`, left to right, with its interval and point estimate."""
    found = []
    for m in _number_matches(text):
        qual = m.group("qual")
        if m.group("vague"):
            low, high, point = VAGUE[m.group("vague").lower()]
            if qual and QUALIFIERS.get(qual.lower()) in ("min", "more"):
                high = None
            found.append(Quantity(m.start(), m.end(), text[m.start() : m.end()], low, high, float(point), vague=True))
            continue
        a = m.group("lo") or m.group("a")
        b = m.group("hi") or m.group("b")
        va = word_value(a)
        if va is None:
            continue
        vb = word_value(b) if b else None
        if vb is not None and vb > va and not (b and _FOUR_DIGITS.fullmatch(a) and _FOUR_DIGITS.fullmatch(b)):
            low, high = _qualify(qual, va)[0], _qualify(qual, vb)[1]
            found.append(Quantity(m.start(), m.end(), text[m.start() : m.end()], low, high, (va + vb) / 2))
            continue
        end = m.end() if vb is None else m.start("a") + len(a)
        if b and vb is not None and vb <= va:  # "2014-15" or "10 or 2": keep only the first figure
            end = m.start("a") + len(a) if m.group("a") else m.end()
        low, high = _qualify(qual, va)
        found.append(Quantity(m.start(), end, text[m.start() : end], low, high, float(va)))
    return found
