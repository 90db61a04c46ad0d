"""The exact shortcuts of claim extraction: guards that refuse texts a pattern cannot match, and scans that try a
pattern only where a match can start. Each must find what the plain regex finds; these tests check the facts they rest
on (Unicode case folding, the patterns' shapes), on texts drawn from the patterns themselves and on the corpora."""

from __future__ import annotations

import json
import random
import re
import sys
from re import _constants as sre
from re import _parser as sre_parse

import pytest

from accord.claims import casualties, numbers, prefilter, sentences
from accord.claims.prefilter import FOLDS_TO_ASCII, GUARDS, Guard, lowercase_twin, required_words
from accord.models import article_document

# -- Unicode facts the guards rest on ---------------------------------------------------------------------------------

_NON_ASCII = "".join(map(chr, range(128, sys.maxunicode + 1)))


def test_only_the_fold_characters_match_ascii_under_ignorecase():
    """A literal ASCII character matches, under IGNORECASE, itself, its other case and at most the characters of
    FOLDS_TO_ASCII; so does a class of ASCII characters."""
    folds = set(FOLDS_TO_ASCII.pattern.strip("[]"))
    for a in map(chr, range(128)):
        literal = re.compile(re.escape(a), re.IGNORECASE)
        assert set(literal.findall(_NON_ASCII)) <= folds, repr(a)
        assert {b for b in map(chr, range(128)) if literal.fullmatch(b)} == {a, a.swapcase()}, repr(a)
    assert set(re.findall(r"[\x00-\x7f]", _NON_ASCII, re.IGNORECASE)) == folds


def test_lowercasing_keeps_places_and_classes():
    """Besides the characters of FOLDS_TO_ASCII (which never reach a guard or a scan), every character lowercases to
    one character that is a word character, or whitespace, exactly when the character is, and is ASCII exactly when
    the character is (guards test slices of the lowered text at the text's offsets; scans look in it for word starts,
    spaces and hyphens)."""
    beyond = FOLDS_TO_ASCII.sub("", _NON_ASCII)
    assert re.search(r"[\x00-\x7f]", beyond.lower()) is None
    text = beyond + "".join(map(chr, range(128)))
    low = text.lower()
    assert len(low) == len(text)
    for cls in (r"\w", r"\s"):
        assert [m.start() for m in re.finditer(cls, low)] == [m.start() for m in re.finditer(cls, text)], cls


def test_no_character_lowercases_to_another_without_case():
    """A character without case (a curly quote) matches only itself under IGNORECASE, and no other character becomes
    it when lowercased: a lowercase twin may name it (FOLDS_TO_ASCII aside, whose U+0130 lowercases to two)."""
    for c in FOLDS_TO_ASCII.sub("", _NON_ASCII):
        low = c.lower()
        if low.lower() == low == low.upper():
            assert low == c, hex(ord(c))


# -- lowercase twins --------------------------------------------------------------------------------------------------


def test_lowercase_twin_only_of_patterns_that_name_lowercase_letters():
    twin = lowercase_twin(re.compile(r"\b(?:a|an)\s+[\w’-]+ (?!x)(?<=\s)[a-z0-9]\d*\b", re.IGNORECASE))
    assert twin is not None and not twin.flags & re.IGNORECASE
    for source in (r"Shot", r"[A-Z]x", r"[A-Za-z]", r"(a)\1", r"(?-i:a)b", "caf\u00e9", r"[\u00e0-\u00ff]"):
        assert lowercase_twin(re.compile(source, re.IGNORECASE)) is None, source
    assert lowercase_twin(re.compile(r"shot")) is None  # case-sensitive already


@pytest.mark.parametrize("pattern", [numbers.NUMBER_RE, casualties._SINGLE], ids=lambda p: p.pattern[:30])
def test_lowercase_twin_matches_the_lowercased_text_where_the_pattern_matches(pattern):
    twin = lowercase_twin(pattern)
    assert twin is not None
    matched = 0
    for text in samples(pattern, 300, seed=2):  # letters in random case
        expected = [(m.span(), m.regs) for m in pattern.finditer(text)]
        assert [(m.span(), m.regs) for m in twin.finditer(text.lower())] == expected, text
        matched += bool(expected)
    assert matched > 100


def test_lowered_refuses_nothing_with_a_fold_character():
    assert prefilter.lowered("Seven killed") == "seven killed"
    for c in "\u0130\u0131\u017f\u212a":
        assert prefilter.lowered(f"ki{c}led") is None


# -- the derivation of necessary words --------------------------------------------------------------------------------


def words(pattern: str, flags: int = 0) -> list[set[str]]:
    return [set(s) for s in required_words(re.compile(pattern, flags))]


def test_words_of_literals_branches_and_repeats():
    assert words(r"\bKilled\b") == [{"killed"}]
    assert words(r"(?:double|triple)[\s-]+murders?", re.IGNORECASE) == [{"murder"}, {"double", "triple"}]
    assert words(r"li(?:ves|fe) lost") == [{"lives lost", "life lost"}]
    assert words(r"(?:ab)+x") == [{"ab"}, {"x"}]
    assert words(r"[Kk]ill") == [{"kill"}]


def test_what_proves_nothing():
    assert words(r"a?b*c{0,3}") == []
    assert words(r"(?:dead|)") == []  # an empty branch
    assert words(r"(?!dead)\w+") == []  # a negative lookahead
    assert words(r"[^x]y|z") == [{"y", "z"}]
    assert words(r"[^x]+|z") == []  # a branch without words
    assert words(r"(\w+)\1") == []
    assert words("caf\u00e9") == [{"caf"}]  # a character beyond ASCII ends a run of words


def test_zero_width_items_keep_words_adjacent_and_lookaheads_count():
    assert words(r"a\bb") == [{"ab"}]
    assert words(r"shot(?=\s+dead)") == [{"shot"}, {"dead"}]
    assert words(r"(?<!attempted )murder") == [{"murder"}]


def test_words_hold_no_longer_word_of_the_same_set():
    assert words(r"(?:kill|killed|killing)s?") == [{"kill"}]


# -- every guard against its pattern ----------------------------------------------------------------------------------

_POOL = " aZ5-,.'’\n\tx_(\"é"
_CATEGORY_CHAR = {
    sre.CATEGORY_DIGIT: "7",
    sre.CATEGORY_NOT_DIGIT: "q",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "q",
    sre.CATEGORY_WORD: "q",
    sre.CATEGORY_NOT_WORD: " ",
    sre.CATEGORY_LINEBREAK: "\n",
    sre.CATEGORY_NOT_LINEBREAK: "q",
}


def _in_class(items, c: str) -> bool:
    pattern = re.compile(f"[{''.join(_item_source(op, av) for op, av in items)}]")
    return bool(pattern.fullmatch(c))


def _item_source(op, av) -> str:
    if op is sre.NEGATE:
        return "^"
    if op is sre.LITERAL:
        return re.escape(chr(av))
    if op is sre.RANGE:
        return f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}"
    return {
        sre.CATEGORY_DIGIT: r"\d",
        sre.CATEGORY_NOT_DIGIT: r"\D",
        sre.CATEGORY_SPACE: r"\s",
        sre.CATEGORY_NOT_SPACE: r"\S",
        sre.CATEGORY_WORD: r"\w",
        sre.CATEGORY_NOT_WORD: r"\W",
    }[av]


def _sample(items, rng: random.Random, fold: bool) -> str:
    """Return a string the items may match (lookarounds and anchors are left to chance), letters in random case."""
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            c = chr(av)
            out.append(c.swapcase() if fold and rng.random() < 0.3 else c)
        elif op is sre.NOT_LITERAL:
            out.append("q" if av != ord("q") else "z")
        elif op is sre.ANY:
            out.append("q")
        elif op is sre.IN:
            if av[0][0] is sre.NEGATE:
                out.append(rng.choice([c for c in _POOL if _in_class(av, c)]))
                continue
            op1, av1 = rng.choice(av)
            if op1 is sre.LITERAL:
                out.append(chr(av1))
            elif op1 is sre.RANGE:
                out.append(chr(rng.randint(*av1)))
            else:
                out.append(_CATEGORY_CHAR[av1])
        elif op is sre.BRANCH:
            out.append(_sample(rng.choice(av[1]), rng, fold))
        elif op is sre.SUBPATTERN:
            out.append(_sample(av[-1], rng, fold))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, body = av
            out += [_sample(body, rng, fold) for _ in range(rng.randint(low, min(high, low + 2)))]
    return "".join(out)


def samples(pattern: re.Pattern[str], n: int, seed: int = 0) -> list[str]:
    """Return n texts drawn from the pattern's syntax, alone or set in other words."""
    rng = random.Random(seed)
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    texts = []
    for i in range(n):
        s = _sample(tree, rng, bool(pattern.flags & re.IGNORECASE))
        texts.append(s if i % 3 == 0 else f"At 5 p.m. {s} in town" if i % 3 == 1 else f"{s}, police said")
    return texts


def _guard_name(guard: Guard) -> str:
    return guard.pattern.pattern[:40]


@pytest.mark.parametrize("guard", GUARDS, ids=_guard_name)
def test_no_guard_refuses_a_text_its_pattern_matches(guard):
    matched = 0
    for text in samples(guard.pattern, 400):
        if guard.pattern.search(text):
            matched += 1
            assert guard.may_match(text), text
            assert guard.may_match(f"x {text} y", 2, 2 + len(text)), text
        m = guard.pattern.search(text[1:-1])
        if m:
            assert guard.may_match(text, 1, len(text) - 1), text
    assert matched > 100  # the drawn texts exercise the pattern


@pytest.mark.parametrize("guard", GUARDS, ids=_guard_name)
def test_guards_refuse_what_lacks_their_words(guard):
    """A guard proves something (else it only costs time): it refuses a text without its words."""
    assert guard.sets
    assert not guard.may_match("")
    assert not guard.may_match("x" * 50, 10, 40)


def test_fold_characters_pass_every_guard():
    for guard in GUARDS:
        assert guard.may_match("\u017f")


def _corpus_sentences(data, names=("fakes-dev", "giveme5w1h")):
    for name in names:
        for line in (data / "corpora" / f"{name}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            title = (row.get("title") or "").strip()
            document = article_document(title, row.get("text") or "")
            yield from sentences.split_sentences(document, len(title))


def test_guards_refuse_no_sentence_their_pattern_matches(data):
    refused = 0
    for sentence in list(_corpus_sentences(data))[::2]:  # every other sentence keeps the test quick
        for guard in GUARDS:
            if not guard.may_match(sentence.text):
                refused += 1
                assert not guard.pattern.search(sentence.text), (guard.pattern.pattern[:40], sentence.text)
    assert refused > 50_000


def test_one_scan_finds_every_word_each_guard_needs():
    """Words that start at one place ("shot", "shot to death") and inside another ("hot" in "shot") are all found."""
    made = len(GUARDS)
    try:
        guards = [Guard(re.compile(p)) for p in (r"shot to death", r"\bshot\b", r"shooting|hot", r"fatal(?:ly)? \w+")]
        scan = prefilter.WordScan(*guards)
        for text, expected in [
            ("He was shot to death", [True, True, True, False]),
            ("the SHOOTING", [False, False, True, False]),
            ("shoot", [False, False, False, False]),
            ("fatally shot", [False, True, True, True]),
            ("ſhot", [True, True, True, True]),  # a fold character: nothing is refused
        ]:
            assert [g.may_match(text) for g in guards] == expected, text
            assert scan.present(text) == scan.present(text)  # the kept bits of the last text
        with pytest.raises(ValueError):
            prefilter.WordScan(guards[0])
    finally:
        del GUARDS[made:]


def test_scanned_guards_decide_as_their_own_tests_do(data):
    """A guard in a WordScan passes a whole text exactly when its own word tests would."""
    scanned = [g for g in GUARDS if g._scan is not None]
    assert len(scanned) >= 5
    texts = [s.text for s in _corpus_sentences(data)] + [t for g in scanned for t in samples(g.pattern, 100)]
    for text in texts:
        low = prefilter.lowered(text)
        for guard in scanned:
            own = low is None or all(find(low, 0, sys.maxsize) for find in guard._finders)
            assert guard.may_match(text) == own, (guard.pattern.pattern[:40], text)


# -- scans that try a pattern only where a match can start ------------------------------------------------------------

TRICKY = [
    "A man, an 18-year-old woman and another victim were shot; one officer and a\tboy",
    "Anna and Ona saw ANOTHER MAN; banana a",
    "(a man) “an officer” -a child one-woman",
    "ſeven killed: a ſoldier, an İnfant and a woman",
    "",
    "a",
]


def spans(matches):
    return [(m.start(), m.end(), m.groupdict()) for m in matches]


@pytest.mark.parametrize("text", TRICKY + samples(casualties._SINGLE, 300, seed=1))
def test_single_scan_finds_what_the_regex_finds(text):
    assert spans(casualties._single_matches(text)) == spans(casualties._SINGLE.finditer(text))


DOCUMENTS = [
    "Title here\n\nA man was shot. He died! Was he? Yes.\n\nMr. Smith of Washington, D.C. said so. 3 dead. St. Louis",
    'He said "Stop." (Then) he left... Police said: "Two." \n  \n Next line',
    "U.S. forces struck. U.N. said. Dr. No. Sept. 5. A. B. C. Blvd. Ave. x.Y. ok?\n",
    "",
    "\n\n\n",
    "no boundary at all",
]


def test_boundary_scan_finds_what_the_regex_finds(data):
    documents = DOCUMENTS + [d for d in samples(sentences._BOUNDARY, 200, seed=2)]
    for name in ("fakes-dev", "giveme5w1h", "gva-dev"):
        for line in (data / "corpora" / f"{name}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            documents.append(article_document((row.get("title") or "").strip(), row.get("text") or ""))
    for document in documents:
        for start in {0, 1, 11, len(document) // 2}:
            expected = spans(sentences._BOUNDARY.finditer(document, start))
            assert spans(sentences._boundaries(document, start)) == expected, (document[:80], start)


def test_abbreviations_fit_the_searched_tail():
    """_is_abbreviation searches only the last _ABBREV_TAIL characters before a boundary: _ABBREV's longest match is
    shorter, so the character before it (its word boundary) is in the tail too."""
    longest = sre_parse.parse(sentences._ABBREV.pattern).getwidth()[1]
    assert longest < sentences._ABBREV_TAIL


@pytest.mark.parametrize("head", ["Mr.", "The U.S.", "Smith Jr.", "ASt.", "x St.", "in Sept.", "Dept.", "B.", "ok."])
def test_abbreviation_search_finds_what_the_regex_finds(head):
    for prefix in ("", "a", "Long words before it, then ", "\n", "Word"):
        document = prefix + head
        for start in range(len(document)):
            expected = bool(sentences._ABBREV.search(document[start:]))
            assert sentences._is_abbreviation(document, start, len(document)) == expected, (document, start)


MENTIONS = [
    "IS claimed it; the Islamic State group and ISIS fighters, is it? Russian-backed regime forces",
    "Syrian government forces, syrian ARMY and the U.S.-led coalition; al-Nusra, Al-Assad's regime-held areas",
    "Police: police-led raid by Pro-Assad (Russian) jets; (YPG) YPJ-SDF isis Isis",
    "The İslamic State and Daeſh",
    "regime",
    "",
]


def test_mention_scan_finds_what_the_pattern_finds(data, extractor):
    matcher = extractor._matcher
    texts = MENTIONS + [s.text for s in _corpus_sentences(data, ("fakes-dev", "giveme5w1h", "gva-dev"))]
    for text in texts:
        assert spans(matcher._matches(text)) == spans(matcher._pattern.finditer(text)), text


def test_mention_scan_is_left_out_for_aliases_beyond_ascii():
    from accord.claims.attribution import ActorMatcher
    from accord.models import Actor

    matcher = ActorMatcher([Actor("x", "Café Group", ("ΣΑΣ",))])
    assert matcher._starts is None
    assert [m.words for m in matcher.mentions("the café group and σας")] == ["café group", "σας"]


def _split_by_regex(document: str, title_length: int) -> list[tuple[int, int]]:
    """split_sentences' pieces as it found them before the scans: _BOUNDARY.finditer, _ABBREV on the whole head."""
    pieces, pos = ([(0, title_length)] if title_length else []), title_length
    for m in sentences._BOUNDARY.finditer(document, title_length):
        if m.start() <= pos:
            continue
        if "\n" not in m.group(0) and sentences._ABBREV.search(document[pos : m.start()]):
            continue
        pieces.append((pos, m.start()))
        pos = m.end()
    return pieces + [(pos, len(document))]


def test_sentences_split_where_the_regexes_split(data):
    documents = [(d, 0) for d in DOCUMENTS] + [("Title here", 10), ("T. S.\n\nA man. No. 5 died.", 5)]
    for name in ("fakes-dev", "giveme5w1h", "gva-dev"):
        for line in (data / "corpora" / f"{name}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            title = (row.get("title") or "").strip()
            documents.append((article_document(title, row.get("text") or ""), len(title)))
    for document, title_length in documents:
        expected = []
        for a, b in _split_by_regex(document, title_length):
            raw = document[a:b]
            if raw.strip():
                expected.append((raw.strip(), a + len(raw) - len(raw.lstrip())))
        got = [(s.text, s.start) for s in sentences.split_sentences(document, title_length)]
        assert got == expected, document[:80]


# -- victims read in one scan -----------------------------------------------------------------------------------------


def test_victim_groups_capture_nothing():
    """victims_of reads the matched group's name as the match's last group: the groups hold no groups of their own."""
    assert all(re.compile(p).groups == 0 for _, p in casualties.VICTIMS)


def _victims_one_by_one(phrase: str) -> str | None:
    best = None
    for name, pattern in casualties.VICTIMS:
        m = re.search(pattern, phrase, re.IGNORECASE)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def test_victims_of_picks_the_earliest_group_first_listed(data):
    phrases = ["children and women", "civilians children", "men, women and children", "the boys' mothers", "", "x"]
    for sentence in _corpus_sentences(data):
        text = sentence.text
        phrases += [text[i : i + 25] for i in range(0, len(text), 20)]
    for phrase in phrases:
        assert casualties.victims_of(phrase) == _victims_one_by_one(phrase), phrase
