"""Domain data, read from the files of accord/data/ (each with its sources and licence in accord/data/SOURCES.md).

One small loader for everything accord knows about the world rather than computes:
- the world gazetteer (gazetteer.json.gz, compiled from GeoNames by accord.data.build): countries, first-level regions
  and cities, read by `gazetteer()`;
- the actor catalogue (actors.yaml), read by accord.claims.actors;
- number words and the vague-quantity lexicon (numbers.yaml), read by `number_table()` (for accord.claims.numbers and
  accord.incident);
- the texts the int8 model is calibrated on (calibration.jsonl), read by accord.quantized.

Each file is read once per process and kept.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from array import array
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import yaml

DATA = "accord.data"


def read_text(name: str) -> str:
    """Return the text of the data file `name` of accord/data/."""
    return resources.files(DATA).joinpath(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    """Return the bytes of the data file `name` of accord/data/."""
    return resources.files(DATA).joinpath(name).read_bytes()


@cache
def _yaml(name: str):
    return yaml.safe_load(read_text(name))


@dataclass(frozen=True)
class NumberTable:
    """The one table of English number words (numbers.yaml)."""

    units: dict[str, int]  # "one": 1 ... "ninety": 90, "no": 0
    scales: dict[str, int]  # "hundred": 100 ...
    fixed: dict[str, int]  # "a dozen": 12, "a couple of": 2 ...
    vague: dict[str, tuple[int, int | None, int]]  # "dozens": (low, high, point) ...


@cache
def number_table() -> NumberTable:
    """Return the number words and the vague-quantity lexicon of numbers.yaml."""
    table = _yaml("numbers.yaml")
    return NumberTable(
        units={str(k): int(v) for k, v in table["units"].items()},
        scales={str(k): int(v) for k, v in table["scales"].items()},
        fixed={str(k): int(v) for k, v in table["fixed"].items()},
        vague={str(k): (int(v[0]), None if v[1] is None else int(v[1]), int(v[2])) for k, v in table["vague"].items()},
    )


# --- the gazetteer ---------------------------------------------------------------------------------------------------

_FOLD = re.compile(r"['\u2019\u02bf\u02be`\u02bb\u02bc]")
_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2013]+")


def norm(name: str) -> str:
    """Return a place name as the gazetteer keys it: lowercase, diacritics folded, apostrophes dropped, hyphens and
    spaces as one space ("Deir ez-Zor" -> "deir ez zor", "Ḩalab" -> "halab")."""
    if name.isalpha() and name.isascii():
        return name.lower()
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_SPLIT.split(_FOLD.sub("", text.lower()))).strip(" .,")


# a word of letters (any script), apostrophes inside; words joined by spaces or hyphens make one name
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_JOIN = re.compile(r"^[ \t\-\u2010\u2011\u2013]{1,2}$")
MAX_WORDS = 5
# a name that is also a common English word ("Police", "Mobile", "Jackson") counts only beside its country or region,
# unless the city is this large
COMMON_BUT_LARGE = 200_000
SMALL_ABROAD = 100_000
# an ambiguous name left to population goes to the most populous place only when it is this many times the next
DOMINANT = 5
_MODEL_AFTER = re.compile(r"-?\d")
# a place named as where something is or happened: "in Ouagadougou", "near the town of Mafa"
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.IGNORECASE
)

# Transliteration: one place is spelled many ways in Latin script ("Raqqa", "Raqa"; "Deir ez-Zor", "Deir Ezzor", "Deir
# el-Zour"; "Kharkiv", "Kharkov"). A name the gazetteer lacks is looked up by looser keys (`fold_keys`), and a place
# found so counts only where the report names its country or region.
_ARTICLES = frozenset("al el ad ar as ash at az an ed es er ez ul ud".split())
_DIGRAPHS = (
    ("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "d"), ("zh", "z"), ("ph", "f"),
    ("ck", "k"), ("q", "k"), ("c", "k"), ("v", "f"), ("w", "f"), ("j", "g"), ("x", "ks"),
)  # fmt: skip
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouy]")
FOLD_MIN = 4  # letters of a folded key, below which spellings of different places meet too often
FOLDED_KEPT = 200_000  # names kept with their folded places (`Gazetteer._folded_candidates`) before starting over


def fold_keys(key: str) -> tuple[str, ...]:
    """Return the looser keys of a normalised Latin-script name (`norm`): without Arabic articles, consonant digraphs
    and doubled letters made one ("raqqa", "raqa" -> "raka"), and for a name of several words that key's consonants
    ("deir ez zor", "deir ezzor", "deir el zour" -> "drzr"). Keys shorter than FOLD_MIN letters are left out."""
    words = [w for w in key.split() if w not in _ARTICLES]
    letters = "".join(words)
    if not (letters.isascii() and letters.isalpha()):
        return ()
    for a, b in _DIGRAPHS:
        letters = letters.replace(a, b)
    mild = _DOUBLED.sub(r"\1", letters)
    keys = [("~", mild)]
    if len(words) > 1:  # one word's consonants meet a common word's too often ("Coalition", a town in Russia)
        keys.append(("#", _DOUBLED.sub(r"\1", mild[0] + _VOWELS.sub("", mild[1:]))))
    return tuple(tag + k for tag, k in keys if len(k) >= FOLD_MIN)


@dataclass(frozen=True)
class Candidate:
    """One place a name may be: its kind (country, demonym, region, city), country, region key and population."""

    kind: str
    country: str
    region: str
    population: int
    common: bool
    folded: bool = False  # found by a looser spelling (fold_keys): a place only where its country or region is named


@dataclass(frozen=True)
class Mention:
    """A name found in a text, where, and the places it may be."""

    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]


class Gazetteer:
    """Countries, first-level regions and cities of the world, with their names in Latin and other scripts."""

    def __init__(self, data: dict):
        self.sources: dict = data["sources"]
        self.countries: dict[str, str] = data["countries"]
        self.regions: dict[str, tuple[str, str]] = {k: (v[0], v[1]) for k, v in data["regions"].items()}
        self._places = [Candidate(kind, country, region, pop, False) for kind, country, region, pop in data["places"]]
        self._common_places = [
            Candidate(c.kind, c.country, c.region, c.population, c.kind in ("city", "region")) for c in self._places
        ]
        self._names: dict[str, list[int]] = data["names"]
        self._common: set[str] = set(data["common"]) | set(data["generic"])
        self._generic: set[str] = set(data["generic"])
        self._generic_places = [
            Candidate(c.kind, c.country, c.region, 0, True) if c.kind in ("city", "region") else c for c in self._places
        ]
        self._first = {n.partition(" ")[0] for n in self._names}
        self._primary = {k: norm(v[0]) for k, v in self.regions.items()}  # a region's own name ("texas")
        self._folds: tuple[np.ndarray, np.ndarray] | None = None  # see _fold_index
        self._folded: dict[str, tuple[Candidate, ...]] = {}  # see _folded_candidates
        self._country_names: dict[str, list[str]] | None = None  # see names_of_country

    def _candidates(self, key: str) -> tuple[Candidate, ...] | None:
        ids = self._names.get(key)
        if ids is None:
            return None
        if key in self._generic:
            # a region named by plain words ("North", "Central"): never a place by its size alone
            return tuple(self._generic_places[i] for i in ids)
        places = self._common_places if key in self._common else self._places
        return tuple(places[i] for i in ids)

    def __len__(self) -> int:
        return len(self._names)

    def names_of_country(self, iso: str) -> list[str]:
        """Return the names (as keyed, `norm`) that name country `iso` as a country."""
        if self._country_names is None:
            names: dict[str, list[str]] = {}
            for name, ids in self._names.items():
                for j in ids:
                    if self._places[j].kind == "country":
                        names.setdefault(self._places[j].country, []).append(name)
            self._country_names = names
        return self._country_names.get(iso, [])

    def demonyms(self) -> list[str]:
        """Return the names (as keyed, `norm`) that name a country's people ("ukrainian", "israeli")."""
        return [name for name, ids in self._names.items() if any(self._places[j].kind == "demonym" for j in ids)]

    def lookup(self, name: str) -> tuple[Candidate, ...]:
        """Return the places `name` may be, most populous first (none when unknown)."""
        return self._candidates(norm(name)) or ()

    def mentions(self, text: str) -> list[Mention]:
        """Return the place names in text, longest first at each place, left to right. A Latin-script name counts
        only when one of its words is capitalised, as names are written."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        keys = [self._key(w) for _, _, w in words]
        # reach[k]: how many words from k on make one name at most (joined by a space or a hyphen, up to MAX_WORDS)
        reach = [1] * len(words)
        for k in range(len(words) - 2, -1, -1):
            if _JOIN.match(text[words[k][1] : words[k + 1][0]]):
                reach[k] = min(reach[k + 1] + 1, MAX_WORDS)
        out: list[Mention] = []
        i = 0
        while i < len(words):
            found = None
            for n in range(reach[i], 0, -1) if keys[i] in self._first else ():
                last = i + n - 1
                key = " ".join(keys[i : last + 1])
                cands = self._candidates(key)
                if cands is None:
                    continue
                span = [w for _, _, w in words[i : last + 1]]
                if any(w[0].isascii() or "\u00c0" <= w[0] <= "\u024f" for w in span) and not any(
                    w[0].isupper() for w in span
                ):
                    continue
                found = Mention(words[i][0], words[last][1], text[words[i][0] : words[last][1]], cands)
                i = last + 1
                break
            if found is None and words[i][2][0].isupper() and len(keys[i]) >= FOLD_MIN:
                found = self._folded_mention(text, words, keys, i, reach[i])
                if found is not None:
                    i += len(_WORD.findall(found.text))
            if found is None:
                i += 1
            else:
                out.append(found)
        return out

    def _key(self, word: str) -> str:
        """Return a word's key: a possessive ("Syria's Idlib", "Ukraine’s") keys as its name, and so does a country's
        possessive whose apostrophe the text lost ("Syrias", when "syrias" names nothing)."""
        if word[-2:] in ("'s", "\u2019s"):
            word = word[:-2]
        key = norm(word)
        if key.endswith("s") and key not in self._names and word[0].isupper():
            ids = self._names.get(key[:-1], ())
            if ids and all(self._places[j].kind == "country" for j in ids):
                return key[:-1]
        return key

    def possessive(self, word: str) -> str | None:
        """Return a country's possessive whose apostrophe the text lost, as it should read ("Syrias" -> "Syria's"),
        else None (see _key)."""
        key = self._key(word)
        return word[: len(key)] + "'s" if key != norm(word) and not word.endswith(("'s", "\u2019s")) else None

    def _folded_mention(
        self, text: str, words: list[tuple[int, int, str]], keys: list[str], i: int, reach: int
    ) -> Mention | None:
        """Return the place name starting at word i found by a looser spelling (`fold_keys`), longest first, or None.
        Every word of it is capitalised or an article ("Deir el-Zour"), and it is no exact name of the gazetteer.
        `reach` is how many words from i on are joined into one name at most."""
        for n in range(min(3, reach), 0, -1):
            last = i + n - 1
            span = range(i, last + 1)
            if not all(words[k][2][0].isupper() or keys[k] in _ARTICLES for k in span) or keys[last] in _ARTICLES:
                continue
            key = " ".join(keys[i : last + 1])
            if key in self._names:
                continue
            cands = self._folded_candidates(key)
            if cands:
                return Mention(words[i][0], words[last][1], text[words[i][0] : words[last][1]], cands)
        return None

    def _folded_candidates(self, key: str) -> tuple[Candidate, ...]:
        """Return the places a name the gazetteer lacks may be by its looser keys (`fold_keys`), kept per key: the
        same capitalised words (a victim's name, "Sheriff") come back in report after report, and folding them took a
        third of the time of finding a report's places."""
        cands = self._folded.get(key)
        if cands is None:
            ids: dict[int, None] = {}
            for fk in fold_keys(key):
                ids.update(dict.fromkeys(self._folded_places(fk)))
            cands = tuple(replace(self._places[j], common=True, folded=True) for j in ids)
            if len(self._folded) >= FOLDED_KEPT:
                self._folded.clear()
            self._folded[key] = cands
        return cands

    def _folded_places(self, key: str) -> list[int]:
        """Return the cities and regions (indexes of `_places`) whose looser key (`fold_keys`) is `key`."""
        if self._folds is None:
            self._folds = self._fold_index()
        hashes, places = self._folds
        h = hash(key)
        i = int(np.searchsorted(hashes, h))
        out = []
        while i < len(hashes) and hashes[i] == h:
            out.append(int(places[i]))
            i += 1
        return out

    def _fold_index(self) -> tuple[np.ndarray, np.ndarray]:
        """The cities and regions by their looser keys, made on first use (about half a second): the keys' hashes,
        sorted, beside the places they lead to (some 250,000 pairs in 3 MB, where a dict of lists took 23 MB)."""
        hashes, places = array("q"), array("l")
        for name, ids in self._names.items():
            found = [j for j in ids if self._places[j].kind in ("city", "region")]
            if found:
                for fk in fold_keys(name):
                    h = hash(fk)
                    for j in found:
                        hashes.append(h)
                        places.append(j)
        keys = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        return keys[order], np.frombuffer(places, dtype=np.int64 if places.itemsize == 8 else np.int32)[order]

    def place_words(self, text: str) -> set[str]:
        """Return the lowercased words of the place names that give the text its regions (`regions_of`)."""
        return {w.lower() for m, _ in self._region_places(text) for w in m.text.split()}

    @lru_cache(maxsize=256)  # noqa: B019 - one gazetteer per process; features() asks for one text several times
    def resolve(self, text: str) -> list[tuple[Mention, Candidate]]:
        """Return each place name of text with the place it is taken to be. An ambiguous name is resolved by the
        countries the text names (by name, people or an unambiguous place), then the regions it names, then by
        population; a name that is also a common English word counts only beside its country or region (or when the
        city is very large)."""
        mentions = self.mentions(text)
        countries: set[str] = set()
        regions: set[str] = set()
        # the countries named as countries or peoples ("Syria", "Sudanese"), and as countries only
        named = {
            m.candidates[0].country
            for m in mentions
            if all(c.kind in ("country", "demonym") for c in m.candidates)
            and len({c.country for c in m.candidates}) == 1
        }
        states = {m.candidates[0].country for m in mentions if all(c.kind == "country" for c in m.candidates)}
        for m in mentions:
            if any(c.common for c in m.candidates):
                continue  # a word that may be no place at all is no evidence of a country
            kinds = {(c.country, c.region) for c in m.candidates}
            if len({c for c, _ in kinds}) == 1:
                countries.add(next(iter(kinds))[0])
            if len(kinds) == 1 and next(iter(kinds))[1]:
                regions.add(next(iter(kinds))[1])
        out = []
        for m in mentions:
            if m.text.isupper() and len(m.text) <= 4:
                continue  # an abbreviation or a word in capitals ("EST", "FREE"), not a place
            key = norm(m.text)
            cands = [
                c
                for c in m.candidates
                if (
                    (c.country in named or c.region in regions)
                    if c.folded
                    else not c.common
                    or c.country in named
                    or c.region in regions
                    or (c.population >= COMMON_BUT_LARGE and (c.kind == "city" or self._primary.get(c.region) == key))
                )
            ]
            if not cands:
                continue
            if states and not any(c.country in states for c in cands):
                # a small town abroad beside a country the report names is more likely a namesake there that the
                # gazetteer lacks ("Solhan, Burkina Faso")
                cands = [c for c in cands if c.kind in ("country", "demonym") or c.population >= SMALL_ABROAD]
            if not cands:
                continue
            pick = (
                [c for c in cands if c.country in countries and c.region in regions]
                or [c for c in cands if c.country in countries]
                or [c for c in cands if c.region in regions]
                or cands
            )
            pick.sort(key=lambda c: -c.population)
            # the largest namesake in another region than the first's (two towns of one region are one answer there)
            rival = next((c for c in pick[1:] if c.region != pick[0].region), None)
            if (
                rival is not None
                and {pick[0].kind, rival.kind} <= {"city", "region"}
                and pick[0].population < DOMINANT * rival.population
            ):
                continue  # "Jacksonville", "Glenwood": no size sets one place apart, and the report tells nothing more
            out.append((m, pick[0]))
        return out

    def regions_of(self, text: str) -> set[str]:
        """Return the first-level regions ("sy:09", "us:il") of the places the text names in the country it is about
        (the most named, see `countries_of`; places abroad are context: a bureau's dateline, an ally's capital). A
        name followed by a number is a model ("Hwasong-12"), not a place."""
        return {c.region for _, c in self._region_places(text)}

    def _region_places(self, text: str) -> list[tuple[Mention, Candidate]]:
        resolved = self.resolve(text)
        about = set(self._top_countries(resolved))
        return [
            (m, c)
            for m, c in resolved
            if c.region and c.kind in ("city", "region") and c.country in about and not _MODEL_AFTER.match(text, m.end)
        ]

    def countries_of(self, text: str) -> list[str]:
        """Return the countries the text is about, most named first: each country, region or city name counts one,
        each people ("Sudanese") a half; ties go to the country more of whose towns and regions are named (where it
        happened: "Rohingya who reached Bangladesh" beside "northern Rakhine", "Rakhine Buddhists"), then to the one
        named more often after "in", "at" or "near" ("the Aziz Istanbul restaurant in Ouagadougou"), then to the
        first named."""
        resolved = self.resolve(text)
        # one small town's name alone does not say which country a report is about: a word that names no place there
        # ("Amba" fighters in Cameroon, a town in Kazakhstan) would set the country of every generic actor
        support: dict[str, set[str]] = {}
        for m, c in resolved:
            strong = c.kind != "city" or c.population >= SMALL_ABROAD
            support.setdefault(c.country, set()).add("" if strong else norm(m.text))
        weak = {k for k, names in support.items() if "" not in names and len(names) < 2}
        return self._ranked([(m, c) for m, c in resolved if c.country not in weak], text)

    @staticmethod
    def _ranked(resolved: list[tuple[Mention, Candidate]], text: str = "") -> list[str]:
        score: dict[str, float] = {}
        first: dict[str, int] = {}
        inside: dict[str, int] = {}  # names of the country's towns and regions
        located: dict[str, int] = {}  # ... named as where something is or happened ("in Ouagadougou")
        for m, c in resolved:
            score[c.country] = score.get(c.country, 0.0) + (0.5 if c.kind == "demonym" else 1.0)
            first.setdefault(c.country, m.start)
            inside[c.country] = inside.get(c.country, 0) + (c.kind in ("city", "region"))
            at = bool(_LOCATIVE_BEFORE.search(text, max(0, m.start - 24), m.start)) and c.kind != "demonym"
            located[c.country] = located.get(c.country, 0) + at
        return sorted(score, key=lambda k: (-score[k], -inside[k], -located[k], first[k]))

    def _top_countries(self, resolved: list[tuple[Mention, Candidate]]) -> list[str]:
        score: dict[str, float] = {}
        for _, c in resolved:
            score[c.country] = score.get(c.country, 0.0) + (0.5 if c.kind == "demonym" else 1.0)
        best = max(score.values(), default=0.0)
        return [k for k, v in score.items() if v == best]

    def country_of(self, name: str) -> str | None:
        """Return the country `name` names as a country or a people ("Sudan", "Sudanese"), or None."""
        for c in self.lookup(name):
            if c.kind in ("country", "demonym"):
                return c.country
        return None


@cache
def gazetteer() -> Gazetteer:
    """Return the world gazetteer (gazetteer.json.gz), loaded once per process."""
    return Gazetteer(json.loads(gzip.decompress(read_bytes("gazetteer.json.gz"))))


@cache
def event_kinds() -> dict[str, frozenset[str]]:
    """Return the event-kind vocabulary of event_kinds.yaml: each lowercase word -> the kinds of event it names."""
    words: dict[str, set[str]] = {}
    for kind, names in _yaml("event_kinds.yaml").items():
        for name in names:
            words.setdefault(str(name).lower(), set()).add(str(kind))
    return {w: frozenset(k) for w, k in words.items()}
