"""The domain data of accord/data/: the world gazetteer, the actor catalogue, the number-word table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accord.claims import ClaimExtractor, load_default_actors, main_perpetrator, parse_actors
from accord.claims.actors import Catalogue, extend_actors, resolve_generic
from accord.claims.numbers import FIXED, UNITS, VAGUE
from accord.domain import gazetteer, number_table, read_text
from accord.incident import counts, event_kinds, regions

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


# --- gazetteer -------------------------------------------------------------------------------------------


def test_regions_of_any_country():
    assert regions("Air strikes on Aleppo and Idlib kill 20") == {"sy:09", "sy:12"}
    assert regions("Russian missile hits apartment block in Dnipro") == {"ua:04"}
    assert regions("Suicide bomber kills 100 at Peshawar mosque") == {"pk:03"}
    assert regions("RSF fighters stormed a village in Gezira state, Sudan") == {"sd:38"}
    assert regions("CHICAGO (AP) - A man was shot on the South Side") == {"us:il"}


def test_a_place_inside_a_groups_name_is_no_place_of_the_incident():
    # invented: the group's name holds a region ("Arauco" is in Biobio, "Sinaloa" a state); the incident's town is
    # where it happened, and a headline's capitals or a state's army stay places
    assert regions("Two workers killed near Ercilla; pamphlets of the Coordinadora Arauco-Malleco found") == set()
    assert regions("Gunmen of the Sinaloa Cartel killed five in Monterrey, Nuevo Leon") == {"mx:19"}
    assert regions("Clashes In Hama As Syrian Army Advances") == {"sy:10"}
    assert regions("Lattakia Army Advances") == {"sy:02"}


def test_a_name_whose_namesakes_in_two_regions_are_alike_in_size_is_no_place():
    # invented, after a Santa Cruz County shooting report: two Philippine "Santa Cruz" of one region come first by
    # size, but the Californian one beside Watsonville is about as large: the name alone settles nothing, and the
    # report is about the United States
    text = (
        "A deputy shot a teen outside Watsonville, near Live Oak. Santa Cruz deputies said a Natividad man was "
        "stabbed. The Santa Cruz sheriff spoke in Santa Cruz."
    )
    assert gazetteer().countries_of(text)[0] == "us"


def test_names_in_other_scripts_and_spellings():
    assert regions("قصف على حلب") == {"sy:09"}  # Aleppo in Arabic
    assert regions("Shelling in Deir ez-Zor") == regions("Shelling in Deir Ez Zor") == {"sy:07"}
    assert regions("Fighting near al-Bab") == {"sy:09"}


def test_other_transliterations_count_where_their_country_is_named():
    # invented: spellings GeoNames does not list ("Raqa", "Deir Ezzor", "Deir el-Zour", "Al-Fashir")
    assert regions("US-led strike kills 18 in Syria's Raqa") == {"sy:04"}
    assert regions("Clashes in Deir Ezzor, Syria") == regions("Syrian troops near Deir el-Zour") == {"sy:07"}
    assert regions("RSF shelling of Al-Fashir, Sudan") == {"sd:55"}
    # without its country a looser spelling is no place: "Raqa" alone, a name that folds onto a town elsewhere
    assert regions("Strike on Raqa") == set()
    assert regions("Rami Abdel Rahman of the Syrian Observatory said") == set()


def test_a_country_s_possessive_names_the_country():
    # invented; the second as pages whose apostrophes were lost
    assert regions("Russian strikes on Ukraine's Kharkiv region") == {"ua:07"}
    assert regions("Air raids in Syrias Kobani") == regions("Air raids in Syria’s Kobani") == {"sy:09"}
    assert regions("Texas shooting leaves 3 dead") == {"us:tx"}  # a name ending in s is no possessive


def test_ambiguous_names_go_to_the_country_the_report_names():
    assert regions("Tbilisi, Georgia") == {"ge:51"}
    assert regions("A Georgia man was shot") == {"us:ga"}
    # a town abroad that shares its name with an unlisted village of the named country is not taken
    assert regions("Gunmen attacked Solhan, Burkina Faso") == set()


def test_common_words_and_person_names_need_their_place():
    assert regions("Police said the man fled") == set()
    assert regions("Jackson said the gunman fled") == set()
    assert regions("Gunman kills 3 in Jackson, Mississippi") == {"us:ms"}
    assert regions("Eastern Ghouta under siege") == set()  # "Eastern" is a region's name in Saudi Arabia


def test_countries_the_report_is_about():
    g = gazetteer()
    assert g.countries_of("The junta bombed a school in Sagaing region, killing 11")[0] == "mm"
    assert g.countries_of("Russian strikes on Kharkiv and Dnipro")[0] == "ua"
    # invented: named as often, the country whose towns and regions are named is where it happened, not the
    # neighbour that survivors reached first in the text
    text = (
        "Survivors who reached Bangladesh said drones hit the riverbank. The group holds most of northern Rakhine, "
        "and tensions grew between Rakhine Buddhists and Muslims, many of whom fled to Bangladesh."
    )
    assert g.countries_of(text)[0] == "mm"
    # invented: a city inside a venue's name counts as often as the city where it is; the one named after "in" wins
    text = "Gunmen attacked the Aziz Istanbul cafe in Ouagadougou. The dead included Burkinabe and Turkish nationals."
    assert g.countries_of(text)[0] == "bf"
    assert g.country_of("Burkinabe") == "bf" and g.country_of("Sudanese") == "sd"


def test_gazetteer_keeps_its_attribution():
    sources = read_text("SOURCES.md")
    assert "GeoNames" in sources and "CC BY 4.0" in sources and "UCDP" in sources
    assert gazetteer().sources["min_population"] == 15000


# --- number words ----------------------------------------------------------------------------------------


def test_one_number_table_for_claims_and_incidents():
    table = number_table()
    assert UNITS is table.units and FIXED is table.fixed and VAGUE is table.vague
    assert table.vague["dozens"] == (12, 99, 12)
    assert counts("Sixty people killed and a dozen wounded") == {60, 12}
    assert counts("twelve killed") == {12}


# --- actor catalogue -------------------------------------------------------------------------------------


def test_catalogue_holds_the_gold_ids():
    ids = {a.id for a in load_default_actors()}
    corpus = {"syrian-government", "russia", "isis", "us-led-coalition", "armed-opposition", "sdf", "hts", "unknown"}
    # the ids of ../shared/data/realworld-dev/actors.yaml that are groups or states (not a named person)
    realworld = {"israel", "hamas", "hezbollah", "russia", "ukraine", "ttp", "jamaat-ul-ahrar", "bla", "isis", "rsf"}
    realworld |= {"sudanese-army", "myanmar-military", "pdf", "kia", "lone-gunman"}
    assert corpus <= ids and realworld <= ids


def test_catalogue_has_every_country_state_forces_and_ucdp_groups():
    actors = load_default_actors()
    states = {a.countries[0] for a in actors if a.state}
    assert states >= set(gazetteer().countries) - {"aq"}  # every country (Antarctica has none)
    with open(SHARED / "ucdp-actors" / "ucdp-actor-221.csv", encoding="utf-8-sig") as f:
        rebels = [r["NameData"].strip() for r in csv.DictReader(f) if r["Org"].strip() == "1"]
    names = {a.name for a in actors} | {alias for a in actors for alias in a.aliases}
    assert sum(1 for r in rebels if r in names) / len(rebels) > 0.9  # less those named by a common word
    by_id = {a.id: a for a in actors}
    assert by_id["jnim"].parent == "al-qaeda" and by_id["iswap"].parent == "isis"
    assert "ml" in by_id["jnim"].countries
    # a UCDP group joins a curated actor only where their countries meet: Sudan's JEM is no Kashmir's JeM, and keeps
    # none of a curated actor's words (Darul Islam's "Islamic State")
    assert by_id["jem"].countries == ("sd", "td") and "sd" not in by_id["jaish-e-mohammed"].countries
    assert "Islamic State" not in by_id["darul-islam"].aliases and "id" not in by_id["isis"].countries


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Junta airstrike kills 11", "The junta bombed a school in Sagaing region, killing 11.", "myanmar-military"),
        (
            "Regime forces shell Idlib",
            "Regime forces shelled Saraqib in Idlib province, killing five.",
            "syrian-government",
        ),
        ("Army shells Omdurman", "The army shelled a market in Omdurman, Sudan, killing 12 people.", "sudanese-army"),
        ("Militants kill 100", "Militants linked to al-Qaeda killed 100 villagers in Burkina Faso.", "jnim"),
        # a faction of the affiliate (Katiba Macina, in Mali) is no branch of al-Qaeda there
        ("Militants kill 100", "Militants linked to al-Qaeda killed 100 villagers in Mopti, Mali.", "jnim"),
        ("Islamic State claims attack in Raqqa", "Islamic State fighters killed 20 people in Raqqa, Syria.", "isis"),
        ("Russian troops kill 5 in Kharkiv", "Russian troops shelled Kharkiv, killing five people.", "russia"),
        ("Gunman kills 3 in Dallas", "The gunman opened fire at a bar in Dallas, Texas, killing three.", "lone-gunman"),
        ("Daesh attack kills 7", "Daesh militants killed seven soldiers near Mosul, Iraq.", "isis"),
        # invented: "rebels" in South Sudan are the SPLM-IO, "JEM" there is Darfur's, not Kashmir's JeM
        ("Rebels kill 200 in Bentiu", "Rebels killed 200 civilians in Bentiu, South Sudan, the U.N. said.", "splm-io"),
        ("JEM fighters kill 20", "JEM fighters killed 20 people in Unity state, South Sudan, officials said.", "jem"),
        # invented: "Taliban" is the TTP in a report about Pakistan, the Afghan Taliban elsewhere
        ("Taliban gunmen kill 126 in attack on Pakistan school", "Gunmen stormed the school in Peshawar.", "ttp"),
        ("Taliban fighters seize district", "Taliban fighters seized a district in Helmand province.", "taliban"),
        ("Taliban attack kills 5", "", "taliban"),
        # ... by the country the report is most about, not any it names
        (
            "Pakistan mourns 141 dead",
            "Taliban militants attacked a school in Peshawar, Pakistan, near the Afghan border, the army said.",
            "ttp",
        ),
        # invented: "Khawarij" is the Somali state's word for al-Shabaab, the Pakistani state's for the TTP
        ("Khawarij car bombs kill 100", "The blasts hit the Zobe junction in Mogadishu, Somalia.", "al-shabaab"),
        ("Khawarij attack kills 12 soldiers", "The checkpoint in North Waziristan, Pakistan, was hit.", "ttp"),
    ],
)
def test_country_bound_words_resolve_through_the_report(title, text, expected):
    claim = main_perpetrator(ClaimExtractor(load_default_actors()).extract(title, text))
    assert claim is not None and claim.actor == expected


def test_resolve_generic_needs_a_country():
    assert resolve_generic("state-forces", ["mm"]) == "myanmar-military"
    assert resolve_generic("state-forces", ["ml"]) == "mali"
    assert resolve_generic("state-forces", []) == "state-forces"
    assert resolve_generic("al-qaeda", ["so"]) == "al-shabaab"
    assert resolve_generic("russia", ["sy"]) == "russia"  # a state never stands for its proxies


def test_config_actors_extend_or_replace_the_catalogue():
    catalogue = load_default_actors()
    added = parse_actors(
        [
            {"id": "new-front", "name": "New Front", "aliases": ["the Front"], "countries": ["ml"], "parent": "jnim"},
            {"id": "israel", "name": "Israel", "aliases": ["Israeli military"]},
            {"id": "rsf", "name": "RSF", "aliases": ["Rapid Support Forces"]},
        ]
    )
    actors = extend_actors(catalogue, added, replace={"rsf"})
    by_id = {a.id: a for a in actors}
    before = {a.id: a for a in catalogue}
    assert len(actors) == len(catalogue) + 1
    assert actors[0].id == "new-front"  # the configuration's actors first: their aliases win
    assert by_id["israel"].aliases[0] == "Israeli military"  # joined: the catalogue's words stay
    assert set(before["israel"].aliases) <= {*by_id["israel"].aliases, by_id["israel"].name} and by_id["israel"].state
    assert by_id["rsf"].aliases == ("Rapid Support Forces",)  # replaced
    assert by_id["hamas"] == before["hamas"]  # the rest kept
    assert Catalogue(actors).resolve("jnim", ["ml"]) == "jnim"


def test_a_configured_actor_sharing_a_catalogue_actors_words_takes_its_place():
    # invented config, after a monitor's list for Ethiopia: "ENDF" with two of the catalogue's words for Ethiopia's
    # forces is those forces, so "government forces" in Ethiopia name it; one shared word makes no such join
    catalogue = load_default_actors()
    added = parse_actors(
        [
            {
                "id": "endf",
                "name": "Ethiopian National Defense Force",
                "aliases": ["Ethiopian army", "Ethiopian military"],
            },
            {"id": "houthis-x", "name": "Ansar Allah movement", "aliases": ["Yemen's armed forces"]},
        ]
    )
    actors = extend_actors(catalogue, added)
    by_id = {a.id: a for a in actors}
    assert "ethiopia" not in by_id and by_id["endf"].state and by_id["endf"].countries == ("et",)
    assert Catalogue(actors).resolve("state-forces", ["et"]) == "endf"
    assert not by_id["houthis-x"].state and "yemen" in by_id
    extractor = ClaimExtractor(actors)
    claims = extractor.extract("Drone strike kills 14 in Amhara", "Residents blamed government forces for the strike.")
    assert main_perpetrator(claims).actor == "endf"


def test_a_configurations_names_for_catalogue_actors_keep_their_relations():
    # invented list in the shape monitors write (id, name, aliases): its "adf" is the catalogue's ADF, whose parent the
    # list calls "islamic-state"; the affiliate and the parent claiming one attack are then one side
    listed = parse_actors(
        [
            {"id": "adf", "name": "Allied Democratic Forces", "aliases": ["ADF", "ADF rebels"]},
            {"id": "islamic-state", "name": "Islamic State", "aliases": ["Islamic State", "ISIS", "IS", "ISIL"]},
        ]
    )
    by_id = {a.id: a for a in extend_actors(load_default_actors(), listed)}
    assert by_id["adf"].parent == "islamic-state"
    assert by_id["iswap"].parent == "islamic-state"  # a catalogue affiliate the list does not name, too
    assert "isis" not in by_id


def test_a_lists_lone_attacker_is_a_generic_attacker_whatever_its_aliases():
    # invented list: monitors write the lone attacker with his name and "suicide bomber" among its aliases; he still
    # yields to the group the report names, and is no rival to it in the verdict
    from accord.verdict import ActorRelations

    listed = parse_actors(
        [
            {"id": "lone-attacker", "name": "Lone attacker", "aliases": ["suicide bomber", "the attacker", "John Roe"]},
            {"id": "islamic-state", "name": "Islamic State", "aliases": ["Islamic State", "ISIS", "IS", "ISIL"]},
        ]
    )
    actors = extend_actors(load_default_actors(), listed)
    claims = ClaimExtractor(actors).extract(
        "Suicide bomber affiliated with ISIS carries out attack on church in Damascus", ""
    )
    assert main_perpetrator(claims).actor == "islamic-state"
    relations = ActorRelations.from_actors(actors)
    assert relations.compatible("lone-attacker", "islamic-state")


def test_a_country_that_speaks_is_its_state_a_party():
    # invented headline: the country's accusation is its state's, a side of the dispute, not a witness's words
    claims = ClaimExtractor(load_default_actors()).extract("DR Congo says 42 killed in M23 shelling", "")
    assert [(c.actor, c.cited_source) for c in claims if c.kind == "perpetrator"] == [
        ("m23", "democratic-republic-of-the-congo")
    ]


def test_attackers_linked_to_a_group_are_its_affiliate_where_the_report_is():
    # invented: "linked to the Islamic State" in Mozambique is its Mozambique province, also where the parent fights
    # under its own name; "Islamic State militants" there stay the Islamic State
    extractor = ClaimExtractor(load_default_actors())

    def main(title):
        found = main_perpetrator(extractor.extract(title, ""))
        return found.actor if found else None

    assert main("Islamic State-linked militants behead 6 villagers in northern Mozambique") == "is-mozambique"
    assert main("Militants linked to the Islamic State group beheaded six men in a village in Mozambique") == (
        "is-mozambique"
    )
    assert main("Islamic State militants beheaded six men in Mozambique") == "isis"


def test_a_particular_police_force_in_the_list_is_chosen_over_police():
    # invented, after a Rio raid report: "police" in the headline, the list's "Military Police" in the lead
    listed = parse_actors([{"id": "rio-police", "name": "Rio police", "aliases": ["Military Police"]}])
    actors = extend_actors(load_default_actors(), listed)
    claims = ClaimExtractor(actors).extract(
        "Police operation in Complexo da Mare leaves 14 dead",
        "A Military Police operation in Complexo da Mare left 14 suspects dead on Tuesday.",
    )
    assert main_perpetrator(claims).actor == "rio-police"


def test_police_are_the_forces_of_the_country_the_report_is_about():
    # invented: police firing on protesters are the state's forces, as its army would be; with no country named, the
    # police stay the police
    extractor = ClaimExtractor(load_default_actors())

    def main(title, text):
        found = main_perpetrator(extractor.extract(title, text))
        return found.actor if found else None

    assert (
        main(
            "Three protesters killed as police open fire in Nepal",
            "Police opened fire on protesters in Birgunj, Nepal, on Sunday, killing three people, officials said.",
        )
        == "nepal"
    )
    assert main("Police open fire on protesters, killing three", "Police opened fire on the crowd.") == "police"


def test_the_us_words_name_its_coalition_where_it_fights_and_the_united_states_elsewhere():
    # invented: "US air strikes" in Syria are the US-led coalition's (the FA-KES gold id); off Venezuela, the US's own
    extractor = ClaimExtractor(load_default_actors())

    def main(title, text):
        found = main_perpetrator(extractor.extract(title, text))
        return found.actor if found else None

    assert main("US air strikes kill 12 in Raqqa", "US air strikes killed 12 civilians in Raqqa, Syria.") == (
        "us-led-coalition"
    )
    assert (
        main(
            "US strike on boat kills four off Venezuela",
            "A US strike on a boat off the coast of Venezuela killed four people, the Pentagon said.",
        )
        == "united-states"
    )


def test_a_creeds_word_before_common_words_is_bound_to_its_theatre():
    # invented: "Islamist rebels" in Congo are not Syria's armed opposition
    claims = ClaimExtractor(load_default_actors()).extract("Suspected Islamist rebels kill 23 in northeast Congo", "")
    main = main_perpetrator(claims)
    assert main is None or main.actor != "armed-opposition"


def test_parse_actors_names_bad_countries_and_parents():
    with pytest.raises(ValueError, match="countries"):
        parse_actors([{"id": "x", "countries": ["Mali"]}])
    with pytest.raises(ValueError, match="parent"):
        parse_actors([{"id": "x", "parent": "Al Qaeda"}])


def test_parse_actors_takes_country_codes_in_either_case():
    # ISO 3166 writes its codes in capitals: an actor list written so works, kept as the gazetteer keys them
    (actor,) = parse_actors([{"id": "jnim", "countries": ["ML", "bf"]}])
    assert actor.countries == ("ml", "bf")


def test_what_happened_is_named_by_the_weapon_words():
    # invented: "strikes" alone are from the air (a rocket attack the same day in the same city is another incident)
    assert event_kinds("New strikes kill at least 25 civilians in Aleppo") == {"air"}
    assert event_kinds("10 civilians killed in terrorist rocket attacks on Aleppo") == {"shelling"}
    assert event_kinds("Russian missile strikes hit Kharkiv") >= {"air", "shelling"}  # a missile may be either


def test_one_small_town_name_alone_does_not_give_the_country():
    from accord.domain import gazetteer

    g = gazetteer()
    # "Amba" (Ambazonian fighters) is also a small town in Kazakhstan: the report is not about Kazakhstan
    assert g.countries_of("Residents said the soldiers accused them of hiding Amba boys.") == []
    assert g.countries_of("Gunmen killed five in Batibo and Bamenda.") == ["cm"]
    assert g.countries_of("A man was shot in Dayton, Ohio.") == ["us"]
