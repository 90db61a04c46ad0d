"""Bands the catalogue lacks, kept as named actors (accord.claims.groups). Texts are invented, after the kinds of
reports seen in development (a tribal ambush in Papua New Guinea, a gang killing in Sri Lanka, a drug war in France)."""

from __future__ import annotations

from accord.claims import main_perpetrator
from accord.claims.groups import read_bands


def perpetrator_of(extractor, title, text):
    claim = main_perpetrator(extractor.extract(title, text))
    return None if claim is None else claim.actor


def test_a_band_the_catalogue_lacks_is_kept_under_its_name(extractor):
    text = "The ambush near Wapenamanda was carried out by fighters from the Yopo tribe, police said."
    assert perpetrator_of(extractor, "Tribal ambush kills 18 in Enga", text) == "yopo-tribe"
    # its name in quotes, in the headline; the body writes it inside a sentence
    assert (
        perpetrator_of(
            extractor,
            "Police say 'Bate Mahesh' gang behind Ambalangoda shooting",
            "Three people were shot dead at an almsgiving. The gunman works for a man known as 'Bate Mahesh', police said.",
        )
        == "bate-mahesh-gang"
    )
    # an acronym is a name wherever it stands; the band word may be part of the name ("DZ Mafia")
    text = "Investigators said the shooting was ordered by the DZ Mafia, which controls the dealing point."
    assert perpetrator_of(extractor, "Double murder in Marseille", text) == "dz-mafia"


def test_a_catalogue_actor_wins_over_its_words_read_as_a_band(extractor):
    text = "The attack on the convoy was carried out by the Sinaloa Cartel, prosecutors said."
    assert perpetrator_of(extractor, "Convoy attack in Culiacan", text) == "sinaloa-cartel"


def test_words_for_a_people_a_creed_a_country_or_a_side_name_no_band():
    for text in (
        "The village was attacked by Shiite militias on Friday.",
        "Witnesses said Iran-backed militias fired the rockets.",
        "The killings were carried out by a Mexican cartel, officials said.",
        "Rival gangs fought for hours. Armed gangs then looted the market.",
    ):
        assert read_bands("", text, frozenset()) is None, text


def test_a_name_only_capitalised_by_a_title_case_headline_or_a_sentence_start_is_no_band():
    assert read_bands("Police Blame Northern Gang For Market Shooting", "Five people were shot.", frozenset()) is None
    assert read_bands("", "Northern gang members were blamed. Five people were shot.", frozenset()) is None
    # written inside a sentence, it is a name
    found = read_bands("", "Five people were shot by the Northern gang, police said.", frozenset())
    assert found is not None and set(found.ids.values()) == {"northern-gang"}


def test_a_name_an_apposition_calls_an_armed_group_is_kept_under_that_name(extractor):
    text = (
        "The ambush on the highway killed nine people. Prosecutors said the gunmen belonged to Los Tlacos, an armed "
        "group linked to a drug cartel, and that Los Tlacos had fought the army in the area."
    )
    found = read_bands("Ambush in Guerrero", text, frozenset())
    assert found is not None and found.ids == {"los tlacos ": "los-tlacos"}
    assert perpetrator_of(extractor, "Ambush in Guerrero kills nine", text) == "los-tlacos"
    # an apposition that is no armed band ("a town in", "a spokesman for") names none
    assert (
        read_bands("", "The shooting happened in Ciudad Obregon, a city in Sonora, police said.", frozenset()) is None
    )


def test_a_name_the_words_before_it_call_an_armed_group_is_kept_under_that_name(extractor):
    # after Reuters on the Easter Sunday bombings (Sri Lanka, April 2019), with the group's name changed
    text = (
        "COLOMBO, April 22 (Reuters) - The government said on Monday a domestic Islamist group, Jamaat al-Ghuraba "
        "Lanka, was behind the suicide bomb attacks on churches and hotels that killed 290 people."
    )
    found = read_bands("Little-known group behind Easter bombings, government says", text, frozenset())
    assert found is not None and set(found.ids.values()) == {"jamaat-al-ghuraba-lanka"}
    assert perpetrator_of(extractor, "Little-known group behind Easter bombings", text) == "jamaat-al-ghuraba-lanka"
    found = read_bands("", "Indian media linked the attack to a group called Kashmir Freedom Front.", frozenset())
    assert found is not None and set(found.ids.values()) == {"kashmir-freedom-front"}
    # a group that is no armed band ("a rights group, Human Rights Watch") names none
    assert read_bands("", "A rights group, Human Rights Watch, said 30 people were killed.", frozenset()) is None


def test_a_band_named_after_its_word_or_after_the_words_for_an_armed_group_is_kept(extractor):
    # invented, after Latin American reports: "the gang of 'El Topo'", "the armed gang of <neighbourhood>"
    text = "The minister said the gang of 'El Topo' carried out the killings of the miners in Tumeremo."
    found = read_bands("", text, frozenset())
    assert found is not None and set(found.ids.values()) == {"el-topo-gang"}
    assert perpetrator_of(extractor, "Miners killed", text) == "el-topo-gang"
    text = "The killings were carried out by the armed gang of Wharf Jeremie, according to rights groups."
    assert perpetrator_of(extractor, "Massacre in Cite Soleil", text) == "wharf-jeremie-gang"
    # "the terrorist group <name>", of two joining words ("de la")
    text = "The patrol was attacked by members of the terrorist group Comandos de la Frontera near the mines."
    assert perpetrator_of(extractor, "Eleven soldiers killed in ambush", text) == "comandos-de-la-frontera"
    # ... also where the sentence starts with the article ("The Colombian armed group ...")
    found = read_bands("", "The Colombian armed group Comandos de la Frontera denied any role.", frozenset())
    assert found is not None and set(found.ids.values()) == {"comandos-de-la-frontera"}
    # a place is no band's name ("the gangs of Port-au-Prince"), nor is a day ("an armed group Saturday")
    assert read_bands("", "The gangs of Port-au-Prince killed 20 people on Saturday.", frozenset()) is None
    assert read_bands("", "The village was attacked by an armed group Saturday, killing five.", frozenset()) is None
