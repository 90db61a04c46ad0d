"""The verdict: for each story, do its independent voices agree on the death toll, the injured and who did it?

Three questions, each answered on its own, each with its evidence (which voice says what, in which sentence):

- **killed** and **injured**: `agreeing`, `rising`, `divergent`, `single voice` or `none stated`.
  Each voice (a copy group: wire copy run by ten outlets is one voice) counts with its latest account. Two figures
  disagree when they differ by more than `spread` (a quarter) of the larger and by at least `min_gap` (3): the
  analyst's rule of ../shared/CORPUS.md. A disagreement is explained by time, and the toll is `rising`, when the
  lower figure is dated before the higher one, or when the higher one's own sentence says the toll rose to it ("the
  death toll rose to 45"): an earlier, lower figure is then what that account itself superseded. A range ("between
  20 and 30") disagrees only with figures outside it, a vague word ("dozens", "scores") with none (a vague word beside
  a stated number is no disagreement: ../shared/CORPUS.md), and "at least 20" only with figures under it once
  `open_bounds` is set (see AgreementSettings). Only the toll of this incident counts: claims of another incident or of
  a running war total never reach the verdict (the extractor's scope).
- **attribution**: `agreed`, `contested`, `single voice` or `none named`. Every claim counts, with whose claim it is:
  the outlet's own main perpetrator, a party's claim of responsibility, an accusation the report relays, a denial.
  The story is contested when an actor named as responsible (by anyone) is denied (by anyone), or when two actors
  that cannot both be right are named (different speakers, or different voices' own conclusions, unless one of them
  names the other's actor as a side of the same clash: "clashes between the army and the RSF"). A generic attacker
  ("the gunman") agrees with a named one, and an affiliate with its parent group (the actor catalogue's `parent`).

The story's grade follows from the verdicts: `divergent` when the death toll diverges, else `contested` when the
attribution is contested, else `corroborated` (two or more voices) or `single source`. Injured counts are reported
but never drive the grade: a war-wide total read as injured must not flip an agreeing story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from accord.incident import calendar_date
from accord.models import Claim
from accord.patterns import CLASH_BETWEEN, GENERIC_ATTACKERS, TOLL_RISE, generic_attacker_id

COUNT_QUESTIONS = ("killed", "injured")
COUNT_VERDICTS = ("agreeing", "rising", "divergent", "single voice", "none stated")
ATTRIBUTION_VERDICTS = ("agreed", "contested", "single voice", "none named")
NAMING = frozenset({"asserted", "claimed", "accused"})
# A party's blame takes a side only when its sentence is about the attack itself ("blamed Israel for the bombing"):
# a party's words on other strikes, bases or the war at large are background
_ABOUT_THE_ATTACK = re.compile(
    r"\b(?:the|this|that|these|those|its|their|sunday's|monday's|tuesday's|wednesday's|thursday's|friday's|"
    r"saturday's|yesterday's|today's|latest|deadly|twin)\s+(?:[\w-]+\s+){0,2}?(?:attacks?|bombings?|blasts?|"
    r"explosions?|strikes?|airstrikes?|air\s+strikes?|raids?|massacre|shelling|shootings?|killings?|assault|incident|"
    r"rocket|missile|tragedy|carnage)\b"
    # "blamed a drone strike by the army" in the sentence that gives the toll
    r"|\bblam(?:ed|es|ing)\s+an?\s+(?:[\w-]+\s+){0,2}?(?:attacks?|bombings?|strikes?|airstrikes?|air\s+strikes?|"
    r"raids?|shelling|rocket|missile)\b",
    re.IGNORECASE,
)

_CLASH_BETWEEN = re.compile(CLASH_BETWEEN, re.IGNORECASE)

# A claim that is not the article's own account takes part in a dispute when it is about this attack or says it claims
# it: "the group said it had shot down the plane" (what provoked a reprisal) is another act.
_CLAIM_WORDS = re.compile(r"\b(?:claim\w*|responsib\w*|credit)\b", re.IGNORECASE)

# "the death toll rose to 45", "has risen to", "climbs to", "increased to", "revised to": the account supersedes a
# lower, earlier figure.
_UPDATE = re.compile(rf"\b{TOLL_RISE}\s+(?:to|past|above)\b", re.IGNORECASE)
# A figure its own sentence calls too low: "but residents say the real number is higher", "feared to be
# underreported". A higher figure later is then the other side of a dispute, not the same toll risen.
_UNDERSTATED = re.compile(
    r"\b(?:(?:real|true|actual)\s+(?:number|toll|death\s+toll|figure|count)\s+(?:is|was|could\s+be|may\s+be|might\s+be|"
    r"would\s+be)\s+(?:much\s+|far\s+|significantly\s+|considerably\s+)?(?:higher|greater)|"
    r"under-?(?:estimat|report|count|stat)\w*|downplay\w*)",
    re.IGNORECASE,
)
# A toll that counts the attackers among its dead: "eight killed, including three terrorists", "five dead including the
# gunman". Compared with the others, it may be the victims' count plus the attackers.
_WITH_ATTACKERS = re.compile(
    r"\bincluding\s+(?:the\s+|a\s+)?(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)?\s*(?:of\s+the\s+)?"
    r"(?:attackers?|assailants?|terrorists?|gunm[ae]n|militants?|shooters?|bombers?|suspects?|perpetrators?|"
    r"insurgents?)\b",
    re.IGNORECASE,
)
_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _attackers_among(claim: Claim) -> int:
    """How many attackers a death toll says it counts ("including three terrorists"), else 0."""
    m = _WITH_ATTACKERS.search(claim.sentence) if claim.kind == "killed" and "including" in claim.sentence else None
    if not m:
        return 0
    n = m.group("n")
    return int(n) if n and n.isdigit() else _SMALL.get((n or "one").lower(), 1)


@dataclass(frozen=True)
class Report:
    """One article of a story as the verdict reads it: who published it, when, and every claim read from it."""

    article_id: str
    outlet: str
    voice: str
    published: datetime | None  # None: the report gives no date (collection time is not publication time)
    url: str | None = None
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One voice's account on one question: its figure or its claim, and the sentence it came from."""

    voice: str
    outlets: tuple[str, ...]
    article_id: str
    url: str | None
    published: str | None
    sentence: str
    value: float | None = None
    low: int | None = None
    high: int | None = None
    actor: str | None = None
    stance: str | None = None
    speaker: str | None = None  # None: the outlet's own voice

    def to_json(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if v is not None or k in ("url", "published")}
        out["outlets"] = list(self.outlets)
        return out


@dataclass(frozen=True)
class QuestionVerdict:
    question: str
    verdict: str
    voices: int
    summary: str
    evidence: tuple[Evidence, ...] = ()
    spread: float = 0.0  # for a divergent toll: (largest - smallest) / largest of the figures in conflict


@dataclass(frozen=True)
class StoryVerdict:
    story_id: str
    killed: QuestionVerdict
    injured: QuestionVerdict
    attribution: QuestionVerdict
    voices: int
    headline: str
    grade: str
    divergence: float

    @property
    def count_divergent(self) -> bool:
        return self.killed.verdict == "divergent"

    @property
    def attribution_contested(self) -> bool:
        return self.attribution.verdict == "contested"

    def questions(self) -> tuple[QuestionVerdict, ...]:
        return (self.killed, self.injured, self.attribution)


@dataclass(frozen=True)
class VerdictSettings:
    """The thresholds of the verdict (the analyst's rule in ../shared/CORPUS.md by default)."""

    spread: float = 0.25  # figures further apart than this share of the larger one disagree...
    min_gap: int = 3  # ...when they are also at least this many apart
    open_bounds: bool = False  # "at least 20" agrees with 45 (True), or reads as 20 (False, as annotators do)
    rising_after: timedelta = timedelta(hours=6)  # a lower figure dated this much earlier is an earlier figure


@dataclass(frozen=True)
class ActorRelations:
    """What the actor catalogue says of how actors relate: parents (affiliate -> parent) and generic attackers."""

    parent: Mapping[str, str] = field(default_factory=dict)
    generic: frozenset[str] = GENERIC_ATTACKERS
    # actors that fight side by side and that the news often names interchangeably for one strike ("Russian and
    # regime air strikes"): naming one or the other is no dispute
    allies: frozenset[frozenset[str]] = frozenset()
    # the catalogue's actor ids: a speaker among them is a party to the conflict, whose blame is a side of a dispute
    # (None: every named speaker counts as a party)
    known: frozenset[str] | None = None
    # an actor named by common words ("police") -> the actors whose names end in them ("Rio police"): particular ones
    particulars: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # a country's state forces -> its countries, and a particular force -> its countries (empty: not said): "police"
    # resolved to the state's forces and "Rio police" a list names are one side, no rivals
    state_countries: Mapping[str, frozenset[str]] = field(default_factory=dict)
    particular_countries: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def is_party(self, speaker: str | None) -> bool:
        return speaker is not None and (self.known is None or speaker in self.known)

    @classmethod
    def from_actors(cls, actors: Iterable[Any]) -> ActorRelations:
        parent: dict[str, str] = {}
        generic = set(GENERIC_ATTACKERS)
        allies: set[frozenset[str]] = set()
        actors = list(actors)
        for actor in actors:
            for ally in getattr(actor, "allies", None) or ():
                allies.add(frozenset((actor.id, ally)))
            if getattr(actor, "parent", None):
                parent[actor.id] = actor.parent
            if getattr(actor, "generic", False) or generic_attacker_id(actor.id):
                generic.add(actor.id)
        # an actor named by common words ("police") and one whose name ends in them ("Rio police", "military police"):
        # the second is a particular one of the first, no rival; words for a country's forces ("police", "army") too
        common: dict[str, str] = {}
        for actor in actors:
            if getattr(actor, "countries", None) or generic_attacker_id(actor.id):
                continue
            for word in getattr(actor, "aliases", None) or ():
                if word.isalpha() and word == word.lower():
                    common.setdefault(word, actor.id)
        particulars: dict[str, set[str]] = {}
        if common:
            for actor in actors:
                for alias in (actor.name, *(getattr(actor, "aliases", None) or ())):
                    head = alias.lower().rsplit(" ", 1)[-1] if " " in alias else ""
                    if head in common and common[head] != actor.id:
                        allies.add(frozenset((actor.id, common[head])))
                        particulars.setdefault(common[head], set()).add(actor.id)
        particular_ids = {a for ids in particulars.values() for a in ids}
        return cls(
            parent,
            frozenset(generic),
            frozenset(allies),
            frozenset(a.id for a in actors) or None,
            {k: frozenset(v) for k, v in particulars.items()},
            {
                a.id: frozenset(getattr(a, "countries", None) or ())
                for a in actors
                if getattr(a, "state", False) and getattr(a, "countries", None)
            },
            {a.id: frozenset(getattr(a, "countries", None) or ()) for a in actors if a.id in particular_ids},
        )

    def lineage(self, actor: str) -> list[str]:
        out = [actor]
        while out[-1] in self.parent and self.parent[out[-1]] not in out and len(out) < 8:
            out.append(self.parent[out[-1]])
        return out

    def compatible(self, a: str, b: str) -> bool:
        """Whether two actors named as responsible can both be right: the same actor, one generic, or kin."""
        if a == b or a in self.generic or b in self.generic or frozenset((a, b)) in self.allies:
            return True
        for state, force in ((a, b), (b, a)):
            if state in self.state_countries and force in self.particular_countries:
                where = self.particular_countries[force]
                if not where or where & self.state_countries[state]:
                    return True  # "police" read as the state's forces, and the particular police a list names
        return b in self.lineage(a) or a in self.lineage(b)


# ---------------------------------------------------------------- counts


@dataclass(frozen=True)
class _Figure:
    voice: str
    outlets: tuple[str, ...]
    claim: Claim
    report: Report

    @property
    def point(self) -> float:
        c = self.claim
        return float(c.point if c.point is not None else c.low or 0)

    def bounds(self, open_bounds: bool) -> tuple[float, float | None]:
        """The figure as an interval: a range as given; "at least N" open only with open_bounds; "up to N" at N (a
        vague word disagrees with no figure: _disagree)."""
        c, p = self.claim, self.point
        low = float(c.low) if c.low is not None else p
        attackers = _attackers_among(c)
        if c.high is None:
            return (low - attackers, None) if open_bounds else (p - attackers, p)
        high = float(c.high)
        if self.up_to:
            return p - attackers, p  # "up to 2,000 feared dead": the figure its speaker puts forward, not any below it
        if (high - low) > 1:
            return low - attackers, high
        return p - attackers, p

    @property
    def up_to(self) -> bool:
        """Whether the figure is a ceiling its speaker puts forward ("up to 2,000", "as many as 60"): 1 to N, at N."""
        c = self.claim
        return c.low is not None and c.high is not None and c.low <= 1 < c.high == self.point

    @property
    def updates(self) -> bool:
        return bool(_UPDATE.search(self.claim.sentence))


def _latest(figures: Sequence[_Figure]) -> _Figure:
    """The account that counts for one outlet or voice: the latest dated; among equals, one saying the toll rose,
    then the larger (tolls rise)."""
    return max(figures, key=lambda f: (f.report.published or datetime.min, f.updates, f.point, f.report.article_id))


def _count_figures(reports: Sequence[Report], kind: str) -> list[_Figure]:
    by_outlet: dict[str, list[_Figure]] = {}
    voice_outlets: dict[str, set[str]] = {}
    for r in reports:
        voice_outlets.setdefault(r.voice, set()).add(r.outlet)
    for r in reports:
        for c in r.claims:
            if (
                c.kind == kind
                and c.chosen
                and c.scope == "incident"
                and (c.point is not None or c.low is not None)
                and not _self_claimed(c)
            ):
                by_outlet.setdefault(r.outlet, []).append(_Figure(r.voice, (), c, r))
    by_voice: dict[str, list[_Figure]] = {}
    for figures in by_outlet.values():
        best = _latest(figures)
        by_voice.setdefault(best.voice, []).append(best)
    out = []
    for voice, figures in by_voice.items():
        best = _latest(figures)
        out.append(_Figure(voice, tuple(sorted(voice_outlets[voice])), best.claim, best.report))
    return sorted(out, key=lambda f: (f.point, f.voice))


# Victims whose count a party gives of its enemies ("the army said it killed 30 terrorists"): a claim of a military
# result, not a rival figure for the incident's dead.
_COMBATANTS = frozenset({"fighters", "soldiers"})
PARTY_VOICE = "party:"


def _self_claimed(c: Claim) -> bool:
    """Whether a count is the attackers' own claim of their killing ("Al-Shabaab claims killing 12 officers"), which
    an outlet may give as its only figure: the claiming group's account, a party's voice, whichever outlet relays it."""
    return bool(c.actor and c.extra.get("self_claimed"))


def _party_figures(reports: Sequence[Report], kind: str, relations: ActorRelations) -> list[_Figure]:
    """The figures that the side held responsible gives as its own ("the Israeli military said 'under 100' were
    killed", relayed by an outlet that gives 274): a rival account, one voice per party whatever outlets relay it.
    Only a party named as the perpetrator by some report of the story counts (a monitor's or a hospital's figure is
    the outlet's account, the extractor's `chosen`), and never its count of fighters or soldiers."""
    held = {
        c.actor
        for r in reports
        for c in r.claims
        if c.kind == "perpetrator" and c.actor and c.chosen and c.stance in NAMING and c.scope in ("incident", None)
    }
    kin = {a for h in held for a in relations.lineage(h)}
    by_party: dict[str, list[_Figure]] = {}
    relays: dict[str, set[str]] = {}
    for r in reports:
        for c in r.claims:
            if (
                c.kind == kind
                and c.actor
                # an outlet's own lead toll that it gives as the held party's ("Ukraine says 34 officers killed in
                # Sevastopol strike") is that party's account too
                and (not c.chosen or _self_claimed(c) or c.actor in held)
                and c.scope == "incident"
                and (c.victims not in _COMBATANTS or _self_claimed(c) or (c.chosen and c.actor in held))
                and (c.actor in kin or any(a in held for a in relations.lineage(c.actor)))
                and (c.point is not None or c.low is not None)
                and not _dated_elsewhere(c, r)
            ):
                voice = PARTY_VOICE + c.actor
                by_party.setdefault(voice, []).append(_Figure(voice, (), c, r))
                relays.setdefault(voice, set()).add(r.outlet)
    return [replace(_latest(figures), outlets=tuple(sorted(relays[voice]))) for voice, figures in by_party.items()]


# A figure that an article sets against its own toll as a source's current one: "police stand by their toll of 10",
# "the ministry disputed the figure, putting it at 12". Read only with such words: a second source's figure alone is
# most often an earlier stage or a part of the toll.
_RIVAL_CUE = re.compile(
    r"\b(?:stood by|stands? by|maintain(?:ed|s)?|insist(?:ed|s)?|disput(?:ed|es|ing)|contest(?:ed|s)|reject(?:ed|s)|"
    r"(?:a|its|their) (?:much )?(?:lower|higher) (?:toll|figure|count)|"
    # "police put the death toll lower, saying 34 people had been killed"
    r"put\w*\s+(?:the\s+)?(?:death\s+)?(?:toll|figure|number|count)\s+(?:much\s+|far\s+)?(?:lower|higher)|"
    # "a count the Masalit leaders described as 'far below reality'", "dismissed as exaggerated reports that ..."
    r"far\s+(?:below|short\s+of|from)\s+(?:the\s+)?(?:reality|truth|real\s+(?:toll|figure|number))|"
    r"(?:gross(?:ly)?\s+)?under-?estimat\w*|under-?stat\w*|exaggerat\w*|inflated|"
    # "police say, though local people say the toll is much higher"
    r"(?:say|says|said|believe[sd]?|insist(?:s|ed)?)\s+(?:that\s+)?(?:the\s+)?(?:real\s+|true\s+|actual\s+)?"
    r"(?:death\s+)?(?:toll|figure|number|count)\s+(?:is|was|could\s+be|may\s+be|might\s+be|would\s+be)\s+"
    r"(?:much\s+|far\s+|significantly\s+|considerably\s+)?(?:higher|greater|lower))\b",
    re.IGNORECASE,
)
_CONTRASTED = re.compile(
    r"\b(?:heavier|higher|lower|larger|smaller|bigger)\s+(?:death\s+)?(?:toll|figure|count|tally|number)\s+than\s+"
    r"(?:the\s+)?(?:one|that|those|figures?|toll|count|official)\b|"
    r"\b(?:more|fewer)\s+than\s+(?:the\s+)?official\s+(?:toll|figure|count)\b|"
    # "has risen to about 170, a local leader said, far higher than figures given by police"
    r"\b(?:far|much|well)\s+(?:higher|lower|more|fewer)\s+than\s+(?:the\s+)?(?:figures?|tolls?|counts?|numbers?)\s+"
    r"(?:given|announced|reported|released|provided|put\s+forward|cited|issued)\s+by\b|"
    r"\b(?:double|twice|three times|triple)\s+the\s+(?:official\s+)?(?:toll|figure|count)\b",
    re.IGNORECASE,
)
SOURCE_VOICE = "source:"
# A figure the sentence names as another source's while setting its own against it: "disputing a police figure of nine
# dead", "far more than the nine deaths confirmed by the police", "higher than the toll of 18 given by police". The
# source is read from the words around the count.
_DISPUTED_BEFORE = re.compile(
    r"\b(?:disput\w*|contest\w*|reject\w*|contradict\w*)\s+(?:the\s+|a\s+|an\s+)?(?P<src>(?:[\w’'-]+\s+){1,3}?)"
    r"(?:figure|toll|count|tally)\s+of\s+(?:only\s+|just\s+)?$|"
    r"\b(?:far|much|well|many times)\s+(?:more|fewer|higher|lower)\s+than\s+(?:the\s+)?$|"
    r"\b(?:more|fewer|higher|lower)\s+than\s+(?:the\s+|a\s+)?(?:official\s+)?(?:toll|figure|count|tally)\s+of\s+$",
    re.IGNORECASE,
)
_SOURCE_AFTER = re.compile(
    r"^[\w\s-]{0,30}?\b(?:confirmed|given|reported|announced|put forward|cited|released|acknowledged|admitted|"
    r"recorded|stated|provided)\s+by\s+(?:the\s+)?"
    r"(?P<src>[\w’'-]+(?:\s+[\w’'-]+)?)",
    re.IGNORECASE,
)


def _disputed_source(c: Claim) -> str | None:
    """Return the source of a figure the sentence sets its own against (_DISPUTED_BEFORE), as a source key, or None."""
    words = str(c.extra.get("count_text") or "")
    at = c.sentence.find(words) if words else -1
    if at < 0:
        return None
    before = _DISPUTED_BEFORE.search(c.sentence[max(0, at - 80) : at])
    if before is None:
        return None
    if before.group("src"):
        return _source_key(before.group("src"))
    after = _SOURCE_AFTER.match(c.sentence[at + len(words) :])
    return _source_key(after.group("src")) if after else None


def _source_key(source: str | None) -> str:
    return re.sub(r"^(?:the|its|their)\s+", "", (source or "").strip().lower())


# A party's or a source's figure in a sentence dated this many days or more before the date the report gives its own
# incident (in its chosen toll's or its lead's sentences) is of another incident: "a missile struck Donetsk on March
# 14, killing 17, according to the Russian side", in a report of April 8 whose lead dates its strike April 8. Where the
# report dates its incident nowhere, the gap is counted from its publication and must be longer (a follow-up a week
# later may date the incident itself: "the army said the April 8 strike killed only 30").
OTHER_DAY_GAP = 3
UNDATED_OTHER_DAY_GAP = 10


def _dated_elsewhere(c: Claim, r: Report) -> bool:
    """Whether claim `c` of report `r` states a calendar date far enough before the report's own incident date (see
    OTHER_DAY_GAP) to be about another incident."""
    if r.published is None or not (_MONTH_DAY_GUARD.search(c.sentence)):
        return False
    stated = calendar_date(c.sentence, r.published)
    if not stated:
        return False
    own_days = {
        d
        for own in r.claims
        if own is not c
        and (own.chosen or int(own.extra.get("lead_rank", 99)) <= 2)  # type: ignore[call-overload]
        and _MONTH_DAY_GUARD.search(own.sentence)
        and (d := calendar_date(own.sentence, r.published))
    }
    if own_days:
        return all((day - stated).days >= OTHER_DAY_GAP for day in own_days)
    return (r.published.date() - stated).days >= UNDATED_OTHER_DAY_GAP


_MONTH_DAY_GUARD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)


def _rival_figures(reports: Sequence[Report], kind: str, taken: set[str]) -> list[_Figure]:
    """The figures an article gives as another source's current account against its own toll (_RIVAL_CUE), one voice
    per source: not an earlier stage of the toll, since the article states both at once. Sources already a party's
    voice (`taken`) are left to it."""
    by_source: dict[str, list[_Figure]] = {}
    relays: dict[str, set[str]] = {}
    for r in reports:
        own = {_source_key(c.cited_source) for c in r.claims if c.kind == kind and c.chosen}
        # the article's own toll set against another's ("a heavier toll than the one announced by the government"):
        # the other sources' figures it gives are their current accounts
        contrasted = any(_CONTRASTED.search(c.sentence) for c in r.claims if c.kind == kind)
        own_victims = {c.victims for c in r.claims if c.kind == kind and c.chosen}
        for c in r.claims:
            if c.kind != kind or c.chosen:
                continue
            # a source named as disputed around the count, else the claim's cited source where the sentence disputes
            key = _disputed_source(c) or (
                _source_key(c.cited_source) if contrasted or _RIVAL_CUE.search(c.sentence) else ""
            )
            if (
                key
                and key not in own
                and c.scope == "incident"
                and (c.victims not in _COMBATANTS or c.victims in own_victims)
                and (c.point is not None or c.low is not None)
                and not (c.actor and PARTY_VOICE + c.actor in taken)
                and not _dated_elsewhere(c, r)
            ):
                voice = SOURCE_VOICE + key
                by_source.setdefault(voice, []).append(_Figure(voice, (), c, r))
                relays.setdefault(voice, set()).add(r.outlet)
    # one source however fully each article names it ("Yobe state police", "police"): the shortest name
    for voice in sorted(by_source, key=len):
        if voice not in by_source:
            continue  # merged into a shorter name already
        for longer in [v for v in by_source if len(v) > len(voice) and v.endswith(" " + voice[len(SOURCE_VOICE) :])]:
            by_source[voice] += [replace(f, voice=voice) for f in by_source.pop(longer)]
            relays[voice] |= relays.pop(longer)
    return [replace(_latest(figures), outlets=tuple(sorted(relays[voice]))) for voice, figures in by_source.items()]


def _relayed(f: _Figure) -> bool:
    return f.voice.startswith((PARTY_VOICE, SOURCE_VOICE))


def _disagree(a: _Figure, b: _Figure, settings: VerdictSettings) -> bool:
    if a.claim.extra.get("implicit") or b.claim.extra.get("implicit"):
        return False  # one victim named without a number ("Slain Dallas cop") is a profile, not a rival toll
    if a.claim.extra.get("vague") or b.claim.extra.get("vague"):
        return False  # "scores" or "dozens" beside a stated number is no rival toll (../shared/CORPUS.md)
    (alow, ahigh), (blow, bhigh) = a.bounds(settings.open_bounds), b.bounds(settings.open_bounds)
    if ahigh is not None and ahigh < blow:
        lo, hi = ahigh, blow
    elif bhigh is not None and bhigh < alow:
        lo, hi = bhigh, alow
    else:
        return False
    return hi - lo > settings.spread * hi and hi - lo >= settings.min_gap


def _explained_by_time(low: _Figure, high: _Figure, top: _Figure | None, settings: VerdictSettings) -> bool:
    """Whether the lower figure is an earlier stage of the higher one: dated before it, or superseded by it. `top` is
    the highest figure of the story whose account says the toll rose to it (None if none does): below it, figures
    that their dates do not order are earlier stages of one rising toll."""
    if _UNDERSTATED.search(low.claim.sentence):
        return False  # "the Taliban put the toll at 19, but residents say the real number is higher": disputed then
    lw, hw = low.report.published, high.report.published
    if (
        high.voice.startswith(PARTY_VOICE)
        and not _relayed(low)
        and low.claim.high is None
        and low.claim.low is not None
    ):
        # the outlet's own "at least 60", a day or more before a party's 137: a floor the later count came to exceed
        # (not a source the report sets against another's count: "184 according to the UN, the CPD counted 110")
        return lw is not None and hw is not None and hw - lw >= max(settings.rising_after, timedelta(days=1))
    if _relayed(low) or _relayed(high):
        return False  # a party's or a disputing source's figure is its own account, not an earlier stage of the toll
    if lw is not None and hw is not None:
        if hw - lw >= settings.rising_after:
            return True
        if lw - hw >= settings.rising_after:
            return False  # the lower figure came later: not a rise
    if high.updates:
        return True
    if top is None or top.point < high.point:
        return False
    tw = top.report.published
    return tw is None or all(w is None or tw - w > -settings.rising_after for w in (lw, hw))


def _evidence_of_figure(f: _Figure) -> Evidence:
    c = f.claim
    return Evidence(
        voice=f.voice,
        outlets=f.outlets,
        article_id=f.report.article_id,
        url=f.report.url,
        published=f.report.published.isoformat() if f.report.published else None,
        sentence=c.sentence,
        value=f.point,
        low=c.low,
        high=c.high,
        speaker=f.voice.split(":", 1)[1] if _relayed(f) else None,
    )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _shown(f: _Figure) -> str:
    """A figure as a reader should see it: a ceiling as such ("up to 100"), a range or vague word as its range
    ("20-99"), else its number."""
    c = f.claim
    if f.up_to:
        return f"up to {_fmt(f.point)}"
    if c.low is not None and c.high is not None and c.high - c.low > 1:
        return f"{c.low}-{c.high}"
    return _fmt(f.point)


def _who(f: _Figure) -> str:
    if _relayed(f):
        return f"{f.voice.split(':', 1)[1]}, as relayed by " + ", ".join(f.outlets[:3])
    return ", ".join(f.outlets[:3]) + (f" and {len(f.outlets) - 3} more" if len(f.outlets) > 3 else "")


def count_verdict(
    reports: Sequence[Report],
    kind: str,
    settings: VerdictSettings = VerdictSettings(),
    relations: ActorRelations = ActorRelations(),
) -> QuestionVerdict:
    """Return the verdict on one count (killed or injured) of one story's reports: the outlets' own accounts, and the
    figures that the side held responsible gives (`_party_figures`)."""
    noun = "death toll" if kind == "killed" else "injured count"
    article = "an" if kind == "injured" else "a"
    figures = _count_figures(reports, kind)
    if figures:
        parties = _party_figures(reports, kind, relations)
        rivals = _rival_figures(reports, kind, {f.voice for f in parties})
        figures = sorted(figures + parties + rivals, key=lambda f: (f.point, f.voice))
    evidence = tuple(_evidence_of_figure(f) for f in figures)
    if not figures:
        return QuestionVerdict(kind, "none stated", 0, f"No report states {article} {noun}.")
    if len(figures) == 1:
        f = figures[0]
        return QuestionVerdict(
            kind,
            "single voice",
            1,
            f"Only one independent voice states {article} {noun}: {_shown(f)} ({_who(f)}).",
            evidence,
        )
    risen = [f for f in figures if f.updates]
    top = max(risen, key=lambda f: f.point) if risen else None
    unexplained: list[tuple[_Figure, _Figure]] = []
    explained: list[tuple[_Figure, _Figure]] = []
    for i, a in enumerate(figures):
        for b in figures[i + 1 :]:
            if not _disagree(a, b, settings):
                continue
            low, high = (a, b) if a.point <= b.point else (b, a)
            (explained if _explained_by_time(low, high, top, settings) else unexplained).append((low, high))
    values = ", ".join(f"{_shown(f)} ({_who(f)})" for f in figures)
    if unexplained:
        lo = min((p[0] for p in unexplained), key=lambda f: f.point)
        hi = max((p[1] for p in unexplained), key=lambda f: f.point)
        spread = (hi.point - lo.point) / hi.point if hi.point else 0.0
        return QuestionVerdict(
            kind,
            "divergent",
            len(figures),
            f"Independent voices disagree on the {noun}: {_shown(lo)} against {_shown(hi)} ({values}).",
            evidence,
            spread=spread,
        )
    if explained:
        lo = min(p[0].point for p in explained)
        hi = max(p[1].point for p in explained)
        return QuestionVerdict(
            kind,
            "rising",
            len(figures),
            f"The {noun} rose over time from {_fmt(lo)} to {_fmt(hi)}; voices agree once dated ({values}).",
            evidence,
        )
    return QuestionVerdict(
        kind, "agreeing", len(figures), f"{len(figures)} independent voices agree on the {noun}: {values}.", evidence
    )


# ---------------------------------------------------------------- attribution


@dataclass(frozen=True)
class _Position:
    voice: str
    actor: str
    names: bool  # True: holds it responsible; False: denies it
    speaker: str | None  # None: the outlet's own voice
    own: bool  # the article's own main perpetrator
    claim: Claim
    report: Report


def _positions(reports: Sequence[Report], relations: ActorRelations) -> list[_Position]:
    """Every claim on who did it that can take part in a dispute: each article's own main perpetrator, and the claims
    of parties: an actor claiming it, an actor (or anyone) denying it, and one party blaming another. A witness, a
    monitor or an official who is no party ("police said", "the Observatory said") reports; their words are part of the
    article's own account, not a side of a dispute."""
    out = []
    for r in reports:
        for c in r.claims:
            if c.kind != "perpetrator" or not c.actor or c.scope not in ("incident", None):
                continue
            if _dated_elsewhere(c, r):
                continue  # "Hamas's October 7 onslaught killed 1,200", in a report of June: another attack's author
            if c.chosen and c.stance in NAMING:
                speaker = c.actor if c.stance == "claimed" else (c.cited_source if c.stance == "accused" else None)
                out.append(_Position(r.voice, c.actor, True, speaker, True, c, r))
            elif c.stance == "claimed" and (_ABOUT_THE_ATTACK.search(c.sentence) or _CLAIM_WORDS.search(c.sentence)):
                out.append(_Position(r.voice, c.actor, True, c.actor, False, c, r))
            elif c.stance == "accused" and relations.is_party(c.cited_source) and _ABOUT_THE_ATTACK.search(c.sentence):
                out.append(_Position(r.voice, c.actor, True, c.cited_source, False, c, r))
            elif c.stance == "denied":
                out.append(_Position(r.voice, c.actor, False, c.cited_source or c.actor, False, c, r))
    return out


def _evidence_of_position(p: _Position, outlets: Mapping[str, tuple[str, ...]]) -> Evidence:
    return Evidence(
        voice=p.voice,
        outlets=outlets.get(p.voice, (p.report.outlet,)),
        article_id=p.report.article_id,
        url=p.report.url,
        published=p.report.published.isoformat() if p.report.published else None,
        sentence=p.claim.sentence,
        actor=p.actor,
        stance=p.claim.stance if p.names else "denied",
        speaker=p.speaker,
    )


# The words that name a group as another's affiliate: "the Islamic State group's Afghan affiliate", "Islamic State
# West Africa Province"
_AFFILIATE_WORDS = re.compile(r"\b(?:affiliate|branch|province|franchise|chapter)\b", re.IGNORECASE)


def attribution_verdict(reports: Sequence[Report], relations: ActorRelations = ActorRelations()) -> QuestionVerdict:
    """Return the verdict on who did it, from every claim of one story's reports."""
    outlets: dict[str, set[str]] = {}
    for r in reports:
        outlets.setdefault(r.voice, set()).add(r.outlet)
    voice_outlets = {v: tuple(sorted(o)) for v, o in outlets.items()}
    positions = _positions(reports, relations)
    seen: set[tuple] = set()
    unique = []
    for p in positions:
        key = (p.voice, p.actor, p.names, p.speaker, p.own)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    positions = unique
    evidence = tuple(_evidence_of_position(p, voice_outlets) for p in positions)
    if not positions:
        return QuestionVerdict("attribution", "none named", 0, "No report names who did it.")
    naming = [p for p in positions if p.names]
    denials = [p for p in positions if not p.names]
    # the sides of a clash each voice names: two voices whose own conclusions differ do not dispute it where one names
    # the other's as a side of the same clash ("clashes between the army and the RSF", the army named first by one
    # outlet and the RSF by the other)
    held: dict[str, set[str]] = {}
    for r in reports:
        for c in r.claims:
            if c.kind == "perpetrator" and c.actor and c.stance in NAMING and _CLASH_BETWEEN.search(c.sentence):
                held.setdefault(r.voice, set()).add(c.actor)
    # what a report says a group is a front or proxy of ("the Kashmir Tigers, a shadow outfit of the JeM"): kin
    kin = {
        frozenset((c.actor, other))
        for r in reports
        for c in r.claims
        if c.kind == "perpetrator" and c.actor
        for other in c.extra.get("kin", ())
    }
    voices = len({p.voice for p in positions})
    conflicts: dict[frozenset[str], str] = {}  # one description per dispute (its actors), not per pair of voices
    for d in denials:
        # a speaker that names and denies the same actor contradicts only itself (read from two different acts), but
        # for a group that claims the attack and denies it outright (a second video disowns the first): its claim is
        # disputed
        hit = [
            p
            for p in naming
            if (p.actor == d.actor or d.actor in relations.lineage(p.actor))
            and (
                (p.speaker or "") != d.speaker
                or (p.claim.stance == "claimed" and d.claim.extra.get("cue") == "denial" and p.actor == d.actor)
            )
        ]
        if hit:
            accuser = hit[0].speaker or ", ".join(voice_outlets.get(hit[0].voice, ()))
            conflicts.setdefault(
                frozenset({d.actor}),
                f"{d.actor} is held responsible by {accuser} but denied by {d.speaker or 'the report'}",
            )
    for i, a in enumerate(naming):
        for b in naming[i + 1 :]:
            # two groups that each claim the attack compete for it, kin or not (a splinter claiming what its parent
            # denies), unless a report names the claimant as the other's affiliate or province: its claim is the
            # parent's too ("Islamic State claimed it", "claimed by the Islamic State group's Afghan affiliate");
            # otherwise kin, allies and generic attackers are no dispute
            rival_claims = (
                a.claim.stance == b.claim.stance == "claimed"
                and a.actor != b.actor
                and not (
                    relations.compatible(a.actor, b.actor)
                    and any(_AFFILIATE_WORDS.search(f"{p.claim.words or ''} {p.claim.sentence}") for p in (a, b))
                )
            )
            if not rival_claims and (relations.compatible(a.actor, b.actor) or frozenset((a.actor, b.actor)) in kin):
                continue
            distinct_speakers = (a.speaker or f"voice:{a.voice}") != (b.speaker or f"voice:{b.voice}")
            both_named = b.actor in held.get(a.voice, ()) or a.actor in held.get(b.voice, ())
            if (a.own and b.own and a.voice != b.voice and not both_named) or (
                not (a.own and b.own) and distinct_speakers
            ):
                conflicts.setdefault(
                    frozenset({a.actor, b.actor}),
                    f"{a.actor} ({a.speaker or ', '.join(voice_outlets.get(a.voice, ()))}) against "
                    f"{b.actor} ({b.speaker or ', '.join(voice_outlets.get(b.voice, ()))})",
                )
    named = sorted({p.actor for p in naming})
    # an unidentified attacker ("gunmen") beside a named actor is no other conclusion: said after the named ones
    specific = [a for a in named if not generic_attacker_id(a)]
    who = ", ".join(specific or named)
    if specific and len(specific) < len(named):
        who += f" (others name only an unidentified attacker: {', '.join(a for a in named if a not in specific)})"
    if conflicts:
        return QuestionVerdict(
            "attribution",
            "contested",
            voices,
            "Responsibility is contested: " + "; ".join(conflicts.values()) + ".",
            evidence,
        )
    if not naming:
        return QuestionVerdict("attribution", "none named", voices, "No report holds anyone responsible.", evidence)
    naming_voices = len({p.voice for p in naming})
    if naming_voices == 1:
        return QuestionVerdict(
            "attribution",
            "single voice",
            1,
            f"Only one independent voice names who did it: {who}.",
            evidence,
        )
    return QuestionVerdict(
        "attribution",
        "agreed",
        naming_voices,
        f"{naming_voices} independent voices agree on who did it: {who}.",
        evidence,
    )


# ---------------------------------------------------------------- the story


def story_verdict(
    story_id: str,
    reports: Sequence[Report],
    relations: ActorRelations = ActorRelations(),
    settings: VerdictSettings = VerdictSettings(),
) -> StoryVerdict:
    """Return the verdict on one story: each question's answer with its evidence, the grade and the headline."""
    killed = count_verdict(reports, "killed", settings, relations)
    injured = count_verdict(reports, "injured", settings, relations)
    attribution = attribution_verdict(reports, relations)
    voices = len({r.voice for r in reports})
    if killed.verdict == "divergent":
        grade, divergence = "divergent", killed.spread
    elif attribution.verdict == "contested":
        grade, divergence = "contested", 1.0
    else:
        grade, divergence = ("corroborated" if voices >= 2 else "single source"), 0.0
    if grade == "divergent" and attribution.verdict == "contested":
        divergence = 1.0
    drivers = [q.summary for q in (killed, attribution) if q.verdict in ("divergent", "contested")]
    if drivers:
        headline = " ".join(drivers)
    elif voices < 2:
        headline = "One independent voice so far: nothing to compare."
    else:
        # each question's summary counts its own voices ("2 independent voices agree on the death toll: ...")
        headline = (
            " ".join(q.summary for q in (killed, attribution) if q.verdict not in ("none stated", "none named"))
            if any(q.verdict not in ("none stated", "none named") for q in (killed, attribution))
            else (f"{voices} independent voices; none states a toll or names who did it.")
        )
    if injured.verdict == "divergent":
        headline += f" (Injured counts also differ: {injured.summary})"
    return StoryVerdict(story_id, killed, injured, attribution, voices, headline, grade, divergence)
