"""Attribution as every claim an article carries: who is named, how (stance) and by whom (cited_source).

Sentences are written for these tests (fictional countries and groups), never copied from a corpus.
"""

from __future__ import annotations

import pytest

from accord.claims import ClaimExtractor, load_default_actors, main_perpetrator, parse_actors
from accord.claims.attribution import ActorMatcher, is_generic, perpetrator_hits
from accord.claims.extractor import _CARRIED_OUT_BY

ACTORS = parse_actors(
    [
        {"id": "freedonia", "name": "Freedonia", "aliases": ["Freedonian", "Freedonian army", "Freedonian forces"]},
        {"id": "sylvania", "name": "Sylvania", "aliases": ["Sylvanian", "Sylvanian forces", "Sylvanian army"]},
        {"id": "front", "name": "Liberation Front", "aliases": ["the Front", "LF"]},
        {"id": "qaeda", "name": "al-Qaeda", "aliases": ["Al-Qaeda", "Qaeda"]},
        {"id": "jnim", "name": "JNIM", "aliases": ["Jama'at Nusrat al-Islam wal-Muslimin"]},
        {"id": "john-roe", "name": "John Roe", "aliases": ["Roe"]},
        {"id": "lone-gunman", "name": "lone gunman", "aliases": ["a gunman", "the gunman", "the shooter"]},
        {"id": "health-ministry", "name": "Sylvanian Health Ministry", "aliases": []},
    ]
)


@pytest.fixture(scope="module")
def matcher():
    return ActorMatcher(ACTORS)


@pytest.fixture(scope="module")
def extractor():
    return ClaimExtractor(ACTORS)


def hits(text, matcher):
    return [(h.mention.actor, h.stance, h.speaker) for h in perpetrator_hits(text, matcher)]


def perpetrators(claims):
    return [(c.actor, c.stance, c.cited_source) for c in claims if c.kind == "perpetrator"]


def test_victims_or_place_nationality_is_not_the_attacker(matcher):
    assert [a for a, _, _ in hits("Freedonian prisoners of war killed in shelling of the camp", matcher)] == []
    assert [a for a, _, _ in hits("Freedonian prison shelling kills 12 inmates", matcher)] == []
    assert [a for a, _, _ in hits("Sylvanian shelling killed nine Freedonian civilians", matcher)] == ["sylvania"]


def test_the_source_of_a_toll_is_not_the_perpetrator(matcher):
    assert hits("The Front says air strikes killed at least 30 villagers", matcher) == []
    # the Front speaks of its own deed: a claim
    assert ("front", "claimed", "front") in hits("The Front says it carried out the raid on the base", matcher)


def test_mutual_accusations_are_two_claims_and_no_side(matcher, extractor):
    assert sorted(hits("Freedonia and Sylvania blamed each other for the shelling of the market", matcher)) == [
        ("freedonia", "accused", "sylvania"),
        ("sylvania", "accused", "freedonia"),
    ]
    claims = extractor.extract(
        "Blast at market kills 14",
        "A blast killed 14 people at a crowded market in the border town on Sunday. Freedonian officials blamed a "
        "misfired Sylvanian rocket, while Sylvania blamed a Freedonian air strike. Rescuers searched the rubble.",
    )
    assert ("sylvania", "accused", "freedonia") in perpetrators(claims)
    assert ("freedonia", "accused", "sylvania") in perpetrators(claims)
    # the report takes no side, yet names who may have done it (CORPUS.md: every actor it names as possibly
    # responsible): the main one is one of the two sides, and the verdict reads both claims
    assert main_perpetrator(claims).actor in {"freedonia", "sylvania"}
    # ... where the competing blame is no party's (a witness, local media), the report names no one
    claims = extractor.extract(
        "Blast at market kills 14",
        "A blast killed 14 people at a crowded market in the border town on Sunday. Local media blamed a Freedonian "
        "air strike, while a witness blamed Sylvanian shelling. Rescuers searched the rubble.",
    )
    assert main_perpetrator(claims) is None


def test_own_voice_takes_a_side_despite_a_denial(extractor):
    claims = extractor.extract(
        "Sylvanian missile strike kills 20 in Freedonian city",
        "A Sylvanian missile struck an apartment block on Saturday, killing 20 people. Sylvania denied any "
        "involvement and said Freedonian air defence caused the blast.",
    )
    got = perpetrators(claims)
    assert ("sylvania", "asserted", None) in got
    assert ("sylvania", "denied", "sylvania") in got
    assert ("freedonia", "accused", "sylvania") in got
    assert main_perpetrator(claims).actor == "sylvania"
    assert main_perpetrator(claims).cited_source is None


def test_a_relayed_claim_is_the_speakers(matcher):
    # a catalogued speaker is given by its id, another speaker by its words
    assert hits("Sylvania said Freedonian forces shelled the village.", matcher) == [
        ("freedonia", "accused", "sylvania")
    ]
    assert hits("Freedonian forces shelled the village, local police said.", matcher) == [
        ("freedonia", "accused", "police")
    ]
    assert hits("Freedonian forces shelled the village.", matcher) == [("freedonia", "asserted", None)]


def test_background_sentence_names_no_perpetrator(extractor):
    claims = extractor.extract(
        "Bomb kills nine at a market",
        "A bomb killed nine people at a market on Monday. Nobody has claimed responsibility so far. "
        "A decade ago, the Front bombed the same market.",
    )
    assert main_perpetrator(claims) is None
    assert [c.extra["counted"] for c in claims if c.kind == "perpetrator"] == [False]


def test_the_affiliate_not_its_parent(matcher):
    assert [a for a, _, _ in hits("Al-Qaeda-linked JNIM fighters attacked the convoy near the border", matcher)] == [
        "jnim"
    ]
    assert [
        a for a, _, _ in hits("A splinter group of the Front claimed the bombing of the bus station", matcher)
    ] == []
    assert [a for a, _, _ in hits("Front splinter group claims the bombing of the bus station", matcher)] == []
    # no affiliate named: the parent stands
    assert [a for a, _, _ in hits("Qaeda-linked militants attacked the convoy", matcher)] == ["qaeda"]


def test_generic_attackers_and_the_named_one(matcher, extractor):
    assert is_generic(ACTORS[6]) and not is_generic(ACTORS[5])
    # the gunman is the attacker even where the sentence has him killed
    assert [a for a, _, _ in hits("The gunman was shot dead by officers at the scene.", matcher)] == ["lone-gunman"]
    claims = extractor.extract(
        "Four killed in school shooting",
        "A gunman opened fire at a school on Tuesday, killing four people. Police identified the shooter as "
        "John Roe, a 31-year-old former pupil.",
    )
    assert main_perpetrator(claims).actor == "john-roe"
    assert (
        main_perpetrator(
            extractor.extract(
                "Four killed in school shooting", "A gunman opened fire at a school, killing four people."
            )
        ).actor
        == "lone-gunman"
    )


def test_claimed_by_and_an_appositive_keep_the_claim(matcher):
    assert hits("The bombing, claimed by the Front, took place at dawn.", matcher) == [("front", "claimed", "front")]
    assert hits(
        "The Liberation Front (LF), an armed group listed as a terrorist organisation, has claimed responsibility "
        "for the attack.",
        matcher,
    ) == [("front", "claimed", "front")]


def test_one_claim_per_actor_stance_and_speaker(extractor):
    claims = extractor.extract(
        "Freedonian shelling kills 6",
        "Freedonian shelling killed six people on Friday. The Freedonian army shelled the town for hours. "
        "Freedonian forces fired rockets at the market.",
    )
    got = [c for c in claims if c.kind == "perpetrator"]
    assert [(c.actor, c.stance, c.cited_source) for c in got] == [("freedonia", "asserted", None)]
    assert got[0].extra["sentences"] == [0, 1, 2, 3]
    assert got[0].chosen and got[0].extra["counted"]


def test_country_after_a_place_and_a_common_word_inside_a_name():
    default = ActorMatcher(load_default_actors())
    assert hits("A car bomb went off in Tabriz, Iran killing 12 people on Friday.", default) == []
    # "army" names the Syrian army in the packaged list; inside another group's name it does not
    text = "The Freedom Liberation Army (FLA) said its fighters attacked the convoy."
    assert "syrian-government" not in [a for a, _, _ in hits(text, default)]
    # "the army" with no country named: the state forces of whichever country the report is about (unresolved here)
    assert [a for a, _, _ in hits("The army shelled the town.", default)] == ["state-forces"]


def test_a_later_sentence_that_claims_or_blames_the_attack_counts(extractor):
    lead = (
        "A blast tore through a bus station in the capital on Monday morning. Eleven people were killed and 30 "
        "were hurt, a hospital director said. Passengers had gathered for the early buses to the coast. "
        "Witnesses described scenes of panic as the roof fell in. "
    )
    claimed = extractor.extract("Bus station blast kills 11", lead + "The Front says it carried out the attack.")
    assert main_perpetrator(claimed).actor == "front"
    assert main_perpetrator(claimed).stance == "claimed"
    blamed = extractor.extract("Bus station blast kills 11", lead + "Sylvania blamed the Front for the bombing.")
    assert (main_perpetrator(blamed).actor, main_perpetrator(blamed).cited_source) == ("front", "sylvania")
    # the same actor named further down without a claim about this attack does not count
    other = extractor.extract("Bus station blast kills 11", lead + "The Front fought Sylvanian forces for years.")
    assert main_perpetrator(other) is None


def test_speaker_words_keep_their_qualifier(matcher):
    assert hits("Local sources in the capital said Freedonian forces shelled the market.", matcher) == [
        ("freedonia", "accused", "sources in the capital")
    ]
    assert hits("Freedonian forces shelled the village, a spokesman for the rescue service said.", matcher) == [
        ("freedonia", "accused", "spokesman for the rescue service")
    ]
    # a page that lost its apostrophes: a country's possessive reads as one (a real country: the gazetteer knows it)
    assert hits("Sudans opposition accused Freedonian forces of shelling the village.", matcher) == [
        ("freedonia", "accused", "sudan's opposition")
    ]


def test_the_backer_named_before_the_group_is_not_the_actor():
    actors = parse_actors(
        [
            {"id": "sylvania", "name": "Sylvania", "aliases": ["Sylvania-backed"]},
            {"id": "front", "name": "Liberation Front", "aliases": ["the Front"]},
        ]
    )
    m = ActorMatcher(actors)
    assert [a for a, _, _ in hits("Sylvania-backed Eastern armed group the Front shelled the town.", m)] == ["front"]
    # no group named after it: the backer stands for the attackers
    assert [a for a, _, _ in hits("Sylvania-backed militias shelled the town.", m)] == ["sylvania"]


def test_the_target_a_party_says_it_aimed_at_is_no_perpetrator():
    from accord.claims import ClaimExtractor, load_default_actors

    extractor = ClaimExtractor(load_default_actors())
    text = "The strike hit a camp for displaced people. The army said it had aimed a strike at a Hamas compound."
    claims = [c for c in extractor.extract("Strike on camp kills 12", text) if c.kind == "perpetrator"]
    assert "hamas" not in {c.actor for c in claims}


# --- how the news phrases a dispute: denials, counter-narratives -----------------------------------------------------


def test_a_denial_after_a_time_a_channel_or_a_possessive(matcher):
    assert hits("Sylvania on Tuesday denied responsibility for the blast.", matcher) == [
        ("sylvania", "denied", "sylvania")
    ]
    assert hits("The Front, in a short statement, rejected the accusations.", matcher) == [("front", "denied", "front")]
    # the possessive actor after the verb is the accuser, not the one that denies
    assert ("front", "denied", "front") in hits("The Front disputes Sylvania's account of the shelling.", matcher)
    assert ("front", "denied", "front") in hits(
        "Freedonia blamed the Front, which quickly issued a rare denial of any role in the bombing.", matcher
    )


def test_a_states_claim_an_armed_group_disputes_is_an_accusation_not_a_deed_the_state_claims():
    m = ActorMatcher(
        parse_actors(
            [
                {"id": "sylvania", "name": "Sylvania", "aliases": ["Sylvanian"], "state": True},
                {"id": "front", "name": "Liberation Front", "aliases": ["the Front"]},
                {"id": "brigade", "name": "Red Brigade", "aliases": []},
            ]
        )
    )
    found = hits("The Front disputes Sylvania's claim, but its channels announced rocket fire that evening.", m)
    assert ("front", "denied", "front") in found
    assert not [h for h in found if h[0] == "sylvania"]
    # a group's claim of the deed that another group rejects stays a claim on record
    assert ("brigade", "claimed", "brigade") in hits("The Front rejected the Red Brigade claim of the bombing.", m)


def test_where_a_weapon_was_made_names_no_one(matcher):
    assert hits("A Sylvanian-made rocket hit the pitch, killing 12 children.", matcher) == []
    assert hits("Freedonian-supplied missiles struck the market.", matcher) == []


def test_a_denial_phrased_as_a_statement_of_what_the_actor_never_does(matcher):
    found = hits(
        '"Sylvanian forces do not strike homes or hospitals, only military sites," a Sylvanian spokesman told '
        "reporters.",
        matcher,
    )
    assert found[0] == ("sylvania", "denied", "sylvania")
    assert hits("The Front said it had nothing to do with the bombing of the bus station.", matcher) == [
        ("front", "denied", "front")
    ]
    # no evidence that the actor did it: a denial, not a claim
    assert hits(
        'The Freedonian army said there was "no indication that the strike was carried out by Freedonian forces".',
        matcher,
    ) == [("freedonia", "denied", "freedonia")]


def test_the_accused_saying_it_struck_fighters_is_a_counter_narrative_not_a_claim(matcher):
    assert hits("The Front acknowledged fighting nearby but said it only targeted army positions.", matcher) == [
        ("front", "denied", "front")
    ]
    assert hits(
        "In a statement on Friday, the Front said that it had attacked the army and allied militias near the town "
        "but did not report any civilian casualties.",
        matcher,
    )[0] == ("front", "denied", "front")
    # a party's plain account of its strike on fighters, set against nothing, is its claim; so is one the reporter
    # qualifies after it
    assert hits(
        "Sylvania said it struck Front militants operating inside the school, but did not provide evidence.", matcher
    )[0] == ("sylvania", "claimed", "sylvania")
    assert hits("On Monday the Sylvanian army said it targeted positions across the border.", matcher) == [
        ("sylvania", "claimed", "sylvania")
    ]
    assert hits("The Front said insurgents had used villagers as human shields.", matcher) == [
        ("front", "denied", "front")
    ]
    # the accuser's sentence keeps its accusation; the counter-narrative is the accused's
    assert hits(
        "Freedonia accused the Front of a massacre in the village, while the Front said they attacked two camps "
        "of government troops.",
        matcher,
    ) == [("front", "accused", "freedonia"), ("front", "denied", "front")]
    # a claim of responsibility that names the troops it targeted disputes nothing
    assert hits(
        "The Front claimed responsibility for the bombing, saying its fighters targeted soldiers at the depot.",
        matcher,
    )[0] == ("front", "claimed", "front")
    assert hits("The Front says it carried out the raid on the base", matcher) == [("front", "claimed", "front")]


def test_a_story_whose_accused_gives_a_counter_narrative_is_contested(extractor):
    from accord.verdict import ActorRelations, Report, attribution_verdict

    def report(article, title, text):
        return Report(article, f"{article}.example", article, None, None, tuple(extractor.extract(title, text)))

    own_voice = report(
        "a",
        "Liberation Front fighters kill 60 villagers in raid",
        "Liberation Front fighters stormed the village of Oakdale on Tuesday, killing at least 60 people, residents said.",
    )
    counter = report(
        "b",
        "Dozens killed in village raid",
        "At least 58 people were killed in a raid on Oakdale on Tuesday, a rights group said. In a statement, the "
        "Front said it only targeted army positions near the village.",
    )
    relations = ActorRelations.from_actors(ACTORS)
    assert attribution_verdict([own_voice, counter], relations).verdict == "contested"
    agreeing = report(
        "c",
        "Raid on village kills 60",
        "Liberation Front fighters raided Oakdale on Tuesday, killing 60 people, officials said.",
    )
    assert attribution_verdict([own_voice, agreeing], relations).verdict == "agreed"


def test_typographic_apostrophes_and_names_in_common_words():
    matcher = ActorMatcher(
        parse_actors(
            [
                {"id": "freedonia", "name": "Freedonia", "aliases": ["Freedonia's army"]},
                {"id": "harvest", "name": "Al-Hasad", "aliases": ["The Harvest"]},
            ]
        )
    )
    # the catalogue writes a straight apostrophe, the news a typographic one
    assert hits(
        "The shelling, which Freedonia’s army said targeted insurgents using villagers as human shields.", matcher
    ) == [("freedonia", "denied", "freedonia")]
    # a group's name translated into common words names it only as written
    assert hits("The Harvest claimed responsibility for the bombing.", matcher) == [("harvest", "claimed", "harvest")]
    assert hits("Gunmen killed 12 farmers, the harvest's deadliest attack.", matcher) == []


def test_more_ways_to_deny(matcher):
    # the verb ends the clause
    assert hits("Sylvania blamed the Front for the attack, a charge the Front denied.", matcher) == [
        ("front", "accused", "sylvania"),
        ("front", "denied", "front"),
    ]
    # named by one party and denied by itself in a relative clause: both claims
    assert hits("Sylvania blamed the Front, which denies it.", matcher) == [
        ("front", "accused", "sylvania"),
        ("front", "denied", "front"),
    ]
    assert hits("The Front said the accusations were baseless.", matcher) == [("front", "denied", "front")]
    assert hits("The Front called the allegations lies.", matcher) == [("front", "denied", "front")]
    assert hits("The Front said it had no role in the attack.", matcher) == [("front", "denied", "front")]
    # a denial of something else is no denial of the attack
    assert hits("The Front denied the town had fallen.", matcher) == []


def test_the_dead_said_to_be_fighters_and_human_shields_are_counter_narratives(matcher):
    assert hits("The Sylvanian army said those killed were all militants.", matcher) == [
        ("sylvania", "denied", "sylvania")
    ]
    assert hits("Sylvania said its jets struck Front fighters, not civilians.", matcher)[0] == (
        "sylvania",
        "denied",
        "sylvania",
    )
    # the justification may come late in a long sentence
    assert hits(
        "A Sylvanian army spokesman on Monday defended the operation in the district, saying that “rebels” had hidden "
        "in the school and used children as “human shields”.",
        matcher,
    ) == [("sylvania", "denied", "sylvania")]


def test_the_critic_of_an_attack_is_not_its_author(matcher):
    assert hits("The Front strongly condemned the bombing of the market.", matcher) == []
    assert hits("Sylvania denounced the shelling as a war crime.", matcher) == []
    # the attack it condemns still names its author
    assert hits("The Front condemned the shelling by Freedonian forces.", matcher) == [("freedonia", "accused", None)]


def test_a_stock_denial_of_the_wars_coverage_is_no_answer_to_this_attack(matcher):
    assert hits("Sylvania denies targeting civilians.", matcher) == []
    assert hits("Sylvania has repeatedly denied any involvement in such killings.", matcher) == []
    assert hits("Sylvania blamed the Front in the past for such raids, which the Front denies.", matcher) == [
        ("front", "accused", "sylvania")
    ]
    # an answer about this attack stands
    assert hits("Sylvania on Saturday denied its forces had targeted civilians in the strike.", matcher) == [
        ("sylvania", "denied", "sylvania")
    ]


def test_the_group_that_denies_is_the_group_named_last(extractor):
    claims = extractor.extract(
        "Rocket kills 12 children at a football pitch",
        "A rocket struck a football pitch on Saturday, killing 12 children. Freedonia blamed the Front for the rocket "
        "attack. The group denied any involvement.",
    )
    assert ("front", "denied", "front") in perpetrators(claims)
    # in the same sentence, after the accusation
    claims = extractor.extract(
        "Raid kills 40 villagers",
        "Gunmen raided the village on Tuesday, killing 40 people. Freedonia accused the Front of the massacre, while "
        "the militant group said it only targeted army posts.",
    )
    assert ("front", "denied", "front") in perpetrators(claims)
    # a group that was never named is nobody; a country's forces are no "group"
    claims = extractor.extract(
        "Strike kills 40", "Gunmen killed 40 people in the village on Tuesday. The group denied any involvement."
    )
    assert [c for c in claims if c.kind == "perpetrator" and c.stance == "denied"] == []
    states = ClaimExtractor(
        parse_actors([{"id": "sylvania", "name": "Sylvania", "aliases": ["Sylvanian forces"], "state": True}])
    )
    claims = states.extract(
        "Strike kills 40", "Sylvanian forces struck the village on Tuesday, killing 40. The group denied any role."
    )
    assert [c for c in claims if c.kind == "perpetrator" and c.stance == "denied"] == []


def test_it_that_disputes_is_the_previous_sentences_subject(extractor):
    # invented, after real wire copy of a missile strike: the accused speaks, then "It" accuses the other side
    claims = extractor.extract(
        "Missile strike kills 34 in city centre",
        "A missile strike on the city centre killed 34 people on Sunday, officials said. Sylvania said it had struck a "
        "meeting of Freedonian commanders. It accused Freedonia of using civilians as a human shield.",
    )
    assert ("sylvania", "denied", "sylvania") in perpetrators(claims)
    assert ("freedonia", "accused", "sylvania") in perpetrators(claims)  # Sylvania's accusation, not the outlet's
    # "as a human shield" as well as "as human shields", with the actor named
    assert ("front", "denied", "front") in perpetrators(
        extractor.extract(
            "Raid kills 40",
            "Gunmen raided the village on Tuesday, killing 40 people. The Front accused the army of using villagers "
            "as a human shield.",
        )
    )
    # "It" of a sentence that disputes nothing, or after a sentence that opens with no actor, names no one
    claims = extractor.extract(
        "Missile strike kills 34",
        "A missile strike killed 34 people on Sunday. It was the deadliest attack this year. "
        "It said it had only struck military targets.",
    )
    assert [c for c in claims if c.kind == "perpetrator" and c.stance == "denied"] == []


def test_a_blame_verb_joined_by_and_to_a_verb_of_saying_has_its_subject(matcher):
    # invented, after wire copy: the government said ... and accused; the words before "and" are a place, not a speaker
    sentence = (
        "The Sylvanian government has said 42 people were killed in the shelling of the market in Ihusi, in the north, "
        "and accused the Front of firing from nearby hills."
    )
    assert hits(sentence, matcher) == [("front", "accused", "sylvania")]


def test_a_headlines_clauses_have_speakers_of_their_own(matcher):
    # invented, after an AFP headline: each side's count and blame, one per clause
    headline = "Sylvania says 42 killed in LF shelling; the Front claims six died in Sylvanian army drone strike"
    assert hits(headline, matcher) == [("front", "accused", "sylvania"), ("sylvania", "accused", "front")]


def test_ground_and_bases_of_an_actor_are_the_target(matcher):
    assert hits("Sylvanian jets struck Front training camps in the north.", matcher) == [("sylvania", "asserted", None)]
    assert hits("Freedonian forces shelled Front fighting positions near the river.", matcher) == [
        ("freedonia", "asserted", None)
    ]


def test_aircraft_destroyed_are_the_target(matcher):
    # fakes sample (alaraby, Shayrat) in invented words: the planes were hit, not flown against anyone
    assert (
        hits("Sylvanian media reported that 15 Sylvanian fighter planes were destroyed in the strike.", matcher) == []
    )


def test_a_group_named_before_what_it_is_denies_and_claims_as_itself():
    # invented: "rebel group" and "rebel movement" after the name describe it; the name speaks
    actors = parse_actors(
        [
            {"id": "front", "name": "Liberation Front", "aliases": ["LF"]},
            {"id": "rebels", "name": "rebels", "aliases": ["rebel", "rebel group"], "countries": ["sy"]},
            {"id": "freedonia", "name": "Freedonia", "aliases": ["Freedonian army"]},
        ]
    )
    matcher = ActorMatcher(actors)
    assert hits("The LF rebel group denied responsibility and blamed the Freedonian army.", matcher) == [
        ("front", "denied", "front"),
        ("freedonia", "accused", "front"),
    ]
    assert hits("The LF rebel movement claimed the attack.", matcher) == [("front", "claimed", "front")]


@pytest.fixture(scope="module")
def default():
    return ClaimExtractor(load_default_actors())


@pytest.fixture(scope="module")
def world():
    return ActorMatcher(load_default_actors())


def test_a_named_group_a_party_blames_beats_the_generic_gunmen(default):
    claims = default.extract(
        "Gunmen kill 19 villagers in western Niger, ministry says",
        "Gunmen killed 19 villagers and wounded six on Sunday in Niger's Tahoua region, the interior ministry said, "
        "blaming the Islamic State Sahel Province. Survivors said the attackers arrived on motorbikes.",
    )
    assert main_perpetrator(claims).actor == "is-sahel"
    # with nobody blamed, the generic words stay the answer
    plain = default.extract(
        "Gunmen kill 19 villagers in western Niger",
        "Gunmen killed 19 villagers and wounded six on Sunday in Niger's Tahoua region, the interior ministry said.",
    )
    assert main_perpetrator(plain).actor == "unknown"


def test_a_claim_far_down_the_report_counts(default):
    lead = (
        "Insurgents overran an army outpost in northern Burkina Faso on Saturday. At least 30 soldiers were killed, "
        "two security sources said. The assailants also seized vehicles and ammunition. The outpost had been "
        "attacked twice this year. Relief convoys to the area were suspended on Sunday. "
    )
    claims = default.extract(
        "Dozens of soldiers killed in Burkina outpost attack",
        lead + "The attack was claimed by JNIM, the Sahel branch of al-Qaeda, in a statement on Sunday.",
    )
    assert (main_perpetrator(claims).actor, main_perpetrator(claims).stance) == ("jnim", "claimed")


def test_the_names_local_news_uses_for_armed_groups(default):
    cases = {
        (
            "Bandits kill 14 in Sokoto village",
            "Armed bandits killed 14 people in a village in Sokoto State, Nigeria, on Thursday, police said.",
        ): "bandits",
        (
            "Khawarij attack on Bannu check post martyrs four",
            "Four policemen were martyred when khawarij attacked a check post in Bannu, Pakistan, police said.",
        ): "ttp",
        (
            "Three CRPF men killed in Maoist IED blast in Bijapur",
            "Three CRPF personnel were killed on Monday when "
            "a pressure IED went off in Bijapur district, India, officials said.",
        ): "cpi-maoist",
        (
            "Palestinian killed by colonists near Nablus",
            "A Palestinian man was shot dead by colonists near Nablus "
            "in the occupied West Bank on Friday, the health ministry said.",
        ): "israeli-settlers",
    }
    for (title, text), actor in cases.items():
        assert main_perpetrator(default.extract(title, text)).actor == actor, title


def test_who_mourns_or_fends_off_the_attack_is_not_its_author(matcher):
    # a country that mourns the dead, a force that repels the attack on it
    assert hits("Freedonia declares mourning after dozens killed in mosque attack", matcher) == []
    assert hits("Oldtown: the Freedonian army repels a terrorist attack, 27 soldiers fall with honour", matcher) == []
    assert hits("Sylvanian forces came under attack near the border, losing four men.", matcher) == []
    # ... but the dead are the attackers it fought off: theirs is the killing
    assert [a for a, _, _ in hits("The Freedonian army foiled an attack, killing 40 militants.", matcher)] == [
        "freedonia"
    ]


def test_the_attackers_own_count_is_theirs(extractor):
    claims = extractor.extract(
        "The Front claims killing 14 Sylvanian soldiers in ambush",
        "The Liberation Front said in a statement that its fighters had killed 14 soldiers in the ambush on Monday.",
    )
    counts = [(c.point, c.actor, c.extra.get("self_claimed")) for c in claims if c.kind == "killed"]
    assert (14.0, "front", True) in counts and all(actor == "front" for p, actor, _ in counts if p == 14.0)


def test_common_words_for_a_named_group_and_attributing_the_attack(matcher):
    assert hits("Officials attributed the bombing to the Front on Sunday.", matcher) == [
        ("front", "accused", "officials")
    ]
    # "gunmen of the so-called Front": the group named, not the generic words for its men
    default = ActorMatcher(load_default_actors())
    text = "The minister said the raid was carried out by gunmen of the so-called Islamic State Sahel Province."
    assert [a for a, _, _ in hits(text, default)] == ["is-sahel"]
    # who hunts the attackers afterwards did not attack
    assert hits("Freedonian forces launched an operation to track down the attackers.", matcher) == []


def test_a_claim_or_attribution_anywhere_names_the_group_behind_the_gunmen(default):
    lead = (
        "Armed men stopped a bus on a highway in Balochistan, Pakistan, late on Monday and shot dead nine passengers, "
        "officials said. The gunmen checked identity cards before taking the men away. Two others were wounded. "
        "Traffic on the highway was suspended overnight. Security forces cordoned off the area on Tuesday. "
    )
    for tail in (
        "The Balochistan Liberation Army claimed responsibility.",
        "The Balochistan Liberation Army later claimed the attack in a statement.",
        "Officials attributed the attack to the Balochistan Liberation Army.",
    ):
        assert main_perpetrator(default.extract("Gunmen kill nine bus passengers", lead + tail)).actor == "bla", tail
    # "they claimed the attack was caused by ..." is an assertion about the attack, not a claim of it
    assert not _CARRIED_OUT_BY.search("They claimed the attack was caused by an airstrike carried out by the army.")


def test_a_country_named_as_the_place_is_no_actor():
    # a monitor's list that names the states by their countries' names
    states = ActorMatcher(
        parse_actors(
            [
                {"id": "israel", "name": "Israel", "aliases": ["Israeli drone"]},
                {"id": "lebanon", "name": "Lebanon", "aliases": ["Lebanese army"]},
            ]
        )
    )
    text = "An Israeli drone strike on a car in southern Lebanon has killed three people, the ministry said."
    assert [a for a, _, _ in hits(text, states)] == ["israel"]


def test_a_party_that_points_to_a_group_accuses_it(matcher):
    assert hits("Eleven killed at a street party; prosecutor points to the Front.", matcher) == [
        ("front", "accused", "prosecutor")
    ]
    assert hits("Evidence points to a gas leak.", matcher) == []


def test_more_names_the_news_uses(default):
    cases = {
        (
            "Three martyrs in Zionist enemy drone strike on car",
            "Three people were killed when a Zionist enemy drone "
            "struck a car near Nabatieh in south Lebanon on Tuesday.",
        ): "israel",
        (
            "Amba fighters kill four in Bamenda",
            "Amba fighters killed four civilians in Bamenda, Cameroon, on Monday, officials said.",
        ): "ambazonian-separatists",
        (
            "Clashes in Sweida kill 12",
            "Druze fighters attacked a checkpoint in Sweida, Syria, killing 12 members "
            "of the security forces, a monitor said.",
        ): "sweida-druze-factions",
    }
    for (title, text), actor in cases.items():
        assert main_perpetrator(default.extract(title, text)).actor == actor, title


def test_another_partys_claims_of_a_deed_are_its_accusation(matcher):
    assert ("freedonia", "accused", "front") in hits(
        "Sylvania denies LF claims of Freedonian shelling on the market.", matcher
    )


def test_a_groups_men_are_the_group_where_they_attack(matcher):
    # what the attackers were: the group's men (not its members as victims)
    assert ("front", "accused", "police") in hits(
        "Police said the attackers belonged to a cell of the Liberation Front.", matcher
    )
    assert ("front", "accused", "residents") in hits(
        "Residents said the ambush was carried out by a column of the Liberation Front.", matcher
    )
    assert ("front", "accused", "police") in hits("Police said they suspect fighters of the Front.", matcher)
    assert [a for a, _, _ in hits("Investigators linked the bombing to a cell of the Front.", matcher)] == ["front"]
    assert [a for a, _, _ in hits("Members of the Front attacked the post at dawn.", matcher)] == ["front"]
    # ... members as victims stay victims, and men who attacked before are background
    assert hits("A drone strike killed three members of the Front near the border.", matcher) == []
    assert [
        a for a, _, _ in hits("Sylvanian jets killed five members of the Front who had attacked a post.", matcher)
    ] == ["sylvania"]


def test_both_sides_of_a_clash_between_their_members(matcher):
    assert sorted(
        a
        for a, _, _ in hits(
            "Twelve inmates were killed in a clash between members of the rival Liberation Front (LF) and JNIM.",
            matcher,
        )
    ) == ["front", "jnim"]


def test_men_who_were_killed_are_victims_not_attackers(matcher):
    text = "Relatives mourned the Freedonian forces of the 94th Battalion who were killed in an ambush by the Front."
    assert [a for a, _, _ in hits(text, matcher)] == ["front"]


def test_a_news_agency_is_no_actor():
    agency = ActorMatcher(
        parse_actors([{"id": "freedonia", "name": "Freedonia", "aliases": ["AFP", "Freedonian army"]}])
    )
    assert hits("A spokesman for the rebels, reached by AFP, denied any involvement.", agency) == []
    assert hits("The AFP shelled the village, killing four.", agency) == [("freedonia", "asserted", None)]


def test_a_party_that_blames_a_weapon_does_not_own_it(matcher):
    assert ("freedonia", "asserted", None) not in hits("Freedonia blamed a Sylvanian drone for the attack.", matcher)


def test_a_group_named_with_what_it_is(default):
    text = "The Viv Ansanm gang coalition stormed the town of Mirebalais overnight, killing at least 30 people."
    assert main_perpetrator(default.extract("Gang attack kills 30 in Haiti", text)).actor == "viv-ansanm"
    text = "Two Armenian soldiers were killed by Azerbaijani fire on the border, the defence ministry said."
    assert main_perpetrator(default.extract("Soldiers killed on the border", text)).actor == "azerbaijan"


def test_conflicting_accounts_of_who_fired_name_no_one(matcher):
    text = "A Freedonian soldier was killed on the border, with Freedonia and Sylvania offering conflicting accounts of who opened fire."
    assert hits(text, matcher) == []


def test_a_vehicle_driven_into_a_crowd_is_an_attack(matcher):
    assert hits("A gunman plowed into a crowd at the market, killing one.", matcher) == [
        ("lone-gunman", "asserted", None)
    ]
    assert hits("The gunman drove a stolen van into the crowd.", matcher) == [("lone-gunman", "asserted", None)]


def test_a_front_of_a_group_is_its_kin(extractor):
    kin = ActorMatcher(
        parse_actors(
            [
                {"id": "tigers", "name": "Valley Tigers", "aliases": []},
                {"id": "front", "name": "Liberation Front", "aliases": ["the Front"]},
                {"id": "freedonia", "name": "Freedonia", "aliases": ["Freedonian army"]},
            ]
        )
    )
    found = perpetrator_hits(
        "The Valley Tigers, a shadow outfit of the Freedonia-based Liberation Front (LF), claimed the attack.", kin
    )
    assert [(h.mention.actor, h.stance, h.kin) for h in found] == [("tigers", "claimed", ("front",))]


def test_a_patrol_on_reconnaissance_is_no_attacker(matcher):
    text = "The Freedonian army patrol was carrying out a reconnaissance operation when it was ambushed by the Front."
    assert [a for a, _, _ in hits(text, matcher)] == ["front"]


def test_actors_joined_before_one_deed_did_it_together(matcher, extractor):
    def joint(text):
        return {(h.mention.actor, h.stance, h.kin) for h in perpetrator_hits(text, matcher)}

    assert joint("Freedonian and Sylvanian jets struck the market, killing 20.") == {
        ("freedonia", "asserted", ("sylvania",)),
        ("sylvania", "asserted", ("freedonia",)),
    }
    assert joint("The raid was carried out by JNIM and the Front, residents said.") == {
        ("jnim", "accused", ("front",)),
        ("front", "accused", ("jnim",)),
    }
    assert {a for a, _, _ in joint("JNIM and LF fighters attacked the base.")} == {"jnim", "front"}
    # the sides of a clash and an exchange of fire are no joint deed
    assert all(not kin for _, _, kin in joint("Fighting between Freedonia and Sylvanian forces killed 20."))
    assert "freedonia" not in {a for a, _, _ in joint("Freedonia and Sylvanian forces traded fire, killing 3.")}

    from accord.verdict import ActorRelations, Report, attribution_verdict

    def report(article, title, text):
        return Report(article, f"{article}.example", article, None, None, tuple(extractor.extract(title, text)))

    both = report("a", "Freedonian and Sylvanian strikes kill 20", "Jets struck the market of Oakdale on Monday.")
    one = report("b", "Freedonian strikes kill 20 in Oakdale", "Jets struck the market of Oakdale on Monday.")
    # the outlet that names both and the outlet that names one agree
    assert attribution_verdict([both, one], ActorRelations.from_actors(ACTORS)).verdict == "agreed"


def test_alternatives_name_no_one_unless_they_fight_side_by_side(matcher):
    # "X or Y": the report does not know which; two allies are one side either way
    assert hits("The strike was carried out by Freedonian or Sylvanian jets, a monitor said.", matcher) == []
    assert hits("Many attacks were claimed by JNIM or the Front.", matcher) == []
    allied = ActorMatcher(
        parse_actors(
            [
                {"id": "freedonia", "name": "Freedonia", "aliases": ["Freedonian jets"], "allies": ["sylvania"]},
                {"id": "sylvania", "name": "Sylvania", "aliases": ["Sylvanian jets"]},
            ]
        )
    )
    found = {a for a, _, _ in hits("It was carried out by Freedonian jets or Sylvanian jets, a monitor said.", allied)}
    assert found == {"freedonia", "sylvania"}


def test_a_capital_before_an_attack_word_is_where_it_happened(world):
    assert [
        h.mention.actor for h in perpetrator_hits("Turkey mourns as toll from Ankara bombings rises to 97", world)
    ] == []
    assert [h.mention.actor for h in perpetrator_hits("Moscow strikes killed 20 in Kharkiv.", world)] == ["russia"]


def test_one_man_of_a_force_acting_alone_is_a_lone_attacker_and_may_be_a_victim(world):
    attacker = perpetrator_hits("A former police officer killed 34 people at a nursery, police said.", world)
    assert [h.mention.actor for h in attacker] == ["lone-gunman"]
    assert perpetrator_hits("Off-duty police officer seriously injured in car bomb attack", world) == []


def test_having_nothing_to_do_with_it_is_a_denial(matcher):
    assert hits("The Front said it had nothing to do with the bombing.", matcher) == [("front", "denied", "front")]
    assert ("sylvania", "denied", "sylvania") in hits(
        "Sylvania has nothing to do with the attack, its army said.", matcher
    )


def test_the_affiliate_the_report_names_stands_for_its_parent():
    actors = parse_actors(
        [
            {"id": "caliphate", "name": "Caliphate Front", "aliases": ["the Caliphate"]},
            {"id": "west-province", "name": "West Province", "aliases": ["WP"], "parent": "caliphate"},
        ]
    )
    claims = ClaimExtractor(actors).extract(
        "Soldiers buried after base attack claimed by the Caliphate Front",
        "Seventy soldiers were killed when the base was overrun. The attack was claimed on Thursday by West Province "
        "(WP), an affiliate of the Caliphate Front, which said its fighters had stormed the camp.",
    )
    assert main_perpetrator(claims).actor == "west-province"


def test_attackers_in_a_clause_of_the_attack_are_not_its_dead(extractor):
    # invented: the people killed when the group overran a town, not the group's dead
    claims = extractor.extract(
        "Army says 150 killed in town raid",
        "The army on Monday dismissed as exaggerated reports that about 2,000 people were killed when Liberation "
        "Front fighters overran the town.",
    )
    assert main_perpetrator(claims).actor == "front"


def test_banners_signed_by_a_group_claim_the_attack_and_a_treaty_does_not(matcher):
    assert hits("Banners left at the scene were signed by the Front, which warned officials.", matcher) == [
        ("front", "claimed", "front")
    ]
    assert hits("The ceasefire was signed by the Front in March.", matcher) == []


def test_the_men_of_a_group_after_a_date_carried_it_out(matcher):
    text = "Seventy were killed in the attack carried out on Tuesday, September 17, by the jihadists of the Front."
    assert [a for a, _, _ in hits(text, matcher)] == ["front"]


def test_a_lone_attacker_told_of_only_further_down_is_the_reports_attacker(default):
    claims = default.extract(
        "Death toll in supermarket shooting rises to 22",
        "The death toll in Saturday's mass shooting at a supermarket rose to 22 on Monday, police said. Two more "
        "victims died in hospital. Their names were not released. Several patients remained in critical condition. "
        "Police began releasing the names of the dead. The suspect is held without bond. Authorities believe the "
        "gunman posted a hate-filled screed online minutes before the attack.",
    )
    assert main_perpetrator(claims).actor == "lone-gunman"


def test_the_attackers_said_to_be_a_groups_men_and_those_who_stop_them(matcher):
    assert hits("Police said the attackers were LF men, and the minister agreed.", matcher)[0][0] == "front"
    police = ActorMatcher(parse_actors([{"id": "police", "name": "Police", "aliases": ["police", "security forces"]}]))
    assert hits("Security forces chased the attackers and killed four of them.", police) == []
    assert hits("He was killed by police in a shootout shortly afterward.", police) == []
    assert hits("Three people were killed by police in the protest.", police) != []


def test_who_attributes_the_attack_speaks_and_who_refutes_it_denies(matcher):
    assert hits("The Freedonian army attributes the attack to LF rebels.", matcher) == [
        ("front", "accused", "freedonia")
    ]
    assert ("freedonia", "denied", "freedonia") in hits(
        "Freedonian forces refute allegations of targeting the market.", matcher
    )


def test_security_forces_that_kill_the_rampaging_man_respond_to_his_attack(world):
    for text in (
        "Soldier who killed 29 shot dead by security forces",
        "Security forces on Sunday morning shot dead a soldier who went on a shooting rampage, killing 29 people.",
    ):
        assert [h.mention.actor for h in perpetrator_hits(text, world)] == [], text
    assert [h.mention.actor for h in perpetrator_hits("ENDF jets struck the market, killing 64.", world)] == [
        "ethiopia"
    ]
    assert [h.mention.actor for h in perpetrator_hits("FARDC shells hit the camp.", world)] == [
        "democratic-republic-of-the-congo"
    ]


def test_a_headline_claim_of_a_named_bombing_and_a_manhunt_under_way(matcher):
    assert hits("The Front claims Oakdale political rally bombing as toll rises to 54", matcher) == [
        ("front", "claimed", "front")
    ]
    police = ActorMatcher(parse_actors([{"id": "police", "name": "Police", "aliases": ["police"]}]))
    assert hits("Eight killed in shooting near Oakdale; large police operation under way", police) == []


def test_a_city_as_the_place_the_bombers_it_names_and_crowd_control(world):
    def actors(text):
        return [h.mention.actor for h in perpetrator_hits(text, world)]

    assert actors("Mourning began after twin bombings at a peace rally in Ankara killed 97 people.") == []
    assert actors("Ankara suicide bombers identified as Daesh members") == ["isis"]
    police = ActorMatcher(parse_actors([{"id": "police", "name": "Police", "aliases": ["police"]}]))
    assert hits("Police fired tear gas to disperse mourners at the site.", police) == []
    assert hits("Police fired on protesters, killing 12.", police) != []


def test_an_acronym_defined_by_a_variant_of_its_actors_name_stays_that_actor():
    guard = ActorMatcher(
        parse_actors([{"id": "iran", "name": "Iran", "aliases": ["IRGC", "Islamic Revolutionary Guard Corps"]}])
    )
    assert guard.spells("The Islamic Revolution Guards Corps", "iran")
    assert not guard.spells("Social Democratic Front", "iran")
    police = ActorMatcher(parse_actors([{"id": "police", "name": "Police", "aliases": ["police"]}]))
    assert hits("A large police operation to find him is under way.", police) == []


def test_military_aircraft_are_the_reports_state_forces(world):
    found = perpetrator_hits("Myanmar, military helicopters attack civilian areas: 11 children killed", world)
    assert [h.mention.actor for h in found] == ["state-forces"]


def test_a_shooting_suspect_is_the_lone_attacker(world):
    found = perpetrator_hits("Parade shooting suspect charged with seven counts of murder", world)
    assert [h.mention.actor for h in found] == ["lone-gunman"]


def test_a_reservist_acts_alone_and_one_among_the_dead_is_a_victim(world):
    found = perpetrator_hits("Manhunt for Army reservist after 18 killed in Maine shootings", world)
    assert [h.mention.actor for h in found] == ["lone-gunman"]
    assert perpetrator_hits("A former soldier was among the 18 killed.", world) == []


def test_a_party_claiming_what_another_did_says_it_and_claims_no_deed(matcher):
    # "X claims <another's strike> killed N": X's accusation of the other, not a claim of X's own deed
    assert hits("The Front claims a Freedonian air strike killed 68 migrants at a detention centre.", matcher) == [
        ("freedonia", "accused", "front")
    ]
    assert hits("Sylvania claimed that Freedonian shelling hit the market.", matcher) == [
        ("freedonia", "accused", "sylvania")
    ]
    # ... its own deed stays its claim, in a clause or not
    assert hits("The Front claimed the attack killed 50 soldiers.", matcher) == [("front", "claimed", "front")]
    assert hits("The Front claimed its fighters killed 20 soldiers.", matcher)[0][:2] == ("front", "claimed")
    assert hits("JNIM claimed the twin bombings that killed 20.", matcher) == [("jnim", "claimed", "jnim")]


def test_a_party_that_denies_and_names_another_accuses_it(matcher):
    # "The OLA denied involvement; its spokesman said the killings were carried out by government soldiers": the
    # denier's counter-accusation, not the report's own voice
    assert hits(
        "The Front denied involvement; its spokesman said the killings were carried out by Freedonian forces.", matcher
    ) == [
        ("front", "denied", "front"),
        ("freedonia", "accused", "front"),
    ]
    # ... a state's denial that speaks of its own forces in common words accuses nobody
    default = ActorMatcher(load_default_actors())
    found = hits(
        "Damascus has refuted the allegations, with an army source saying the army has no such weapons.", default
    )
    assert not any(stance == "accused" and speaker == "syrian-government" for _, stance, speaker in found)


def test_a_blame_met_by_a_denial_and_a_counter_accusation_takes_no_side(extractor):
    # an unnamed attacker ("Gunmen kill ...") is no side the report takes
    title = "Gunmen kill seven children in attack on school"
    text = (
        "Gunmen stormed a school on Saturday, killing at least seven children, officials said. "
        "The attackers arrived on motorbikes and opened fire on pupils. "
        "Some children jumped from windows to escape. "
        "No group claimed responsibility for the attack. "
        "The government blamed Liberation Front fighters for the attack. "
        "Separatist leaders denied involvement and accused the Freedonian army of carrying out the attack."
    )
    assert main_perpetrator(extractor.extract(title, text)) is None
    # ... the same blame unanswered names the Front
    unanswered = text.rsplit(" Separatist leaders", 1)[0]
    assert main_perpetrator(extractor.extract(title, unanswered)).actor == "front"


def test_a_groups_claim_that_another_party_rejects_is_on_record_but_names_no_one(extractor):
    default = ActorMatcher(load_default_actors())
    title = "Las Vegas gunman kills 58 in deadliest U.S. mass shooting; FBI rejects Islamic State claim"
    found = [(h.mention.actor, h.stance, h.speaker) for h in perpetrator_hits(title, default)]
    assert ("isis", "claimed", "isis") in found and ("isis", "denied", "fbi") in found
    text = (
        "The FBI said it had found no connection to an international terrorist group, rejecting a claim of "
        "responsibility by Islamic State."
    )
    assert ("isis", "denied", "fbi") in [
        (h.mention.actor, h.stance, h.speaker) for h in perpetrator_hits(text, default)
    ]
    claims = ClaimExtractor(load_default_actors()).extract(title, text)
    assert main_perpetrator(claims).actor == "lone-gunman"


def test_denials_phrased_as_dismissed_allegations_past_deeds_and_a_spokesmans_words(matcher):
    assert ("front", "denied", "front") in hits(
        'The Liberation Front (LF) have dismissed as "fabricated propaganda" allegations by officials that the Front '
        "massacred civilians.",
        matcher,
    )
    assert ("front", "denied", "front") in hits(
        "A spokesman said on Thursday that the Front had not killed civilians in the village.", matcher
    )
    assert ("front", "denied", "front") in hits("A spokesman for the Front denied they had killed civilians.", matcher)
    # a stock line of the war stays no answer to this attack
    assert not [h for h in hits("The Front denies targeting civilians.", matcher) if h[1] == "denied"]


def test_a_speaker_who_wrote_on_social_media(matcher):
    found = hits(
        "An adviser to the interior minister wrote on Facebook that the airliner had been hit by a missile fired by "
        "the Front.",
        matcher,
    )
    assert found == [("front", "accused", "interior minister")]
