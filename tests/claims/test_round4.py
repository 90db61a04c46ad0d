"""Rules of the fourth round, each from a real sentence of shared/data/corpora (quoted with its article id)."""

from __future__ import annotations

import pytest

from accord.claims import load_default_actors, main_perpetrator
from accord.claims.attribution import ActorMatcher, perpetrator_hits

from .conftest import corpus_text


@pytest.fixture(scope="module")
def matcher():
    return ActorMatcher(load_default_actors())


def actors_in(text, matcher):
    return [h.mention.actor for h in perpetrator_hits(text, matcher)]


# --- attribution -----------------------------------------------------------------------------------------------------


def test_passive_targeted_by_names_the_attacker(matcher):
    # fakes-1924058152-188
    text = (
        "The volunteers have often been targeted by Assad regime airstrikes in what are known as double tap attacks "
        "as they work to rescue others."
    )
    assert actors_in(text, matcher) == ["syrian-government"]


def test_abbreviation_in_parentheses_keeps_its_verb(matcher):
    # fakes-1923848295-136: the verb follows "(ISIL)"
    text = (
        "Jihadists from the Islamic State of Iraq and the Levant (ISIL) have executed three officers of the Western "
        "and Arab-backed rebel Free Syrian Army a monitor said Saturday."
    )
    assert actors_in(text, matcher) == ["isis"]
    # fakes-1923848287-133: "(IS) group militants have been killed" are the victims
    text = (
        "Thirty one Islamic State (IS) group militants have been killed in clashes and U.S.-led coalition air strikes "
        "in northern Syria over the last 24 hours the Turkish military said on Sunday"
    )
    assert actors_in(text, matcher) == ["us-led-coalition"]


def test_beheading_and_crucifying_are_attacks(matcher):
    # fakes-1926479354-271 (headline)
    assert actors_in("Islamic State beheads crucifies in push for Syrias east", matcher) == ["isis"]


def test_aircraft_that_had_been_shot_down_is_the_victim(matcher):
    # fakes-1918150033-13
    text = (
        "Medium-sized barrels containing toxic gases fell close to where a Russian military helicopter had been shot "
        "down hours earlier."
    )
    assert actors_in(text, matcher) == []


def test_ground_taken_over_by_an_actor_is_no_attack(matcher):
    # fakes-1923848124-69
    text = (
        "Salah al-Din is located west of Aleppos Old City in a district that was part of the last rebel enclave there "
        "until it was taken over by the Syrian army in an advance in December."
    )
    assert actors_in(text, matcher) == []


def test_earlier_attack_named_as_the_time_is_background(matcher):
    # fakes-1924058143-183
    text = (
        "Just days after a deadly Assad regime chemical attack a woman was killed and 25 others on a bus were wounded "
        "in a town south of the Syrian city of Homs on Saturday."
    )
    assert actors_in(text, matcher) == []


def test_clashes_between_name_the_fighting_parties(matcher):
    # fakes-1965495367-339
    text = (
        "Over 100 militants were killed in clashes between Faylaq al-Rahman Jaysh al-Islam and Jabhat Fatah al Sham "
        "(banned in Russia) in the Damascus suburbs according to media reports."
    )
    assert actors_in(text, matcher)[0] == "armed-opposition"
    # fakes-1923848131-70
    text = (
        "The Syrian Observatory for Human Rights said the clashes pitted the Saudi-backed rebel faction Jaish al-Islam "
        "(Army of Islam) against Fateh al-Sham Al-Qaedas former branch in Syria and Faylaq al-Rahman which is backed "
        "by Qatar and Turkey."
    )
    assert actors_in(text, matcher)[0] == "armed-opposition"


def perpetrator(extractor, article_id):
    row = corpus_text("fakes-dev.jsonl", article_id)
    claim = main_perpetrator(extractor.extract(row["title"], row["text"]))
    return None if claim is None else claim.actor


def test_who_carried_out_the_reports_attack_counts_beyond_the_lead(extractor):
    # fakes-1924058106-171, its fifth sentence: "The Britain-based monitor said it was not clear whether the bombing
    # raids had been carried out by Syrian government warplanes or those of its ally Russia."
    assert perpetrator(extractor, "fakes-1924058106-171") == "syrian-government"
    # fakes-1965511204-383: "The monitor said it was not immediately clear if the raids were carried out by Syrian
    # regime warplanes or their Russian allies."
    assert perpetrator(extractor, "fakes-1965511204-383") == "syrian-government"
