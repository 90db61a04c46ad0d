"""Casualty claims: which counts in a sentence are dead, injured or missing, of whom, and for which incident.

A count is a casualty claim when a casualty word governs it, either after it ("22 people were killed", "six dead",
"dozens of civilians wounded") or before it ("kills 22", "injuring 32", "the death toll rose to 40"). Displaced,
arrested, evacuated and the population of a place are never casualty words, so their counts are never claims.

A part named without a count may stand between the count and its casualty word ("58 people including women and
children were killed", "412 people more than half of them from ISIS have been killed"). A count after "the toll ...
at" is the dead only when no other casualty kind intervenes ("the death toll at six and the number of injured at 28":
28 is no toll).

Parts are not added to their whole: a count introduced by "including" / "among them", or one that "was among" a larger
count, is kept but marked as a part. Counts of different victims joined by "and" under one casualty word
("5 soldiers and 3 civilians were killed") are summed into one claim, also when a part is set off between them ("23
civilians - including nine children - and 16 combattants dead": 39); children or women listed after civilians are
among them ("16 civilians and three children have been killed": 16). A named person alongside a count is one more
("Ramadan al-Sabta alongside nine of his comrades were killed": 10). Headlines list the people hit with commas
("Child, Three Adults Injured": 4), and "others" are besides the count before them ("One person in critical
condition, three others injured": 4).

A killing that ends in the killer's suicide counts the people named plus the killer ("Teen dad kills infant, self": 2;
"fatally shot his wife and two young sons before killing himself": 4). Two people named and said to be dead or hurt
are two ("Ronald Williams, 33, and Kendra Hill, 28, were killed"; used, like one victim named without a number, only
when no count is given).

Numbers that name a place, a phone line or a station ("the 3000 block of", "2501 Carter Homestead Rd.", "a 911 call",
"CBS 58"), clock and video times ("0:43"), ages ("Jr., 27,", "ages 12 and 16", "both 16,") and dates are no counts, and
a count of things never joins a list of people ("17 scenes, 7 dead"); a casualty word must be a whole word ("gunshot
residue" holds no "shot").

"shot" (gun-violence reports) is its own kind here, "shot": the people hit, dead or alive, also when they are counted as
taken or sent to hospital ("four other men were taken to the hospital", "sends 4 people to the hospital"). The article's
injured toll falls back to shot minus killed when no count is called injured ("two people were shot, one fatally"), or
to all the people shot when they are said to be besides the dead ("boy killed, 6 others shot", "two other men were also
shot", "1 dead, 3 shot", "A fourth victim was transported to the hospital"). A count of only the gravely hurt ("Two of
the victims are in critical condition") is a part of the wounded, so the people shot less the dead stand for the whole
when they are more. Shots ("shot five times") and things ("two cars were hit by gunfire") are never people shot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from accord.claims.numbers import Quantity, find_quantities
from accord.claims.prefilter import Guard, WordScan, lowercase_twin, scan_matches
from accord.claims.sentences import Sentence, answered_from, compared_from, scope_of
from accord.dates import MONTH_NAME

KILLED = (
    r"(?:shot and killed|shot dead|shot to death|fatally (?:shot|wounded|injured|stabbed|hit|struck)|"
    r"lost (?:their|his|her) li(?:ves|fe)|killed|dead|died|dies|die|perished|slain|murdered|massacred|beheaded|"
    r"decapitated|slaughtered|lynched|"
    r"executed|martyred|martyrs?|fatalities|fatality|deaths|death|bodies|corpses|deceased|lifeless|"
    r"succumbed|fatally|gunned down|were victims of the massacre|homicide victims|"
    # a communiqué's soldiers "fell on the field of honour"
    r"fell (?:on the field of hono(?:u)?r|in (?:combat|battle|action)))"
)
INJURED = r"(?:injured|injuries|injury|wounded|wounds|hurt|hospitali[sz]ed|in (?:critical|serious|stable) condition)"
MISSING = r"(?:missing|unaccounted for|disappeared)"
SHOT = (
    r"(?:shot|struck by (?:gunfire|bullets?)|hit by (?:gunfire|bullets?)|gunshot victims|shooting victims|"
    r"(?:taken|rushed|transported|sent|airlifted|flown) to (?:the |a |an |area |local |nearby )?hospitals?)"
)

# Words a victim noun phrase never holds: clause links, and the agents of an attack ("2016 A motorcycle bomber
# killed" is a date line before a sentence, not 2016 dead).
_STOP = (
    r"(?:and|or|but|who|whom|which|that|when|after|before|while|as|including|among|said|says|say|in addition|"
    r"than|where|whose|plus|with|were among|from whom|a|an|bombers?|attackers?|attacks?|strikes?|airstrikes?|"
    r"raids?|blasts?|explosions?|shelling|bombing|bombs?|gunman|gunmen|shooter|suspects?|"
    # police that act, not police hit ("five police officers were killed", "five police martyred")
    r"police(?!\s+(?:officers?|personnel|men|constables?|were|was|killed|martyred|dead|died|wounded|injured)\b)|"
    r"warplanes?|jets?|aircraft|helicopters?|forces|army|regime|government|coalition|"
    r"group(?!\s+(?:militants|fighters|members|jihadists))|he|she|they|it|we|you)"
)
# words that open a second count or its qualifier ("and two women", "and dozens", "and at least")
_COUNTED_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|scores?|hundreds?|thousands?|several|"
    r"many|some|at|more|about|nearly|over|up|around|almost|another|the|his|her|their|its|\d+)"
)
_AUX = (
    r"(?:were|was|have|has|had|been|are|is|being|got|get|reportedly|also|later|all|allegedly|now|already|"
    r"subsequently|of them|of whom|were reported|was reported|confirmed|reported|people|persons|others?|more|"
    r"both|each|initially|eventually|ultimately|either|critically|seriously|severely|slightly|mortally|"
    r"then|had been|left|lay|remain|remained|remains|found|recovered)"
)
_RIGHT = re.compile(
    # a headline's quoted figure closes its quote first: "'Up to 100' killed"
    # ... its words may join two nouns ("12 children and teenagers were killed"), not a second count or a clause
    rf"^[’'\"”]?(?P<np>(?:[\s,]+(?!{_STOP}\b)[A-Za-z'’-]+|\s+and\s+(?!{_STOP}\b|{_AUX}\b|{_COUNTED_WORD}\b|{KILLED}|"
    rf"{INJURED})[A-Za-z'’-]+(?=\s+(?:{_AUX}\s+)*(?:{KILLED}|{INJURED})\b)){{0,6}}?)[\s,]*"
    rf"(?:[-–(]?\s*(?:including|among them|mostly|mainly|(?:more than |nearly |almost |about )?(?:half|most|many|"
    rf"some|a third|two thirds) of (?:them|whom))(?:\s+(?!{_AUX}\b|(?!and\b){_STOP}\b|{KILLED}|{INJURED})"
    rf"[A-Za-z'’-]+){{1,4}}?[\s,)–-]+(?:{_AUX}\s+){{1,4}}|(?:{_AUX}\s+){{0,4}})"
    rf"(?<![A-Za-z’'-])(?:(?P<killed>{KILLED})|(?P<injured>{INJURED})|(?P<missing>{MISSING})|(?P<shot>{SHOT}))\b",
    re.IGNORECASE,
)
_LEFT = re.compile(
    r"(?:(?P<killed>\b(?:killed|kills|kill|killing|claimed the lives of|claiming the lives of|claims the lives of|"
    r"took the lives of|taking the lives of|massacred|massacre of|massacring|murder of|murdering|executed|executing|"
    r"the deaths? of|the bodies of|bodies of|"
    r"beheaded|beheading|beheads|behead|slaughtered|slaughtering|slaughters|slaughter|"
    r"shot dead|shooting dead|gunned down|(?:shooting|shot|stabbing|stabbed|beating|beat|hacking|hacked) to death|"
    r"(?:death )?toll(?:\s+(?!injured|wounded|injuries|number)[\w’'-]+){0,24}?\s+"
    r"(?:to|at|of|reached|hit|is|was|now|"
    r"stands at|stood at)|(?:deaths|fatalities|death count|(?:the )?number of (?:the )?(?:dead|deaths|killed|fatalities|"
    r"victims|(?:[\w’'-]+ ){1,2}?(?:killed|dead)))(?:\s+(?!injured|wounded|injuries)[\w’'-]+){0,10}?\s+"
    r"(?:rise|rises|rose|risen|climb|climbs|climbed|jump|jumps|jumped|increase|increases|increased|reach|reaches|"
    r"reached|hit|hits)(?:\s+to)?|dead:?|killed:?|deaths:?|martyring|left dead|leaving dead|(?:the )?killing of|"
    r"(?:put|puts|putting|placed|places|placing) (?:the )?(?:number of (?:the )?(?:dead|deaths|fatalities|victims)|"
    r"(?:death )?toll|death count) at|"
    r"(?:killed|killing|kills|kill|wiped out|wiping out) (?:an? |the |his |her |their )?(?:entire |whole )?family of|"
    r"claim(?:s|ed|ing)?))"
    r"|(?P<injured>\b(?:(?:the )?number of (?:the )?(?:[\w’'-]+ ){0,2}?(?:injured|wounded)(?:\s+(?!killed|dead|deaths)"
    r"[\w’'-]+){0,10}?\s+(?:rise|rises|rose|risen|climb|climbs|climbed|jump|jumps|jumped|increase|increases|increased|"
    r"reach|reaches|reached|hit|hits|stands at|stood at|is|was)(?:\s+to)?|"
    r"injured|injuring|injures|injure|wounded|wounding|wounds|wound|hurt|hurting|"
    r"injuries to|injured:?|wounded:?|(?:the )?injury of|(?:the )?injuring of))"
    r"|(?P<shot>\b(?:shot|shooting|shoots|opened fire on|fired on)))"
    # "killing, according to the latest toll, 44 civilians": the source set between the verb and its count
    r"(?:,?\s+according to (?:[\w’'-]+\s+){0,3}?(?:toll|tally|figures?|count|reports?|sources?),?)?"
    r"\s+(?:(?:a total of|an?other|an additional|the|all|some|about)\s+)?$",
    re.IGNORECASE,
)
# _RIGHT needs a casualty word and _LEFT one of its cue words (kill, dead, toll, shot, ...): a count whose neighbourhood
# holds none of them is no claim, and the guards prove it by a few substring tests (see prefilter).
_RIGHT_GUARD, _LEFT_GUARD = Guard(_RIGHT), Guard(_LEFT)
_PART_BEFORE = re.compile(
    r"(?:including|among them|among whom|of whom|of them|among those|among the dead|"
    r"among the victims|among the wounded|among the injured|mostly|most of them|mainly)"
    r"[\s,:]*$",
    re.IGNORECASE,
)
_PART_AFTER = re.compile(
    # "... were among the dead", and a share of the dead: "one of the Dallas police officers killed", "four of the
    # officers killed" (but "two of those victims died" counts the dead among the shot)
    r"^(?:(?:\s+[\w'’-]+){0,4}?\s+(?:were|was|are|is)\s+among\b|"
    r"\s+of\s+(?:the|those|these)\s+(?:(?!was\b|were\b)[\w’'-]+\s+){0,3}?(?:killed|dead|slain|fallen)\b)",
    re.IGNORECASE,
)
_JOIN = re.compile(r"^(?:[\s,]+[A-Za-z'’-]+){0,4}?[\s,]*(?:and|as well as|plus|,)\s+$", re.IGNORECASE)

# One victim named by its noun ("a man", "an 18-year-old woman", "one soldier"): a count of 1.
_SINGLE = re.compile(
    r"\b(?:a|an|one|another)\s+(?:[\w’'-]+\s+){0,2}?(?:man|woman|boy|girl|child|teen|teenager|toddler|person|"
    r"civilian|soldier|fighter|officer|policeman|resident|student|victim|baby|infant|youth|juvenile|male|female|"
    r"motorist|driver|pedestrian|bystander|passenger|customer|employee|clerk|guard|deputy|trooper|journalist|"
    r"worker|mother|father|son|daughter|wife|husband|relative|neighbor|neighbour|friend|suspect|"
    # the victims of conflict news in any theatre ("killed a defence volunteer and a villager")
    r"villager|farmer|herder|shepherd|fisherman|miner|trader|vendor|shopkeeper|teacher|nurse|doctor|medic|paramedic|"
    r"volunteer|ranger|gendarme|policewoman|constable|militiaman|peacekeeper|conscript|recruit|imam|priest|pastor|"
    r"monk|worshipper|pilgrim|tourist|labou?rer|contractor|engineer|elder|chief|official)\b"
    r"|\b(?:a|an)\s+\d+-year-old\b",
    re.IGNORECASE,
)
# Where a match of _SINGLE can start, in the lowercased text: a word "a", "an", "one" or "another" followed by a space
# (both branches start so). Each candidate is one character, so finditer skips none; the lookbehind is the \b before
# the word (lowercasing keeps whether a character is a word character).
_SINGLE_START = re.compile(r"(?:a(?=n?\s|nother\s)|o(?=ne\s))(?<!\w.)")


# _SINGLE without IGNORECASE, matched in the lowercased text: the same spans, faster (prefilter.lowercase_twin).
_SINGLE_TWIN = lowercase_twin(_SINGLE)


def _single_matches(text: str) -> Iterator[re.Match[str]]:
    """Yield _SINGLE.finditer(text)'s matches, trying _SINGLE only where one can start: as the lowercased text's
    matches (the same spans; their groups are lowercased)."""
    return scan_matches(_SINGLE, _SINGLE_START, text, _SINGLE_TWIN)


_MULTI_WORDS = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
_MULTI = re.compile(
    r"\b(?P<w>double|triple|quadruple|quintuple)[\s-]+(?:homicide|murder|killing|slaying)s?\b", re.IGNORECASE
)
_MULTI_GUARD = Guard(_MULTI)
_ZERO = re.compile(
    r"\b(?:no (?:one|body|people|person|civilians?|soldiers?) (?:was|were|has been|have been) "
    r"(?P<k1>killed|injured|hurt|wounded|harmed)|nobody (?:was|were) (?P<k2>killed|injured|hurt|wounded)|"
    r"no (?:immediate )?(?:reports? of )?(?P<k3>casualties|deaths|fatalities|injuries|victims)"
    r"(?: (?:were|was|have been) reported)?|without (?:causing )?(?:any )?(?P<k4>casualties|injuries|deaths)|"
    r"there (?:were|was) no (?P<k5>casualties|injuries|deaths|fatalities))",
    re.IGNORECASE,
)
_ZERO_GUARD = Guard(_ZERO)

VICTIMS = [
    (
        "children",
        r"\b(?:(?:school)?children|child|kids?|boys?|girls?|babies|baby|infants?|toddlers?|minors?|students?)\b",
    ),
    ("women", r"\b(?:women|woman|mothers?|wives|wife)\b"),
    ("civilians", r"\b(?:civilians?|residents?|villagers?|worshippers|passengers|shoppers)\b"),
    ("soldiers", r"\b(?:soldiers?|troops|servicemen|officers?|policemen|personnel|guards?|troopers?|deputies)\b"),
    (
        "fighters",
        r"\b(?:fighters?|militants?|rebels?|jihadists?|insurgents?|terrorists?|gunmen|militiamen|mercenar(?:y|ies)|"
        r"combatants?|members)\b",
    ),
    ("people", r"\b(?:people|persons?|men|man|victims?|individuals|martyrs?)\b"),
]
# The groups as one alternation, in their order: its leftmost match is at the earliest place any group matches, and
# there takes the first group that matches (the one victims_of picks), in one scan instead of one per group.
_VICTIMS_RE = re.compile("|".join(f"(?P<{name}>{p})" for name, p in VICTIMS), re.IGNORECASE)


@dataclass
class CasualtyHit:
    """A count read as a casualty claim in one sentence, before it becomes a `Claim`."""

    kind: str
    quantity: Quantity
    sentence: Sentence
    victims: str | None
    words: str
    part: bool = False
    implicit: bool = False
    parts: list[Quantity] = field(default_factory=list)


@lru_cache(maxsize=256)  # the same phrase is read again when counts are joined and summed
def victims_of(phrase: str) -> str | None:
    """Return the victim group a noun phrase names first (children, women, civilians, soldiers, fighters, people):
    "civilians children" are civilians, "children and women" children."""
    m = _VICTIMS_RE.search(phrase)
    return m.lastgroup if m else None


def _kind(groups: dict[str, str | None]) -> str | None:
    for kind in ("killed", "injured", "missing", "shot"):
        if groups.get(kind):
            return kind
    return None


# Month names in full or abbreviated, and nothing longer ("4 Martyrs" is no date).
_MONTHS = MONTH_NAME + r"\.?"
_DATE_BEFORE = re.compile(
    rf"\b(?:{_MONTHS}|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
    rf"saturday|sunday|in|since|of|year|until|by|early|late|mid|between|from|\d{{1,2}})[\s,]*$",
    re.IGNORECASE,
)
_VICTIM_NEXT = re.compile(
    r"^\s+(?:people|persons|civilians|children|women|men|soldiers|fighters|troops|militants|"
    r"rebels|dead|killed|injured|wounded)\b",
    re.IGNORECASE,
)


# The shapes of a count's digits, and the date words around it, compiled once (they are tried on every count).
_YEAR = re.compile(r"(?:19|20)\d\d")
_ONE_OR_TWO_DIGITS = re.compile(r"\d{1,2}")
_UP_TO_FOUR_DIGITS = re.compile(r"\d{1,4}")
_MONTH_AFTER = re.compile(rf"^\s+{_MONTHS}\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(_MONTHS + r"[\s,]*$", re.IGNORECASE)

# Share counters printed after a web page's link box ("Get short URL 215 The death toll ...") are no counts.
_PAGE_CHROME = re.compile(r"\bGet short URL(?:\s+\d+)*\s*$", re.IGNORECASE)


def _is_date_part(text: str, q: Quantity) -> bool:
    """Return True when a count is a year or a day of a date line ("Tuesday 5 Jul 2016", "Oct 032017")."""
    digits = q.text.replace(",", "")
    if digits.isdigit() and _PAGE_CHROME.search(text[max(0, q.start - 40) : q.start]):
        return True
    if q.text.startswith("0"):
        return True
    if _YEAR.fullmatch(digits) and not _VICTIM_NEXT.match(text[q.end :]):
        return True
    if _ONE_OR_TWO_DIGITS.fullmatch(digits) and _MONTH_AFTER.match(text[q.end :]):
        return True
    return bool(
        _UP_TO_FOUR_DIGITS.fullmatch(digits)
        and _DATE_BEFORE.search(text[max(0, q.start - 12) : q.start])
        and _MONTH_BEFORE.search(text[max(0, q.start - 12) : q.start])
    )


# An age set off by commas after a name or noun ("Brittany Thomas, 21, was killed"), or after "age(s)".
_AGE_BEFORE = re.compile(r"(?:[A-Za-z’'.]+,\s*|\bages?d?\s+|,\s*both\s+)$")
_AGE_RANGE_BEFORE = re.compile(r"\bage[sd] (?:of |between )?\d+ (?:and|to|-)\s*$")  # "ages 19 and 23", "aged 19 and 23"
# "a woman of 52", "a man aged 40": one person's age, whatever follows
_PERSON_OF_BEFORE = re.compile(
    r"\b(?:a|an|the|one)\s+(?:[\w-]+\s+)?(?:man|woman|boy|girl|person|mother|father|grandmother|grandfather|son|"
    r"daughter|husband|wife|youth|teenager|farmer|worker|driver|victim)\s+(?:of|aged)\s+$",
    re.IGNORECASE,
)


def _is_age(text: str, q: Quantity) -> bool:
    if not _ONE_OR_TWO_DIGITS.fullmatch(q.text):
        return False
    before = text[max(0, q.start - 30) : q.start]
    if _AGE_RANGE_BEFORE.search(before) or _PERSON_OF_BEFORE.search(before):
        return True
    return bool(_AGE_BEFORE.search(before)) and (text[q.end : q.end + 1] in (",", ")", "") or "age" in before[-6:])


# Numbers that name a place, a phone line or a TV station: "the 3000 block of West Flournoy", "2501 Carter Homestead
# Rd.", "a 911 call", "CBS 58 - Two Shot", "WJTV News Channel 12 - Five Injured".
_ADDRESS_AFTER = re.compile(
    r"^\s*(?:block|blk|hundred block)\b|^\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){1,3}(?:St|Street|Rd|Road|Ave|Avenue|"
    r"Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Hwy|Highway|Pike|Terrace|Circle|Parkway|Pkwy)\b"
)
_CUT_OFF = re.compile(r"^-[A-Za-z]")
_STATION_BEFORE = re.compile(r"\b(?:[Cc]hannel|CBS|NBC|ABC|FOX|CW|PBS|[KW][A-Z]{2,3}(?:-TV)?)\s*$")


def _is_not_a_count(text: str, q: Quantity) -> bool:
    digits = q.text.replace(",", "")
    if not digits.isdigit():
        return False
    if digits == "911":
        return True
    if text[max(0, q.start - 1) : q.start] == ":" or _CUT_OFF.match(text[q.end : q.end + 2]):
        return True  # a clock or video time ("0:43 Homeless man found dead"), a cut-off age ("killed 6-y")
    if _ADDRESS_AFTER.match(text[q.end :]) or _CLOCK_AFTER.match(text[q.end :]):
        return True
    if text[max(0, q.start - 1) : q.start] in ("’", "'") and len(digits) == 2:
        return True  # a year cut short ("the ’90 shooting")
    return bool(_STATION_BEFORE.search(text[max(0, q.start - 14) : q.start]))


# A time of day: "shortly before 9 am", "at 11 p.m.", "about 6 o'clock".
_CLOCK_AFTER = re.compile(r"^\s*(?:[ap]\.?m\b\.?|o[’']clock\b)", re.IGNORECASE)


# Headlines drop the article: "Bomb kills woman wounds 25", "Sniper kills child". After a casualty verb, one bare
# victim noun is one victim.
_HEADLINE_SINGLE = re.compile(
    r"\b(?:kills|killed|shoots|wounds|injures) (?P<v>(?:(?:young|elderly|pregnant|teenage|local|Syrian|Kurdish|"
    r"Turkish|Russian|Lebanese|\d+-year-old)\s+)?(?:man|woman|boy|girl|child|teen|teenager|toddler|baby|civilian|"
    r"soldier|journalist|officer|policeman|doctor|nurse|medic|activist|commander|fighter|pilot))\b(?!,|\s+(?:and|&)\s)",
    re.IGNORECASE,
)


# Headlines list the people hit with commas: "Child, Three Adults Injured", "Man Accidentally Shoots Girl, 2 Women",
# "3 teens arrested after teen, 4-year-old shot". A bare victim noun in such a list is one victim.
_LIST_NOUN = (
    r"(?:man|woman|boy|girl|child|teen|teenager|toddler|baby|infant|mother|father|\d+-year-old|\d+-month-old)"
    r"(?:\s+(?:boy|girl|man|woman|son|daughter))?"
)
_HEADLINE_LIST = re.compile(
    rf"(?<![\w-])(?P<v>{_LIST_NOUN})(?=\s*,\s*(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b|"
    rf"(?:an?\s+)?{_LIST_NOUN}\b))"
    rf"|(?<=,\s)(?P<w>{_LIST_NOUN})(?=\s+(?:\w+\s+)?(?:shot|wounded|injured|hurt|killed|dead)\b)",
    re.IGNORECASE,
)


def _counts(text: str, headline: bool = False) -> list[Quantity]:
    """Return the counts in a sentence: numbers, single victims ("a man", a headline's "kills woman") and "double
    homicide"."""
    found = [
        q
        for q in find_quantities(text)
        if not _is_date_part(text, q) and not _is_age(text, q) and not _is_not_a_count(text, q)
    ]
    taken = [(q.start, q.end) for q in found]
    singles = list(_single_matches(text))
    if headline:
        singles += list(_HEADLINE_SINGLE.finditer(text)) + list(_HEADLINE_LIST.finditer(text))
    for m in singles:
        group = next((g for g in ("v", "w") if g in m.re.groupindex and m.group(g)), None)
        start = m.start(group) if group else m.start()
        if not any(s < m.end() and start < e for s, e in taken):
            found.append(Quantity(start, m.end(), text[start : m.end()], 1, 1, 1.0))
            taken.append((start, m.end()))
    for m in _MULTI_GUARD.finditer(text):
        n = _MULTI_WORDS[m.group("w").lower()]
        found.append(Quantity(m.start(), m.end(), m.group(0), n, n, float(n)))
    return sorted(found, key=lambda q: q.start)


# "shot" after a count that names shots fired ("firing one shot") or a shooter ("Bournes, who was 59, had shot his
# wife"): no one counted as hit.
_SHOTS_FIRED_BEFORE = re.compile(r"\b(?:fir(?:e|es|ed|ing)|heard|let off|squeezed off)\s+(?:\w+\s+)?$", re.IGNORECASE)
_SHOOTER_AFTER = re.compile(r"^\s+(?:his|her|him|them|their|himself|herself|themselves)\b", re.IGNORECASE)


# "shot five times" counts shots; "two cars were hit by gunfire" counts things.
_NOT_PEOPLE_AFTER = re.compile(
    r"^\s+(?:(?:more|other|additional)\s+)?(?:times|rounds|bullets|shots|cars?|vehicles?|homes?|houses?|"
    r"buildings?|windows?|apartments?)\b",
    re.IGNORECASE,
)


def _not_people_shot(text: str, q: Quantity, words: str) -> bool:
    if _SHOTS_FIRED_BEFORE.search(text[max(0, q.start - 30) : q.start]):
        return True
    if _NOT_PEOPLE_AFTER.match(text[q.end :]):
        return True
    i = text.find(words, q.end) if words else -1
    return i >= 0 and words.lower().endswith("shot") and bool(_SHOOTER_AFTER.match(text[i + len(words) :]))


_WITH_ONE_MORE = re.compile(
    r"\b[A-Z][\w’'-]+\s+(?:alongside|along with|together with)\s+$|"
    # one person named by a role, then the count: "indigenous governor and four guards killed", "the mayor and three
    # bodyguards"
    r"\b(?i:governor|mayor|commander|chief|leader|judge|prosecutor|lawmaker|senator|candidate|priest|imam|pastor|"
    r"journalist|reporter|activist|official|councillor|councilor|headman|sheikh|general|colonel)\s+(?:and|alongside|"
    r"along with|together with)\s+$"
)


_SENT_BEFORE = re.compile(r"\b(?:sends|sent|send|sending)\s+$", re.IGNORECASE)
_TO_HOSPITAL_AFTER = re.compile(
    r"^(?:\s+[A-Za-z'’-]+){0,2}?\s+to (?:the |a |an |area |local |nearby )?hospitals?\b", re.IGNORECASE
)


# The dead and the wounded counted together: "19 Killed and Injured", "Dozens Killed, Injured", "killed or wounded".
_AND_INJURED = re.compile(r"[\s,]*(?:(?:and|or|&)\s+|/\s*)?(?:injured|wounded)\b", re.IGNORECASE)
# Casualty nouns in the singular: a number above one before them names something else ("Route 9 shooting death").
_SINGULAR_DEATH = frozenset({"death", "fatality", "martyr", "corpse"})
_NP_AFTER = re.compile(r"^(?:[\s,]+(?!and\b|or\b)[A-Za-z'’-]+){0,4}")
_CLAIM_WORD = re.compile(r"claim\w*", re.IGNORECASE)


def sentence_hits(sentence: Sentence) -> list[CasualtyHit]:
    """Return the casualty claims of one sentence, with sums of joined counts and parts marked."""
    text = sentence.text
    hits: list[CasualtyHit | None] = []
    quantities = _counts(text, headline=sentence.is_title)
    if not quantities:
        return []  # two sentences in three hold no count (49k of the corpora's 74k): nothing to join or add up
    for i, q in enumerate(quantities):
        if (
            q.text.lower() == "one"
            and text[max(0, q.start - 4) : q.start].lower() in ("no ", " no ")
            and not text[q.end : q.end + 5].lower().startswith(" else")
        ):
            hits.append(None)  # "No one was killed": nobody (zero_hits reads the zero)
            continue
        nxt = quantities[i + 1].start if i + 1 < len(quantities) else len(text)
        right = _RIGHT.match(text[q.end : nxt]) if _RIGHT_GUARD.may_match(text, q.end, nxt) else None
        before = max(0, q.start - 100)
        left = _LEFT.search(text[before : q.start]) if _LEFT_GUARD.may_match(text, before, q.start) else None
        if left is None and "toll" in text[max(0, q.start - 200) : before + 10].lower():
            # "the death toll from an attack by Boko Haram militants on a village in northeast Nigeria's Yobe state has
            # risen to about 170": the toll named far before its count
            before = max(0, q.start - 200)
            left = _LEFT.search(text[before : q.start])
        kind = None
        words = ""
        np = ""
        if left and _kind(left.groupdict()):
            kind, words = _kind(left.groupdict()), left.group(0).strip()
            after = _NP_AFTER.match(text[q.end : nxt])
            np = after.group(0) if after else ""
            headline_single = (
                sentence.is_title
                and not q.text[:1].isdigit()
                and bool(_HEADLINE_SINGLE.search(text[max(0, q.start - 8) : q.end]))
            )  # "kills woman wounds 25": the verb's
            if (
                right
                and right.group("np").strip() == ""
                and _kind(right.groupdict()) in ("killed", "injured")
                and not headline_single
            ):
                kind, words = _kind(right.groupdict()), right.group(0).strip()
            elif _CLAIM_WORD.fullmatch(words) and not victims_of(np):
                # "Rocket Shells Claim 9 Civilians", "claiming 4 martyrs": claimed lives are dead; "IS claims 2
                # attacks" is no count of people; "separatists claim 214 hostages killed": the verb after it is
                kind = None
                if right and _kind(right.groupdict()):
                    kind, words, np = _kind(right.groupdict()), right.group(0).strip(), right.group("np")
        elif right and _kind(right.groupdict()):
            kind, words, np = _kind(right.groupdict()), right.group(0).strip(), right.group("np")
            if q.point > 1 and (right.group("killed") or "").lower() in _SINGULAR_DEATH:
                kind = None  # "Cloud 9 shooting death of Benetria Robinson": a name's number, not nine deaths
            elif kind == "killed" and _AND_INJURED.match(text, q.end + right.end()):
                kind = None  # "19 killed and injured": the dead and the wounded together, a count of neither
        if kind is None and i + 1 < len(quantities):
            kind, words, np = _around_inserted_part(text, quantities, i)
        if kind is None and (
            _DESTROYED_BEFORE.search(text, max(0, q.start - 40), q.start) or _DESTROYED_AFTER.match(text, q.end)
        ):
            # a military's count of the enemy it "destroyed": "destroying up to 180 foreign mercenaries"; the noun
            # phrase's head names them ("20 militant hideouts" are no fighters)
            after = _NP_AFTER.match(text[q.end : nxt])
            np = _NP_TAIL.sub("", after.group(0) if after else "")
            if np.split() and victims_of(np.split()[-1]) in ("fighters", "soldiers"):
                kind, words = "killed", "destroyed"
        if kind is None:
            set_off = _SET_OFF_PART.match(text, q.end)
            if set_off:  # "At least 24 people, including a four-year-old girl and a veteran, have been martyred"
                kind = _kind(set_off.groupdict())
                words, np = set_off.group("verb"), set_off.group("np")
        if kind is None and _SENT_BEFORE.search(text[max(0, q.start - 12) : q.start]):
            sent = _TO_HOSPITAL_AFTER.match(text[q.end : nxt])
            if sent:  # "Shooting at Kokomo bar sends 4 people to the hospital"
                kind, words, np = "shot", sent.group(0).strip(), sent.group(0)
        if kind == "shot" and _not_people_shot(text, q, words):
            kind = None
        if kind is None:
            hits.append(None)
            continue
        before = text[max(0, q.start - 30) : q.start]
        part = bool(_PART_BEFORE.search(before) or _PART_AFTER.match(text[q.end :]))
        if (
            kind in ("killed", "injured", "shot")
            and not part
            and _WITH_ONE_MORE.search(before)
            and (q.text[:1].isdigit() or q.text.split()[0].lower() not in ("a", "an", "one", "another"))
        ):
            # "Ramadan al-Sabta alongside nine of his comrades were killed": the named man and the nine
            q = Quantity(
                q.start, q.end, q.text, q.low + 1, None if q.high is None else q.high + 1, q.point + 1, vague=q.vague
            )
        hits.append(CasualtyHit(kind, q, sentence, victims_of(np), words, part=part))
    _join_and_sum(text, quantities, hits, headline=sentence.is_title)
    _add_others(hits)
    return [h for h in hits if h is not None]


_OTHERS = re.compile(r"\bothers?\b", re.IGNORECASE)


def _add_others(hits: list[CasualtyHit | None]) -> None:
    """Add "one person in critical condition, three others injured" into one count (4), in place: "others" are
    besides the count before them."""
    whole = [h for h in hits if h is not None and not h.part and not h.parts]
    for prev, h in zip(whole, whole[1:], strict=False):
        if h.kind == prev.kind == "injured" and _OTHERS.search(h.words):
            q, p = h.quantity, prev.quantity
            high = None if q.high is None or p.high is None else q.high + p.high
            total = Quantity(p.start, q.end, h.sentence.text[p.start : q.end], p.low + q.low, high, p.point + q.point)
            prev.part = h.part = True
            hits.append(CasualtyHit(h.kind, total, h.sentence, h.victims, h.words, parts=[p, q]))
            return


# A whole with its part inserted before the casualty word: "Fifteen civilians among them 11 children were killed",
# "leaving 23 civilians - including nine children - dead" (FA-KES lost its commas, so the part is not set off).
_INSERTED_PART = re.compile(
    r"^(?P<np>(?:\s+(?!and\b|or\b)[A-Za-z'’]+){0,3}?)\s*[-–(,]?\s*"
    r"(?:including|among them|among whom|of whom|of them)\s*$",
    re.IGNORECASE,
)

# Fighters a military says it "destroyed", "eliminated" or "neutralised": killed, in its words (the count's noun must
# name fighters or soldiers: "destroyed 20 tanks" is no count of people)
_DESTROYED_BEFORE = re.compile(
    r"\b(?:destroy(?:ed|ing|s)?|eliminat(?:ed|ing|es?)|neutrali[sz](?:ed|ing|es?)|liquidat(?:ed|ing|es?))\s+"
    r"(?:(?:up to|over|more than|about|around|some|at least|as many as|nearly|almost)\s+)?$",
    re.IGNORECASE,
)
# what ends a noun phrase's head: a preposition, a conjunction or the verb after it
_NP_TAIL = re.compile(
    r"\s+(?:in|on|at|of|near|from|and|or|were|was|have|had|are|is|destroyed|eliminated|neutrali[sz]ed|liquidated)\b.*$",
    re.IGNORECASE,
)
_DESTROYED_AFTER = re.compile(
    r"(?:\s+(?!and\b|or\b)[A-Za-z'’-]+){1,4}?\s+(?:(?:were|was|have been|had been|are|being)\s+)?"
    r"(?:destroyed|eliminated|neutrali[sz]ed|liquidated)\b",
    re.IGNORECASE,
)
# ... or a part of any length set off by commas: "At least 24 people, including a four-year-old girl and a
# wheelchair-bound veteran of the Iran-Iraq war, have been martyred", "Seventeen members of the armed forces, among
# them four officers, were martyred"
_SET_OFF_PART = re.compile(
    rf"(?P<np>(?:\s+(?!and\b|or\b)[A-Za-z'’]+){{0,5}}?),\s*(?:including|among them|among whom|mostly|mainly)\b"
    rf"[^,;:.!?]{{1,150}},\s*(?:{_AUX}\s+){{1,4}}(?P<verb>(?P<killed>{KILLED})|(?P<injured>{INJURED}))\b",
    re.IGNORECASE,
)
_PART_LIST = re.compile(r"^(?:\s+[A-Za-z'’]+){0,2}?\s*(?:and|,)\s*$", re.IGNORECASE)


def _around_inserted_part(text: str, quantities: list[Quantity], i: int) -> tuple[str | None, str, str]:
    """Return (kind, words, noun phrase) of count i when its casualty word follows an inserted part, else Nones."""
    q = quantities[i]
    m = _INSERTED_PART.match(text[q.end : quantities[i + 1].start])
    if not m:
        return None, "", ""
    j = i + 1  # the part may list several groups: "25 people including seven women and a child were killed"
    while j + 1 < len(quantities) and _PART_LIST.match(text[quantities[j].end : quantities[j + 1].start]):
        j += 1
    nxt = quantities[j + 1].start if j + 1 < len(quantities) else len(text)
    right = _RIGHT.match(text[quantities[j].end : nxt])
    kind = _kind(right.groupdict()) if right else None
    if right is None or kind not in ("killed", "injured"):
        return None, "", ""
    return kind, right.group(0).strip(), m.group("np")


_GAP_VERB = re.compile(rf"\b(?:{KILLED}|{INJURED}|{SHOT}|were|was|have|has|had|are|is)\b", re.IGNORECASE)


_LINK_AT_END = re.compile(r"(?:[\s,]*(?:and|as well as|plus|,)\s*)$", re.IGNORECASE)


# A count that says it is part of the one before ("killed 36 people, 24 of them children") joins no list; nor does a part
# set off by a comma join what follows ("13 killed, including three children, and 60 people were injured").
_PART_FOLLOWS = re.compile(r"\s+(?:of them|of whom|among them)\b", re.IGNORECASE)


# The last of a list that speaks is its sources, not victims: "killed 30 people, witnesses and a health worker said"
_SPEAKS_AFTER = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:said|says|say|told|reported|added)\b", re.IGNORECASE)


def _joins(gap: str) -> bool:
    """Return True when the text between two counts joins them as one list ("soldiers and"); a count of things is no
    part of a list of people ("17 scenes, 7 dead")."""
    # _JOIN first: it refuses four gaps in five at once (the corpora: 2.3k of 12k gaps join), before the link's
    # removal searches the whole gap and the noun's victims are asked for.
    if not _JOIN.match(gap):
        return False
    noun = _LINK_AT_END.sub("", gap).strip(" ,")
    if noun and victims_of(noun) is None and _THINGS.search(noun):
        return False
    return not _GAP_VERB.search(gap)


_BARE_LIST = re.compile(r"^\s+([A-Za-z'’-]+)\s+$")


def _bare_list(gap: str) -> bool:
    """Return True when the gap is one victim noun and nothing else ("22 children 6 teachers")."""
    m = _BARE_LIST.match(gap)
    return bool(m) and victims_of(m.group(1)) is not None


_THINGS = re.compile(
    r"\b(?:scenes?|incidents?|shootings?|attacks?|cars?|vehicles?|homes?|houses?|buildings?|rounds?|shots|bullets|"
    r"years?|months?|weeks?|days?|hours?|minutes?|times?|miles?|blocks?)\b",
    re.IGNORECASE,
)


# The end of a part set off by dashes or brackets, and the list of the whole going on: "23 civilians - including nine
# children - and 16 combattants dead".
_PART_CLOSES = re.compile(r"^(?:\s+[A-Za-z'’]+){0,2}?\s*[-–)]\s*(?:and|,)\s+$", re.IGNORECASE)


def _sum_around_parts(text: str, quantities: list[Quantity], hits: list[CasualtyHit | None]) -> set[int]:
    """Sum a whole and the count listed after its inserted part ("23 civilians - including nine children - and 16
    combattants dead": 39), in place; return the indexes of the parts, which join nothing after them."""
    closed = set()
    for k in range(1, len(quantities) - 1):
        whole, part, nxt = quantities[k - 1], quantities[k], quantities[k + 1]
        after = hits[k + 1]
        if (
            after is None
            or hits[k - 1] is not None
            or not _INSERTED_PART.match(text[whole.end : part.start])
            or not _PART_CLOSES.match(text[part.end : nxt.start])
        ):
            continue
        total = Quantity(
            whole.start,
            nxt.end,
            text[whole.start : nxt.end],
            whole.low + nxt.low,
            None if whole.high is None or nxt.high is None else whole.high + nxt.high,
            whole.point + nxt.point,
        )
        hits[k - 1] = CasualtyHit(
            after.kind, whole, after.sentence, victims_of(text[whole.end : whole.end + 25]), after.words, part=True
        )
        if hits[k] is not None:
            hits[k].part = True
        after.part = True
        hits.append(CasualtyHit(after.kind, total, after.sentence, "people", after.words, parts=[whole, nxt]))
        closed.add(k)
    return closed


def _join_and_sum(
    text: str, quantities: list[Quantity], hits: list[CasualtyHit | None], headline: bool = False
) -> None:
    """Sum counts of different victims joined by "and" under one casualty word, in place. A headline may list them
    without a comma (FA-KES lost its commas): "22 children 6 teachers killed"."""
    closed = _sum_around_parts(text, quantities, hits)
    i = 0
    while i < len(quantities) - 1:
        j = i
        while (
            j + 1 < len(quantities)
            and j not in closed
            and (
                _joins(text[quantities[j].end : quantities[j + 1].start])
                or (headline and _bare_list(text[quantities[j].end : quantities[j + 1].start]))
            )
            and not (hits[j] and hits[j + 1] and hits[j].kind != hits[j + 1].kind)
            and not _PART_BEFORE.search(text[quantities[j].end : quantities[j + 1].start])
            and not _SPEAKS_AFTER.match(text, quantities[j + 1].end)
            and not _PART_FOLLOWS.match(text, quantities[j + 1].end)
            and not (
                "," in text[quantities[j].end : quantities[j + 1].start]
                and _PART_BEFORE.search(text, max(0, quantities[j].start - 30), quantities[j].start)
            )
        ):
            if hits[j + 1] is not None and hits[j] is not None and hits[j + 1].words != hits[j].words:
                break
            j += 1
        group = [k for k in range(i, j + 1)]
        kinds = {hits[k].kind for k in group if hits[k] is not None}
        # Only a group of several counts asks for its counts' victims: most counts join none (the corpora: 2.4k
        # calls instead of 13k).
        groups = [victims_of(text[quantities[k].end : quantities[k].end + 25]) for k in group] if j > i else []
        if len(group) > 1 and groups[0] == "civilians" and all(g in ("children", "women") for g in groups[1:]):
            # "16 civilians and three children" (FA-KES lost the comma of "including"): the children are civilians
            template = next((hits[k] for k in group if hits[k] is not None), None)
            if template is not None and hits[i] is None:
                hits[i] = CasualtyHit(template.kind, quantities[i], template.sentence, "civilians", template.words)
            for k in group[1:]:
                if hits[k] is not None:
                    hits[k].part = True
            i = j + 1
            continue
        if (
            len(group) > 2
            and len(kinds) == 1
            and hits[i] is not None
            and quantities[i].point == sum(quantities[k].point for k in group[1:])
            and "," in text[quantities[i].end : quantities[i + 1].start]
        ):
            # "killing ten people, seven men and three women": a total, then its parts
            for k in group[1:]:
                if hits[k] is not None:
                    hits[k].part = True
            i = j + 1
            continue
        if len(group) > 1 and len(kinds) == 1:
            kind = kinds.pop()
            template = next(hits[k] for k in group if hits[k] is not None)
            qs = [quantities[k] for k in group]
            low = sum(q.low for q in qs)
            high = None if any(q.high is None for q in qs) else sum(q.high for q in qs)  # type: ignore[misc]
            total = Quantity(
                qs[0].start,
                qs[-1].end,
                text[qs[0].start : qs[-1].end],
                low,
                high,
                sum(q.point for q in qs),
                vague=any(q.vague for q in qs),
            )
            victims = "+".join(dict.fromkeys(victims_of(text[q.end : q.end + 25]) or "people" for q in qs))
            for k in group:
                if hits[k] is None:
                    hits[k] = CasualtyHit(
                        kind,
                        quantities[k],
                        template.sentence,
                        victims_of(text[quantities[k].end : quantities[k].end + 25]),
                        template.words,
                    )
                hits[k].part = True
            hits.append(CasualtyHit(kind, total, template.sentence, victims, template.words, parts=qs))
        i = j + 1


# One victim named without a number: "Greensburg teen shot, killed", "he was pronounced dead", "the shooting death
# of a man". Used only when the article gives no count of that kind.
_SUBJECT = (
    r"(?:he|she|man|woman|boy|girl|teen|teenager|toddler|child|person|victim|student|officer|son|daughter|"
    r"father|mother|husband|wife|brother|sister|resident|driver|suspect|\d+-year-old|"
    r"[A-Z][a-z]+(?:,? (?:\d+|age \d+),?)?)"
)
_IMPLICIT_KILLED = re.compile(
    rf"\b{_SUBJECT}\s+(?:(?:was|is|has been|had been|later|who was|reportedly|allegedly)\s+){{0,2}}"
    r"(?:shot(?:,| and) killed|shot to death|shot dead|fatally (?:shot|wounded|struck)|killed|found dead|"
    r"pronounced dead|murdered|slain|died|dies|dead)\b"
    r"|\b(?:shooting|stabbing|gunshot) death of\b|\bfatal(?:ly)? shooting of (?:a|an|his|her|the)\b",
)
_IMPLICIT_SHOT = re.compile(
    rf"\b{_SUBJECT}\s+(?:(?:was|is|has been|had been|who was|reportedly|allegedly)\s+){{1,2}}"
    r"(?:(?:accidentally |critically |seriously |severely )?(?:shot|wounded|injured|hospitalized)|"
    r"in (?:critical|serious|stable) condition)\b"
    rf"|\b{_SUBJECT}\s+(?:shot|wounded|injured|hurt)(?! and killed| dead| to death)\b(?=[^.]{{0,40}}$)",
)
# Most sentences hold none of the verbs these need ("killed", "died", "shot", ...): the guards skip their scan.
_IMPLICIT = (("killed", Guard(_IMPLICIT_KILLED)), ("shot", Guard(_IMPLICIT_SHOT)))


# Deaths named by the kind of killing: "murder-suicide" is two dead (the victim and the shooter), "double murder-suicide"
# three; "double homicide" two. "attempted murder(-suicide)" names no death.
_EVENT_DEATHS = re.compile(
    r"(?<!attempted )(?<!attempted double )\b(?:(?P<m>double|triple|quadruple)[\s-]+)?murder[\s-]+suicides?\b"
    r"|(?<!attempted )\b(?P<n>double|triple|quadruple|quintuple)[\s-]+(?:homicides?|murders?|killings?|slayings?|"
    r"fatal shootings?)\b(?![\s-]+suicide)",
    re.IGNORECASE,
)
_EVENT_DEATHS_GUARD = Guard(_EVENT_DEATHS)  # "murder-suicide" or "double ..." are rare: most sentences are refused
# A death that brings the toll to its rank: "a second person has died", "Third victim dies after ...": that many dead
_ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_NTH_DEATH = re.compile(
    r"\b(?P<o>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:[\w’'-]+\s+){0,2}(?:person|victim|man|"
    r"woman|boy|girl|child|soldier|officer|policeman|civilian|student|worker|passenger|patient|pilgrim|worshipper|"
    r"resident|villager)\s+(?:has\s+|had\s+|later\s+|also\s+){0,2}(?:died|dies|succumbed|succumbs)\b",
    re.IGNORECASE,
)
_NTH_DEATH_GUARD = Guard(_NTH_DEATH)
# A headline that reports a death without counting it ("Toddler dies after shooting himself", "Meridian man arrested
# after fatal shooting", "Two arrested following deadly Oak Park shooting", "KPD still investigating fatal shooting
# of 2-year-old"): one dead, unless the text counts.
_TITLE_DEATH = re.compile(
    r"(?<!attempted )(?<!attempted capital )\b(?:fatal(?:ly)?|deadly|killed|kills|killing|dies|died|dead|deaths?|"
    r"murder(?:ed|s)?|slain|slaying|homicide|shot to death|shooting death)\b",
    re.IGNORECASE,
)
# ... but a headline whose dead are many without a number ("U.S. attack caused deaths", "Air strikes kill civilians in
# Idlib", "Soldiers killed in ambush") states no toll: not one dead, and not one hurt.
_PLURAL = (
    r"(?:people|persons|civilians|soldiers|troops|fighters|militants|children|kids|women|members|residents|villagers|"
    r"worshippers|students|policemen|officers|workers|migrants|refugees|protesters|demonstrators|rebels|insurgents|"
    r"jihadists|terrorists|gunmen|militiamen|dozens|scores|hundreds|thousands|many|several|others|families|"
    r"passengers|pilgrims|miners|farmers|patients|guards|recruits|combatants|victims)"
)
_TITLE_MANY_DEAD = re.compile(
    r"\b(?:deaths|fatalities|casualties)\b"
    r"|\b(?:killed|dead)[\s,]*(?:(?:and|or|&)\s+)?(?:injured|wounded)\b"
    r"|\b" + _PLURAL + r"\s+(?:[\w’'-]+\s+){0,2}?(?:killed|dead|die|died|slain|massacred)\b"
    r"|\b(?:kill|kills|killed|killing|massacre|massacres)\s+(?:[\w’'-]+\s+){0,2}?" + _PLURAL + r"\b",
    re.IGNORECASE,
)

# A headline that reports someone hit, and no death ("Boy stable after accidental shooting", "Toddler accidentally
# shot in hand by mother", "Dad charged in daughter's shooting", "Four-Year-Old ... Airlifted To Hospital"): one
# person shot, who counts as injured unless the text reports the death.
_TITLE_HURT = re.compile(
    r"\b(?:shot|shoots|wounded|injured|hurt|stable|critical|hospitali[sz]ed|survives?|recovering|airlifted)\b"
    r"|\bshooting (?:of )?(?:a |an |his |her |their )?(?:\d+-(?:year|month)-old|toddler|boy|girl|baby|child|son|"
    r"daughter|brother|sister|nephew|niece|juvenile|teen|infant)\b"
    r"|\b(?:son|daughter|boy|girl|child|baby|toddler|brother|sister|nephew|niece|teen)['’]s shooting\b",
    re.IGNORECASE,
)


def event_hits(sentence: Sentence) -> list[CasualtyHit]:
    """Return deaths named by the kind of killing ("murder-suicide" -> 2 killed), and a headline's uncounted death
    (killed 1) or, failing that, its uncounted victim hit (shot 1)."""
    found = []
    for m in _EVENT_DEATHS_GUARD.finditer(sentence.text):
        if m.group("n"):
            n = _MULTI_WORDS[m.group("n").lower()]
        else:  # the murdered plus the shooter
            n = _MULTI_WORDS[m.group("m").lower()] + 1 if m.group("m") else 2
        q = Quantity(m.start(), m.end(), m.group(0), n, n, float(n))
        found.append(CasualtyHit("killed", q, sentence, "people", m.group(0), implicit=True))
    for m in _NTH_DEATH_GUARD.finditer(sentence.text):
        n = _ORDINALS[m.group("o").lower()]
        q = Quantity(m.start(), m.end(), m.group(0), n, n, float(n))
        found.append(CasualtyHit("killed", q, sentence, "people", m.group(0)))  # a count, given by its rank
    if sentence.is_title and not found and not _TITLE_MANY_DEAD.search(sentence.text):
        m = _TITLE_DEATH.search(sentence.text)
        kind = "killed"
        if not m:
            m, kind = _TITLE_HURT.search(sentence.text), "shot"
        if m:
            q = Quantity(m.start(), m.end(), m.group(0), 1, 1, 1.0)
            found.append(CasualtyHit(kind, q, sentence, "people", m.group(0), implicit=True))
    return found


def implicit_hits(sentence: Sentence) -> list[CasualtyHit]:
    """Return one-victim claims made without a number ("the teen was shot and killed" -> killed 1)."""
    found = event_hits(sentence)
    if found:
        return found
    for kind, guard in _IMPLICIT:
        m = guard.search(sentence.text)
        if m:
            q = Quantity(m.start(), m.end(), m.group(0), 1, 1, 1.0)
            found.append(CasualtyHit(kind, q, sentence, victims_of(m.group(0)) or "people", m.group(0), implicit=True))
    return found


def zero_hits(sentence: Sentence) -> list[CasualtyHit]:
    """Return explicit zeros: "no casualties were reported" (killed and injured), "no one was hurt" (injured)."""
    found = []
    for m in _ZERO_GUARD.finditer(sentence.text):
        word = next(g for g in m.groups() if g).lower()
        if word in ("casualties", "victims"):
            kinds = ["killed", "injured"]
        elif word in ("killed", "deaths", "fatalities"):
            kinds = ["killed"]
        else:
            kinds = ["injured"]
        q = Quantity(m.start(), m.end(), m.group(0), 0, 0, 0.0)
        found += [CasualtyHit(kind, q, sentence, None, m.group(0)) for kind in kinds]
    return found


# A killer who kills others and then himself: "Teen dad kills infant, self", "fatally shot his wife and two young sons
# before killing himself", "Killed Wife, 4 Kids Then Himself". The dead are the people named plus the killer.
_KILLS_THEN_SELF = re.compile(
    r"\b(?:kills|killed|killing|fatally (?:shoots|shot)|shot and killed|shoots and kills|murdered|murders|"
    r"shot to death)\s+(?P<obj>[^.;:]{1,90}?)(?:,\s*|\s+and\s+|\s+(?:then|before|and then)\s+(?:[\w’'-]+\s+){0,8}?)"
    r"(?:(?:killing|shooting|turning the gun on|turned the gun on|kills|killed|shot|shoots)\s+)?(?:him|her)?self\b",
    re.IGNORECASE,
)
_KILLS_THEN_SELF_GUARD = Guard(_KILLS_THEN_SELF)  # a sentence without "self" is refused
_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_OBJ_NUMBER = re.compile(r"\b(?:(?P<d>\d{1,2})(?![\d-])|(?P<w>" + "|".join(_NUMBER_WORDS) + r"))\b", re.IGNORECASE)


_OBJ_SPLIT = re.compile(r",|\band\b")
_APPOSITION = re.compile(r"^\s*(?:\d+-year-old\s+[A-Z][\w’'-]*|[A-Z][\w’'-]*\s+[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*)*\s*$")
_NOT_KILLED = re.compile(r"^\s*(?:shooting|shot|wounding|wounded|injuring|injured|hurting)\b", re.IGNORECASE)
_GROUP = re.compile(r"\b(?:family|families|people|relatives|others|children|kids|victims)\b", re.IGNORECASE)


# Two people named and then said to be dead or hurt: "Ronald Williams, 33, and Kendra Hill, 28, were killed, and Jason
# Kimble and Laquintin Carter were injured".
_NAME = r"[A-Z][a-z’'-]+(?: [A-Z]\.)?(?: [A-Z][a-z’'-]+)+"
_TWO_NAMED_DEAD = re.compile(
    rf"\b{_NAME}(?:,? (?:\d{{1,2}}|age \d{{1,2}}),)? and {_NAME}(?:,? (?:both |ages? )?\d{{1,2}},)?\s+"
    r"(?:were|have been|had been|are|both)\s+(?:(?:both|later|each)\s+)?(?:(?P<killed>shot and killed|killed|"
    r"shot to death|shot dead|found dead|pronounced dead|murdered|slain|fatally (?:shot|wounded))|"
    r"(?P<injured>injured|wounded|hurt|hospitali[sz]ed))\b"
)
_TWO_NAMED_DEAD_GUARD = Guard(_TWO_NAMED_DEAD)


def two_named_dead_hits(sentence: Sentence) -> list[CasualtyHit]:
    """Return two dead (or hurt) for two people named and then said to be dead (or hurt)."""
    out = []
    for m in _TWO_NAMED_DEAD_GUARD.finditer(sentence.text):
        q = Quantity(m.start(), m.end(), m.group(0), 2, 2, 2.0)
        kind = "killed" if m.group("killed") else "injured"
        out.append(CasualtyHit(kind, q, sentence, "people", m.group(0), implicit=True))
    return out


def kills_then_self_hits(sentence: Sentence) -> list[CasualtyHit]:
    """Return the dead of a killing that ends in the killer's suicide: the people named plus the killer."""
    m = _KILLS_THEN_SELF_GUARD.search(sentence.text)
    if not m:
        return []
    n = 1
    for i, element in enumerate(_OBJ_SPLIT.split(m.group("obj"))):
        if not element.strip() or (i and _APPOSITION.match(element)):
            continue  # "his wife, 39-year-old Cam Thi To": a name set off after its noun is the same person
        if _NOT_KILLED.match(element):
            continue  # "killing a teenage girl and shooting her mother": the mother was hit, not killed
        number = _OBJ_NUMBER.search(element)
        if not number and _GROUP.search(element):
            return []  # "killed family, self": an uncounted group
        if number:
            n += int(number.group("d")) if number.group("d") else _NUMBER_WORDS[number.group("w").lower()]
        else:
            n += 1
    q = Quantity(m.start(), m.end(), m.group(0), n, n, float(n))
    return [CasualtyHit("killed", q, sentence, "people", m.group(0))]


# The guards asked about every sentence test their words in one scan of it.
_SENTENCE_WORDS = WordScan(
    _EVENT_DEATHS_GUARD,
    *(guard for _, guard in _IMPLICIT),
    _ZERO_GUARD,
    _KILLS_THEN_SELF_GUARD,
    _TWO_NAMED_DEAD_GUARD,
    _MULTI_GUARD,
)


# What ties a count to an event: without any of these, a sentence right after a running total ("... 11,327 people have
# been injured in the war. In Donetsk and Luhansk, there were 9,853 casualties. On the territory controlled by the
# government, there were 7,685") goes on with the tally.
_EVENT_WORDS = re.compile(
    r"\b(?:attack\w*|strikes?|struck|missiles?|rockets?|drones?|bomb\w*|shell\w*|blasts?|explosions?|shoot\w*|shot|"
    r"raids?|massacre\w*|ambush\w*|gunm[ae]n|fire|gunfire|stabb\w*|today|yesterday|tonight|overnight|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.IGNORECASE,
)


def casualty_hits(sentences: list[Sentence]) -> list[tuple[CasualtyHit, str]]:
    """Return every casualty claim of an article with its scope ("incident", "total", "other"). A sentence of no
    event (`_EVENT_WORDS`) right after a running total goes on with the tally, and is a total too."""
    out = []
    tally_at = -1  # the index of the last sentence read as a running total
    for sentence in sentences:
        found = sentence_hits(sentence) + zero_hits(sentence) + implicit_hits(sentence)
        found += kills_then_self_hits(sentence) + two_named_dead_hits(sentence)
        if not found:
            continue
        scope = scope_of(sentence.text, opening=sentence.is_title or sentence.index <= 1)
        if scope == "incident" and 0 <= tally_at == sentence.index - 1 and not _EVENT_WORDS.search(sentence.text):
            scope = "total"
        if scope == "total":
            tally_at = sentence.index
        answered = min(answered_from(sentence.text), compared_from(sentence.text))
        out += [(h, "other" if h.quantity.start >= answered else scope) for h in found]
    return out
