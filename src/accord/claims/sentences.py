"""Sentences of an article with their character offsets, and what each says about its own scope and source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from accord.claims.prefilter import Guard

# A sentence ends at . ! ? (optionally followed by a closing quote) before a capital, a digit or a quote, or at a line
# break. FA-KES texts keep full stops but lost commas, so full stops are the reliable boundary.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*")
# A boundary starts right after . ! ? (its first branch) or at a line break (its second): the only places
# _boundaries tries it, found by a scan for those characters that the engine does at speed (_BOUNDARY itself starts
# with a lookbehind, so finditer tries it at every character of the article).
_BOUNDARY_AFTER = re.compile(r"[.!?\n]")
_ABBREV = re.compile(
    r"(?:\b(?:U\.S|U\.N|U\.K|Mr|Mrs|Ms|Dr|Lt|Col|Gen|Sgt|Capt|Maj|St|Jr|Sr|No|Gov|Rep|Sen|Det|Ofc|Dept|"
    r"Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|Ave|Blvd|Rd|Mt|Ft|[A-Z])\.)$"
)
# An abbreviation ends the text before a boundary and is shorter than this (tests/claims/test_prefilter.py checks it
# against _ABBREV's longest match), so only the text's tail is searched.
_ABBREV_TAIL = 8


def _boundaries(document: str, start: int) -> Iterator[re.Match[str]]:
    """Yield _BOUNDARY.finditer(document, start)'s matches: _BOUNDARY is matched only where one can begin (match at a
    position sees the text before it, as finditer does; no match is empty)."""
    end = start
    for hit in _BOUNDARY_AFTER.finditer(document, max(start - 1, 0)):
        at = hit.start() if document[hit.start()] == "\n" else hit.end()
        if at < end:
            continue
        m = _BOUNDARY.match(document, at)
        if m:
            end = m.end()
            yield m
        else:
            end = at + 1  # each place is tried once


def _is_abbreviation(document: str, start: int, end: int) -> bool:
    """Return whether _ABBREV.search(document[start:end]) finds an abbreviation, searching only the last
    _ABBREV_TAIL characters when the text is longer: a search from a position sees the character before it (for the
    word boundary), which is then the text's own, and $ holds at the search's end as at the slice's."""
    tail = end - _ABBREV_TAIL
    if tail <= start:
        return bool(_ABBREV.search(document[start:end]))
    return bool(_ABBREV.search(document, tail, end))


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, offsets into the article document and its index (0 = the title when there is one)."""

    text: str
    start: int
    end: int
    index: int
    is_title: bool = False


def split_sentences(document: str, title_length: int) -> list[Sentence]:
    """Return the sentences of `document` (title first, as its own sentence when `title_length` > 0)."""
    sentences: list[Sentence] = []
    pieces: list[tuple[int, int]] = []
    pos = 0
    body_from = 0
    if title_length:
        pieces.append((0, title_length))
        body_from = title_length
    pos = body_from
    for m in _boundaries(document, body_from):
        if m.start() <= pos:
            continue
        if "\n" not in m.group(0) and _is_abbreviation(document, pos, m.start()):
            continue
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(document)))
    for start, end in pieces:
        raw = document[start:end]
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        s = start + lead
        sentences.append(
            Sentence(stripped, s, s + len(stripped), len(sentences), is_title=title_length > 0 and start == 0)
        )
    return sentences


# A running total: the war's or the year's dead, not this incident's.
TOTAL_RE = re.compile(
    r"\b(?:since (?:the (?:start|beginning|outbreak) of |the )?(?:the )?(?:full-scale )?(?:war|conflict|uprising|crisis|revolution|invasion|"
    r"civil war|fighting|campaign|offensive|operation|start|beginning|outbreak|coup|military takeover|takeover|march|january|february|april|may|june|"
    r"july|august|september|october|november|december|\d{4}|it began|it started|then)|so far (?:this|in)|"
    # "since the Azerbaijani offensive began": a people's or a side's war
    r"since the (?:[\w-]+ ){1,2}?(?:war|offensive|invasion|campaign|conflict|uprising|operation|assault) "
    r"(?:began|started|erupted|broke out|was launched)\b|"
    r"(?:this|last|that|the past|the previous) (?:year|decade)|in (?:total|all) (?:since|during)|"
    r"(?:war|conflict|uprising|crisis|revolution)\b[^.]{0,120}?\b(?:has|have) (?:so far )?(?:killed|claimed|left)|"
    r"(?:war|conflict|uprising|violence|fighting|crisis|campaign|bombardment|offensive|siege|revolution) (?:which|that)?"
    r"\s*(?:\w+ ){0,8}?(?:has|have|had) (?:so far )?(?:killed|claimed|left)|(?:war|conflict) (?:has )?(?:killed|claimed)|"
    r"death toll (?:in|of) (?:the|syria'?s) (?:war|conflict)|(?:the|this) year|year to date|"
    r"over the (?:past|last) (?:\w+ )?(?:years|months|weeks|days)|during the (?:past|last) (?:\w+ )?(?:years|months|"
    r"weeks)|(?:a|the) total of \d[\d,]* (?:people|civilians) (?:have|had) been killed since|"
    # "11,327 people have been injured in the war in Ukraine": the war's, whatever number the sentence gives
    r"(?:have|has|had) been (?:killed|injured|wounded|hurt|maimed) (?:\w+ ){0,3}?(?:in|during|since) (?:the )?(?:[\w-]+ )?"
    r"(?:war|conflict|invasion|uprising|revolution)\b|"
    # "more than 200 people have been killed in the U.S. strikes": a campaign's dead, unless the strikes are dated
    r"(?:have|has) been (?:killed|injured|wounded) in (?:the )?(?:[\w.-]+ ){0,2}?(?:strikes|attacks|raids|bombings|"
    r"airstrikes|air strikes)\b(?![^.]{0,60}\b(?:overnight|today|yesterday|tonight|this morning|on (?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday))\b)|"
    r"years? of (?:war|conflict|fighting)|(?:month|week)s? of (?:fighting|bombardment|clashes)|"
    r"(?:ever|since) \d{4}|in \d{4} alone|since (?:late |early |mid-?)(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b|in (?:the )?(?:past|last) (?:\w+ )?(?:years|months|weeks))",
    re.IGNORECASE,
)
# Another incident given as background.
OTHER_RE = re.compile(
    # links to other stories; a "Tags" line is not one: its keyword list runs into the body's first sentence
    r"^(?:read more|related|also read|see also|watch|more on this)\b|"
    # "Also on Thursday, six soldiers were killed when ...", "That attack was claimed by ISWAP" (the one just told of)
    r"^also (?:on|in|at|earlier|late|that)\b|(?:^|\b(?:for|in|of|after|since|behind) )that (?:attack|ambush|assault|"
    r"bombing|blast|raid|strike|massacre)\b|"
    r"^in (?:january|february|march|april|june|july|august|september|october|november|december)\b|"
    r"\b(?:last (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:a|one|two|three) (?:days?|weeks?|months?|years?) (?:ago|earlier|before)|"
    r"earlier (?:this|that|in the) (?:week|month|year)|previous (?:attack|strike|bombing|shooting|massacre|incident)|"
    r"(?:a|an|in) (?:similar|separate|earlier|previous) (?:attack|strike|bombing|shooting|incident|raid|blast)|"
    r"the (?:earlier|previous) (?:attack|strike|bombing|shooting|incident|raid|blast|explosion|crash)|"
    # "the operations followed Monday's Houthi attack on Abu Dhabi, killing three": the attack it answers
    r"(?:followed|follows) (?:an? |the )?(?:(?:last|this) )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"week|month|weekend)['’]s\b|"
    r"(?:comes|came|coming) (?:just |only |barely )?(?:(?:a|one|two|three|four|five|six|seven|\d+|a few|several) )?"
    r"(?:days?|weeks?|months?) after|recall(?:ed|ing|s)? that|"
    r"in (?:a|an) (?:separate|unrelated|similar) (?:incident|attack|shooting|development)|separately|"
    # "the police do not establish any link between the two cases": another killing, told beside this one
    r"(?:no|any) (?:link|connection|relation) between (?:the )?two|not (?:been )?(?:linked|related|connected) to (?:the|this)|"
    r"in the past\b(?!\s+(?:\w+\s+)?(?:hours?|days?|week)\b)|previously|regularly|frequently|repeatedly|has (?:also )?carried out (?:several|many|numerous|"
    r"a (?:series|number|string)|multiple|dozens|scores|hundreds)|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|december) (?:19|20)\d\d|"
    r"\b(?:in|until|since) (?:late |early |mid-?)?(?:january|february|march|april|june|july|august|september|october|november|december)\b(?!\s+\d)|"
    r"in (?:19|20)\d\d|(?:19|20)\d\d (?:attack|massacre|shooting|bombing|chemical)|"
    # the war's first act, recalled: "the war erupted when Hamas-led gunmen stormed southern Israel, killing 1,200"
    r"\b(?:war|conflict|fighting|offensive|invasion)\b[^.;]{0,40}?\b(?:erupted|began|started|broke out|was triggered|"
    r"was sparked)\s+(?:when|after|by|with)\b|"
    # deaths intended, feared or avoided, not counted: "the enemy had intended to kill thousands in one minute"
    r"\b(?:intend(?:ed|s)?|aim(?:ed|s)?|tr(?:ied|ying|ies)|want(?:ed|s)?|plann?(?:ed|ing|s)?|plott(?:ed|ing)|"
    r"attempt(?:ed|ing|s)?|s(?:ought|eeking|eeks)|threaten(?:ed|ing|s)?|vow(?:ed|s)?)\s+to\s+kill\b|"
    r"\b(?:could|would|might)\s+have\s+(?:killed|died))",
    re.IGNORECASE,
)
# Most sentences hold none of the words a running total or a background incident needs ("since", "this year", "last
# week", a month's name, ...): the guards refuse them without a scan of the long patterns.
_TOTAL_GUARD, _OTHER_GUARD = Guard(TOTAL_RE), Guard(OTHER_RE)

_CITE_PATTERNS = [
    re.compile(
        r"\baccording to (?P<s>(?:(?:the|a|an|its|his|her|their|local|state|Syrian|Kurdish)\s+)*"
        r"[A-Za-z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|for|in|on|and|the|al|\w+-based|monitor|group|"
        r"observatory|media|sources?|officials?|reports?|activists?|spokes\w+|agency|ministry|police|"
        r"residents?|witnesses|rescuers|medics|doctors|television|TV|news|outlet))*)"
    ),
    re.compile(
        r"(?P<s>\b(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:spokes(?:man|woman|person)|monitor(?:ing group)?|"
        r"official|source|activist|witness|observatory|ministry|statement|medic|doctor))"
        r"(?:[\s,]+[\w'’-]+){0,6}?[\s,]+(?:said|says|told|reported|stated|added|confirmed)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?P<s>\b(?:(?:[A-Z][\w'’.-]*|opposition|rebel|local|state|security|military|medical|health|civil|"
        r"defence|defense|rescue|hospital|human|rights)\s+){0,6}?(?:[A-Z][\w'’.-]*|police|officials|activists|residents|"
        r"witnesses|authorities|media|sources|TV|television|agency|monitor|observatory|spokes\w+|groups|military|army|"
        r"ministry|government))"
        r"\s+(?:said|says|say|reported|reports|told|stated|confirmed|announced|added|"
        # "Yobe state police put the death toll lower, saying ..."
        r"puts?(?=\s+the\s+(?:death\s+)?(?:toll|figure|number|count)\b))\b"
    ),
    # a name, then a clause about it, then its verb: "The Baloch Liberation Army, which claimed the hijacking, said"
    re.compile(
        r"(?P<s>\b(?:[Tt]he\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|for|al)){0,5}),\s+(?:which|who)\s+[^,;.]{3,80},"
        r"\s+(?:said|says|reported|reports|told|stated|confirmed|announced|added|claimed)\b"
    ),
    # ... not after "told": "Residents told the BBC" names who was told
    re.compile(
        r"\b(?:said|says|reported|stated|confirmed|announced)\s+(?P<s>(?:the\s+)?(?:[A-Z][\w'’.-]*"
        r"(?:\s+(?:[A-Z][\w'’.-]*|for|of|the|al))*))"
    ),
]
# A pattern finds no source in a sentence without one of its words ("according to", "said", "spokesman", ...): the
# guards skip the scans that cannot succeed.
_CITE_GUARDS = [Guard(p) for p in _CITE_PATTERNS]
_NOT_A_SOURCE = {"he", "she", "it", "they", "we", "i", "this", "that", "there", "the", "a", "an", "who", "which"}


# Cached: the claims of one sentence each ask for its source and scope, with the same string.
@lru_cache(maxsize=256)
def cited_source(sentence: str) -> str | None:
    """Return who the sentence cites ("the Syrian Observatory for Human Rights", "a spokesperson"), else None."""
    for guard in _CITE_GUARDS:
        for m in guard.finditer(sentence):
            source = m.group("s").strip(" .,\"'“”")
            if source and source.lower() not in _NOT_A_SOURCE:
                return source
    return None


# A superlative that ranks the incident against others ("in what would be the deadliest attack on children since the
# junta seized power last year"): what follows it compares, and its "since" or "last year" dates no count.
_RANKED = re.compile(
    r",?\s+(?:in what (?:\w+ ){0,2})?(?:the|its|their)\s+(?:\w+\s+)?(?:deadliest|bloodiest|worst|most (?:deadly|lethal|"
    r"violent|serious))\b",
    re.IGNORECASE,
)


_COMPARED = re.compile(r"\b(?:surpass\w*|eclips\w*|topp\w*|overtak\w*|than|since)\b", re.IGNORECASE)


def compared_from(sentence: str) -> int:
    """Return where a ranking's comparison begins ("..., the deadliest on Niger's army in years, surpassing an assault
    on the Inates base last month in which 71 soldiers died"): what follows is another incident; else past the end."""
    ranked = _RANKED.search(sentence)
    if ranked:
        compared = _COMPARED.search(sentence, ranked.end())
        if compared:
            return compared.start()
    return len(sentence) + 1


# What a sentence gives as the cause its incident answers: "a revenge attack for US air strikes that killed 32
# civilians", "in retaliation for the shelling of ...". What follows is another incident: its dead and its attacker.
_ANSWERED = re.compile(
    r"\b(?:(?:in|as|an?)\s+(?:(?:act|attack|strike|operation)\s+of\s+)?(?:revenge|retaliation|reprisal)|"
    r"revenge\s+(?:attack|strike|operation)s?|to avenge|"
    # "the airbase was the launch pad for a chemical attack that left 100 dead": what the struck site served earlier
    r"launch(?:ing)?[\s-]*pad\s+for|staging\s+(?:ground|post|area)\s+for|"
    # "the strikes come weeks after a suicide attack ... claimed by X": the earlier attack the incident follows
    r"(?:comes?|came|coming)\s+(?:just\s+|only\s+)?(?:a\s+|two\s+|three\s+|several\s+|a\s+few\s+)?"
    r"(?:days?|weeks?|months?)\s+after)(?:[\s\"”’']+(?:for|against|to)\b)?",
    re.IGNORECASE,
)


def answered_from(sentence: str) -> int:
    """Return where the text about another incident that the sentence's incident answers begins ("... was a revenge
    attack for US air strikes that killed 32"), or the sentence's length when it names none."""
    m = _ANSWERED.search(sentence)
    return m.end() if m else len(sentence)


@lru_cache(maxsize=256)
def scope_of(sentence: str, opening: bool = False) -> str:
    """Return "total" for a running total, "other" for another incident as background, else "incident". A ranking of
    the incident after its count ("..., the deadliest attack since 2015") is no running total. In the headline and the
    first sentence (`opening`), "last week" or "last Thursday" dates the report's own incident ("Militants killed 89
    soldiers in Niger attack last week"), not another."""
    ranked = _RANKED.search(sentence)
    if ranked and ranked.start() > 0:
        sentence = sentence[: ranked.start()]
    if _TOTAL_GUARD.search(sentence):
        return "total"
    if _OTHER_GUARD.search(sentence) and not (opening and not OTHER_RE.search(_LAST_DAY.sub(" ", sentence))):
        return "other"
    return "incident"


_LAST_DAY = re.compile(
    r"\blast (?:week|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE
)
