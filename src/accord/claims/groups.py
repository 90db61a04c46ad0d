"""Armed bands the actor catalogue lacks: a proper name before a word for a gang, a cartel, a clan, a tribe, a militia or
a mafia ("the Bate Mahesh gang", "Yopo tribesmen", "the DZ Mafia"). Such a band is kept as a named actor of its own
(id: the name and the band word as a slug, "bate-mahesh-gang"), so that a report that blames it names someone and two
reports that blame different bands disagree, where the catalogue would have read nobody.

A report may also say what a name is in an apposition: "La Línea, a criminal group tied to the Juárez cartel", "the
Zulaibia Boys, an armed gang". Such a band is kept under its name alone ("la-linea"), and read wherever the report
names it, with or without a band word.

A name counts only where the report writes it as a proper name: inside a sentence at least once (not only at a
sentence's start or in a title-case headline, where "Rival gangs" and "Armed Gangs" are capitalised too), or as an
acronym ("DZ"). Words that name a people, a creed or a country ("Kurdish militias", "Shiite militias", "Mexican
cartels", "Iran-backed militias") name no band in particular, and nor do a band's own common words.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from accord.claims.attribution import ActorMention
from accord.data.build import slug
from accord.domain import gazetteer

# the word for the band -> the word of its id (singular)
_BANDS = {
    "gang": "gang",
    "gangs": "gang",
    "cartel": "cartel",
    "cartels": "cartel",
    "clan": "clan",
    "clans": "clan",
    "tribe": "tribe",
    "tribes": "tribe",
    "tribesmen": "tribe",
    "militia": "militia",
    "militias": "militia",
    "militiamen": "militia",
    "mafia": "mafia",
}
_NAME_WORD = r"(?:[A-Z][\w’'-]*[a-z0-9][\w’'-]*|[A-Z]{2,6}|(?:al|el|ad|ash|as|ar|at|az|ul|ud)-[A-Z][\w’'-]*)"
_BAND = re.compile(
    rf"(?<![\w’'-])['‘\"“]?(?P<name>{_NAME_WORD}(?:\s+(?:(?:de|del|la|los|las|el|al)\s+){{0,2}}{_NAME_WORD}){{0,3}})"
    rf"['’\"”]?\s+(?P<band>(?i:{'|'.join(sorted(_BANDS, key=len, reverse=True))}))(?![\w’'-])"
)
_NAMED = rf"{_NAME_WORD}(?:\s+(?:(?:de|del|la|los|las|el|al)\s+){{0,2}}{_NAME_WORD}){{0,3}}"
# "<name>, a criminal group ...": the apposition says the name is an armed band's (up to four words between the article
# and the band's word: "a powerful local armed group"). Found from the apposition, then the name right before it
# (a pattern that opened on the name would be tried at every capital letter of every report).
_DEFINED = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:gang|cartel|militia|mafia|(?:armed|criminal|militant|rebel|jihadist|insurgent|separatist|paramilitary|"
    r"extremist|terrorist|drug-trafficking|trafficking)\s+(?:group|organi[sz]ation|faction|outfit|movement|network))"
    r"(?![\w’'-])"
)
_NAME_BEFORE = re.compile(rf"(?<![\w’'-])(?P<name>{_NAMED})$")
# "... a domestic Islamist group, National Thowheed Jama'ath, was behind", "a group called The Resistance Front": the
# words before say the name that follows is an armed band's
_CALLED = re.compile(
    r"\b(?P<noun>group|organi[sz]ation|outfit|faction|movement|network|gang|militia)"
    rf"(?P<called>\s*,\s*|\s+(?:called|known as|named)\s+|\s+)(?P<name>{_NAMED})(?![\w’'-])"
)
# "the gang of 'El Topo'", "the armed gang of Wharf Jeremie", as Spanish and French news write a band's name (kept as
# "<name> <band word>", unless the name is a place: "the gangs of Port-au-Prince")
_BAND_OF = re.compile(
    r"\b(?P<band>gang|cartel|clan|militia|mafia)\s+of\s+(?:alias\s+|the\s+)?['‘\"“]?"
    rf"(?P<name>{_NAMED})['’\"”]?(?![\w’'-])"
)
# words that follow "the armed group" as no name ("the armed group Saturday", "an armed group in January")
_NOT_NAME = frozenset(w.lower() for w in (*calendar.day_name, *calendar.month_name) if w)
_ARMED_BEFORE = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w-]+\s+){0,3}?(?:armed|Islamist|militant|jihadist|rebel|insurgent|separatist|extremist|"
    r"terrorist|criminal|paramilitary)\s+(?:[\w-]+\s+)?$"
)
_ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w-]+\s+){0,3}?$")


def _defined_names(document: str) -> list[str]:
    """The names a report calls armed bands, in an apposition after them or in the words before them."""
    out = []
    for m in _DEFINED.finditer(document):
        name = _NAME_BEFORE.search(document, max(0, m.start() - 80), m.start())
        if name:
            out.append(name.group("name"))
    for m in _CALLED.finditer(document):
        before = document[max(0, m.start() - 60) : m.start()]
        if not m.group("called").strip() or "," in m.group("called"):
            # "an Islamist group, <name>,", "the terrorist group <name>": only with a word for an armed band before
            named = (
                m.group("noun") not in ("gang", "militia")
                and _ARMED_BEFORE.search(before)
                and m.group("name").split()[0].lower() not in _NOT_NAME
            )
        else:  # "a group called <name>"
            named = _ARTICLE_BEFORE.search(before)
        if named:
            out.append(m.group("name"))
    return out


# words that name a people, a creed or a side, not a band ("Shiite militias", "Islamist militias", "Rival gangs")
_COMMUNITY = frozenset(
    "kurdish kurd kurds shiite shia shi'ite sunni alawite druze arab arabs bedouin christian muslim islamist islamic "
    "jihadist tribal ethnic local rival armed criminal powerful notorious other another both the a an this that these "
    "those its their his her our several many some all two three four five pro-government pro-regime government "
    "opposition rebel militant self-defence self-defense vigilante community village youth".split()
)
# a compound adjective before the name ("Iran-backed", "Damascus-based")
_COMPOUND = re.compile(r"-(?:backed|based|linked|led|allied|aligned|affiliated|sponsored|supported)$", re.IGNORECASE)
_INSIDE = re.compile(r"[a-z0-9,;’'‘\"“(]\s*$")


@dataclass(frozen=True)
class UnlistedBands:
    """The bands a report names that the catalogue lacks: a pattern for their names and each name's actor id."""

    pattern: re.Pattern[str]
    ids: dict[str, str]  # the name as written, lowercased, and its band word ("" for a name defined alone) -> actor id

    def mentions(self, sentence: str, taken: list[ActorMention]) -> list[ActorMention]:
        """Return the bands `sentence` names, as mentions, where no catalogue mention in `taken` overlaps them."""
        out = []
        for m in self.pattern.finditer(sentence):
            if any(t.start < m.end() and m.start() < t.end for t in taken):
                continue
            actor = self.ids.get(_key(m.group("name"), m.groupdict().get("band") or ""))
            if actor is not None:
                out.append(ActorMention(m.start(), m.end(), actor, m.group(0)))
        return out


def _key(name: str, band: str) -> str:
    return f"{' '.join(name.split()).lower()} {_BANDS[band.lower()] if band else ''}"


def _proper(name: str) -> str | None:
    """Return `name` without the words before it that name a people, a creed, a country or a side; None where
    nothing is left."""
    words = name.split()
    gaz = gazetteer()
    while words and (
        words[0].lower() in _COMMUNITY or _COMPOUND.search(words[0]) or gaz.country_of(words[0]) is not None
    ):
        words.pop(0)
    return " ".join(words) or None


def read_bands(title: str, text: str, known: frozenset[str]) -> UnlistedBands | None:
    """Return the bands that a report (its `title` and `text`) names by a proper name and that are not actors of
    `known` (the catalogue's ids), else None."""
    document = f"{title}\n{text}"
    lowered = document.lower()
    banded = any(band in lowered for band in ("gang", "cartel", "clan", "tribe", "militia", "mafia"))
    if not banded and not any(word in lowered for word in ("group", "organi", "outfit", "faction", "movement")):
        return None
    names: dict[str, tuple[str, str]] = {}  # key -> (name, band word of its id; "" for a name defined alone)
    suffixed: dict[str, str] = {}  # key -> the band word its id ends with, for a name read alone ("the gang of X")
    gaz = gazetteer()
    for m in _BAND_OF.finditer(document) if banded else ():
        name = _proper(m.group("name"))
        if name is None or gaz.lookup(name) or not (_written_inside(name, text) or name.isupper()):
            continue
        names.setdefault(_key(name, ""), (name, ""))
        suffixed.setdefault(_key(name, ""), _BANDS[m.group("band").lower()])
    for found in _defined_names(document):
        name = _proper(found)
        if name is not None and name.lower() not in _COMMUNITY and (_written_inside(name, text) or name.isupper()):
            names.setdefault(_key(name, ""), (name, ""))
    for m in _BAND.finditer(document) if banded else ():
        name = _proper(m.group("name"))
        if name is None:
            continue
        key = _key(name, m.group("band"))
        if key in names:
            continue
        band = _BANDS[m.group("band").lower()]
        acronym = any(w.isupper() and len(w) > 1 for w in name.split())
        if acronym or _written_inside(name, text):
            names[key] = (name, band)
    ids = {}
    for key, (name, band) in names.items():
        band = band or suffixed.get(key, "")
        actor = slug(name) if not band or name.lower().endswith(band) else f"{slug(name)}-{band}"
        if actor not in known and slug(name) not in known:
            ids[key] = actor
    if not ids:
        return None
    kept = [(name, band) for key, (name, band) in names.items() if key in ids]
    alternatives = "|".join(re.escape(name) for name, _band in sorted(kept, key=lambda nb: -len(nb[0])))
    words = {band for _name, band in kept}
    bands = "|".join(b for b in sorted(_BANDS, key=len, reverse=True) if _BANDS[b] in words)
    # a band word after the name, where one is needed; a name defined alone may stand without one
    after = rf"['’\"”]?\s+(?P<band>(?i:{bands}))" if bands else "(?P<band>)"
    if "" in words:
        after = f"(?:{after})?" if bands else ""
    # "the armed gang of <name>": the band's words before its name are part of the mention where the name was read so
    of = (
        r"(?:(?:the\s+|an?\s+)?(?:[\w-]+\s+)?(?i:gang|cartel|clan|militia|mafia)\s+of\s+(?:alias\s+)?)?"
        if suffixed
        else ""
    )
    pattern = re.compile(rf"(?<![\w’'-])(?:the\s+)?{of}['‘\"“]?(?P<name>{alternatives})['’\"”]?{after}(?![\w’'-])")
    return UnlistedBands(pattern, ids)


def _written_inside(name: str, text: str) -> bool:
    """Whether `text` writes `name` inside a sentence (after a lowercase word, a comma or a quote), as a proper name."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        if _INSIDE.search(text, max(0, m.start() - 3), m.start()):
            return True
    return False
