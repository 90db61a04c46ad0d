"""Per-story agreement: consensus toll and perpetrator, agreement, divergence and grade, with outlet reliability.

The unit of evidence is the independent voice: a copy group (wire copy run by ten outlets) is one voice. Each outlet
counts with its latest account, field by field: tolls rise, so an early "at least 20" gives way to the same outlet's
later 78, and a later article that restates no toll does not retract the earlier one.

Counts are compared on a log(1 + n) scale, as intervals: "at least 20" is [20, open) and is not contradicted by 78.
The consensus toll is the weighted median of the voices' intervals (the set of values minimising the weighted
distance to every voice's interval); its point is the best-supported voice figure inside that set. Silence can vote:
a voice that counts the wounded but names no dead is, in US shooting reports, most often one where nobody died
(analysis/eval_consensus.py measures this); the vote counts at half weight in the consensus, never as disagreement.

Attribution: voices name an actor (asserted, claimed, accused) or report a denial. The story is contested when
independent voices name different actors, or one names an actor another denies.

Outlet weights come from `accord.reliability`: each outlet's figures are compared with the consensus of the *other*
voices of the story (leave one voice out, so no outlet agrees with copies of itself), the weights are recomputed, and
the consensus with them, until the weights stop moving (CRH's block coordinate descent).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from math import exp, inf, log, log1p

from accord.models import Claim
from accord.reliability import OutletReliability, ReliabilitySettings, outlet_reliability

KINDS = ("killed", "injured")
GRADES = ("single source", "corroborated", "contested", "divergent")
NAMING_STANCES = frozenset({"asserted", "claimed", "accused", None})
_EARLIEST = datetime.min


@dataclass(frozen=True)
class Interval:
    """A count as an interval with a point estimate; high None is open-ended ("at least 20")."""

    low: float
    high: float | None
    point: float


@dataclass(frozen=True)
class Account:
    """One article's account of a story: its chosen claims (None = the article states none)."""

    article_id: str
    outlet: str
    voice: str
    published: datetime | None
    killed: Claim | None = None
    injured: Claim | None = None
    perpetrator: Claim | None = None


@dataclass(frozen=True)
class VoiceRow:
    """One independent voice of a story as scored: its figures, its weight and how it sits with the consensus.

    `*_agreement` is this voice's agreement in [0, 1] with the consensus (None where it states nothing);
    `silent_on` lists the kinds it states nothing about.
    """

    voice: str
    outlets: tuple[str, ...]
    articles: tuple[str, ...]
    weight: float
    killed: Interval | None
    injured: Interval | None
    perpetrator: str | None
    stance: str | None
    killed_agreement: float | None
    injured_agreement: float | None
    perpetrator_agreement: float | None
    silent_on: tuple[str, ...]


@dataclass(frozen=True)
class StoryScore:
    """Agreement of one story's voices; agreements are None where fewer than two voices state that field."""

    story_id: str
    voices: int
    outlets: int
    count_agreement: float | None
    attribution_agreement: float | None
    divergence: float
    grade: str
    consensus_killed: Interval | None
    consensus_injured: Interval | None
    consensus_perpetrator: str | None
    contested: bool
    details: tuple[VoiceRow, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class AgreementSettings:
    """Thresholds and rules of the score; defaults measured on gva-dev with analysis/eval_consensus.py."""

    # Weight of a silent voice's vote for 0, relative to a stated figure. See the module docstring.
    # Measured on gva-dev: 0.5 helps both counts on both halves; 1.0 lets extraction misses outvote the dead.
    silence_weight_killed: float = 0.5
    silence_weight_injured: float = 0.5
    # Only a voice that counts the other kind votes with its silence: "two people were wounded" with no word of
    # the dead is an account of a shooting with none; an article that counts nobody may just be off the subject.
    silence_needs_other_count: bool = True
    # Among equally supported figures of the consensus set: "latest" (tolls rise) or "largest".
    tie_break: str = "latest"
    # Injured figures of voices that state no dead, less the consensus dead: "a man was shot" in one report is
    # often the man another reports killed. "shot": only figures read from "N shot"; "all"; "off".
    injured_less_killed: str = "shot"
    # Counts this far apart (ratio on the log(1 + n) scale) are in full disagreement; closer ones in part.
    disagreement_ratio: float = 2.0
    contested_at: float = 0.25
    divergent_at: float = 0.6
    max_iterations: int = 20
    tolerance: float = 1e-3
    reliability: ReliabilitySettings = ReliabilitySettings()

    def __post_init__(self) -> None:
        if self.tie_break not in ("latest", "largest"):
            raise ValueError("tie_break must be 'latest' or 'largest'")
        if self.injured_less_killed not in ("shot", "all", "off"):
            raise ValueError("injured_less_killed must be 'shot', 'all' or 'off'")
        if self.silence_weight_killed < 0 or self.silence_weight_injured < 0:
            raise ValueError("silence weights must be >= 0")
        if self.disagreement_ratio <= 1:
            raise ValueError("disagreement_ratio must be > 1")
        if not 0 <= self.contested_at <= self.divergent_at <= 1:
            raise ValueError("thresholds must satisfy 0 <= contested_at <= divergent_at <= 1")
        if self.max_iterations < 1:
            raise ValueError("max_iterations must be >= 1")

    def silence_weight(self, kind: str) -> float:
        """Return the weight of silence as a vote for 0 on that kind."""
        return self.silence_weight_killed if kind == "killed" else self.silence_weight_injured


# ---------------------------------------------------------------- counts


def claim_interval(claim: Claim | None) -> Interval | None:
    """Return the claim's count as an Interval, or None when it carries no number."""
    if claim is None:
        return None
    point = claim.point if claim.point is not None else claim.low
    low = claim.low if claim.low is not None else point
    if point is None or low is None:
        return None
    high = claim.high if claim.low is not None else point
    point = max(float(low), float(point)) if high is None else min(max(float(low), float(point)), float(high))
    return Interval(float(low), None if high is None else float(high), point)


def interval_gap(a_low: float, a_high: float | None, b_low: float, b_high: float | None) -> float:
    """Return the distance between two count intervals on the log(1 + n) scale; 0 when they overlap."""
    if a_high is not None and a_high < b_low:
        return log1p(b_low) - log1p(a_high)
    if b_high is not None and b_high < a_low:
        return log1p(a_low) - log1p(b_high)
    return 0.0


@dataclass(frozen=True)
class _Vote:
    interval: Interval
    weight: float
    published: datetime
    silent: bool = False


def consensus_count(votes: Sequence[_Vote], tie_break: str = "latest") -> Interval | None:
    """Return the weighted median interval of the votes with its best-supported point, or None with no votes."""
    votes = [v for v in votes if v.weight > 0]
    if not votes:
        return None
    candidates = sorted(
        {v.interval.low for v in votes}
        | {v.interval.high for v in votes if v.interval.high is not None}
        | {v.interval.point for v in votes}
    )

    # interval_gap(x, x, low, high) of every vote, with each bound's log1p taken once (the same sums, 3x faster)
    bounds = [
        (v.weight, v.interval.low, v.interval.high, log1p(v.interval.low), log1p(v.interval.high or 0.0)) for v in votes
    ]

    def cost(x: float) -> float:
        at, total = log1p(x), 0.0
        for weight, low, high, log_low, log_high in bounds:
            if x < low:
                total += weight * (log_low - at)
            elif high is not None and high < x:
                total += weight * (at - log_high)
        return total

    costs = [cost(x) for x in candidates]
    cost_of = dict(zip(candidates, costs, strict=True))
    best = min(costs)
    within = [x for x, c in zip(candidates, costs, strict=True) if c <= best + 1e-9 * (1.0 + best)]
    low, high = within[0], within[-1]
    if all(v.interval.high is None for v in votes):
        high = inf  # only lower bounds: any figure above the largest one is as good
    # The point is a figure some voice gave (closed counts only: "at least 20" names no figure), the one that
    # costs least; among equals the best supported, then the latest or largest. Usually it lies in [low, high];
    # when every voice figure falls outside (only ranges meet there), the interval is stretched to hold it.
    support: dict[float, float] = defaultdict(float)
    latest: dict[float, datetime] = {}
    for v in votes:
        if v.interval.high is not None:
            p = v.interval.point
            support[p] += v.weight
            latest[p] = max(latest.get(p, _EARLIEST), v.published)
    if support:
        point_cost = {p: round(cost_of[p], 9) for p in support}  # every point is a candidate
        if tie_break == "latest":
            point = max(support, key=lambda p: (-point_cost[p], round(support[p], 9), latest[p], p))
        else:
            point = max(support, key=lambda p: (-point_cost[p], round(support[p], 9), p))
        low, high = min(low, point), max(high, point)
    else:
        point = low
    return Interval(low, None if high == inf else high, point)


def _agreement(gap: float, ratio: float) -> float:
    return max(0.0, 1.0 - gap / log(ratio))


# ---------------------------------------------------------------- attribution


def _names(stance: str | None) -> bool:
    return stance in NAMING_STANCES


def consensus_actor(votes: Sequence[tuple[str, str | None, float]]) -> str | None:
    """Return the actor with the most weight naming it, less the weight denying it; None if none is ahead of 0."""
    score: dict[str, float] = defaultdict(float)
    for actor, stance, weight in votes:
        score[actor] += weight if _names(stance) else -weight
    ahead = [a for a, s in score.items() if s > 1e-12]
    return max(ahead, key=lambda a: (score[a], a)) if ahead else None


def _pair_attribution(a: tuple[str, str | None], b: tuple[str, str | None]) -> float:
    """Return how far two attributions agree: same actor same way 1, contradiction 0, unrelated denial 0.5."""
    (actor_a, stance_a), (actor_b, stance_b) = a, b
    if actor_a == actor_b:
        return 1.0 if _names(stance_a) == _names(stance_b) else 0.0
    if _names(stance_a) and _names(stance_b):
        return 0.0
    return 0.5


def _is_contested(attributions: Sequence[tuple[str, str | None]]) -> bool:
    named = {a for a, s in attributions if _names(s)}
    denied = {a for a, s in attributions if not _names(s)}
    return len(named) > 1 or bool(named & denied)


# ---------------------------------------------------------------- voices


@dataclass
class _Voice:
    voice: str
    outlets: set[str] = field(default_factory=set)
    articles: list[str] = field(default_factory=list)
    counts: dict[str, tuple[Interval, datetime]] = field(default_factory=dict)
    attribution: tuple[str, str | None, datetime] | None = None
    stated_by_member: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _OutletReading:
    outlet: str
    voice: str
    published: datetime
    counts: Mapping[str, Interval]
    attribution: tuple[str, str | None] | None


def _latest_readings(accounts: Sequence[Account]) -> list[_OutletReading]:
    """Return each outlet's latest stated figure per field, each tied to the voice of the article it came from."""
    best: dict[tuple[str, str], tuple[tuple, Account, object]] = {}
    for acc in accounts:
        when = acc.published or _EARLIEST
        for kind in KINDS:
            interval = claim_interval(getattr(acc, kind))
            if interval is None:
                continue
            # Same day, same outlet: the larger figure, since tolls rise.
            key = (when, interval.point, acc.article_id)
            if (acc.outlet, kind) not in best or key > best[(acc.outlet, kind)][0]:
                best[(acc.outlet, kind)] = (key, acc, interval)
        perp = acc.perpetrator
        if perp is not None and perp.actor:
            key = (when, _names(perp.stance), acc.article_id)
            if (acc.outlet, "perpetrator") not in best or key > best[(acc.outlet, "perpetrator")][0]:
                best[(acc.outlet, "perpetrator")] = (key, acc, (perp.actor, perp.stance))
    readings = []
    for (outlet, kind), (key, acc, value) in sorted(best.items(), key=lambda kv: kv[0]):
        counts = {kind: value} if kind in KINDS else {}
        attribution = value if kind == "perpetrator" else None
        readings.append(_OutletReading(outlet, acc.voice, key[0], counts, attribution))  # type: ignore[arg-type]
    return readings


def _voices(accounts: Sequence[Account], readings: Sequence[_OutletReading]) -> dict[str, _Voice]:
    voices: dict[str, _Voice] = {}
    for acc in sorted(accounts, key=lambda a: (a.published or _EARLIEST, a.article_id)):
        v = voices.setdefault(acc.voice, _Voice(acc.voice))
        v.outlets.add(acc.outlet)
        v.articles.append(acc.article_id)
    stated: dict[str, set[str]] = defaultdict(set)  # outlet -> kinds it states anywhere in the story
    for r in readings:
        v = voices[r.voice]
        for kind, interval in r.counts.items():
            stated[r.outlet].add(kind)
            old = v.counts.get(kind)
            if old is None or (r.published, interval.point) > (old[1], old[0].point):
                v.counts[kind] = (interval, r.published)
        if r.attribution is not None:
            stated[r.outlet].add("perpetrator")
            if v.attribution is None or r.published > v.attribution[2]:
                v.attribution = (*r.attribution, r.published)
    for v in voices.values():
        for outlet in v.outlets:
            v.stated_by_member |= stated[outlet]
    return voices


def _voice_weight(voice: _Voice, weights: Mapping[str, float]) -> float:
    return sum(weights.get(o, 1.0) for o in voice.outlets) / len(voice.outlets)


def _count_votes(
    voices: Mapping[str, _Voice],
    kind: str,
    weights: Mapping[str, float],
    settings: AgreementSettings,
    exclude: str | None = None,
    silence: bool = True,
) -> list[_Vote]:
    votes = []
    silent_weight = settings.silence_weight(kind) if silence else 0.0
    for v in voices.values():
        if v.voice == exclude:
            continue
        w = _voice_weight(v, weights)
        if kind in v.counts:
            interval, when = v.counts[kind]
            votes.append(_Vote(interval, w, when))
        elif (
            silent_weight > 0
            and kind not in v.stated_by_member
            and (not settings.silence_needs_other_count or any(k in v.stated_by_member for k in KINDS if k != kind))
        ):
            votes.append(_Vote(Interval(0.0, 0.0, 0.0), w * silent_weight, _EARLIEST, silent=True))
    return votes


# ---------------------------------------------------------------- scoring


def _less(interval: Interval, dead: float) -> Interval:
    high = None if interval.high is None else max(interval.high - dead, 0.0)
    return Interval(max(interval.low - dead, 0.0), high, max(interval.point - dead, 0.0))


def _prepare(
    accounts: Sequence[Account],
    weights: Mapping[str, float],
    settings: AgreementSettings,
    base: tuple[list[_OutletReading], dict[str, _Voice]] | None = None,
) -> tuple[list[_OutletReading], dict[str, _Voice]]:
    """Return the outlets' latest readings and the voices, injured figures adjusted per `injured_less_killed`.

    `base` is what `_unadjusted(accounts)` returned (it does not depend on the weights; read, never changed)."""
    readings, voices = base or _unadjusted(accounts)
    if settings.injured_less_killed == "off":
        return readings, voices
    killed = consensus_count(_count_votes(voices, "killed", weights, settings), settings.tie_break)
    if killed is None or killed.point < 1:
        return readings, voices
    states_killed = {r.outlet for r in readings if "killed" in r.counts}
    from_shot = {
        (a.outlet, a.voice, claim_interval(a.injured))
        for a in accounts
        if a.injured is not None and a.injured.extra.get("shot") is not None
    }
    adjusted = []
    for r in readings:
        injured = r.counts.get("injured")
        if (
            injured is not None
            and r.outlet not in states_killed
            and (settings.injured_less_killed == "all" or (r.outlet, r.voice, injured) in from_shot)
        ):
            r = _OutletReading(r.outlet, r.voice, r.published, {"injured": _less(injured, killed.point)}, r.attribution)
        adjusted.append(r)
    return adjusted, _voices(accounts, adjusted)


def _unadjusted(accounts: Sequence[Account]) -> tuple[list[_OutletReading], dict[str, _Voice]]:
    """Return the outlets' latest readings and the voices, before any adjustment."""
    readings = _latest_readings(accounts)
    return readings, _voices(accounts, readings)


def _story_losses(
    accounts: Sequence[Account],
    weights: Mapping[str, float],
    settings: AgreementSettings,
    base: tuple[list[_OutletReading], dict[str, _Voice]] | None = None,
) -> list[tuple[str, float]]:
    """Return (outlet, loss) for every outlet figure that other voices of the story can be compared with (`base` as
    for `_prepare`)."""
    readings, voices = _prepare(accounts, weights, settings, base)
    if len(voices) < 2:
        return []
    out = []
    full_scale = log(settings.disagreement_ratio)
    for r in readings:
        for kind, interval in r.counts.items():
            others = consensus_count(
                _count_votes(voices, kind, weights, settings, exclude=r.voice, silence=False), settings.tie_break
            )
            if others is not None:
                gap = interval_gap(interval.low, interval.high, others.low, others.high)
                out.append((r.outlet, min(1.0, gap / full_scale)))
        if r.attribution is not None:
            votes = [
                (v.attribution[0], v.attribution[1], _voice_weight(v, weights))
                for v in voices.values()
                if v.voice != r.voice and v.attribution is not None
            ]
            actor = consensus_actor(votes)
            if actor is not None:
                own, stance = r.attribution
                agrees = (own == actor) == _names(stance)
                out.append((r.outlet, 0.0 if agrees else 1.0))
    return out


def score_story(
    story_id: str,
    accounts: Sequence[Account],
    weights: Mapping[str, float] | None = None,
    settings: AgreementSettings = AgreementSettings(),
) -> StoryScore:
    """Return the agreement of one story's accounts under the given outlet weights (default 1.0 each)."""
    weights = weights or {}
    readings, voices = _prepare(accounts, weights, settings)
    consensus: dict[str, Interval | None] = {}
    kind_agreement: list[float] = []
    for kind in KINDS:
        consensus[kind] = consensus_count(_count_votes(voices, kind, weights, settings), settings.tie_break)
        stated = [(v.counts[kind][0], _voice_weight(v, weights)) for v in voices.values() if kind in v.counts]
        if len(stated) >= 2:
            num = den = 0.0
            for i, (a, wa) in enumerate(stated):
                for b, wb in stated[i + 1 :]:
                    num += wa * wb * _agreement(interval_gap(a.low, a.high, b.low, b.high), settings.disagreement_ratio)
                    den += wa * wb
            kind_agreement.append(num / den if den else 1.0)
    count_agreement = min(kind_agreement) if kind_agreement else None

    attributions = [
        (v.attribution[0], v.attribution[1], _voice_weight(v, weights))
        for v in voices.values()
        if v.attribution is not None
    ]
    perpetrator = consensus_actor(attributions)
    contested = _is_contested([(a, s) for a, s, _ in attributions])
    attribution_agreement = None
    if len(attributions) >= 2:
        num = den = 0.0
        for i, (aa, sa, wa) in enumerate(attributions):
            for ab, sb, wb in attributions[i + 1 :]:
                num += wa * wb * _pair_attribution((aa, sa), (ab, sb))
                den += wa * wb
        attribution_agreement = num / den if den else 1.0

    measured = [x for x in (count_agreement, attribution_agreement) if x is not None]
    divergence = 1.0 - min(measured) if measured else 0.0
    if not measured:
        grade = "single source"
    elif divergence >= settings.divergent_at:
        grade = "divergent"
    elif contested or divergence >= settings.contested_at:
        grade = "contested"
    else:
        grade = "corroborated"

    rows = []
    for v in voices.values():
        agreements: dict[str, float | None] = {}
        for kind in KINDS:
            c = consensus[kind]
            if kind in v.counts and c is not None:
                a = v.counts[kind][0]
                agreements[kind] = _agreement(
                    interval_gap(a.low, a.high, c.point, c.point), settings.disagreement_ratio
                )
            else:
                agreements[kind] = None
        perp_agreement = None
        if v.attribution is not None and perpetrator is not None:
            perp_agreement = 1.0 if (v.attribution[0] == perpetrator) == _names(v.attribution[1]) else 0.0
        rows.append(
            VoiceRow(
                voice=v.voice,
                outlets=tuple(sorted(v.outlets)),
                articles=tuple(v.articles),
                weight=_voice_weight(v, weights),
                killed=v.counts["killed"][0] if "killed" in v.counts else None,
                injured=v.counts["injured"][0] if "injured" in v.counts else None,
                perpetrator=v.attribution[0] if v.attribution else None,
                stance=v.attribution[1] if v.attribution else None,
                killed_agreement=agreements["killed"],
                injured_agreement=agreements["injured"],
                perpetrator_agreement=perp_agreement,
                silent_on=tuple(k for k in (*KINDS, "perpetrator") if k not in v.stated_by_member),
            )
        )
    return StoryScore(
        story_id=story_id,
        voices=len(voices),
        outlets=len({a.outlet for a in accounts}),
        count_agreement=count_agreement,
        attribution_agreement=attribution_agreement,
        divergence=divergence,
        grade=grade,
        consensus_killed=consensus["killed"],
        consensus_injured=consensus["injured"],
        consensus_perpetrator=perpetrator,
        contested=contested,
        details=tuple(rows),
    )


# The longest cycle of weights score_stories recognises (see _cycle)
MAX_CYCLE = 4


def _cycle(history: Sequence[Mapping[str, float]], new: Mapping[str, float], outlets: Sequence[str], tol: float) -> int:
    """Return p when `new` is within `tol` (on the log scale) of the weights p rounds back, history[-p]: 1 when they
    have settled, p > 1 when they go round a cycle of p states; 0 when neither."""
    for p in range(1, min(len(history), MAX_CYCLE) + 1):
        then = history[-p]
        if max((abs(log(new[o]) - log(then[o])) for o in outlets), default=0.0) < tol:
            return p
    return 0


def score_stories(
    stories: Mapping[str, Sequence[Account]],
    prior: Mapping[str, float] | None = None,
    *,
    settings: AgreementSettings = AgreementSettings(),
) -> tuple[dict[str, StoryScore], dict[str, OutletReliability]]:
    """Return each story's score and each outlet's reliability, iterating consensus and weights until they settle
    (or go round a cycle of up to MAX_CYCLE states: then at the cycle's geometric mean).

    `prior` holds outlet weights from an earlier run over other stories (1.0 = unknown outlet); pass None when
    re-scoring every story, or the same evidence is counted twice. Pure: changes nothing on disk.
    """
    outlets = sorted({a.outlet for accounts in stories.values() for a in accounts})
    weights: dict[str, float] = {o: (prior or {}).get(o, 1.0) for o in outlets}
    reliability = outlet_reliability({}, outlets, prior, settings.reliability)
    # a story told in one voice has nothing to compare (_story_losses gives none, whatever the weights): most stories
    # of a large backlog, left out of every round
    # their readings and voices before adjustment do not depend on the weights either: made once, not every round
    compared = [
        (accounts, _unadjusted(accounts)) for accounts in stories.values() if len({a.voice for a in accounts}) > 1
    ]
    history = [weights]  # the weights of the last rounds, the latest last
    for _ in range(settings.max_iterations):
        losses: dict[str, list[float]] = defaultdict(list)
        for accounts, base in compared:
            for outlet, loss in _story_losses(accounts, weights, settings, base):
                losses[outlet].append(loss)
        reliability = outlet_reliability(losses, outlets, prior, settings.reliability)
        new = {o: r.weight for o, r in reliability.items()}
        period = _cycle(history, new, outlets, settings.tolerance)
        if period == 1:
            weights = new
            break
        if period:
            # the weights go round a cycle and never settle: a story's consensus without one voice flips with the
            # weights of the others (on gva-dev, two outlets of one story swapped between two states for good).
            # Their geometric mean stands for the cycle, whatever round max_iterations would have stopped in.
            cycle = history[-period:]
            weights = {o: exp(sum(log(w[o]) for w in cycle) / period) for o in outlets}
            reliability = {o: replace(r, weight=weights[o]) for o, r in reliability.items()}
            break
        weights = new
        history = [*history[-(MAX_CYCLE - 1) :], new]
    scores = {sid: score_story(sid, accounts, weights, settings) for sid, accounts in stories.items()}
    return scores, reliability
