"""Cheap proofs that a regular expression cannot match a text: words the text would have to hold.

`required_words(pattern)` reads a compiled pattern's syntax tree and returns sets of lowercase ASCII words such that
any text the pattern matches (with any flags) holds, once lowercased, a word of each set; [] when it finds none. A
text whose lowercased form lacks every word of one set is then proved not to match, by a few substring tests instead
of a scan of the regex engine at every position (most patterns start with a word boundary, a lookbehind or an
alternation, so the engine has no literal prefix to skip ahead to). `Guard` runs a pattern only on texts it cannot
refuse that way; `WordScan` tests the words of several guards asked about the same text in one scan of it.

Why the words are necessary, node by node (the match of a sequence is the concatenation of its items' matches):
- a literal ASCII character matches itself, or under IGNORECASE its other case or a character of FOLDS_TO_ASCII; a
  text without those holds the literal's lowercase in its lowercased form, at the same place (str.lower maps each
  character on its own; besides FOLDS_TO_ASCII no character lowercases to ASCII or to more than one character);
- zero-width items (anchors, word boundaries, lookarounds) add nothing to the match, so the literals on either side
  stay adjacent; a positive lookaround's own words are in the text too;
- a run of items each matching one of a few known strings matches one of their concatenations;
- a branch needs a word of one of its branches; a repeat at least once needs its body's words; an optional item, a
  negative lookaround, a class of characters beyond a few ASCII ones or a back reference proves nothing.
Any node the reader does not know (a node type of a later Python) proves nothing, so the words stay necessary.
tests/claims/test_prefilter.py checks the Unicode facts, and that no guard refuses a text its pattern matches (texts
drawn from each pattern's syntax, and the corpora's sentences).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import product

try:  # the parser behind re.compile (Python 3.11+); without it nothing is proved and every regex runs
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    _sre = _sre_parse = None

# The only characters other than ASCII that IGNORECASE matches with ASCII characters (dotted and dotless i, long s, the
# Kelvin sign); numbers._FOLDS_TO_ASCII is the same set. A text holding one of them is never refused.
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")

# Sets of up to this many words are tested with str.find, larger ones with a regex (see _finder).
_FEW_WORDS = 7
# A run of known strings is cut once it would hold more than this many concatenations.
_MAX_STRINGS = 64


def _minimal(words: set[str]) -> frozenset[str] | None:
    """Return `words` without those that hold another one (the same texts contain one of them), None when one is
    empty (every text contains it)."""
    if not words or "" in words:
        return None
    return frozenset(w for w in words if not any(o != w and o in w for o in words))


def _telling(words: frozenset[str]) -> tuple[int, int]:
    """Order sets of necessary words by how few texts are likely to hold one: longer shortest word, fewer words."""
    return min(map(len, words)), -len(words)


def _node(op, av) -> tuple[set[str] | None, list[frozenset[str]]]:
    """Return (the strings the node matches, when few and known; sets of words one of each its matches need)."""
    if op is _sre.LITERAL:
        return ({chr(av).lower()}, []) if av < 128 else (None, [])
    if op is _sre.IN:
        if all(o is _sre.LITERAL and a < 128 for o, a in av):
            return {chr(a).lower() for _, a in av}, []
        return None, []
    if op is _sre.AT or op is _sre.ASSERT_NOT:
        return {""}, []
    if op is _sre.ASSERT:
        return {""}, _sequence(av[1])
    if op is _sre.SUBPATTERN:
        return _sequence_node(av[-1])
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence_node(av)
    if op is _sre.BRANCH:
        nodes = [_sequence_node(branch) for branch in av[1]]
        exact: set[str] | None = set()
        for strings, _ in nodes:
            exact = None if exact is None or strings is None else exact | strings
        if not all(sets for _, sets in nodes):
            return exact, []
        union = _minimal(set().union(*(max(sets, key=_telling) for _, sets in nodes)))
        return exact, [union] if union else []
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        strings, sets = _sequence_node(body)
        if low == 0:
            return ({""} | strings if high == 1 and strings is not None else None), []
        if low == high == 1:
            return strings, sets
        return None, sets
    return None, []


def _sequence_node(items) -> tuple[set[str] | None, list[frozenset[str]]]:
    """Return (the strings a sequence matches, when few and known; sets of words one of each its matches need)."""
    sets: list[frozenset[str]] = []
    whole: set[str] | None = {""}  # what the items so far match, while each is known and they stay few
    run: set[str] | None = {""}  # the same for the items since the last one not known
    for op, av in items:
        strings, words = _node(op, av)
        sets += words
        if strings is None or whole is None or len(whole) * len(strings) > _MAX_STRINGS:
            whole = None
        else:
            whole = {a + b for a, b in product(whole, strings)}
        if strings is not None and run is not None and len(run) * len(strings) <= _MAX_STRINGS:
            run = {a + b for a, b in product(run, strings)}
            continue
        # the run ends here: one of its strings is in every match; the item starts the next run
        sets += [m for m in [_minimal(run)] if m] if run is not None else []
        run = strings if strings is not None and len(strings) <= _MAX_STRINGS else None
    sets += [m for m in [_minimal(run)] if m] if run is not None else []
    return whole, sets


def _sequence(items) -> list[frozenset[str]]:
    return _sequence_node(items)[1]


def required_words(pattern: re.Pattern[str]) -> list[frozenset[str]]:
    """Return sets of lowercase words, most telling first, such that every text `pattern` matches holds a word of each
    set once lowercased (unless it holds a character of FOLDS_TO_ASCII); [] when none is found."""
    if _sre_parse is None or not isinstance(pattern.pattern, str):
        return []
    try:
        sets = _sequence(_sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # pragma: no cover - a parser that changed shape proves nothing
        return []
    kept: list[frozenset[str]] = []
    for words in sorted(set(sets), key=lambda s: (_telling(s), sorted(s)), reverse=True):
        # a set that every text holding a word of a kept set also holds a word of adds no proof
        if not any(all(any(w in k for w in words) for k in other) for other in kept):
            kept.append(words)
    return kept


def prefix_pattern(words: frozenset[str]) -> str:
    """Return a regex matching any of `words` as a prefix, as a tree of their letters (no alternative repeats a
    letter: the engine chooses a branch by one character) and cut at the shortest word of each branch."""
    if "" in words:
        return ""
    branches = []
    for first in sorted({w[0] for w in words}):
        branches.append(re.escape(first) + prefix_pattern(frozenset(w[1:] for w in words if w[0] == first)))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# Every guard made, for the tests that check them against their patterns.
GUARDS: list[Guard] = []


@lru_cache(maxsize=32)
def lowered(text: str) -> str | None:
    """Return `text` lowercased, or None when it holds a character of FOLDS_TO_ASCII (no guard refuses it then).

    Cached: each sentence is tested by several guards, all with the same string."""
    if not text.isascii() and FOLDS_TO_ASCII.search(text):  # isascii reads a flag: ASCII texts skip the search
        return None
    return text.lower()


def _caseless_or_lower(code: int) -> bool:
    """Return True for a lowercase ASCII letter or an ASCII character without case, or a character beyond ASCII
    without case (IGNORECASE matches it as itself, and no character but itself lowercases to it)."""
    c = chr(code)
    return not c.isupper() if code < 128 else c.lower() == c == c.upper()


def _lowercase_only(items) -> bool:
    """Return True when the parsed items name no letter but lowercase ASCII ones, no back reference and no local
    flags: then, under IGNORECASE, each item matches a character exactly when it matches the character lowercased
    (FOLDS_TO_ASCII aside), case-sensitively; categories (\\w, \\s, \\d) keep their characters when lowercased."""
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL):
            if not _caseless_or_lower(av):
                return False
        elif op is _sre.IN:
            for o, a in av:
                if o is _sre.LITERAL and not _caseless_or_lower(a):
                    return False
                if o is _sre.RANGE and (a[1] >= 128 or a[0] <= ord("Z") and a[1] >= ord("A")):
                    return False
                if o not in (_sre.LITERAL, _sre.RANGE, _sre.NEGATE, _sre.CATEGORY):
                    return False
        elif op is _sre.BRANCH:
            if not all(_lowercase_only(branch) for branch in av[1]):
                return False
        elif op is _sre.SUBPATTERN:
            if av[1] or av[2] or not _lowercase_only(av[3]):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            if not _lowercase_only(av[2]):
                return False
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if not _lowercase_only(av[1]):
                return False
        elif op not in (_sre.AT, _sre.ANY):
            return False  # a back reference, or a node this reader does not know
    return True


def lowercase_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """Return `pattern` without IGNORECASE when it is case-insensitive and names lowercase letters only, else None.

    The twin matches the lowercased text (`lowered`) where the pattern matches the text, with the same spans (its
    groups hold the lowercased words): each step of the engine compares the same characters with the same outcome.
    It is the faster of the two: the engine skips a branch by its first character only for a case-sensitive literal,
    so under IGNORECASE it enters every branch of an alternation (measured at the places numbers tries: NUMBER_RE's
    match takes half the time)."""
    if _sre_parse is None or not pattern.flags & re.IGNORECASE:
        return None
    try:
        if not _lowercase_only(_sre_parse.parse(pattern.pattern, pattern.flags)):
            return None
    except Exception:  # pragma: no cover - a parser that changed shape proves nothing
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def scan_matches(
    pattern: re.Pattern[str], starts: re.Pattern[str], text: str, twin: re.Pattern[str] | None = None
) -> Iterator[re.Match[str]]:
    """Yield pattern.finditer(text)'s matches, trying `pattern` only where `starts` finds a place in the lowercased
    text where one can begin (every match must start at such a place). pattern.match at a position sees the text
    before it, as finditer does; a text holding a character of FOLDS_TO_ASCII is scanned by finditer itself.

    With `twin` (lowercase_twin(pattern)) the matches are the twin's in the lowercased text: the same spans, but the
    groups lowercased, so the caller reads the text's own words by span."""
    low = lowered(text)
    if low is None:
        yield from pattern.finditer(text)
        return
    match, subject = (pattern.match, text) if twin is None else (twin.match, low)
    end = 0
    for start in starts.finditer(low):
        at = start.start()
        if at < end:
            continue
        m = match(subject, at)
        if m:
            end = m.end()
            yield m


def _finder(words: frozenset[str]) -> Callable[[str, int, int], object]:
    """Return a test whether low[start:end] holds one of `words` (truthy if so): str.find for a few words, one search
    of their letter tree for more (measured: the tree is faster from about eight words on)."""
    if len(words) > _FEW_WORDS:
        return re.compile(prefix_pattern(words)).search
    few = tuple(sorted(words))

    def find(low: str, start: int, end: int) -> bool:
        for word in few:
            if low.find(word, start, end) >= 0:
                return True
        return False

    return find


class Guard:
    """Refuses, by a few substring tests, texts that a pattern cannot match (see the module docstring).

    `sets` are the pattern's necessary words (`required_words`), of which the `_USED` most telling are tested, each
    by `_finder` on the lowercased text; sets whose shortest word is shorter than `_SHORTEST` are left out (nearly
    every text holds such a word: testing it costs more than it saves)."""

    _USED = 3
    _SHORTEST = 3

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.sets = [s for s in required_words(pattern) if min(map(len, s)) >= self._SHORTEST][: self._USED]
        self._finders = [_finder(s) for s in self.sets]
        self._scan: WordScan | None = None  # set by the WordScan that tests this guard's words with others'
        self._need = 0  # the scan's bits of this guard's sets
        GUARDS.append(self)

    def may_match(self, text: str, start: int = 0, end: int = sys.maxsize) -> bool:
        """Return False only when no match of the pattern lies in text[start:end] (the pattern run on that slice
        finds nothing)."""
        if self._scan is not None and start == 0 and end == sys.maxsize:
            present = self._scan.present(text)
            return present is None or present & self._need == self._need
        low = lowered(text)
        if low is None:
            return True
        for find in self._finders:
            if not find(low, start, end):
                return False
        return True

    def search(self, text: str) -> re.Match[str] | None:
        """Return self.pattern.search(text)."""
        return self.pattern.search(text) if self.may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Return self.pattern.finditer(text)."""
        return self.pattern.finditer(text) if self.may_match(text) else iter(())


def _longest_pattern(words: frozenset[str]) -> str:
    """Return a regex matching, at a position, the longest of `words` that starts there: a tree of their letters that
    tries the longer words through a node before the word ending there."""
    ends = "" in words
    rest = frozenset(w for w in words if w)
    if not rest:
        return ""
    branches = []
    for first in sorted({w[0] for w in rest}):
        branches.append(re.escape(first) + _longest_pattern(frozenset(w[1:] for w in rest if w[0] == first)))
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


class WordScan:
    """Tests the words of several guards asked about the same texts (the sentences of an article) with one scan.

    Each set of each guard gets a bit. The scan finds, at every place of the lowercased text, the longest word of all
    the sets that starts there; the words that start there are that word and those of its prefixes that are words
    (all of them are prefixes of the text from there), so the bits of the sets holding them are present. A guard
    passes a whole text when the bits of all its sets are. The last text's bits are kept, as one tuple (threads that
    share an extractor each read a text with its own bits)."""

    def __init__(self, *guards: Guard):
        sets_of: dict[str, int] = {}
        bit = 0
        for guard in guards:
            if guard._scan is not None:
                raise ValueError("a guard joins one scan")
            guard._need = 0
            for words in guard.sets:
                for word in words:
                    sets_of[word] = sets_of.get(word, 0) | 1 << bit
                guard._need |= 1 << bit
                bit += 1
        # the bits of every word that is a prefix of a word (the word included)
        self._bits = {w: _or(sets_of[u] for u in sets_of if w.startswith(u)) for w in sets_of}
        self._findall = re.compile(f"(?=({_longest_pattern(frozenset(sets_of))}))").findall if sets_of else None
        self._last: tuple[str | None, int | None] = (None, None)
        for guard in guards:
            guard._scan = self

    def present(self, text: str) -> int | None:
        """Return the bits of the sets of which `text` holds a word once lowercased, None when it holds a character
        of FOLDS_TO_ASCII (every guard passes it then)."""
        last_text, last_bits = self._last
        if last_text == text:
            return last_bits
        low = lowered(text)
        bits = None
        if low is not None:
            bits = 0
            if self._findall is not None:
                for word in self._findall(low):
                    bits |= self._bits[word]
        self._last = (text, bits)
        return bits


def _or(values) -> int:
    """Return the bitwise or of `values`."""
    out = 0
    for v in values:
        out |= v
    return out
