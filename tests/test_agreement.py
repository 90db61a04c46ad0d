"""Per-story agreement rules, outlet reliability, and the consensus floor on gva-dev."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest

from accord.agreement import Account, AgreementSettings, Interval, claim_interval, score_stories, score_story
from accord.metrics import consensus_metrics
from accord.models import Claim
from accord.reliability import OutletReliability, outlet_reliability
from tests.conftest import CORPORA

DAY = datetime(2017, 4, 4)


def count(kind: str, low: int, high: int | None | str = "same", point: float | None = None, **extra: object) -> Claim:
    """Return a casualty claim: count("killed", 20, None) is "at least 20"; count("killed", 5) is exactly 5."""
    hi = low if high == "same" else high
    return Claim(
        kind=kind,
        sentence="",
        start=0,
        end=0,
        low=low,
        high=hi,  # type: ignore[arg-type]
        point=float(low if point is None else point),
        chosen=True,
        extra=dict(extra),
    )


def perp(actor: str, stance: str = "asserted") -> Claim:
    return Claim(kind="perpetrator", sentence="", start=0, end=0, actor=actor, stance=stance, chosen=True)


def account(
    article: str,
    outlet: str,
    voice: str | None = None,
    day: int = 0,
    killed: Claim | int | None = None,
    injured: Claim | int | None = None,
    perpetrator: Claim | None = None,
) -> Account:
    if isinstance(killed, int):
        killed = count("killed", killed)
    if isinstance(injured, int):
        injured = count("injured", injured)
    return Account(
        article_id=article,
        outlet=outlet,
        voice=voice or article,
        published=DAY + timedelta(days=day),
        killed=killed,
        injured=injured,
        perpetrator=perpetrator,
    )


# ---------------------------------------------------------------- counts


def test_claim_interval_keeps_open_lower_bounds():
    assert claim_interval(count("killed", 20, None)) == Interval(20.0, None, 20.0)
    assert claim_interval(count("killed", 10, 15, 12.5)) == Interval(10.0, 15.0, 12.5)
    assert claim_interval(None) is None


def test_lower_bound_is_not_contradicted_by_a_larger_count():
    score = score_story(
        "s", [account("a", "early", killed=count("killed", 20, None)), account("b", "monitor", day=1, killed=78)]
    )
    assert score.count_agreement == 1.0
    assert score.consensus_killed == Interval(78.0, 78.0, 78.0)
    assert score.grade == "corroborated"
    assert score.divergence == 0.0


def test_lower_bound_is_contradicted_by_a_smaller_count():
    score = score_story("s", [account("a", "x", killed=count("killed", 50, None)), account("b", "y", killed=10)])
    assert score.count_agreement is not None and score.count_agreement < 0.5


def test_copies_are_one_voice():
    # Three outlets run one wire copy saying 10; one independent voice says 30, later.
    accounts = [account(f"wire-{o}", o, voice="wire", killed=10) for o in ("a", "b", "c")]
    accounts.append(account("own", "d", day=1, killed=30))
    score = score_story("s", accounts)
    assert (score.voices, score.outlets) == (2, 4)
    # One voice against one: equal support, the later figure wins; counted three times, 10 would have won.
    assert score.consensus_killed is not None and score.consensus_killed.point == 30.0
    wire = next(row for row in score.details if row.voice == "wire")
    assert wire.outlets == ("a", "b", "c")


def test_copies_never_confirm_each_other():
    stories = {f"s{i}": [account(f"{i}-{o}", o, voice=f"wire{i}", killed=10) for o in ("a", "b")] for i in range(5)}
    scores, reliability = score_stories(stories)
    assert all(r.claims == 0 and r.weight == 1.0 for r in reliability.values())
    assert all(s.grade == "single source" for s in scores.values())


def test_latest_account_per_outlet():
    score = score_story(
        "s",
        [
            account("a1", "a", day=0, killed=5),
            account("a2", "a", day=2, killed=12),
            account("b1", "b", day=1, killed=12),
        ],
    )
    assert score.count_agreement == 1.0
    assert score.consensus_killed is not None and score.consensus_killed.point == 12.0
    # The outlet's earlier article is no longer a voice of its own figure.
    assert sorted(row.killed.point for row in score.details if row.killed) == [12.0, 12.0]


def test_a_later_article_without_a_toll_does_not_retract_it():
    score = score_story(
        "s", [account("a1", "a", day=0, killed=5), account("a2", "a", day=2), account("b1", "b", day=1, killed=5)]
    )
    assert score.consensus_killed is not None and score.consensus_killed.point == 5.0
    assert score.count_agreement == 1.0


def test_consensus_of_diverging_tolls_lies_between_them():
    tolls = {"asharq": 58, "trt": 72, "manar": 80, "etilaf": 100}
    score = score_story("idlib", [account(o, o, day=i, killed=n) for i, (o, n) in enumerate(tolls.items())])
    c = score.consensus_killed
    assert c is not None and c.low == 72.0 and c.high == 80.0 and c.point in (72.0, 80.0)
    assert score.grade in ("contested", "divergent")


def test_shot_figures_of_voices_without_dead_exclude_the_consensus_dead():
    shot = count("injured", 1, shot=1.0, less_killed=0)
    score = score_story("s", [account("a", "a", killed=1), account("b", "b", injured=shot)])
    assert score.consensus_injured == Interval(0.0, 0.0, 0.0)
    off = score_story(
        "s",
        [account("a", "a", killed=1), account("b", "b", injured=shot)],
        settings=AgreementSettings(injured_less_killed="off"),
    )
    assert off.consensus_injured is not None and off.consensus_injured.point == 1.0


def test_silence_of_a_voice_that_counts_the_other_kind_votes_for_zero():
    accounts = [account("a", "a", injured=3), account("b", "b", killed=1), account("c", "c", killed=1)]
    mute = AgreementSettings(silence_weight_injured=0.0)
    assert score_story("s", accounts, settings=mute).consensus_injured.point == 3.0  # type: ignore[union-attr]
    voting = AgreementSettings(silence_weight_injured=1.0)
    assert score_story("s", accounts, settings=voting).consensus_injured.point == 0.0  # type: ignore[union-attr]
    # Silence is evidence for the estimate, never a disagreement.
    assert score_story("s", accounts, settings=voting).count_agreement == 1.0


def test_silence_of_a_voice_that_counts_nothing_does_not_vote():
    accounts = [account("a", "a", injured=3), account("b", "b"), account("c", "c")]
    voting = AgreementSettings(silence_weight_injured=1.0)
    assert score_story("s", accounts, settings=voting).consensus_injured.point == 3.0  # type: ignore[union-attr]


# ---------------------------------------------------------------- attribution


def test_different_perpetrators_are_contested():
    score = score_story(
        "s", [account("a", "a", perpetrator=perp("russia")), account("b", "b", perpetrator=perp("syrian-government"))]
    )
    assert score.contested
    assert score.attribution_agreement == 0.0
    assert score.grade == "divergent"


def test_denial_of_an_asserted_perpetrator_is_contested():
    score = score_story(
        "s", [account("a", "a", perpetrator=perp("russia")), account("b", "b", perpetrator=perp("russia", "denied"))]
    )
    assert score.contested
    assert score.consensus_perpetrator is None  # one voice for, one against, equal weights


def test_same_perpetrator_accused_and_asserted_is_corroborated():
    score = score_story(
        "s",
        [
            account("a", "a", killed=3, perpetrator=perp("isis")),
            account("b", "b", killed=3, perpetrator=perp("isis", "accused")),
            account("c", "c", killed=3, perpetrator=perp("isis", "claimed")),
        ],
    )
    assert not score.contested
    assert score.consensus_perpetrator == "isis"
    assert score.attribution_agreement == 1.0
    assert score.grade == "corroborated"


def test_copies_naming_different_perpetrators_are_not_two_voices():
    score = score_story(
        "s",
        [
            account("a", "a", voice="v", perpetrator=perp("russia")),
            account("b", "b", voice="v", day=1, perpetrator=perp("syrian-government")),
        ],
    )
    assert not score.contested
    assert score.grade == "single source"


# ---------------------------------------------------------------- grades


@pytest.mark.parametrize(
    ("tolls", "grade"),
    [([7], "single source"), ([7, 7, 7], "corroborated"), ([58, 72], "contested"), ([10, 100], "divergent")],
)
def test_grade_names(tolls, grade):
    score = score_story("s", [account(str(i), f"o{i}", killed=n) for i, n in enumerate(tolls)])
    assert score.grade == grade
    assert 0.0 <= score.divergence <= 1.0


def test_two_voices_stating_different_fields_are_not_corroboration():
    score = score_story("s", [account("a", "a", killed=2), account("b", "b", injured=3)])
    assert score.grade == "single source"


def test_settings_reject_bad_values():
    with pytest.raises(ValueError, match="tie_break"):
        AgreementSettings(tie_break="median")
    with pytest.raises(ValueError, match="thresholds"):
        AgreementSettings(contested_at=0.8, divergent_at=0.5)
    with pytest.raises(ValueError, match="loss must be in"):
        outlet_reliability({"a": [1.5]}, ["a"])


# ---------------------------------------------------------------- reliability


def inflating_world(n_stories: int = 30) -> dict[str, list[Account]]:
    """Three honest outlets and one that reports double; the last stories pit it against one honest outlet."""
    stories: dict[str, list[Account]] = {}
    for i in range(n_stories):
        toll = 3 + i
        stories[f"full{i}"] = [account(f"{i}-{o}", o, day=d, killed=toll) for d, o in enumerate(("h1", "h2", "h3"))]
        stories[f"full{i}"].append(account(f"{i}-inflator", "inflator", day=3, killed=2 * toll))
    for i in range(5):
        # The inflator reports later, so with equal weights it would win the tie.
        stories[f"duel{i}"] = [
            account(f"d{i}-h", f"h{1 + i % 3}", day=0, killed=10 + i),
            account(f"d{i}-x", "inflator", day=1, killed=2 * (10 + i)),
        ]
    return stories


def test_inflating_outlet_gets_the_lowest_weight_and_loses_the_consensus():
    stories = inflating_world()
    scores, reliability = score_stories(stories)
    weights = {o: r.weight for o, r in reliability.items()}
    assert min(weights, key=weights.get) == "inflator"
    assert weights["inflator"] < 0.5 * min(weights[h] for h in ("h1", "h2", "h3"))
    assert reliability["inflator"].error is not None and reliability["inflator"].error > 0.5
    for i in range(5):
        assert scores[f"duel{i}"].consensus_killed.point == 10 + i  # type: ignore[union-attr]
    # With equal weights the later, inflated figure wins the duel: the weights are what moved the consensus.
    assert score_story("duel0", stories["duel0"]).consensus_killed.point == 20  # type: ignore[union-attr]


def test_few_claims_stay_near_the_prior():
    losses = {"veteran": [0.0] * 40, "newcomer": [0.0], "wrong": [1.0] * 40}
    result = outlet_reliability(losses, ["veteran", "newcomer", "wrong", "silent"], prior={"silent": 2.0})
    assert result["silent"] == OutletReliability("silent", 2.0, 0, None)
    assert result["wrong"].weight < 1.0 < result["veteran"].weight
    assert result["newcomer"].weight == 1.0  # one lucky story is not a track record


def test_reliability_counts_agreement_only_with_other_voices():
    stories = {
        "s": [
            account("a", "a", voice="v", killed=5),
            account("b", "b", voice="v", killed=5),
            account("c", "c", killed=50),
        ]
    }
    _, reliability = score_stories(stories)
    # a and b are compared with c only, never with each other.
    assert reliability["a"].claims == reliability["b"].claims == reliability["c"].claims == 1
    assert reliability["a"].error == reliability["c"].error == 1.0


# ---------------------------------------------------------------- gva-dev floor

# Measured with the claims extractor of commit dceda49, gold stories, one voice per article: killed exact 0.825,
# injured exact 0.750 (median of the stated figures: 0.821 / 0.703). Floors sit a little below, so a change that
# lowers them fails. The acceptance bar on sealed data is 0.75 / 0.70. With claims at 2bc0042 the bench gives
# 0.833 / 0.763.
FLOORS = {"killed": 0.81, "injured": 0.735}


def test_consensus_floor_on_gva_dev():
    claims_module = pytest.importorskip("accord.claims")
    path = CORPORA / "gva-dev.jsonl"
    if not path.exists():
        pytest.skip("gva-dev corpus not present")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    extractor = claims_module.ClaimExtractor(claims_module.load_default_actors())
    stories: dict[str, list[Account]] = defaultdict(list)
    for r in rows:
        found = extractor.extract(r["title"], r["text"])
        stories[r["gold"]["story"]].append(
            Account(
                article_id=r["id"],
                outlet=r["outlet"],
                voice=r["id"],
                published=datetime.fromisoformat(r["published"]),
                killed=claims_module.article_toll(found, "killed"),
                injured=claims_module.article_toll(found, "injured"),
                perpetrator=claims_module.main_perpetrator(found),
            )
        )
    scores, _ = score_stories(stories)
    sizes = Counter(r["gold"]["story"] for r in rows)
    for kind, floor in FLOORS.items():
        pairs = {}
        for r in rows:
            sid = r["gold"]["story"]
            if sizes[sid] >= 2:
                c = getattr(scores[sid], f"consensus_{kind}")
                pairs[sid] = (None if c is None else c.point, r["gold"][f"story_{kind}"])
        figures = consensus_metrics(pairs)
        assert figures["n"] == 765
        assert figures["exact"] >= floor, (kind, figures)


def test_weights_that_go_round_a_cycle_end_at_its_mean_whatever_the_round_limit():
    """Five accounts on which the plain iteration never settles: o0's and o4's weights swap between two states for
    good (a story's consensus without one voice flips with the others' weights). score_stories stops at the cycle,
    with the geometric mean of its states, so the result does not depend on where max_iterations cuts it."""
    from math import isclose, sqrt

    from accord.agreement import _story_losses, _unadjusted

    stories = {
        "s0": [account("a1", "o4", killed=1), account("a2", "o3", killed=1)],
        "s1": [
            account("a3", "o0", day=1, killed=1, injured=1),
            account("a4", "o4", day=1, killed=2, injured=1),
            account("a5", "o5", day=1, killed=3),
        ],
    }
    settings = AgreementSettings()
    outlets = ["o0", "o3", "o4", "o5"]
    weights, states = dict.fromkeys(outlets, 1.0), []
    for _ in range(8):  # the plain iteration, as score_stories ran it before
        losses = defaultdict(list)
        for accounts in stories.values():
            for outlet, loss in _story_losses(accounts, weights, settings, _unadjusted(accounts)):
                losses[outlet].append(loss)
        weights = {o: r.weight for o, r in outlet_reliability(losses, outlets, None, settings.reliability).items()}
        states.append(weights)
    assert states[-1] == states[-3] != states[-2]  # a cycle of two states
    assert abs(states[-1]["o0"] - states[-2]["o0"]) > 0.05

    scores, reliability = score_stories(stories, settings=settings)
    for limit in (19, 20, 21, 50):
        assert score_stories(stories, settings=AgreementSettings(max_iterations=limit)) == (scores, reliability)
    for outlet in outlets:
        assert isclose(reliability[outlet].weight, sqrt(states[-1][outlet] * states[-2][outlet]))
