"""Attribution: which configured actor a sentence says carried out the attack, and how the report holds it.

An actor mention is a perpetrator claim only when it is tied to the violence: the actor's weapon or force follows it
("Russian air strikes", "regime shelling"), it is the subject of an attack verb ("IS claimed responsibility",
"coalition jets struck"), the attack is done by it ("killed by regime barrel bombs", "targeted by Assad regime
airstrikes", "a landmine left behind by ISIS terrorists"), or it is a party to the fighting ("clashes between Faylaq
al-Rahman and ..."). A bare mention ("Russia brokered a truce") is not a claim, nor is an actor named as the victim ("a
Russian helicopter had been shot down"), as the holder of ground ("taken over by the Syrian army"), as the author of an
earlier attack that dates this one ("days after a deadly Assad regime chemical attack"), or counted among the dead ("4
Turkish Troopers Killed"). Two country names side by side ("relations with Syria Iraq Air strikes killed") are a
keyword list, not a subject.

Stance: "claimed" (the actor says it did it), "accused" (someone blames or suspects it), "denied" (the actor or the
report denies it), else "asserted" (the report states it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from accord.claims.prefilter import Guard, lowered, prefix_pattern
from accord.models import Actor
from accord.patterns import trie_pattern

_WEAPON = (
    r"(?:air\s*-?\s*strikes?|airstrikes?|air raids?|raids?|shelling|shells?|bombing|bombings|bombardment|"
    r"bombs?|barrel bombs?|warplanes?|war planes?|jets?|aircraft|planes?|helicopters?|gunships?|artillery|"
    r"missiles?|rockets?|attacks?|offensive|assault|fire|gunfire|snipers?|drones?|mortars?|suicide bombers?|"
    r"car bombs?|strikes?|aviation|air force|bombers|tanks|massacre|siege|ambush|onslaught|"
    r"chemical (?:attack|weapons?)|gas attack|cluster (?:bombs?|munitions)|counter-?offensive|operations?|"
    r"advance|incursion|onslaught)"
)
_VERB = (
    r"(?:kill|destroy|destroyed|destroys|eliminated|overran|overrun|bombed|bombs|bombing|shelled|shells|shelling|struck|strikes|hit|hits|attacked|attacks|attacking|"
    r"targeted|targets|targeting|killed|kills|killing|executed|executing|massacred|shot|fired|fires|firing|"
    r"launched|launches|launching|carried out|carries out|carrying out|dropped|drops|dropping|pounded|pounds|"
    r"pounding|stormed|detonated|blew up|raided|bombarded|bombarding|opened fire|"
    r"claim(?:ed|s)?(?=\s+(?:responsibility|credit|the|an?|its|twin|double|deadly|suicide|attacks?|bombings?))|"
    r"committed|downs|downed|shot down|shoots down|"
    r"violating|violated|violates|"
    r"used|struck|ambushed|besieged|seized|blew|set off|perpetrated|waged|conducted|responsible|"
    r"behead(?:s|ed|ing)|crucif(?:y|ies|ied|ying)|overran|overruns)"
)
_BY = re.compile(
    rf"(?:\b(?:{_VERB}|{_WEAPON}|crimes?|killed|caused|carried out|launched|conducted|dropped|fired|left behind|"
    rf"planted|laid|placed|booby-trapped)[\s\"”’']+"
    r"(?:[\w’'-]+\s+){0,2}?(?:by|from)|\b(?:blamed on|blaming|blamed|accused|accusing|accuses|blames|"
    r"held responsible|responsibility (?:of|on)|(?:clash(?:es)?|fighting|battles?|confrontations?) (?:with|against)|"
    r"(?:clash(?:es)?|fighting|battles?|confrontations?|shelling|exchanges? of fire) between|"
    r"(?:clash(?:es)?|fighting|battles?|confrontations?)\s+(?:\w+\s+){0,3}?(?:erupted|broke out) between|pitted))"
    r"\s+(?:the\s+|a\s+|an\s+)?(?:[\w’'-]+\s+){0,2}$",
    re.IGNORECASE,
)
_AFTER_WEAPON = re.compile(rf"^(?:[\s’'-]*s)?(?:[\s-]+(?:[\w’'-]+)){{0,3}}?[\s-]+{_WEAPON}\b", re.IGNORECASE)
_ALIAS_WEAPON = re.compile(rf"\b{_WEAPON}$", re.IGNORECASE)  # "Russian aircraft", "barrel bombs"
_AFTER_VERB = re.compile(
    rf"^(?:\s*\([^()]{{0,40}}\)|\))?(?:\s+(?!no\b|not\b|never\b|nobody\b|said\b|says\b|say\b|told\b|saying\b|stated\b|reported\b|added\b|announced\b|according\b|as\b|that\b|claim\b|claims\b|claimed\b)[\w’'-]+){{0,5}}?\s+(?:has\s+|have\s+|had\s+|was\s+|were\s+)?"
    rf"{_VERB}\b",
    re.IGNORECASE,
)
# The actor is the target or the victim, not the perpetrator: "kills 18 IS jihadists", "Russian helicopter is shot
# down", "strikes against the regime".
_VICTIM_BEFORE = re.compile(
    r"\b(?:kill\w*(?!\s+(?:in|by|during|when|as|after|from)\b)|execut\w*|target\w*|"
    r"against|hit|struck|attack\w* on|strikes? on|airstrikes? on|air raids? on|"
    r"raids? on|shelling of|positions of|posts of|areas held by|held by|controlled by|"
    r"besieged|bombard\w*|pounded|pounding|repel\w*|repuls\w*|thwart\w*|fended off|foiled|"
    r"affiliated (?:to|with)|backed by|supported by|sponsored by|destroy\w*|eliminat\w*|members? of|"
    r"wedding of|funeral of|famil(?:y|ies) of|base of|headquarters of|convoy of|taken over by|(?:re)?captured by|"
    r"retaken by|seized by|under the control of)(?!\s+by\b)\s+(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
_VICTIM_AFTER = re.compile(
    r"^(?:[\s’'-]*s|\))?(?:[\s-]+(?:group|forces|fighters|members|jihadists|militants|soldiers|"
    r"terrorists|recruits|militiamen|gunmen|commanders?|leaders?|emirs?|spokesman|son|bombers|"
    r"rebels|and|\d+|"
    r"troops|pilots?|airmen|crew|servicemen|officers|commanders?|men|elements|personnel|helicopter|plane|jet|"
    r"aircraft|warplane|positions|posts)){0,4}\s+(?:(?:were|was|is|are|have been|has been|had been|"
    r"being)\s+(?:shot|downed|killed|hit|targeted|attacked|wounded|executed|ambushed)|"
    r"(?:killed(?!\s+(?:at least|more than|over|about|some|nearly|up to|dozens|scores|hundreds|several|many|"
    r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty|thirty|forty|fifty|"
    r"people|civilians|children|women|his|her|their|an?|the)\b)|dead|died|wounded|shot down|"
    r"downed)\b)",
    re.IGNORECASE,
)
_CLAIMED = re.compile(
    r"\bclaim(?:ed|s|ing)? (?:responsibility|the (?:[\w-]+ ){0,3}?(?:attack|bombing|strike|killing))|"
    r"responsibility was claimed|claimed by\b",
    re.IGNORECASE,
)
_ACCUSED = re.compile(
    r"\b(?:accus\w*|blam\w*|suspect\w*|alleg\w*|held responsible|holds responsible|"
    r"condemn\w*|denounc\w*)\b",
    re.IGNORECASE,
)
_DENIED = re.compile(r"\b(?:denied|denies|deny|denying|rejected|rejects)\b", re.IGNORECASE)
# The text around a mention rarely holds a word these need (a verb or weapon before "by", an attack verb after the
# actor, a word that makes it the target): the guards skip the scans that cannot succeed.
_BY_GUARD, _AFTER_VERB_GUARD, _VICTIM_BEFORE_GUARD = Guard(_BY), Guard(_AFTER_VERB), Guard(_VICTIM_BEFORE)


@dataclass(frozen=True)
class ActorMention:
    """An alias of a configured actor found in a sentence: its span in the sentence and the actor id."""

    start: int
    end: int
    actor: str
    words: str


class ActorMatcher:
    """Finds configured actors in text; aliases compiled once, longest first."""

    def __init__(self, actors: Sequence[Actor]):
        by_alias: dict[str, str] = {}
        sensitive: dict[str, str] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                if re.fullmatch(r"[A-Z]{2,4}", alias):
                    sensitive.setdefault(alias, actor.id)
                else:
                    by_alias.setdefault(alias.lower(), actor.id)
        self._insensitive = by_alias
        self._sensitive = sensitive
        # One trie-shaped alternation per case rule: each position costs one character test, not one per alias
        # (a flat alternation of some hundred aliases made actor search the slowest part of extraction).
        branches = [f"(?i:{trie_pattern(list(by_alias))})"] if by_alias else []
        branches += [trie_pattern(list(sensitive))] if sensitive else []
        self._pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(branches)})(?![\w])") if branches else None
        # Where a mention can start, in the lowercased text: after a character that is neither a word character nor
        # a hyphen (the pattern's lookbehind), an alias lowercased. With ASCII aliases only, a text without a
        # character of FOLDS_TO_ASCII holds an alias that IGNORECASE (or case) matches as the alias lowercased, at
        # the same place (lowercasing keeps every place, word character, hyphen and non-ASCII character). The case-
        # insensitive trie above makes the engine try each alias's first letter in turn at every character; this
        # scan tests the characters between words only, and the lowercased letters one comparison each.
        aliases = frozenset(by_alias) | {a.lower() for a in sensitive}
        self._first = self._starts = None
        if aliases and all(a.isascii() for a in aliases):
            self._first = re.compile(prefix_pattern(aliases))
            self._starts = re.compile(rf"[^\w-](?={prefix_pattern(aliases)})")

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        """Yield self._pattern.finditer(text)'s matches, trying the pattern only where a mention can start (match at
        a position sees the text before it, as finditer does)."""
        low = lowered(text) if self._starts is not None else None
        if low is None:
            yield from self._pattern.finditer(text)
            return
        end = 0
        if self._first.match(low):
            m = self._pattern.match(text)
            if m:
                end = m.end()
                yield m
        for start in self._starts.finditer(low):
            at = start.end()
            if at < end:
                continue
            m = self._pattern.match(text, at)
            if m:
                end = m.end()
                yield m

    def mentions(self, text: str) -> list[ActorMention]:
        """Return the actor mentions in `text`, left to right, without overlaps."""
        if self._pattern is None:
            return []
        found = []
        for m in self._matches(text):
            words = m.group(0)
            actor = self._sensitive.get(words) or self._insensitive.get(words.lower())
            if actor:
                found.append(ActorMention(m.start(), m.end(), actor, words))
        return found


# Names that hold an alias but name no perpetrator: the opposition's political "Syrian Coalition", the "Syrian
# Observatory", a dateline ("MOSCOW (Sputnik)").
_NOT_ACTOR_BEFORE = re.compile(r"\b(?:Syrian|National|opposition|Syrian National)\s+$", re.IGNORECASE)
_DATELINE_AFTER = re.compile(r"^\s*\((?:Sputnik|AP|AFP|Reuters|SANA|TASS|Xinhua)\)")


# A police building or command named as a place or a source, not as an actor: "a source at Aleppo Police Command",
# "near the main police headquarters".
_POLICE_PLACE_AFTER = re.compile(
    r"^\s+(?:command|station|stations|headquarters|HQ|building|post|checkpoint|academy|"
    r"chief|source|sources|spokes\w+|department)\b",
    re.IGNORECASE,
)


_COUNTRIES = frozenset({"Russia", "Turkey", "Israel", "Iran", "Iraq", "Belgium"})
# A country named as a place ("the group operating in Iraq and Syria", "infiltrated from Turkey"), not as an actor.
_PLACE_BEFORE = re.compile(r"\b(?:in|into|from|across|to|inside|throughout|near|of)\s+$", re.IGNORECASE)
# Ground held by an actor ("moving to Syrian Arab Army positions", "regime-held districts") is a place.
_HELD_AFTER = re.compile(
    r"^(?:\s+|-)(?:positions?|posts?|checkpoints?|held|controlled|territory|lines)\b", re.IGNORECASE
)


# An earlier incident named as the time of this one ("Just days after a deadly Assad regime chemical attack a woman was
# killed"): its actor carried out that attack, not this one.
_EARLIER_BEFORE = re.compile(
    r"\b(?:days|weeks|months|years|a day|a week|a month|a year|the day|the week)\s+(?:after|since)\s+"
    r"(?:a|an|the|last|its)?\s*(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)


# Police named by a count are the people hit, not the shooters ("three officers") ...
_COUNTED_BEFORE = re.compile(
    r"(?<![\w.,])(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty|thirty|dozens of|"
    r"scores of)\s+(?:(?!the\b|a\b|an\b)[a-z’'-]+\s+)?$",
    re.IGNORECASE,
)
# ... and any actor counted as the dead or hurt ("4 Turkish Troopers Killed 4 Wounded", "20 Islamic State militants
# were killed").
_COUNTED_VICTIMS_AFTER = re.compile(
    r"^(?:\s+(?:group|forces|fighters|members|jihadists|militants|soldiers|troops|troopers|officers|men|"
    r"personnel|militiamen|rebels|policemen)){0,2}?\s+(?:(?:were|was|have been|had been|are|reportedly|also)\s+){0,2}"
    r"(?:killed|dead|died|wounded|injured|executed)\b",
    re.IGNORECASE,
)
# Two country names side by side with no word between ("relations with Syria Iraq Air strikes killed") are a list of
# keywords or places, not a sentence's subject.
_COUNTRY_BEFORE = re.compile(r"\b(?:Syria|Iraq|Turkey|Russia|Iran|Israel|Lebanon|Jordan|Egypt)\s+$")


def _not_an_actor(sentence: str, m: ActorMention) -> bool:
    if _EARLIER_BEFORE.search(sentence[max(0, m.start - 60) : m.start]):
        return True
    if _COUNTED_BEFORE.search(sentence[max(0, m.start - 30) : m.start]) and (
        m.actor == "police" or _COUNTED_VICTIMS_AFTER.match(sentence[m.end :])
    ):
        return True
    if m.words in _COUNTRIES and _COUNTRY_BEFORE.search(sentence[max(0, m.start - 10) : m.start]):
        return True
    if m.actor == "police" and _POLICE_PLACE_AFTER.match(sentence[m.end :]):
        return True
    if m.words in _COUNTRIES and _PLACE_BEFORE.search(sentence[max(0, m.start - 12) : m.start]):
        return True
    if _HELD_AFTER.match(sentence[m.end :]):
        return True
    if (
        m.actor == "us-led-coalition"
        and m.words.lower() == "coalition"
        and _NOT_ACTOR_BEFORE.search(sentence[max(0, m.start - 25) : m.start])
    ):
        return True
    return m.words.isupper() and len(m.words) > 4 and bool(_DATELINE_AFTER.match(sentence[m.end :]))


@dataclass(frozen=True)
class PerpetratorHit:
    """An actor tied to the violence in one sentence, with the stance the report takes."""

    mention: ActorMention
    stance: str
    cue: str


# The report says it does not know who did it ("it is not known which aircraft carried out the strike", "it was not
# immediately clear who carried out the attack"): the actors it then names are possibilities, and a coder records no
# perpetrator from that sentence.
UNCERTAIN = re.compile(
    r"\b(?:(?:not|never) (?:immediately |yet |officially )?(?:known|clear|confirmed|identified)|unclear|"
    r"unknown|no (?:way|one) (?:of knowing|knows))\s+(?:who|which|whether|if|what)\b",
    re.IGNORECASE,
)


# Allies a report names as the alternatives of one side ("not clear whether Syrian or Russian warplanes carried out
# the raids"): the side is known, and the report's first-named ally stands for it.
ONE_SIDE = frozenset({"syrian-government", "russia"})


def perpetrator_hits(sentence: str, matcher: ActorMatcher) -> list[PerpetratorHit]:
    """Return the actors that `sentence` ties to the violence, with stance and the cue that tied them."""
    hits = []
    mentions = [m for m in matcher.mentions(sentence) if not _not_an_actor(sentence, m)]
    for i, m in enumerate(mentions):
        after_end = m.end + 80
        # A cue after the actor belongs to it only up to the next actor ("rebels blamed Russian warplanes").
        if i + 1 < len(mentions) and mentions[i + 1].start - m.end < 80:
            after_end = mentions[i + 1].start
        after = sentence[m.end : after_end]
        before_start = max(0, m.start - 50)
        before = sentence[before_start : m.start]
        cue = None
        if (
            _VICTIM_BEFORE_GUARD.may_match(sentence, before_start, m.start) and _VICTIM_BEFORE.search(before)
        ) or _VICTIM_AFTER.match(after):
            continue
        if _AFTER_WEAPON.match(after) or _ALIAS_WEAPON.search(m.words):
            cue = "weapon"
        elif _BY_GUARD.may_match(sentence, before_start, m.start) and _BY.search(before):
            cue = "by"
        elif _AFTER_VERB_GUARD.may_match(sentence, m.end, after_end) and _AFTER_VERB.match(after):
            cue = "verb"
        if cue is None:
            continue
        stance = "asserted"
        if _CLAIMED.search(after[:60]) and cue == "verb":
            stance = "claimed"
        elif _DENIED.search(after[:60]):
            stance = "denied"
        elif _ACCUSED.search(sentence[: m.start]):
            stance = "accused"
        hits.append(PerpetratorHit(m, stance, cue))
    if hits and UNCERTAIN.search(sentence) and not {h.mention.actor for h in hits} <= ONE_SIDE:
        return []
    return hits
