"""The verdict per story and question (accord.verdict): tolls agreeing, rising or divergent; attribution agreed or
contested; the grade and headline that follow. Sentences here are written for the tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from accord.models import Claim
from accord.verdict import ActorRelations, Report, VerdictSettings, count_verdict, story_verdict

DAY = datetime(2024, 3, 1, 8, 0)


def toll(n: int, sentence: str | None = None, *, high: int | None = -1, kind: str = "killed", low: int | None = None):
    return Claim(
        kind=kind,
        sentence=sentence or f"{n} people were killed in the attack.",
        start=0,
        end=10,
        low=n if low is None else low,
        high=n if high == -1 else high,
        point=float(n),
        chosen=True,
    )


def perp(actor: str, stance: str = "asserted", *, chosen: bool = False, speaker: str | None = None, sentence: str = ""):
    return Claim(
        kind="perpetrator",
        sentence=sentence or f"{actor} carried out the attack.",
        start=0,
        end=10,
        actor=actor,
        stance=stance,
        cited_source=speaker,
        chosen=chosen,
    )


def report(article: str, outlet: str, *claims: Claim, voice: str | None = None, published: datetime | None = DAY):
    return Report(article, outlet, voice or article, published, f"https://{outlet}.example/{article}", tuple(claims))


def test_figures_within_a_quarter_agree_and_further_apart_diverge():
    agreeing = [report("a", "x", toll(24)), report("b", "y", toll(21)), report("c", "z", toll(22))]
    assert count_verdict(agreeing, "killed").verdict == "agreeing"
    divergent = [report("a", "x", toll(13)), report("b", "y", toll(6)), report("c", "z", toll(14))]
    v = count_verdict(divergent, "killed")
    assert v.verdict == "divergent" and v.voices == 3
    assert "6 against 14" in v.summary
    assert {e.value for e in v.evidence} == {6.0, 13.0, 14.0}
    assert all(e.sentence and e.url for e in v.evidence)


def test_small_tolls_need_a_gap_of_three():
    assert count_verdict([report("a", "x", toll(1)), report("b", "y", toll(3))], "killed").verdict == "agreeing"
    assert count_verdict([report("a", "x", toll(1)), report("b", "y", toll(4))], "killed").verdict == "divergent"


def test_a_source_standing_by_a_lower_toll_is_a_current_rival_not_an_earlier_stage():
    # invented, after a gang attack: day one 10 (police); day two 25 (officials), and an article giving the rights
    # group's 25 beside the police's 10 that they "stand by"
    stood = replace(
        toll(10, "Police said they stood by their figure of 10 deaths."), chosen=False, cited_source="the police"
    )
    reports = [
        report("a", "x", toll(10), published=DAY),
        report("b", "y", toll(25), published=DAY + timedelta(days=1)),
        report("c", "z", toll(25), stood, published=DAY + timedelta(days=1)),
    ]
    v = count_verdict(reports, "killed")
    assert v.verdict == "divergent" and "police, as relayed by z" in v.summary
    # the same second figure without words that set it against the toll is an earlier stage or a part: rising
    plain = replace(stood, sentence="Police earlier said 10 people were killed.")
    reports[2] = report("c", "z", toll(25), plain, published=DAY + timedelta(days=1))
    assert count_verdict(reports, "killed").verdict == "rising"


def test_a_toll_counting_the_attackers_may_be_the_others_victims_plus_them():
    # invented: five police killed; a state outlet's eight "including three terrorists" is the same account
    reports = [
        report("a", "x", toll(5)),
        report("b", "y", toll(8, "Eight killed, including three terrorists, in the police station attack.")),
    ]
    assert count_verdict(reports, "killed").verdict == "agreeing"
    # without the attackers among them, eight against five on one day is a disagreement
    reports[1] = report("b", "y", toll(8, "Eight people were killed in the police station attack."))
    assert count_verdict(reports, "killed").verdict == "divergent"


def test_one_victim_named_without_a_number_is_no_rival_toll():
    # invented, after a profile of one of five officers killed: "Slain officer" is one victim, not a toll of one
    profile = replace(toll(1, "Slain Dallas officer was all about serving"), extra={"implicit": True})
    reports = [report("a", "x", toll(5)), report("b", "y", toll(5)), report("c", "z", profile)]
    assert count_verdict(reports, "killed").verdict == "agreeing"


def test_copies_are_one_voice():
    copies = [report("a", "x", toll(10), voice="g"), report("b", "y", toll(30), voice="g")]
    v = count_verdict(copies, "killed")
    assert v.verdict == "single voice" and v.voices == 1


def test_a_lower_figure_dated_earlier_is_a_rising_toll_not_divergence():
    rising = [
        report("a", "x", toll(21), published=DAY),
        report("b", "y", toll(35), published=DAY + timedelta(days=1)),
        report("c", "z", toll(44), published=DAY + timedelta(days=2)),
    ]
    assert count_verdict(rising, "killed").verdict == "rising"
    # the same figures on the same day disagree
    same_day = [report("a", "x", toll(21)), report("b", "y", toll(35)), report("c", "z", toll(44))]
    assert count_verdict(same_day, "killed").verdict == "divergent"
    # the first evening's figure and the night's (Uvalde: 15 at 21:30, 21 seven hours later)
    night = [report("a", "x", toll(15), published=DAY), report("b", "y", toll(21), published=DAY + timedelta(hours=7))]
    assert count_verdict(night, "killed").verdict == "rising"
    # a lower figure dated after the higher one is no rise
    later_lower = [report("a", "x", toll(44), published=DAY), report("b", "y", toll(21), published=DAY + timedelta(2))]
    assert count_verdict(later_lower, "killed").verdict == "divergent"


def test_an_account_saying_the_toll_rose_supersedes_lower_undated_figures():
    reports = [
        report("a", "x", toll(28), published=None),
        report("b", "y", toll(100, "The death toll from the bombing rose to 100 on Tuesday."), published=None),
    ]
    assert count_verdict(reports, "killed").verdict == "rising"


def test_each_outlet_counts_with_its_latest_account():
    reports = [
        report("a1", "x", toll(20), published=DAY),
        report("a2", "x", toll(45), published=DAY + timedelta(hours=20)),
        report("b", "y", toll(45), published=DAY + timedelta(hours=21)),
    ]
    v = count_verdict(reports, "killed")
    assert v.verdict == "agreeing"
    assert {e.article_id for e in v.evidence} == {"a2", "b"}


def test_a_range_disagrees_only_with_figures_outside_it_and_a_vague_word_with_none():
    between = toll(24, "Between 24 and 99 were killed.", low=24, high=99)
    assert count_verdict([report("a", "x", between), report("b", "y", toll(45))], "killed").verdict == "agreeing"
    assert count_verdict([report("a", "x", between), report("b", "y", toll(150))], "killed").verdict == "divergent"
    # "scores" beside a stated number is no rival toll (after reports of the Gimbi killings, Ethiopia, June 2022)
    scores = replace(toll(20, "The group killed scores of people.", low=20, high=99), extra={"vague": True})
    assert count_verdict([report("a", "x", scores), report("b", "y", toll(230))], "killed").verdict != "divergent"


def test_open_bounds_setting():
    at_least = toll(20, "At least 20 were killed.", high=None)
    reports = [report("a", "x", at_least), report("b", "y", toll(45))]
    assert count_verdict(reports, "killed").verdict == "divergent"  # read as 20, as annotators do
    assert count_verdict(reports, "killed", VerdictSettings(open_bounds=True)).verdict == "agreeing"


def test_another_incidents_toll_never_counts():
    other = Claim("killed", "In 2022, 64 died in another bombing.", 0, 1, 64, 64, 64.0, scope="other", chosen=True)
    reports = [report("a", "x", toll(20)), report("b", "y", other)]
    assert count_verdict(reports, "killed").verdict == "single voice"


def test_no_toll_is_none_stated():
    assert count_verdict([report("a", "x"), report("b", "y")], "killed").verdict == "none stated"
    assert count_verdict([report("a", "x")], "injured").summary == "No report states an injured count."
    hurt = toll(13, "Thirteen were wounded.", kind="injured")
    assert count_verdict([report("a", "x", hurt)], "injured").summary.startswith(
        "Only one independent voice states an "
    )


def test_attribution_agreed_across_voices_and_generic_attackers_agree_with_named_ones():
    reports = [
        report("a", "x", perp("brenton-tarrant", chosen=True)),
        report("b", "y", perp("lone-gunman", chosen=True)),
        report("c", "z", perp("brenton-tarrant", chosen=True)),
    ]
    v = story_verdict("s", reports).attribution
    assert v.verdict == "agreed" and v.voices == 3


def test_different_actors_named_by_two_voices_contest_the_attribution():
    reports = [report("a", "x", perp("rsf", chosen=True)), report("b", "y", perp("sudanese-army", chosen=True))]
    verdict = story_verdict("s", reports)
    assert verdict.attribution.verdict == "contested"
    assert verdict.attribution_contested and not verdict.count_divergent
    assert verdict.grade == "contested"
    assert "rsf" in verdict.headline and "sudanese-army" in verdict.headline


def test_an_affiliate_agrees_with_its_parent_and_allies_with_each_other():
    relations = ActorRelations(parent={"jnim": "al-qaeda"}, allies=frozenset({frozenset({"russia", "syria"})}))
    kin = [report("a", "x", perp("jnim", chosen=True)), report("b", "y", perp("al-qaeda", chosen=True))]
    assert story_verdict("s", kin, relations).attribution.verdict == "agreed"
    allied = [report("a", "x", perp("russia", chosen=True)), report("b", "y", perp("syria", chosen=True))]
    assert story_verdict("s", allied, relations).attribution.verdict == "agreed"
    assert story_verdict("s", allied).attribution.verdict == "contested"


def test_a_denial_of_the_accused_contests_even_within_one_article():
    both_sides = report(
        "a",
        "x",
        perp("hezbollah", "accused", speaker="israel", sentence="Israel blamed Hezbollah for the rocket."),
        perp("hezbollah", "denied", speaker="hezbollah", sentence="Hezbollah denied any role."),
    )
    v = story_verdict("s", [both_sides, report("b", "y")]).attribution
    assert v.verdict == "contested"
    assert "denied" in v.summary
    assert {e.stance for e in v.evidence} == {"accused", "denied"}
    assert {e.speaker for e in v.evidence} == {"israel", "hezbollah"}


def test_a_group_that_claims_and_then_disowns_the_attack_contests_its_claim():
    def denial(actor, sentence):
        return replace(perp(actor, "denied", speaker=actor, sentence=sentence), extra={"cue": "denial"})

    claimed = perp("lobos", "claimed", speaker="lobos", sentence="Men who said they belonged to Los Lobos claimed it.")
    disowned = denial("lobos", "A second video, purportedly from Los Lobos, denied any involvement.")
    v = story_verdict("s", [report("a", "x", claimed, disowned), report("b", "y", claimed)]).attribution
    assert v.verdict == "contested"
    # ... a party's own account beside its claim (a counter-narrative, no outright denial) contests nothing
    counter = replace(disowned, extra={"cue": "counter"})
    v = story_verdict("s", [report("a", "x", claimed, counter), report("b", "y", claimed)]).attribution
    assert v.verdict != "contested"


def test_two_parties_blaming_different_actors_in_one_article_contest_it():
    one = report(
        "a",
        "x",
        perp("ukraine", "accused", speaker="russia"),
        perp("russia", "accused", speaker="ukraine"),
    )
    assert story_verdict("s", [one]).attribution.verdict == "contested"


def test_the_grade_follows_the_death_toll_not_the_injured():
    reports = [
        report("a", "x", toll(16), toll(20, kind="injured")),
        report("b", "y", toll(16), toll(2000, kind="injured")),
    ]
    verdict = story_verdict("s", reports)
    assert verdict.killed.verdict == "agreeing" and verdict.injured.verdict == "divergent"
    assert verdict.grade == "corroborated" and not verdict.count_divergent
    assert "Injured counts also differ" in verdict.headline


def test_a_divergent_toll_grades_divergent_with_its_spread():
    verdict = story_verdict("s", [report("a", "x", toll(100)), report("b", "y", toll(150))])
    assert verdict.grade == "divergent" and verdict.count_divergent
    assert abs(verdict.divergence - 50 / 150) < 1e-9
    assert "100 against 150" in verdict.headline


def test_one_voice_is_single_source():
    verdict = story_verdict("s", [report("a", "x", toll(5), perp("isis", chosen=True))])
    assert verdict.grade == "single source"
    assert verdict.killed.verdict == "single voice" and verdict.attribution.verdict == "single voice"


def test_below_a_toll_that_rose_undated_lower_figures_are_earlier_stages():
    reports = [
        report("a", "x", toll(17), published=None),
        report("b", "y", toll(44), published=None),
        report("c", "z", toll(100, "The death toll climbed to 100 by Tuesday evening."), published=None),
    ]
    assert count_verdict(reports, "killed").verdict == "rising"
    # without the rise, 17 and 44 disagree
    assert count_verdict(reports[:2], "killed").verdict == "divergent"


def test_two_groups_each_claiming_the_attack_contest_it_even_when_kin():
    relations = ActorRelations(parent={"splinter": "parent-group"})
    reports = [
        report("a", "x", perp("splinter", "claimed", chosen=True, speaker="splinter")),
        report("b", "y", perp("parent-group", "claimed", chosen=True, speaker="parent-group")),
    ]
    assert story_verdict("s", reports, relations).attribution.verdict == "contested"


def test_a_partys_blame_takes_a_side_only_when_it_is_about_the_attack():
    own = report("a", "x", perp("russia", chosen=True))
    about = report(
        "b",
        "y",
        perp("ukraine", "accused", speaker="russia", sentence="Moscow blamed Ukrainian air defence for the blast."),
    )
    background = report(
        "c",
        "z",
        perp("ukraine", "accused", speaker="russia", sentence="Moscow has long accused Kyiv of shelling towns."),
    )
    assert story_verdict("s", [own, about]).attribution.verdict == "contested"
    assert story_verdict("s", [own, background]).attribution.verdict == "single voice"
    # invented: blaming "a drone strike" in the sentence of the toll is about this attack
    drone = report(
        "d",
        "w",
        perp("ukraine", "accused", speaker="russia", sentence="Moscow said six died, blaming a drone strike by Kyiv."),
    )
    assert story_verdict("s", [own, drone]).attribution.verdict == "contested"


def test_a_particular_police_force_is_no_rival_of_the_police():
    # invented: one outlet's "police" and another's "Rio police" (a monitor's actor) are one side
    from accord.models import Actor

    relations = ActorRelations.from_actors(
        [Actor("police", "Police", ("police", "officers", "SWAT")), Actor("rio-police", "Rio police", ("PMERJ",))]
    )
    assert relations.compatible("police", "rio-police")
    reports = [
        report("a", "x", perp("police", chosen=True)),
        report("b", "y", perp("rio-police", chosen=True)),
    ]
    assert story_verdict("s", reports, relations=relations).attribution.verdict == "agreed"


def test_a_partys_own_deed_takes_a_side_only_when_it_is_about_the_attack():
    # invented, after FA-KES: a reprisal shelling, and the rebels' word on the act that provoked it
    own = report("a", "x", perp("syrian-government", chosen=True))
    provocation = report(
        "b",
        "y",
        perp("armed-opposition", "claimed", sentence="The rebel group said it had shot down the plane on Friday."),
    )
    claim = report(
        "c",
        "z",
        perp("armed-opposition", "claimed", sentence="A rebel group claimed responsibility for the shelling."),
    )
    assert story_verdict("s", [own, provocation]).attribution.verdict == "single voice"
    assert story_verdict("s", [own, claim]).attribution.verdict == "contested"


def test_the_sides_of_a_clash_named_in_another_order_agree():
    # invented: each outlet names both sides, its chosen perpetrator the one it names first
    a = "Clashes between the army and the RSF killed 20 civilians."
    b = "Fighting between the RSF and the army left 20 dead."
    reports = [
        report("a", "x", perp("army", chosen=True, sentence=a), perp("rsf", sentence=a)),
        report("b", "y", perp("rsf", chosen=True, sentence=b), perp("army", sentence=b)),
    ]
    assert story_verdict("s", reports).attribution.verdict == "agreed"
    # outlets that each blame one side, with no clash named, still contest it
    reports = [report("a", "x", perp("army", chosen=True)), report("b", "y", perp("rsf", chosen=True))]
    assert story_verdict("s", reports).attribution.verdict == "contested"


def test_the_summary_shows_a_vague_range_as_a_range_and_each_dispute_once():
    scores = toll(20, "Scores were killed.", low=20, high=99)
    divergent = count_verdict([report("a", "x", scores), report("b", "y", toll(150))], "killed")
    assert "20-99 against 150" in divergent.summary
    reports = [
        report("a", "x", perp("isis", "claimed", speaker="isis")),
        report(
            "b",
            "y",
            perp("isis", "claimed", speaker="isis"),
            perp("israel", "accused", speaker="iran", sentence="Iran blamed Israel for the bombing."),
        ),
    ]
    summary = story_verdict("s", reports).attribution.summary
    assert summary.count("against") == 1


def test_a_denial_phrased_as_what_the_accused_never_does_contests_a_two_voice_story():
    from accord.claims import ClaimExtractor, parse_actors
    from accord.verdict import attribution_verdict

    actors = parse_actors(
        [
            {"id": "sylvania", "name": "Sylvania", "aliases": ["Sylvanian", "Sylvanian forces"]},
            {"id": "freedonia", "name": "Freedonia", "aliases": ["Freedonian air defence"]},
        ]
    )
    extractor = ClaimExtractor(actors)

    def voice(article: str, title: str, text: str) -> Report:
        return report(article, f"{article}-outlet", *extractor.extract(title, text))

    own = voice("a", "Sylvanian missile kills 30 in apartment block", "A Sylvanian missile hit a block of flats.")
    answer = voice(
        "b",
        "Toll in apartment strike rises to 31",
        "Rescuers pulled more bodies from the block of flats on Monday. “Sylvanian forces do not strike residential "
        "buildings,” a Sylvanian spokesman told reporters, suggesting Freedonian air defence had caused the blast.",
    )
    relations = ActorRelations.from_actors(actors)
    verdict = attribution_verdict([own, answer], relations)
    assert verdict.verdict == "contested"
    assert ("sylvania", "denied", "sylvania") in {(e.actor, e.stance, e.speaker) for e in verdict.evidence}
    # without the answer, the two voices that name Sylvania agree
    again = voice("c", "Missile strike on flats kills 31", "Sylvanian forces struck the block of flats, killing 31.")
    assert attribution_verdict([own, again], relations).verdict == "agreed"


def party_toll(n: int, party: str, *, low: int | None = None, high: int | None = -1, victims: str | None = None):
    """A count the article relays from a party, not its own toll (not chosen)."""
    claim = toll(n, f"The {party} spokesman said {n} people were killed.", high=high, low=low)
    return replace(claim, chosen=False, victims=victims, actor=party, cited_source=f"{party} spokesman")


def test_the_accused_sides_own_figure_is_a_rival_voice():
    # two outlets agree on 270; one relays the accused's "under 100": a dispute of the toll, whoever relays it
    blamed = perp("northern-army", chosen=True)
    stories = [
        report("a", "x", toll(270), blamed, party_toll(100, "northern-army", low=0, high=99)),
        report("b", "y", toll(274), blamed),
    ]
    v = count_verdict(stories, "killed", relations=ActorRelations())
    assert v.verdict == "divergent" and v.voices == 3
    party = [e for e in v.evidence if e.speaker == "northern-army"]
    assert party and party[0].outlets == ("x",)
    assert "northern-army, as relayed by x" in v.summary
    # without the relayed figure the outlets agree
    assert count_verdict([report("a", "x", toll(270), blamed), stories[1]], "killed").verdict == "agreeing"


def test_a_party_figure_counts_only_for_the_side_held_responsible_and_not_its_fighters():
    blamed = perp("northern-army", chosen=True)
    # a figure from a party no report blames (the victims' side, a bystander state) is no rival account
    other = [report("a", "x", toll(270), blamed, party_toll(100, "southern-front")), report("b", "y", toll(274))]
    assert count_verdict(other, "killed").verdict == "agreeing"
    # the accused's count of enemy fighters it says it killed is a military claim, not the incident's toll
    fighters = [
        report("a", "x", toll(270), blamed, party_toll(40, "northern-army", victims="fighters")),
        report("b", "y", toll(274)),
    ]
    assert count_verdict(fighters, "killed").verdict == "agreeing"


def test_an_unidentified_attacker_beside_a_named_one_is_said_after_it():
    reports = [
        report("a", "x", toll(12), perp("unknown", chosen=True, sentence="Armed men opened fire in the bar.")),
        report("b", "y", toll(12), perp("cartel", chosen=True, sentence="Officials blamed the cartel.")),
    ]
    v = story_verdict("s", reports)
    assert v.attribution.verdict == "agreed"
    assert v.attribution.summary.endswith("who did it: cartel (others name only an unidentified attacker: unknown).")
    # the headline gives each question's summary once, without a prefix repeating the voices
    assert v.headline.startswith("2 independent voices agree on the death toll: 12")


def test_the_attackers_claim_of_their_killing_is_their_voice_not_a_later_stage():
    # invented: officials say 5 on day one; a day later one outlet gives only the armed group's claim of 14
    claimed = replace(
        toll(14, "The Front claims killing 14 soldiers in the ambush."), actor="front", extra={"self_claimed": True}
    )
    reports = [
        report("a", "x", toll(5), perp("front", chosen=True), published=DAY),
        report("b", "y", toll(5), published=DAY),
        report("c", "z", claimed, perp("front", "claimed", chosen=True, speaker="front"), published=DAY + timedelta(1)),
    ]
    v = count_verdict(reports, "killed")
    assert v.verdict == "divergent" and "front, as relayed by z" in v.summary
    # the same figure as the outlet's own, a day later, is a rising toll
    reports[2] = report("c", "z", toll(14), perp("front", chosen=True), published=DAY + timedelta(1))
    assert count_verdict(reports, "killed").verdict == "rising"


def test_an_outlets_lead_toll_given_as_the_held_partys_is_that_partys_account_not_a_later_stage():
    # invented: the struck side says one serviceman died; days later an outlet leads with the attacker's own 34
    day_one = report("a", "x", toll(1), perp("east", chosen=True), published=DAY)
    theirs = replace(
        toll(34, "West says 34 officers killed in the strike on the fleet headquarters."),
        actor="west",
        cited_source="West",
        victims="soldiers",
    )
    later = report("c", "z", theirs, perp("west", chosen=True), published=DAY + timedelta(3))
    held = report("b", "y", toll(1), perp("west", chosen=True), published=DAY)
    assert count_verdict([day_one, held, later], "killed").verdict == "divergent"
    # the same figure in the outlet's own voice is the toll risen
    own = report("c", "z", toll(34), perp("west", chosen=True), published=DAY + timedelta(3))
    assert count_verdict([day_one, held, own], "killed").verdict == "rising"


def test_a_lower_toll_the_article_sets_against_its_own_is_a_rival_not_an_earlier_stage():
    # invented: a local official's 81 with the police's lower 34 beside it; a day later a local leader's 170, "far
    # higher than figures given by police", that says the toll rose
    police = replace(
        toll(34, "State police put the death toll lower, saying 34 people had been killed."),
        chosen=False,
        cited_source="State police",
    )
    risen = toll(
        170, "The death toll has risen to about 170, a local leader said, far higher than figures given by police."
    )
    reports = [
        report("a", "x", toll(81), police, published=DAY),
        report("c", "z", risen, published=DAY + timedelta(1)),
    ]
    v = count_verdict(reports, "killed")
    assert v.verdict == "divergent" and "34" in v.summary
    # without the police's figure, a toll risen from 81 to 170 a day later
    assert count_verdict([report("a", "x", toll(81), published=DAY), reports[1]], "killed").verdict == "rising"


def test_one_source_named_more_or_less_fully_is_one_voice():
    # invented: two outlets relay the police's lower figure, one as "State police", one as "police"
    def relayed(source: str):
        sentence = f"{source} put the death toll lower, saying 34 people had been killed."
        return replace(toll(34, sentence), chosen=False, cited_source=source)

    reports = [report("a", "x", toll(81), relayed("State police")), report("b", "y", toll(81), relayed("Police"))]
    v = count_verdict(reports, "killed")
    police = [e for e in v.evidence if e.value == 34]
    assert v.verdict == "divergent" and len(police) == 1 and set(police[0].outlets) == {"x", "y"}


def test_a_figure_the_report_disputes_is_its_sources_current_account():
    # invented: day one, police 9; day two, two outlets give residents' 45 and a lawmaker's 47 against "the police"
    disputing = replace(
        toll(9, "Armed men killed 45 people, residents said, disputing a police figure of nine dead."),
        chosen=False,
        extra={"count_text": "nine"},
    )
    far_more = replace(
        toll(9, "The lawmaker said 47 were killed, far more than the nine deaths confirmed by the police."),
        chosen=False,
        extra={"count_text": "nine"},
    )
    reports = [
        report("a", "x", toll(9), published=DAY),
        report("b", "y", toll(45), disputing, published=DAY + timedelta(1)),
        report("c", "z", toll(47), far_more, published=DAY + timedelta(1)),
    ]
    v = count_verdict(reports, "killed")
    assert v.verdict == "divergent" and "police, as relayed by y, z" in v.summary
    # the same figure stated without a dispute is an earlier stage
    plain = replace(disputing, sentence="Armed men killed 45 people, residents said. Police had said nine died.")
    reports[1:] = [report("b", "y", toll(45), plain, published=DAY + timedelta(1))]
    assert count_verdict(reports, "killed").verdict == "rising"


def test_a_figure_set_higher_than_anothers_toll_or_acknowledged_by_it_is_that_sources():
    # invented: day one, police 18; day two, defenders count 29 "higher than the toll of 18 given by police"
    for sentence, words in (
        ("Defenders counted 29 dead, higher than the toll of 18 given by police.", "18"),
        ("At least 29 were killed, far more than the 18 deaths acknowledged by authorities.", "18"),
    ):
        rival = replace(toll(18, sentence), chosen=False, extra={"count_text": words})
        reports = [
            report("a", "x", toll(18), published=DAY),
            report("b", "y", toll(29), rival, published=DAY + timedelta(1)),
        ]
        assert count_verdict(reports, "killed").verdict == "divergent", sentence


def test_a_front_a_report_names_as_a_groups_is_its_kin():
    front = replace(perp("tigers", "claimed", chosen=True), extra={"kin": ["front"]})
    reports = [report("a", "x", front), report("b", "y", perp("front", chosen=True))]
    assert story_verdict("s", reports).attribution.verdict == "agreed"
    plain = [report("a", "x", perp("tigers", "claimed", chosen=True)), report("b", "y", perp("front", chosen=True))]
    assert story_verdict("s", plain).attribution.verdict == "contested"


def test_an_armed_wing_and_its_party_are_one_answer():
    # the catalogue's HPG is the PKK's armed wing: a report naming either does not contest the other
    from accord.claims import load_default_actors

    relations = ActorRelations.from_actors(load_default_actors())
    assert relations.compatible("hpg", "pkk") and relations.compatible("pkk", "hpg")
    assert not relations.compatible("hpg", "isis")


def test_an_article_that_sets_its_toll_against_the_official_one_keeps_both_as_current():
    # invented: a later report's "at least 20 soldiers ... a heavier toll than the one announced by the government",
    # which also gives the ministry's 12: two sources at once, not a toll that rose from 12 to 20
    own = replace(
        toll(
            20,
            "At least 20 soldiers were killed, according to security sources, a heavier toll than the one "
            "announced by the government.",
        ),
        victims="soldiers",
    )
    ministry = replace(
        toll(12, "On Friday evening, the defence ministry said twelve soldiers had been killed."),
        chosen=False,
        cited_source="the defence ministry",
        victims="soldiers",
        scope="incident",
    )
    first = report("a", "x", replace(toll(12), victims="soldiers"))
    later = report("b", "y", own, ministry, published=DAY + timedelta(hours=15))
    assert count_verdict([first, later], "killed").verdict == "divergent"
    # without the contrast, the later figure is a rise
    plain = report(
        "b", "y", replace(own, sentence="At least 20 soldiers were killed."), published=DAY + timedelta(hours=15)
    )
    assert count_verdict([first, plain], "killed").verdict == "rising"


def test_an_affiliate_named_as_such_claims_for_its_parent():
    # invented, after the coverage of the Kabul airport bombing: one outlet says the Islamic State claimed it, another
    # that its Afghan affiliate did; one claim, not two rival ones
    relations = ActorRelations(parent={"isis-k": "isis"})
    parent = report("a", "x", perp("isis", "claimed", chosen=True, speaker="isis"))
    named = perp("isis-k", "claimed", chosen=True, speaker="isis-k")
    affiliate = report("b", "y", replace(named, words="Islamic State group's Afghan affiliate"))
    assert story_verdict("s", [parent, affiliate], relations).attribution.verdict == "agreed"
    # ... a splinter's claim named only by its own name still competes (test above)
    splinter = report("c", "z", replace(named, words="ISIS-K"))
    assert story_verdict("s", [parent, splinter], relations).attribution.verdict == "contested"


def test_a_partys_figure_for_a_day_weeks_before_is_another_incidents():
    # invented, after TASS on the Kramatorsk station strike (April 2022): the Russian side's toll of an earlier strike
    # on another city, dated weeks before, beside the report's own toll
    blamed = perp("northern-army", chosen=True)
    earlier = replace(
        party_toll(17, "northern-army"),
        sentence="A missile struck the centre of Donetsk on February 14, killing 17 civilians, the army said.",
    )
    same_day = replace(earlier, sentence="The army said on March 1 that the strike killed 17 civilians.")
    own = report("a", "x", toll(50), blamed, earlier)
    assert count_verdict([own, report("b", "y", toll(52), blamed)], "killed").verdict == "agreeing"
    dated = report("a", "x", toll(50), blamed, same_day)
    assert count_verdict([dated, report("b", "y", toll(52), blamed)], "killed").verdict == "divergent"


def test_an_actor_named_in_a_sentence_dated_months_before_takes_no_side():
    # invented, after the coverage of a hostage-rescue raid: one outlet's chosen actor comes from a background line
    # about an attack eight months earlier ("Hamas's October 7 onslaught killed some 1,200 people")
    june = datetime(2024, 6, 9, 8, 0)
    raiders = report("a", "x", perp("northern-army", chosen=True), published=june)
    background = perp(
        "front", chosen=True, sentence="The front's October 7 onslaught killed some 1,200 people in the north."
    )
    other = report("b", "y", background, published=june)
    assert story_verdict("s", [raiders, other]).attribution.verdict == "single voice"
    dated = replace(background, sentence="The front's June 8 assault killed some 200 people in the north.")
    assert story_verdict("s", [raiders, report("b", "y", dated, published=june)]).attribution.verdict == "contested"


def test_a_follow_up_that_dates_its_own_incident_keeps_a_partys_figure_for_it():
    # invented: a report a week after the strike; the accused side's figure names the strike's own date
    blamed = perp("northern-army", chosen=True)
    later = DAY + timedelta(days=7)  # 8 March
    party = replace(party_toll(17, "northern-army"), sentence="The army said the March 1 strike killed only 17 people.")
    own = report("a", "x", toll(50), blamed, party, published=later)
    assert count_verdict([own, report("b", "y", toll(52), blamed, published=later)], "killed").verdict == "divergent"
    # ... and where the report's lead dates its incident, a figure dated days before it is another incident's
    dated_toll = replace(toll(50), sentence="The strike on March 6 killed 50 people.")
    own = report("a", "x", dated_toll, blamed, party, published=later)
    assert count_verdict([own, report("b", "y", toll(52), blamed, published=later)], "killed").verdict == "agreeing"


def test_police_read_as_the_states_forces_and_the_particular_police_a_list_names_are_one_side():
    # invented, after the coverage of the Jacarezinho raid (May 2021): one outlet's "police" resolves to the state's
    # forces, another names the Rio civil police its list holds; no dispute
    from accord.models import Actor

    actors = [
        Actor("police", "Police", ("police",)),
        Actor("freedonia", "Freedonia (state forces)", ("Freedonian forces",), countries=("fd",), state=True),
        Actor("city-police", "City Civil Police", ("City police", "civil police"), countries=("fd",)),
        Actor("sylvania", "Sylvania (state forces)", ("Sylvanian forces",), countries=("sy",), state=True),
    ]
    relations = ActorRelations.from_actors(actors)
    reports = [
        report("a", "x", perp("freedonia", chosen=True)),
        report("b", "y", perp("city-police", chosen=True)),
    ]
    assert story_verdict("s", reports, relations).attribution.verdict == "agreed"
    # ... but another country's forces are a rival
    reports[0] = report("a", "x", perp("sylvania", chosen=True))
    assert story_verdict("s", reports, relations).attribution.verdict == "contested"


def test_an_upper_bound_is_the_figure_its_speaker_puts_forward():
    # "up to 2,000 feared dead" against the army's 150 is a dispute; against "1,900" it is not
    up_to = toll(2000, "Up to 2,000 people are feared dead.", low=1, high=2000)
    disputed = count_verdict([report("a", "x", up_to), report("b", "y", toll(150))], "killed")
    assert disputed.verdict == "divergent"
    assert "up to 2000" in disputed.summary
    assert count_verdict([report("a", "x", up_to), report("b", "y", toll(1900))], "killed").verdict == "agreeing"


def test_a_figure_the_report_calls_far_below_reality_is_a_rival_account():
    own = replace(toll(1300, "More than 1,300 were killed, community leaders said."), cited_source="community leaders")
    disputed = replace(
        toll(800, "The UN agency said 800 had been killed, a count the leaders described as far below reality."),
        chosen=False,
        cited_source="UN agency",
    )
    later = report("b", "y", replace(toll(1300), cited_source="community leaders"))
    assert count_verdict([report("a", "x", own, disputed), later], "killed").verdict == "divergent"
    plain = replace(disputed, sentence="The UN agency said on Friday that 800 had been killed.")
    assert count_verdict([report("a", "x", own, plain), later], "killed").verdict != "divergent"


def test_a_parent_and_the_branch_a_report_names_as_its_own_claim_one_attack():
    from accord.claims import parse_actors

    relations = ActorRelations.from_actors(
        parse_actors(
            [
                {"id": "caliphate", "name": "Caliphate Front", "aliases": []},
                {"id": "east-branch", "name": "East Branch", "aliases": [], "parent": "caliphate"},
            ]
        )
    )
    parent = perp("caliphate", "claimed", speaker="caliphate", sentence="The Caliphate Front claims rally bombing.")
    branch = perp(
        "east-branch",
        "claimed",
        speaker="east-branch",
        sentence="Police charged the group, whose eastern branch claimed responsibility for the attack.",
    )
    reports = [report("a", "x", parent), report("b", "y", branch)]
    assert story_verdict("s", reports, relations).attribution.verdict != "contested"


def test_a_toll_its_own_sentence_calls_too_low_is_disputed_not_an_earlier_stage():
    # invented, after reports on a bombing in Kabul: the authorities' 19, "but residents say the real number is
    # higher", then the UN's 53 three days later
    low = toll(19, "The authorities put the death toll at 19, but residents say the real number is higher.")
    reports = [
        report("a", "x", low, published=DAY),
        report("b", "y", toll(53), published=DAY + timedelta(days=3)),
    ]
    assert count_verdict(reports, "killed").verdict == "divergent"
    plain = [report("a", "x", toll(19), published=DAY), reports[1]]
    assert count_verdict(plain, "killed").verdict == "rising"


def test_an_outlets_early_floor_is_an_earlier_stage_of_a_partys_later_count():
    # invented, after the first reports of an attack on a concert hall: "at least 60" the first night, the
    # investigators of the side later blamed by some give 137 two days on
    blamed = perp("northern-army", chosen=True)
    floor = toll(60, "Gunmen killed at least 60 people at the concert hall.", high=None)
    reports = [
        report("a", "x", floor, blamed, published=DAY),
        report("b", "y", toll(137), blamed, party_toll(137, "northern-army"), published=DAY + timedelta(days=2)),
    ]
    assert count_verdict(reports, "killed").verdict == "rising"
    # the same floor on the same day as the party's count is still a dispute
    same_day = [reports[0], replace(reports[1], published=DAY + timedelta(hours=2))]
    assert count_verdict(same_day, "killed").verdict == "divergent"


def test_a_figure_its_sentence_says_others_put_higher_is_a_rival_account():
    # invented, after reports on the Plateau attacks of June 2018: the police's 86 the first day; the next day an
    # outlet leads with residents' "more than 200" and gives the police's figure beside it, "though local people say
    # the toll is much higher"
    police = replace(toll(86, "Police say 86 killed in attacks on villages."), cited_source="Police")
    residents = toll(200, "Residents said that more than 200 people had been killed.", high=None, low=201)
    beside = replace(
        toll(86, "At least 86 people have been killed, police say, though local people say the toll is much higher."),
        chosen=False,
        cited_source="police",
    )
    reports = [
        report("a", "x", police, published=DAY),
        report("b", "y", residents, beside, published=DAY + timedelta(days=1)),
    ]
    assert count_verdict(reports, "killed").verdict == "divergent"
    plain = replace(beside, sentence="At least 86 people have been killed, police say.")
    reports[1] = report("b", "y", residents, plain, published=DAY + timedelta(days=1))
    assert count_verdict(reports, "killed").verdict == "rising"
