"""Casualty claims, scope, victims and parts, from sentences in shared/data."""

from __future__ import annotations

from accord.claims import article_toll
from accord.claims.casualties import casualty_hits, sentence_hits
from accord.claims.sentences import Sentence, scope_of, split_sentences


def hits(text: str):
    return sentence_hits(Sentence(text, 0, len(text), 1))


def kinds(text: str):
    return [(h.kind, h.quantity.point) for h in hits(text) if not h.part]


def test_killed_and_injured_are_not_added():
    # fakes-dev (nna): "A bomb blast killed six people and injured 32 in the Salah al-Din district of Aleppo"
    assert kinds("A bomb blast killed six people and injured 32 in the Salah al-Din district of Aleppo") == [
        ("killed", 6),
        ("injured", 32),
    ]


def test_killed_before_the_number_and_dead_after():
    # fakes-dev titles: "Aleppo bomb blast kills six Syrian state TV", "22 dead in heavy U.S. raids on IS Syria stronghold"
    assert kinds("Aleppo bomb blast kills six Syrian state TV") == [("killed", 6)]
    assert kinds("22 dead in heavy U.S. raids on IS Syria stronghold") == [("killed", 22)]


def test_death_toll_rose_to():
    # fakes-dev (sana): "The death toll from terrorist attacks on residential neighborhoods in Aleppo city has risen to 13"
    assert ("killed", 13) in kinds(
        "The death toll from terrorist attacks on residential neighborhoods in Aleppo "
        "city has risen to 13 and 106 injured including women and children."
    )


def test_vague_wounded():
    # fakes-dev (nna): "Dozens of people were also wounded."
    assert kinds("Dozens of people were also wounded.") == [("injured", 12)]


def test_part_is_not_added_to_its_whole():
    # fakes-dev (nna): "Six civilians including a child were among at least 22 people killed in U.S. air strikes"
    found = hits("Six civilians including a child were among at least 22 people killed in U.S. air strikes")
    whole = [h for h in found if not h.part]
    assert [(h.kind, h.quantity.point) for h in whole] == [("killed", 22)]
    # fakes-dev title: "Syria air strikes kill 42 including 16 children Monitor"
    found = hits("Syria air strikes kill 42 including 16 children Monitor")
    assert [h.quantity.point for h in found if not h.part] == [42]


def test_different_victims_joined_by_and_are_summed():
    # fakes-dev (ahram): "US air strikes killed 50 Al-Qaeda militants and eight civilians including children"
    found = [
        h
        for h in hits("US air strikes killed 50 Al-Qaeda militants and eight civilians including children")
        if not h.part
    ]
    assert [(h.kind, h.quantity.point) for h in found] == [("killed", 58)]


def test_displaced_and_population_are_not_casualties():
    # seed: "displaced almost a million people", "Idlib is home of some four million civilians"
    assert kinds("stemmed a deadly monthslong offensive that displaced almost a million people from their homes") == []
    assert kinds("Idlib is home of some four million civilians, many living in camps") == []


def test_arrested_is_not_a_casualty():
    # gva-dev (q13fox.com): "The boy was initially arrested and faced a possible manslaughter charge."
    assert kinds("The boy was initially arrested and faced a possible manslaughter charge.") == []


def test_a_victim_named_by_noun_counts_one():
    # gva-dev (ksla-style): "A man was shot and killed"; giveme/gva "Greensburg teen shot, killed"
    assert kinds("A 17-year-old boy was shot and killed Wednesday evening") == [("killed", 1)]


def test_age_between_commas_is_not_a_count():
    # gva-dev: "Brittany Thomas, 21, was killed by the gunfire."
    text = "Brittany Thomas, 21, was killed by the gunfire."
    assert [h.quantity.point for h in hits(text)] == []


def test_one_fatally_of_those_shot():
    # gva-dev style: "5 people shot in Pioneer Square; one woman seriously wounded"
    assert ("shot", 5) in kinds("5 people shot in Pioneer Square")


def test_scope_running_total_and_other_incident():
    # seed: "The war, which broke out after the brutal suppression of anti-regime protests in 2011, has killed more
    # than 380,000 people"; fakes-dev: "More than 230000 people have been killed in Syria since the conflict began"
    assert (
        scope_of(
            "The war, which broke out after the brutal suppression of anti-regime protests in 2011, has "
            "killed more than 380,000 people and displaced millions from their homes."
        )
        == "total"
    )
    assert scope_of("More than 230000 people have been killed in Syria since the conflict began in 2011.") == "total"
    # fakes-dev (ahram): "Fridays attack came after a double car bombing claimed by Al-Qaeda killed at least 100
    # people on Tuesday" is background when it says "last week"; here "in March" of another year:
    assert (
        scope_of(
            "In March two blasts occurred near Bab al-Saghir cemetery in Damascus claiming the lives of at "
            "least 40 people and injuring 120 others."
        )
        == "other"
    )
    assert (
        scope_of("A bomb blast killed six people and injured 32 in the Salah al-Din district of Aleppo") == "incident"
    )


def test_no_casualties_is_an_explicit_zero(extractor):
    # gva-dev (ocregister.com): "Police seized the bullets, and no one else was injured." is not a zero (else);
    # fakes-dev style: "No casualties were reported."
    claims = extractor.extract(
        "Mortar shells hit Damascus", "Two mortar shells hit the old city. No casualties were reported."
    )
    killed = article_toll(claims, "killed")
    assert killed is not None and killed.point == 0 and killed.low == 0


def test_title_and_body_choose_one_toll_per_kind(extractor):
    # fakes-dev (nna, 2016-07-05 hasakeh): title and lead give 16; the background gives 230000 since the war began
    title = "Suicide bombing kills at least 16 in northeast Syria"
    text = (
        "A suicide bomb blast killed at least 16 people in the mostly Kurdish-controlled city of Hasaka in "
        "northeastern Syria on Tuesday the monitoring group the Syrian Observatory for Human Rights said. "
        "More than 230000 people have been killed in Syria since the conflict began."
    )
    claims = extractor.extract(title, text)
    toll = article_toll(claims, "killed")
    assert toll is not None and toll.point == 16 and toll.low == 16 and toll.high is None
    assert sum(c.chosen for c in claims if c.kind == "killed") == 1
    assert any(c.point == 230000 and c.scope == "total" for c in claims)


def test_injured_from_shot_less_killed(extractor):
    # gva-dev title: "1 Dead, 3 Hurt Bellflower Barbershop Shooting"; "Four people were shot, one fatally" pattern
    claims = extractor.extract(
        "Four people shot in Oakland",
        "Four people were shot early Sunday, and one of them died at the hospital, police said.",
    )
    assert article_toll(claims, "killed").point == 1
    assert article_toll(claims, "injured").point == 3


def test_sentences_keep_offsets():
    document = "Title here\n\nFirst sentence. Second one with U.S. forces. Third."
    sentences = split_sentences(document, len("Title here"))
    assert [s.text for s in sentences] == ["Title here", "First sentence.", "Second one with U.S. forces.", "Third."]
    for s in sentences:
        assert document[s.start : s.end] == s.text
    assert casualty_hits(sentences) == []


def test_deaths_that_climb_to_a_figure_are_the_toll():
    from accord.claims import ClaimExtractor, load_default_actors

    extractor = ClaimExtractor(load_default_actors())
    for title in ("Deaths from strike on apartment block climb to 40", "Fatalities in the flood-hit town rise to 40"):
        chosen = [
            c for c in extractor.extract(title, "Rescuers searched the rubble.") if c.kind == "killed" and c.chosen
        ]
        assert [c.point for c in chosen] == [40.0], title


def test_a_wars_first_act_and_deaths_only_intended_are_no_toll_of_the_incident():
    # invented: the war's opening attack, recalled, and the dead an attacker meant to cause
    assert (
        scope_of("The war erupted when gunmen stormed border towns on October 7, killing some 1,200 people.") == "other"
    )
    assert scope_of("He said the enemy had intended to kill thousands of people in one minute.") == "other"
    assert scope_of("The blast could have killed hundreds, officials said.") == "other"
    assert scope_of("The strike on the market killed 12 people on Tuesday.") == "incident"
