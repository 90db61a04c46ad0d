"""What a report says that tells one incident from a look-alike: places, dates, counts, names and words.

Regions, the event date, counts and names are read from the title and lead only (the identity text): later paragraphs
drift into background and other incidents. The word bag and the entities (capitalised words and phrases, ages) are
read from the title and the first BODY_CHARS of the body: they are weighted by how rare they are among the placed
reports (cluster.py), so background words cost little while a victim's name or a small town several paragraphs down
still ties two reports of one incident when there is no date to go by.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache

from accord.dates import MONTH_NAME
from accord.domain import gazetteer, number_table

BODY_CHARS = 2000
# A report whose title and lead name no place is placed by its body's first PLACE_CHARS, when those name one region
# only ("... killed in strikes near a village", the province three sentences on): fakes-dev B-cubed 0.910 -> 0.918
PLACE_CHARS = 1500

# Regions are the coarse places that separate look-alike incidents: first-level regions of any country (a Syrian
# governorate, a US state, a Sudanese state), from the world gazetteer (accord.domain, compiled from GeoNames).
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_ABBREVIATIONS)}
# a month's name or its abbreviation, not any word it starts ("25 martyrs", "7 Mayors"), as a group
_MONTH = f"({MONTH_NAME})"
_WEEKDAY = re.compile(r"\b(?:on|late|early|last|this)?\s*(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d{{3}})",
    re.IGNORECASE,
)
# a day and month followed by a year ("24 Sep 2016") is a dateline, the report's date, not the incident's
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\b"
    r"(?!\.?\s*(?:,\s*)?\d{3})",
    re.IGNORECASE,
)
# the number words of the one table (accord/data/numbers.yaml), as counts of people: no "zero" or "no"
_NUMBER_WORDS = {w: v for w, v in number_table().units.items() if 0 < v < 100} | {"dozen": 12}
_COUNT = re.compile(
    r"\b(\d{1,4}|" + "|".join(_NUMBER_WORDS) + r")\b(?:\s+(?:people|persons|civilians|men|women|children|killed|dead|"
    r"wounded|injured|hurt|shot|fighters|soldiers|others))",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s$")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")
_COMMON = set(
    """a an the in on at of for to from by with and or but after before as is are was were be been has have had
    it its he she they his her their this that these those police man woman men women boy girl teen people
    officials authorities state city county sheriff officer officers deputies monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec update updated news say says said report reports reported
    breaking video photo watch read more click share comments copyright local world syria syrian us u.s american
    when where what who why how there here one two three four five six seven eight nine ten at least according
    while during since until about into over under new north south east west northern southern eastern western
    government regime forces army rebels rebel opposition killed dead shooting shot attack strike strikes
    air airstrike airstrikes observatory monitor human rights group islamic isis daesh russian russia assad""".split()
)


@dataclass(frozen=True)
class IncidentFeatures:
    """Features of one report: coarse regions, event date (explicit in the text), counts and rare names."""

    regions: frozenset[str]
    title_regions: frozenset[str]
    event_date: date | None
    counts: frozenset[int]
    names: frozenset[str]
    terms: dict[str, int] = field(default_factory=dict)  # content words of title and body start -> occurrences
    entities: frozenset[str] = frozenset()  # capitalised words and phrases, "age:NN", of title and body start
    weekdays: frozenset[int] = frozenset()  # weekdays the identity text names (0 = Monday), read without any date
    kinds: frozenset[str] = frozenset()  # kinds of event title and lead name (data/event_kinds.yaml): what happened
    outlet: str = ""  # who published it ("": not known)

    def to_row(self) -> dict[str, object]:
        """Return the features as JSON-ready values."""
        return {
            "regions": sorted(self.regions),
            "title_regions": sorted(self.title_regions),
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "counts": sorted(self.counts),
            "names": sorted(self.names),
            "terms": dict(sorted(self.terms.items())),
            "entities": sorted(self.entities),
            "weekdays": sorted(self.weekdays),
            "kinds": sorted(self.kinds),
            "outlet": self.outlet,
        }

    @classmethod
    def from_row(cls, row: dict[str, object]) -> IncidentFeatures:
        """Return the features stored by `to_row`."""
        day = row.get("event_date")
        return cls(
            frozenset(row.get("regions") or ()),  # type: ignore[arg-type]
            frozenset(row.get("title_regions") or ()),  # type: ignore[arg-type]
            date.fromisoformat(day) if isinstance(day, str) else None,
            frozenset(int(c) for c in row.get("counts") or ()),  # type: ignore[union-attr]
            frozenset(row.get("names") or ()),  # type: ignore[arg-type]
            {str(k): int(v) for k, v in (row.get("terms") or {}).items()},  # type: ignore[union-attr]
            frozenset(row.get("entities") or ()),  # type: ignore[arg-type]
            frozenset(int(d) for d in row.get("weekdays") or ()),  # type: ignore[union-attr]
            frozenset(row.get("kinds") or ()),  # type: ignore[arg-type]
            str(row.get("outlet") or ""),
        )


def regions(text: str) -> set[str]:
    """Return the first-level regions ("sy:09" Aleppo, "us:il" Illinois: country and GeoNames admin1 code) that the
    place names of text lie in, for any country (accord.domain.Gazetteer.regions_of). A place inside an armed group's
    name ("the Sinaloa Cartel", "the Coordinadora Arauco-Malleco", "Tren de Aragua") says nothing of where it struck."""
    if _GROUP_NAME_GUARD.search(text):
        text = _GROUP_NAME.sub(_blank_group_name, text)
    return gazetteer().regions_of(text)


def _blank_group_name(m: re.Match[str]) -> str:
    """Blank a group's name, except a state's army in a headline's capitals ("Hama Syrian Army") and one place
    before "Army" or "Front" ("Lattakia Army Advances": where the army is)."""
    words = m.group(0).split()
    if m.group("head") in ("Army", "Front", "Movement", "Tigers"):
        gaz = gazetteer()
        if len(words) < 3 or any(gaz.country_of(w) for w in words[:-1]):
            return m.group(0)
    return " " * len(m.group(0))


# An armed group's proper name around a place: a Spanish head before it ("Coordinadora Arauco-Malleco", "Cártel de
# Santa Rosa de Lima", "Tren de Aragua"), or an English one after two or more capitalised words or one place
# ("Kachin Independence Army", "Santa Rosa de Lima Cartel", "Sinaloa Cartel"). Not "Province" or "Police": "Idlib
# Province" and "Chicago Police" are where.
_GROUP_HEADS_BEFORE = r"Coordinadora|Resistencia|Frente|Ejército|Ejercito|Movimiento|Cártel|Cartel|Tren|Clan|Brigada"
_GROUP_HEADS_AFTER = r"Cartel|Army|Front|Movement|Mafia|Clan|Gang|Tigers"
_CAPITAL = r"[A-ZÀ-Ý][\w'’-]*"
# a headline's capitalised small words and verbs end a name ("Gunmen Kill 5 In Aleppo As Army Advances")
_TITLE_WORDS = (
    r"(?:In|On|At|As|After|Before|Of|The|A|An|And|But|For|To|By|With|From|Near|Into|Over|Amid|Against|Says|Say|Said|"
    r"Kill|Kills|Killed|Attack|Attacks|Attacked|Blames|Blamed|Claims|Claimed|Is|Are|Was|Were|Has|Have)\b"
)
_GROUP_NAME = re.compile(
    rf"\b(?:{_GROUP_HEADS_BEFORE})(?:\s+(?:de|del|la|los|las|el))?(?:\s+{_CAPITAL}){{1,3}}|"
    rf"(?<![\w'’-])(?:(?!{_TITLE_WORDS}){_CAPITAL}\s+(?:(?:de|del|la|los|las|el)\s+)?){{1,4}}(?P<head>{_GROUP_HEADS_AFTER})\b"
)
_GROUP_NAME_GUARD = re.compile(rf"\b(?:{_GROUP_HEADS_BEFORE}|{_GROUP_HEADS_AFTER})\b")


# A wire dateline's day and month, which date the report, not the incident: after a place in capitals at a line's
# start or after the title ("CAIRO, July 3 (Reuters) -", "KYIV, Ukraine, March 5 -"), or before an agency and a dash
_DATELINE_BEFORE = re.compile(
    r"(?:^|\n|[.:!?]\s)\s*[A-Z][A-Z.'’ -]{2,30}(?:\s*\([^)\n]{1,30}\))?,(?:\s*[A-Z][\w.' -]{1,30},)?\s*$"
)
_DATELINE_AFTER = re.compile(r"(?:,?\s*(?:19|20)\d\d)?\s*(?:\([A-Z][\w .&/-]{0,30}\)\s*)?[-–—]\s", re.IGNORECASE)


def _in_dateline(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 60) : match.start()]
    return bool(_DATELINE_BEFORE.search(before)) or (
        "(" in text[match.end() : match.end() + 4] and bool(_DATELINE_AFTER.match(text, match.end()))
    )


def calendar_date(text: str, published: datetime) -> date | None | bool:
    """Return the first day and month the text states ("Feb. 6", "14 March"), in the year that puts it on or before
    the day after `published`; None for an impossible date; False where the text states none. A wire dateline's date
    ("DAKAR, April 19 (Reuters) -") is the report's, not a stated incident day: it is passed over."""
    day = published.date()
    match = next((m for m in _MONTH_DAY.finditer(text) if not _in_dateline(text, m)), None) or next(
        (m for m in _DAY_MONTH.finditer(text) if not _in_dateline(text, m)), None
    )
    if not match:
        return False
    a, b = match.groups()
    month_word, day_num = (a, b) if a[0].isalpha() else (b, a)
    month, number = _MONTHS[month_word[:3].lower()], int(day_num)
    for year in (day.year, day.year - 1):
        try:
            stated = date(year, month, number)
        except ValueError:
            return None
        if stated <= day + timedelta(days=1):
            return stated
    return None


# A weekday that dates what was said, not what happened: "the rebel group rejected on Friday", "the emergency service
# said on Wednesday", "The government on Monday put the number ... at 272"
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|announced|told|rejected|denied|dismissed|confirmed|reported|stated|added|claimed|issued|"
    r"published|released|raised|revised|updated|condemned|vowed)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_SAID_AFTER = re.compile(
    r"^[\s,]+(?:(?:it|that|he|she|they)\s+)?(?:said|says|announced|told|rejected|denied|dismissed|confirmed|reported|"
    r"stated|put|raised|revised|updated|issued|released|published|condemned|vowed)\b",
    re.IGNORECASE,
)


def _said_that_day(text: str, m: re.Match[str]) -> bool:
    return bool(
        _SAID_BEFORE.search(text, max(0, m.start() - 30), m.start()) or _SAID_AFTER.match(text[m.end() : m.end() + 40])
    )


def event_date(text: str, published: datetime | None) -> date | None:
    """Return the incident date the text states ("on Monday", "Feb. 6"), resolved against the published date."""
    if published is None:
        return None
    day = published.date()
    stated = calendar_date(text, published)
    if stated is not False:
        return stated
    found = list(_WEEKDAY.finditer(text))
    # only days things were said: the first (measured: taking none lowered B-cubed on fakes-dev and giveme5w1h)
    weekday = next((m for m in found if not _said_that_day(text, m)), found[0] if found else None)
    if weekday:
        target = _WEEKDAYS.index(weekday.group(1).lower())
        return day - timedelta(days=(day.weekday() - target) % 7)
    return None


_FULL_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+((?:19|20)\d\d)"
    rf"|{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)"
    r"|((?:19|20)\d\d)-(\d\d)-(\d\d))\b",
    re.IGNORECASE,
)
# A dateline sits at the head of the body ("Fri 07 Apr 2017 at 0914", "Feb. 20, 2014"); further on a full date is as
# often background ("the siege that began on May 18, 2017").
DATELINE_CHARS = 120


def stated_date(text: str) -> datetime | None:
    """Return the date of the report's dateline: the first full date (day, month and year) in its first
    DATELINE_CHARS characters, as midnight UTC, or None. Stands in for a missing published date."""
    match = _FULL_DATE.search(text[:DATELINE_CHARS])
    if not match:
        return None
    g = match.groups()
    try:
        if g[0]:
            return datetime(int(g[2]), _MONTHS[g[1][:3].lower()], int(g[0]), tzinfo=UTC)
        if g[3]:
            return datetime(int(g[5]), _MONTHS[g[3][:3].lower()], int(g[4]), tzinfo=UTC)
        return datetime(int(g[6]), int(g[7]), int(g[8]), tzinfo=UTC)
    except ValueError:
        return None


def counts(text: str) -> set[int]:
    """Return the small counts of people the text states ("six killed", "22 people")."""
    out = set()
    for m in _COUNT.finditer(text):
        word = m.group(1).lower()
        out.add(_NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word))
    return {c for c in out if 0 < c < 2000}


def names(text: str) -> set[str]:
    """Return the capitalised words of text that are not sentence starts or common words (names of places, people)."""
    out = set()
    places = gazetteer().place_words(text)
    for m in _NAME.finditer(text):
        start = m.start()
        before = text[max(0, start - 2) : start]
        if start == 0 or before.endswith(". ") or before.endswith("\n"):
            continue
        word = _POSSESSIVE.sub("", m.group().lower())  # "Darfur's" is Darfur
        # gazetteer places are counted as regions already; a shared "Aleppo" must not count twice
        if word not in _COMMON and word not in places and len(word) > 2:
            out.add(word)
    return out


_STOP = set(
    """a an the in on at of for to from by with and or but after before as is are was were be been has have had it its
    he she they his her their this that these those said says will would could not no who which what when where there
    than then them also about into over more most some any other our we you your him been being did does out just all
    can may like""".split()
)
# A word: letters and digits, with apostrophes and hyphens inside, of three characters or more. The pattern finds the
# words a two-or-more pattern finds, less the short ones: after a word of two, no longer one starts before the next.
_TERM = re.compile(r"[a-z0-9][a-z0-9'-]+[a-z0-9]")
_CAPS = re.compile(r"\b[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)*")
_AGE = re.compile(r"\b(\d{1,3})-year-old")


def terms(text: str) -> dict[str, int]:
    """Return the content words of text (lower case, three letters or more, stop words dropped) and their counts, in
    the order of their first use."""
    return dict(Counter([w for w in _TERM.findall(text.lower()) if w not in _STOP]))


def entities(text: str) -> set[str]:
    """Return the entities of text: each capitalised word, each run of capitalised words as a phrase, and ages."""
    out = set()
    for phrase in _CAPS.findall(text):
        parts = phrase.split()
        if len(parts) == 1:  # most are one word
            word = _POSSESSIVE.sub("", phrase.lower()).strip("'-")
            if len(word) > 2 and word not in _STOP:
                out.add(word)
            continue
        words = [_POSSESSIVE.sub("", w.lower()).strip("'-") for w in parts]
        words = [w for w in words if w not in _STOP and len(w) > 2]
        out.update(words)
        if len(words) >= 2:
            out.add(" ".join(words))
    out.update(f"age:{m.group(1)}" for m in _AGE.finditer(text))
    return out


@cache
def _event_kinds() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """The event-kind vocabulary (accord.domain.event_kinds) as one pattern and word -> kinds."""
    from accord.domain import event_kinds as vocabulary

    kinds = vocabulary()
    alternatives = "|".join(re.escape(w) for w in sorted(kinds, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE), kinds


def event_kinds(text: str) -> set[str]:
    """Return the kinds of violent event text names ("air raid" -> air, "landmine" -> explosion)."""
    pattern, kinds = _event_kinds()
    out: set[str] = set()
    for m in pattern.finditer(text):
        out |= kinds[m.group(0).lower()]
    return out


def weekdays(text: str) -> set[int]:
    """Return the weekdays text names ("on Saturday")."""
    return {_WEEKDAYS.index(m.group(1).lower()) for m in _WEEKDAY.finditer(text)}


def _body_region(title: str, body: str) -> set[str]:
    """Return the one region the body's start names (empty when it names none or several: a report that moves between
    places gives no place of its own)."""
    found = regions(f"{title}. {body[:PLACE_CHARS]}") if body else set()
    return found if len(found) == 1 else set()


def features(title: str, lead: str, published: datetime | None, body: str = "") -> IncidentFeatures:
    """Return the incident features of a report from its title, its lead, its published date and its body (of which
    the first BODY_CHARS give the word bag and the entities, and the region when title and lead name none; without a
    body they come from title and lead)."""
    both = f"{title}. {lead}"
    wide = f"{title}. {body[:BODY_CHARS]}" if body else both
    return IncidentFeatures(
        regions=frozenset(regions(both) or _body_region(title, body)),
        title_regions=frozenset(regions(title)),
        event_date=event_date(both, published),
        counts=frozenset(counts(both)),
        names=frozenset(names(both)),
        terms=terms(wide),
        entities=frozenset(entities(wide)),
        weekdays=frozenset(weekdays(both)),
        kinds=frozenset(event_kinds(both)),
    )
