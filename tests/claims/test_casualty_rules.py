"""Casualty rules: which counts a sentence or headline reports (deaths named by the killing, parts and wholes,
running tolls, things that are no counts), each from a real sentence of shared/data (quoted with its source)."""

from __future__ import annotations

from accord.claims import article_toll, load_default_actors
from accord.claims.casualties import event_hits, sentence_hits
from accord.claims.sentences import Sentence, scope_of

from .conftest import corpus_text


def title_hits(title):
    return [(h.kind, h.quantity.point) for h in event_hits(Sentence(title, 0, len(title), 0, is_title=True))]


def body_hits(text):
    return [(h.kind, h.quantity.point) for h in sentence_hits(Sentence(text, 0, len(text), 1)) if not h.part]


def hits(text, title=False):
    sentence = Sentence(text, 0, len(text), 0 if title else 1, is_title=title)
    return [(h.kind, h.quantity.point) for h in sentence_hits(sentence) if not h.part]


def toll(extractor, article_id, kind="killed"):
    row = corpus_text("fakes-dev.jsonl", article_id)
    claim = article_toll(extractor.extract(row["title"], row["text"]), kind)
    return None if claim is None else claim.point


# --- deaths named by the killing, uncounted headlines -----------------------------------------------------------------


def test_murder_suicide_counts_the_shooter():
    # gva-dev titles
    assert title_hits("Ft. Lauderdale Woman Kills Daughter In Tragic Murder-Suicide") == [("killed", 2)]
    assert title_hits("Police: Double murder-suicide preceded by argument, break-up threats") == [("killed", 3)]


def test_double_homicide_is_two_dead():
    # gva-dev title
    assert title_hits("IMPD releases suspect sketch in double homicide") == [("killed", 2)]


def test_attempted_murder_names_no_death():
    # gva-dev titles
    assert (
        title_hits("Possible attempted murder-suicide in SW Houston") == [("shot", 1)]
        or title_hits("Possible attempted murder-suicide in SW Houston") == []
    )
    assert not [
        k
        for k, _ in title_hits("Man charged with attempted murder in last week's shooting at Detroit tax business")
        if k == "killed"
    ]


def test_headline_death_without_a_count_is_one_dead(extractor):
    # gva-dev title: "Meridian man arrested after fatal shooting"
    claims = extractor.extract("Meridian man arrested after fatal shooting", "")
    assert article_toll(claims, "killed").point == 1


def test_headline_victim_hit_without_a_death_is_one_injured(extractor):
    # gva-dev title: "Boy stable after accidental shooting"
    claims = extractor.extract("Boy stable after accidental shooting", "")
    assert article_toll(claims, "injured").point == 1
    assert article_toll(claims, "killed") is None


def test_a_counted_toll_beats_the_headline_cue(extractor):
    # gva-dev: title "Four people injured in Lonsdale community shooting" states its own count
    claims = extractor.extract(
        "Four people injured in Lonsdale community shooting",
        "KNOXVILLE (WATE) – Four people are injured after a shooting on Minnesota Avenue.",
    )
    assert article_toll(claims, "injured").point == 4


def test_shots_fired_and_shooters_are_not_people_shot():
    # gva-dev (WKRN): "...instead pulled the gun’s trigger, firing one shot."
    assert (
        body_hits(
            "Police said the child was unfamiliar with how the laser worked and instead pulled the gun’s "
            "trigger, firing one shot."
        )
        == []
    )
    # gva-dev: "investigators determined that Bournes, who was 59, had shot his 37-year-old wife Arie Lee"
    assert (
        body_hits(
            "After fire crews doused the flames, investigators determined that Bournes, who was 59, had shot "
            "his 37-year-old wife Arie Lee"
        )
        == []
    )


def test_exact_headline_figure_beats_a_larger_side_figure():
    # fakes-dev (alaraby): title "Syria Regime kills 25 civilians in Hama airstrikes"; the lead later says state media
    # "claimed that government forces had killed 50 terrorists"
    row = corpus_text("fakes-dev.jsonl", "fakes-1923102934-55")
    from accord.claims import ClaimExtractor

    claims = ClaimExtractor(load_default_actors()).extract(row["title"], row["text"])
    assert article_toll(claims, "killed").point == 25


def test_a_headline_giving_the_forces_dead_and_the_attackers_they_killed_counts_the_first(extractor):
    # invented, after Egyptian state media on the Sheikh Zuweid assault of July 2015
    claims = extractor.extract(
        "Armed Forces: 17 martyrs, 100 terrorists killed in North Sinai attacks",
        "Seventeen members of the armed forces were martyred on Wednesday, the army spokesman said, adding that the "
        "forces killed 100 terrorists.",
    )
    assert article_toll(claims, "killed").point == 17
    # a headline that counts only fighters still gives their number (fakes-dev: "US strikes kill 50 Qaeda fighters")
    alone = extractor.extract(
        "Army says 100 terrorists killed in North Sinai", "The army said it killed 100 terrorists."
    )
    assert article_toll(alone, "killed").point == 100


def test_a_count_and_its_verb_around_a_long_part_set_off_by_commas():
    # invented, after Iranian and Egyptian state media (Ahvaz 2018, Sheikh Zuweid 2015)
    assert hits(
        "At least 24 people, including a four-year-old girl and a wheelchair-bound veteran of the Iran-Iraq war, have "
        "been martyred and 53 others injured in a terrorist attack on a military parade."
    ) == [("killed", 24), ("injured", 53)]
    assert hits("Seventeen members of the armed forces, among them four officers, were martyred on Wednesday.") == [
        ("killed", 17)
    ]


def test_fighters_a_military_says_it_destroyed_are_killed_in_its_words():
    # invented, after a defence ministry's briefing on a strike on a training ground (March 2022)
    assert hits("The strike destroyed up to 180 foreign mercenaries and a large batch of foreign weapons.") == [
        ("killed", 180)
    ]
    assert hits("Up to 180 foreign mercenaries destroyed in strike on training centre", title=True) == [("killed", 180)]
    assert hits("The ministry said 30 terrorists were neutralised in the north.") == [("killed", 30)]
    # things destroyed are no count of people, nor are the fighters' things
    assert hits("The army destroyed 20 tanks and three depots.") == []
    assert hits("Jets destroyed 20 militant hideouts in Idlib.") == []


def test_tens_is_a_vague_word_not_ten():
    # fakes-dev (alalam): "Jeish Al Fatah Pounds down by 56 Airstrikes 60 Terrorists Killed Tens Injured"
    from accord.claims.numbers import find_quantities

    (q,) = find_quantities("tens injured")
    assert q.vague and (q.low, q.high, q.point) == (10, 99, 10.0)
    assert [q.point for q in find_quantities("tens of thousands fled")] == [10000.0]


# --- parts and wholes, vague tolls, words that look like counts -------------------------------------------------------


def test_whole_before_its_inserted_part_is_counted():
    # fakes-1923102859-41, fakes-1923102855-40, fakes-1923848233-105 (FA-KES lost its commas)
    assert hits("Fifteen civilians among them 11 children were killed in a barrel bomb attack") == [("killed", 15)]
    assert hits(
        "Clashes between the two sides have rocked the city leaving 23 civilians - including nine children "
        "- dead according to the Syrian Observatory"
    ) == [("killed", 23)]
    assert hits("On Tuesday 25 people including seven women and a child were killed in air strikes on Talbisseh")[
        0
    ] == ("killed", 25)


def test_headline_counting_children_defers_to_the_leads_whole(extractor):
    # fakes-1924058165-189: "School bombing kills 30 children in Syria monitor" / "They were among 39 people who died"
    assert toll(extractor, "fakes-1924058165-189") == 39
    # fakes-1924058067-162: "... kills 4 schoolchildren ..." / "At least four schoolchildren were among eight people"
    assert toll(extractor, "fakes-1924058067-162") == 8


def test_vague_toll_gives_way_to_an_exact_figure_it_can_mean(extractor):
    # fakes-1926479033-224: "an attack which killed dozens of people" ... "At least 86 people were killed early on
    # Tuesday in rebel-held Khan Sheikhoun"
    assert toll(extractor, "fakes-1926479033-224") == 86
    # fakes-1923848233-105: "Syria air strikes kill dozens in rebel town" ... "On Tuesday 25 people ... were killed";
    # the running "nearly 50 people over the past two days" is a total and is not taken
    assert toll(extractor, "fakes-1923848233-105") == 25


def test_martyrs_are_not_march():
    # fakes-1965511150-362 title
    assert hits("Twin Suicide Blasts Target Checkpoint near Damascus Claim 4 Martyrs", title=True) == [("killed", 4)]


def test_claimed_lives_and_the_killing_of():
    # fakes-1965511152-363 title, fakes-1924058073-164
    assert hits("Terrorists Rocket Shells Claim 9 Civilians in Aleppo", title=True) == [("killed", 9)]
    assert hits(
        "The rocket bomb packed with heavy explosive material led to the killing of one person and the "
        "injury of 40 others"
    ) == [("killed", 1), ("injured", 40)]
    # a claim of attacks is no count of people
    assert hits("IS claimed two attacks on the city") == []


def test_share_counter_is_no_count():
    # fakes-1965495372-343 (sputnik page chrome), while the figure after it stays
    assert hits("20.04.2017 Get short URL 215 The death toll of a terrorist attack near Aleppo") == []
    assert hits(
        "11.10.2017 Get short URL 113 At least nine people were killed and more than 10 people were injured"
    ) == [("killed", 9), ("injured", 10)]


def test_headline_bare_victim_noun_is_one(extractor):
    # fakes-1924058143-183
    assert hits("Bomb kills woman wounds 25 in Syrias Homs", title=True) == [("killed", 1), ("injured", 25)]
    assert toll(extractor, "fakes-1924058143-183") == 1
    # gva-dev: a list of victims is no single victim
    assert "man" not in [
        h.quantity.text
        for h in sentence_hits(
            Sentence("Neighbor killed man, grandmother, 2-month-old baby, police say", 0, 62, 0, is_title=True)
        )
    ]
    row = corpus_text("gva-dev.jsonl", "a7091895a55dc57434989c05ac529dac")
    assert article_toll(extractor.extract(row["title"], row["text"]), "killed").point == 3


def test_tags_line_is_the_body_not_a_link():
    # fakes-1923102951-59
    assert (
        scope_of(
            "Tags Syria Raqqa Russia ISIS IS ISIL Islamic State Daesh The Islamic State launched a "
            "counteroffensive in Syrias Raqqa province on Monday killing 40 government forces"
        )
        == "incident"
    )


def test_in_a_month_is_another_incident():
    # fakes-1926479371-273
    assert (
        scope_of(
            "Residents contacted by Reuters seemed resigned to the resumption in bombing which killed hundreds "
            "of people in late September and early October"
        )
        == "other"
    )


# --- parts, sums and lists; hospital and shooting wording; ages, times and addresses ----------------------------------


def test_group_before_the_victims_noun_is_part_of_it():
    # fakes-1923848287-133 (headline)
    assert hits("Turkish military says 31 IS group militants killed in northern Syria", title=True) == [("killed", 31)]


def test_the_toll_at_is_not_the_injured_at():
    # fakes-1965511195-380: 28 is the injured, not the dead
    text = (
        "SANA news agency reported the attack quoting Homs Governor Talal al-Barazi as puting the death toll at six "
        "and the number of injured at 28."
    )
    assert ("killed", 6) in hits(text) and ("killed", 28) not in hits(text)


def test_uncounted_part_between_count_and_casualty_word():
    # fakes-1926479155-248
    text = (
        "Activists in Deir Ezzor said that nearly 58 people including women and children were killed in mutual "
        "shelling between regime forces and ISIS militants on the city and its countryside on Wednesday."
    )
    assert hits(text) == [("killed", 58)]
    # gva-dev 630bfbb37176b1b11178eae0b2126fb6: the friends are no dead
    text = (
        "Tonyanika Harris' 12-year-old daughter was in the area with about 10 friends, including the boy who was "
        "killed."
    )
    assert hits(text) == []


def test_others_shot_are_besides_the_dead(extractor):
    from accord.claims import article_toll

    def injured(article_id):
        row = corpus_text("gva-dev.jsonl", article_id)
        claim = article_toll(extractor.extract(row["title"], row["text"]), "injured")
        return None if claim is None else claim.point

    # "13-year-old boy killed, 6 others shot on West Side": six wounded, not six less the dead boy
    assert injured("630bfbb37176b1b11178eae0b2126fb6") == 6
    # "A woman and two other men were also shot; they were taken to a local hospital with non-life-threatening
    # injuries."
    assert injured("7db08a3d5da8d651147964de0e17216b") == 3
    # "a man reported that he and three others had been shot": the speaker is one of the people hit
    assert injured("371788f56bd3b1312066c7f8524f0695") == 0


def test_the_gravely_hurt_are_a_part_of_the_people_shot(extractor):
    from accord.claims import article_toll

    row = corpus_text("gva-dev.jsonl", "3a504b6166d59cbcae8b8bca036f86aa")
    # "Five people shot in apartment complex" / "Two of the victims are in critical condition."
    assert article_toll(extractor.extract(row["title"], row["text"]), "injured").point == 5


def test_shots_and_cars_are_no_people_shot():
    # gva-dev c1de9b985e25ca4dcd3b6280984eba60
    text = (
        "Authorities said a 6-year-old child was shot five times and killed, his father was critically injured, after "
        "a police pursuit and shooting Tuesday night."
    )
    assert ("shot", 5) not in hits(text)
    # gva-dev 22c5b5c30a5094d45d36702c5d7297a6
    text = (
        "(WKRN) – A 7-year-old girl was critically injured after being shot in the face when two cars were hit by "
        "gunfire on Interstate 24 Saturday night."
    )
    assert hits(text) == [("injured", 1)]


def test_addresses_phone_lines_stations_and_ages_are_no_counts(extractor):
    from accord.claims import article_toll

    # gva-dev b16ded27ac8a9aa1128a3e3065a3ab24, 0ddf871764b37ec53de9ab43ccec0d26, e0ff4a5f6b04c10aee0b89f1780455a4
    assert (
        hits(
            "Walker, who lived nearby in the 3000 block of West Flournoy, was shot in the head and pronounced dead 20 "
            "minutes later, according to the Cook County medical examiner."
        )
        == []
    )
    assert hits("Jackson County deputies responded to a shooting 2501 Carter Homestead Rd. at about 11:30 a.m.") == []
    assert (
        hits("Deputies responded to a 911 call of gunshot wounds inside 305 E. Main St. in Montfort after 3 p.m.") == []
    )
    # gva-dev 3fec2a3ef3db0cc80f52dc99d58d2134: an age range
    text = (
        "AUSTIN — Four boys between ages 12 and 16 were wounded in a shooting on the West Side Monday night, police "
        "said."
    )
    assert ("injured", 16) not in hits(text)
    # gva-dev e5d6b24f68ae6474fedd3e33d840f153: an age after "Jr.,"
    text = (
        "Vincent Holt Jr., 27, was was shot eight times and pronounced dead at the scene, while four other men were "
        "taken to the hospital with non-life-threatening wounds."
    )
    assert ("shot", 27) not in hits(text)
    # gva-dev b795ff57cf0d3a964280998de7b012f0: "WJTV News Channel 12 - Five Injured in Nightclub Shooting"
    row = corpus_text("gva-dev.jsonl", "b795ff57cf0d3a964280998de7b012f0")
    assert article_toll(extractor.extract(row["title"], row["text"]), "injured").point == 5


def test_gunshot_residue_is_no_one_shot():
    # gva-dev 58839f3a77493f820c4381378399cc92
    assert hits("All three males were tested for gunshot residue, the report said.") == []


def test_headline_lists_of_victims_are_summed():
    # gva-dev 3527fb610c76b585f02e0b3e58896bc8, 95094155e877fbf3756d28b148aea78f, 7ee2d2358c16004ded294dfa26ee19c9
    assert hits("Child, Three Adults Injured in DeKalb Shooting", title=True) == [("injured", 4)]
    assert hits("Man Accidentally Shoots Girl, 2 Women Inside Feltonville Home: Police", title=True) == [("shot", 3)]
    assert hits("3 teens arrested after teen, 4-year-old shot in Grand Rapids", title=True) == [("shot", 2)]


def test_others_are_added_to_the_count_before_them():
    # gva-dev 6062050831493f3bdb94a51c578900a8 (headline)
    text = "One person in critical condition, three others injured after morning shooting downtown"
    assert hits(text, title=True) == [("injured", 4)]


def test_dead_and_shot_listed_side_by_side_are_separate(extractor):
    from accord.claims import article_toll

    # gva-dev 506005dc00b75a268f1e114364d50805: "1 dead, 3 shot in Northwest Jacksonville"
    row = corpus_text("gva-dev.jsonl", "506005dc00b75a268f1e114364d50805")
    assert article_toll(extractor.extract(row["title"], row["text"]), "injured").point == 3


def test_named_person_alongside_a_count_is_one_more():
    # fakes-1962495728-315
    text = (
        "Ramadan al-Sabta alongside nine of his comrades were killed in a battle with Syrian army men in al-Lajat on a "
        "road connecting al-Shomarah to al-Shyah."
    )
    assert hits(text) == [("killed", 10)]


def test_headline_group_that_the_lead_adds_up_defers_to_the_sum(extractor):
    from accord.claims import article_toll

    # fakes-1923848227-100: "US strikes kill 50 Qaeda fighters in Syria Monitor" / "US air strikes killed 50 Al-Qaeda
    # militants and eight civilians including children in northern Syria"
    row = corpus_text("fakes-dev.jsonl", "fakes-1923848227-100")
    assert article_toll(extractor.extract(row["title"], row["text"]), "killed").point == 58
    # gva-dev 630bfbb37176b1b11178eae0b2126fb6: "A 13-year-old boy and six other people were shot": "other" there sets
    # the parts apart, and the six wounded of the headline stand
    row = corpus_text("gva-dev.jsonl", "630bfbb37176b1b11178eae0b2126fb6")
    assert article_toll(extractor.extract(row["title"], row["text"]), "injured").point == 6


def test_in_the_past_days_is_this_report_not_background():
    from accord.claims.sentences import scope_of

    # fakes-1926479354-271
    text = (
        "Islamic State has crushed a pocket of resistance to its control in eastern Syria crucifying two people and "
        "executing 23 others in the past five days a monitoring group said on Monday."
    )
    assert scope_of(text) == "incident"
    assert (
        scope_of("Islamic State has targeted areas of Hasaka province in the past including another city Qamishli.")
        == "other"
    )


def test_uncounted_share_between_count_and_casualty_word():
    # fakes-1962495643-281
    text = (
        "At least 412 people more than half of them from ISIS have been killed in and around Kobane since "
        "mid-September the Syrian Observatory for Human Rights said."
    )
    assert hits(text) == [("killed", 412)]


def test_whole_and_the_count_listed_after_its_part_are_summed():
    # fakes-1923848149-73
    text = (
        "Since Wednesday clashes between the two forces have rocked the city leaving 23 civilians - including nine "
        "children - and 16 combattants dead the Observatory said."
    )
    assert hits(text) == [("killed", 39)]


def test_restated_running_toll_updates_the_headline(extractor):
    from accord.claims import article_toll

    # fakes-1923848286-132: "Air raids kill at least 12 civilians in Syrias Aleppo Monitor" / "Air strikes killed at
    # least 12 civilians in Syrias Aleppo on Monday a monitor said bringing to 45 the number killed in 24 hours of
    # bombardment on the battleground city."
    row = corpus_text("fakes-dev.jsonl", "fakes-1923848286-132")
    assert article_toll(extractor.extract(row["title"], row["text"]), "killed").point == 45


def test_vague_headline_resolves_to_the_running_toll_it_summarises(extractor):
    from accord.claims import article_toll
    from accord.claims.sentences import scope_of

    # fakes-1962495643-281: "Hundreds killed as Street Battles Rages in Kobni" / "At least 412 people more than half of
    # them from ISIS have been killed in and around Kobane since mid-September the Syrian Observatory for Human Rights
    # said."
    text = (
        "At least 412 people more than half of them from ISIS have been killed in and around Kobane since "
        "mid-September the Syrian Observatory for Human Rights said."
    )
    assert scope_of(text) == "total"
    row = corpus_text("fakes-dev.jsonl", "fakes-1962495643-281")
    assert article_toll(extractor.extract(row["title"], row["text"]), "killed").point == 412


def test_taken_to_hospital_counts_the_people_hit(extractor):
    from accord.claims import article_toll

    # gva-dev e5d6b24f68ae6474fedd3e33d840f153
    text = (
        "Vincent Holt Jr., 27, was was shot eight times and pronounced dead at the scene, while four other men were "
        "taken to the hospital with non-life-threatening wounds."
    )
    assert ("shot", 4) in hits(text)
    row = corpus_text("gva-dev.jsonl", "e5d6b24f68ae6474fedd3e33d840f153")
    assert article_toll(extractor.extract(row["title"], row["text"]), "injured").point == 4
    # gva-dev f65ea5781f0208c1062e2097e645b38d: three killed, then "A fourth victim was transported to the hospital by a
    # private party, said Sonny Jackson, a Denver police spokesman."
    row = corpus_text("gva-dev.jsonl", "f65ea5781f0208c1062e2097e645b38d")
    assert article_toll(extractor.extract(row["title"], row["text"]), "injured").point == 1


def test_killings_that_end_in_the_killers_suicide_count_the_killer():
    from accord.claims.casualties import kills_then_self_hits

    def dead(text, title=False):
        sentence = Sentence(text, 0, len(text), 0 if title else 1, is_title=title)
        return [h.quantity.point for h in kills_then_self_hits(sentence)]

    # gva-dev 3df2fb6d7db8ae6ea86be3e82e709178, 8ec03c5c227b633ff52ff05c086bd907 (headlines)
    assert dead("Teen dad kills infant, self in Myrtle Creek", title=True) == [2]
    assert dead("Officials: South Dakota Man Killed Wife, 4 Kids Then Himself", title=True) == [6]
    # gva-dev 45e448ad165ced09c14e5f698dac3d00
    text = (
        "(AP) — Police say a man apparently fatally shot his wife and two young sons before killing himself at their "
        "family home in Tulsa."
    )
    assert dead(text) == [4]
    # gva-dev e6744e214b220799f2cd973efaee9981: the name after "his wife" is the wife
    text = (
        "Police say her stepfather, 45-year-old Tran Trinh Van, shot and killed her and his wife, 39-year-old Cam Thi "
        "To, then himself."
    )
    assert dead(text) == [3]
    # gva-dev 6c9fa7f335e78ca818125c626d3bc216: the mother was shot, not killed
    text = (
        "The 15-year-old boy suspected of killing a teenage girl and shooting her mother before turning the gun on "
        "himself has died, police said."
    )
    assert dead(text) == [2]
    # gva-dev 3c6b6f6b4901a8963417cf455860e3b8: an uncounted family is no count
    assert dead("Sinking Spring man killed family, self, investigators say", title=True) == []


def test_deadly_headline_reports_a_death():
    from accord.claims.casualties import event_hits

    # gva-dev a1897a6bedadab05ba42922ed6353a49 (headline)
    text = "Two arrested following deadly Oak Park shooting - Fox 2 News Headlines"
    sentence = Sentence(text, 0, len(text), 0, is_title=True)
    assert [(h.kind, h.quantity.point) for h in event_hits(sentence)] == [("killed", 1)]


def test_times_cut_off_ages_things_and_shared_ages_are_no_counts():
    # gva-dev 008df4be79d0f5377913d738389fe331: a video time
    assert hits("0:43 Homeless man found dead in Parkland; suspect arrested Pause") == []
    # gva-dev ee4936fb3d53c5835310c96304ef817c (headline cut off in "6-year-old")
    text = "Derrick Stafford claims self-defense in shooting that killed 6-y - WAFB 9 News Baton Rouge, Louisiana News"
    assert ("killed", 6) not in hits(text, title=True)
    # gva-dev 5b34ed434625831985ff3fdf4f43847e
    assert hits("Elijah Jackson and Shakur Franklin, both 16, were killed during the shootout July 24th, 2015.") == []
    # gva-dev 2cb621f78d444a457f6641f1b4c9fc76: scenes are no people to add to the dead
    assert hits("Violent weekend in Detroit: 17 scenes, 7 dead, 14 hurt", title=True) == [
        ("killed", 7),
        ("injured", 14),
    ]


def test_children_listed_after_civilians_are_among_them():
    # fakes-1923102894-49 (FA-KES lost the comma of "including")
    text = (
        "Date of publication 24 October 2016 At least 16 civilians and three children have been killed in waves of air "
        "raids by Syrian regime war planes on opposition-held Idlib province."
    )
    assert hits(text) == [("killed", 16)]


def test_headline_naming_one_person_shot_reports_one_hurt():
    from accord.claims.casualties import event_hits

    def title_hits(text):
        sentence = Sentence(text, 0, len(text), 0, is_title=True)
        return [(h.kind, h.quantity.point) for h in event_hits(sentence)]

    # gva-dev 0d8d0ff07896d01f71d869d5a7326d7b, 9c0d088f9268bd3aca1d017b705835f5, d8c5c928ba48269a3a41852ec6615ca0
    assert title_hits("Dad charged in daughter's shooting") == [("shot", 1)]
    text = "Man arrested for accidentally shooting of 10-year-old boy - Atlanta News, Weather, Traffic, and Sports"
    assert title_hits(text) == [("shot", 1)]
    text = "Four-Year-Old In Leflore County Airlifted To Hospital After Accidental Shooting"
    assert title_hits(text) == [("shot", 1)]


def test_sent_to_the_hospital_counts_the_people_hit(extractor):
    from accord.claims import article_toll

    # gva-dev 104db82506283933234d28c49929a9cc (headline)
    assert hits("Shooting at Kokomo bar sends 4 people to the hospital", title=True) == [("shot", 4)]
    # gva-dev 890f49fb6ce976cd78d685417dd46d94: "a nightclub shooting that sent several people to the hospital" gives
    # way to "Police on scene told ABC15 five people were shot."
    row = corpus_text("gva-dev.jsonl", "890f49fb6ce976cd78d685417dd46d94")
    assert article_toll(extractor.extract(row["title"], row["text"]), "injured").point == 5


def test_two_people_named_then_said_dead_or_hurt():
    from accord.claims.casualties import two_named_dead_hits

    # gva-dev e658e0046890ea73c5dd4693fec11fbd
    text = (
        "Ronald Williams, 33, and Kendra Hill, 28, were killed, and Jason Kimble and Laquintin Carter were injured in "
        "the shooting."
    )
    sentence = Sentence(text, 0, len(text), 1)
    assert [(h.kind, h.quantity.point) for h in two_named_dead_hits(sentence)] == [("killed", 2), ("injured", 2)]


# --- updated, ranked and rounded tolls (invented sentences in the phrasing of real reports) ---------------------------


def test_a_toll_risen_since_a_named_day_is_the_dead():
    assert hits("The death toll from Tuesday’s missile strike has risen to 31, and 12 people are still missing.") == [
        ("killed", 31),
        ("missing", 12),
    ]
    assert hits("Later, the number of dead increased to 58, and the number of wounded to 90.")[0] == ("killed", 58)


def test_a_ranking_after_the_count_is_no_running_total():
    ranked = (
        "Army jets bombed a market in the north, killing at least 17 people, in what would be the deadliest attack "
        "on the town since the war began last year."
    )
    assert scope_of(ranked) == "incident"
    assert scope_of("At least 4,000 people have been killed since the war began last year.") == "total"


def test_an_attack_a_day_before_is_another_incident():
    assert scope_of("The shelling comes a day after six civilians were killed in similar attack on the district.") == (
        "other"
    )


def _toll(extractor, title, text):
    claim = article_toll(extractor.extract(title, text), "killed")
    return None if claim is None else claim.point


def test_the_reports_own_update_supersedes_its_first_figure(extractor):
    text = (
        "Two blasts hit a crowd at a shrine in the city on Wednesday. "
        "According to local media, 41 people died and another 90 were injured. "
        "The crowd had gathered for a memorial procession that draws thousands every year. "
        "Officials said the explosions were set off remotely from a car parked nearby. "
        "Ambulances from across the province were sent to the scene within the hour. "
        "Subsequently, the number of dead increased to 57, and the number of wounded to 112."
    )
    assert _toll(extractor, "", text) == 57


def test_a_round_figure_given_as_exceeded_takes_the_exact_figure(extractor):
    text = (
        "Gunmen raided a village in the east overnight and killed as many as 73 people, including 9 children, "
        "officials said. The attack began shortly after midnight."
    )
    assert _toll(extractor, "Over 70 killed in attack on eastern village", text) == 73
    # "at least" is a count, and a figure many times the bound is another one
    assert _toll(extractor, "At least 70 killed in attack on eastern village", text) == 70
    war = "Gunmen raided a village in the east overnight. More than 4,000 people have died in the region's conflict."
    assert _toll(extractor, "Over 70 killed in attack on eastern village", war) == 70


def test_a_headline_repeated_in_the_body_does_not_push_the_toll_out_of_the_lead(extractor):
    title = "Survivors of a helicopter attack on a village school describe the attack, which killed 9 children"
    text = "\n".join(
        [
            "March 3, 2023",
            title,
            title,
            "Survivors of the attack on the school have described the horror of that morning to reporters this week.",
            "Monday's attack on the school in the village left 11 people dead, 9 of them children, the youngest six.",
        ]
    )
    assert _toll(extractor, title, text) == 11


def test_a_time_of_day_and_a_year_cut_short_are_no_counts():
    assert hits("The rifle went off shortly before 7 am, resulting in the boy’s death.") == []
    assert hits("Detectives reopened the ’88 shooting of a man outside the bar.") == []
    assert hits("At 11 p.m. two people were killed outside the bar.") == [("killed", 2)]


def test_a_headline_lists_its_dead_without_commas(extractor):
    assert (
        _toll(extractor, "11 children 2 teachers killed in air strikes near a school", "The strikes hit at dawn.") == 13
    )
    # in running text the same gap is no list
    assert ("killed", 7) not in hits("An air strike near the school killing two men 5 guards in the town.")


def test_a_years_tally_and_an_earlier_crash_are_not_this_incident():
    assert scope_of("That year, the index said, the group was responsible for 2,310 deaths, more than any other.") == (
        "total"
    )
    assert scope_of("The earlier crash, on March 2, killed a cyclist and a bus driver.") == "other"


def test_a_quoted_headline_figure_is_the_toll(extractor):
    text = "Scores have been killed in an attack on a village in the east, a rights group said."
    assert _toll(extractor, "Region: 'Up to 60' killed in militia attack on village", text) == 60


def test_headline_with_many_uncounted_dead_states_no_toll():
    from accord.claims.casualties import event_hits

    def title_hits(text):
        sentence = Sentence(text, 0, len(text), 0, is_title=True)
        return [(h.kind, h.quantity.point) for h in event_hits(sentence)]

    # fakes sample (nna): "caused deaths" is more than one dead, and how many is not said
    assert title_hits("Homs governor says U.S. attack caused deaths but doesnt see big human losses") == []
    # invented headlines of the same shape
    assert title_hits("Air strikes kill civilians in northern town") == []
    assert title_hits("Soldiers killed in ambush near the border") == []
    # one uncounted death still reads as one
    assert title_hits("Man dies after shooting at gas station") == [("killed", 1)]


def test_a_partys_own_figure_carries_the_party(extractor):
    # invented report: the outlet's toll is its own account; the ministry's figure is a party's, kept apart for the
    # verdict (accord.verdict._party_figures)
    text = (
        "A Russian missile strike killed at least 40 people at a market in Kostiantynivka, officials said. "
        "The Russian defence ministry said only 5 people had died. Doctors said 12 of the dead were children."
    )
    claims = [c for c in extractor.extract("Missile strike on market kills 40", text) if c.kind == "killed"]
    by_point = {c.point: c for c in claims if not c.extra.get("implicit")}
    assert [c.point for c in claims if c.chosen] == [40.0] and by_point[40.0].actor is None
    assert by_point[5.0].actor == "russia" and not by_point[5.0].chosen
    # a part of the dead, from a speaker who is no party, is nobody's rival figure
    assert by_point[12.0].actor is None


def test_a_campaigns_dead_and_a_totals_breakdown(extractor):
    # invented: the strikes' dead since a date are the campaign's; "ten people, seven men and three women" is ten
    assert scope_of("The health ministry says more than 200 people have been killed in the U.S. strikes.") == "total"
    assert scope_of("At least 12 people have been killed in Israeli strikes across Gaza overnight.") == "incident"
    claims = extractor.extract(
        "Gunmen kill 10 at bar",
        "Gunmen attacked a bar late on Saturday, killing ten people, seven men and three women, and injuring six.",
    )
    assert {c.point for c in claims if c.kind == "killed" and c.chosen} == {10.0}
    assert 20.0 not in {c.point for c in claims if c.kind == "killed"}


def test_police_hit_are_counted_and_police_that_act_are_not(extractor):
    # invented: police as the victims of the count, and police as its agents
    def killed(title):
        return [c.point for c in extractor.extract(title, "") if c.kind == "killed" and c.chosen]

    assert killed("Five police officers were killed when gunmen attacked the station") == [5.0]
    assert killed("Five police martyred in terrorist attack on Rask police station") == [5.0]
    assert killed("Two police shot a suspect who had killed three people") == [3.0]


def test_a_share_of_the_dead_is_a_part_and_the_dead_among_the_shot_a_toll(extractor):
    # invented: "one of the officers killed" is one of a larger toll; "two of those victims died" are the dead
    def killed(title, text=""):
        return [c.point for c in extractor.extract(title, text) if c.kind == "killed" and c.chosen]

    assert killed("Deputy was one of the five officers killed in the ambush") == [5.0]
    assert killed("Six people were shot on Friday. Two of those victims died, police said.") == [2.0]


def test_the_wars_dead_and_wounded_are_a_running_total():
    from accord.claims.sentences import scope_of

    # realworld-dev (Dnipro): a UN tally of the war's wounded is not the strike's
    assert scope_of("According to a UN report, a total of 11,327 people have been injured in the war in Ukraine.") == (
        "total"
    )
    assert scope_of("More than 500 civilians have been killed since the full-scale invasion began.") == "total"
    # the incident's own dead, in the perfect tense
    assert scope_of("At least 40 people have been killed in the strike on the market, officials said.") == "incident"
    assert scope_of("Twelve people have been killed in the attack on the village, the UN said.") == "incident"


def test_a_sentence_of_no_event_after_a_running_total_goes_on_with_the_tally(extractor):
    # realworld-dev (Dnipro) in invented words: the UN tally runs on over two sentences; neither is the strike's
    text = (
        "The mayor said 44 people died in the missile strike on the apartment block. "
        "A total of 11,000 people have been injured in the war, the UN said. "
        "In the east, there were 9,000 casualties, including 4,000 killed and 5,000 injured. "
        "Rescuers said 75 people were wounded in Saturday's strike."
    )
    chosen = {c.kind: c.point for c in extractor.extract("Missile strike kills 44", text) if c.chosen}
    assert chosen == {"killed": 44.0, "injured": 75.0}


def test_a_speaker_after_the_verb_of_saying_is_who_gives_the_figure():
    from accord.claims.actors import load_default_actors
    from accord.claims.attribution import ActorMatcher, speaking_party

    matcher = ActorMatcher(load_default_actors())

    def party(text):
        return speaking_party(text, text.index("50"), matcher)

    # fakes sample (ahram): the health chief speaks, not the warplanes of the clause before
    assert (
        party(
            "Warplanes targeted the town with gas said Mounzer Khalil, head of the health authority, adding that "
            "the attack had killed more than 50 people."
        )
        is None
    )
    assert party("The attack killed 50 people, said the Russian defence ministry.") == "russia"
    assert party("The Russian defence ministry said the attack killed 50 people.") == "russia"


def test_a_toll_given_as_the_whole_supersedes_the_leads_groups(extractor):
    # fakes-1924058188-196: the headline counts children and teachers; the monitor's whole toll is 35
    title = "22 children 6 teachers killed in airstrikes near schools"
    text = (
        "Air strikes that hit a school killed 22 children, the UN childrens agency said Wednesday. The agency's "
        "director said that six teachers also died in the attacks while a monitor said that 35 people in total had died."
    )
    assert [c.point for c in extractor.extract(title, text) if c.chosen and c.kind == "killed"] == [35.0]
    # a whole many times the lead's figure is another count
    text = "A strike killed 12 people on Monday. In all, 400 people have died in the province, a monitor said."
    assert [c.point for c in extractor.extract("Strike kills 12", text) if c.chosen and c.kind == "killed"] == [12.0]


def test_a_source_set_between_the_verb_and_its_count_is_read_through():
    # fakes-1965511176-372 (its typo kept)
    text = "Rocket shells hit three districts, killing according to teh latest toll 44 civilians and wounding over 140."
    assert hits(text) == [("killed", 44), ("injured", 140)]


def test_what_an_attack_avenges_is_another_incident(extractor):
    # giveme5w1h (the German consulate in Mazar-i-Sharif) in invented words: the 32 and the US strikes are the
    # incident the bombing answers, not the bombing's
    title = "Militants attack consulate with truck bomb"
    text = (
        "A suicide bomber rammed a truck into the consulate, killing two people. The Taliban said the bombing was a "
        '"revenge attack" for US air strikes this month that killed 32 civilians in Kunduz.'
    )
    claims = extractor.extract(title, text)
    assert [c.point for c in claims if c.chosen and c.kind == "killed"] == [2.0]
    assert {c.actor: c.scope for c in claims if c.kind == "perpetrator"}["us-led-coalition"] == "other"
    # the incident's own toll before the answered one stays the incident's
    text = "Air strikes killed 20 people in the town in retaliation for rocket fire that wounded three soldiers."
    chosen = {c.kind: c.point for c in extractor.extract("Air strikes kill 20", text) if c.chosen}
    assert chosen == {"killed": 20.0}


def test_the_sources_that_end_a_list_are_not_victims(extractor):
    # invented: "a health worker" is who said it, not a 31st dead
    text = "A drone strike on a bus station killed at least 30 people, witnesses and a health worker said."
    assert [
        c.point for c in extractor.extract("Drone strike kills dozens", text) if c.chosen and c.kind == "killed"
    ] == [30.0]
    # a list of victims is still summed
    text = "A drone strike on a bus station killed 30 passengers and a health worker on Monday."
    assert [c.point for c in extractor.extract("Drone strike", text) if c.chosen and c.kind == "killed"] == [31.0]


def test_a_count_of_them_or_a_part_set_off_by_commas_is_no_new_group(extractor):
    # invented: "24 of them children" are among the 36, and the part "three children" is no injured
    text = "A former officer killed 36 people, 24 of them children, in an attack on a nursery, police said."
    assert [c.point for c in extractor.extract("Attack on nursery", text) if c.chosen and c.kind == "killed"] == [36.0]
    text = "The toll from the strike rose to 13, including three children, and 60 people were injured, officials said."
    chosen = {c.kind: c.point for c in extractor.extract("Strike on restaurant", text) if c.chosen}
    assert chosen == {"killed": 13.0, "injured": 60.0}


def test_beheaded_slaughtered_and_lynched_are_killed(extractor):
    # invented
    def killed(title, text):
        return [c.point for c in extractor.extract(title, text) if c.chosen and c.kind == "killed"]

    assert killed("Insurgents behead 11 in Cabo Delgado", "Insurgents beheaded 11 people in a raid on a village.") == [
        11.0
    ]
    assert killed("Gunmen slaughter 30 villagers", "Gunmen slaughtered 30 villagers in an overnight raid.") == [30.0]
    assert killed("Mob attack in Puebla", "Two men were lynched by a mob in Puebla state.") == [2.0]
    assert killed("Market rules", "The slaughter of 300 cattle was banned.") == []


def test_a_number_before_a_singular_death_is_a_name_and_to_death_is_killed(extractor):
    # invented, after gva-dev pages: "Cloud 9" is a nightclub, "Route 9" a road
    def killed(title, text):
        return [c.point for c in extractor.extract(title, text) if c.chosen and c.kind == "killed"]

    assert killed("Two more arrested in Cloud 9 shooting death of a student", "Police made two more arrests.") == [1.0]
    assert killed("Shooting Leaves 9 Dead", "Police are investigating.") == [9.0]
    text = "Police arrested a man suspected of shooting to death three people on Monday evening."
    assert killed("Man arrested", text) == [3.0]
    assert killed("Shooting", "At least a half-dozen people were killed, police said.") == [6.0]


def test_the_dead_and_wounded_counted_together_are_no_death_toll(extractor):
    # invented: the headline's 19 is the dead and the hurt together; the body gives the dead
    title = "19 Killed and Injured in Rocket Attack on Market"
    text = "Four people were killed and 15 were injured when rockets hit the market, police said."
    chosen = {c.kind: c.point for c in extractor.extract(title, text) if c.chosen}
    assert chosen == {"killed": 4.0, "injured": 15.0}
    chosen = {
        c.kind: c.point for c in extractor.extract("3 killed and 5 injured in attack", "Police said.") if c.chosen
    }
    assert chosen == {"killed": 3.0, "injured": 5.0}


def test_a_toll_put_at_a_number_and_a_family_of_five(extractor):
    # invented
    def killed(title, text):
        return [c.point for c in extractor.extract(title, text) if c.chosen and c.kind == "killed"]

    assert killed("Shelling of market", "Health officials put the number of dead at 27.") == [27.0]
    assert killed("Shelling of market", "Officials put the death toll at 14 on Monday.") == [14.0]
    assert killed("Drone strike", "A drone strike killed a family of five in Kassala.") == [5.0]
    assert killed("Profile", "He was born into a family of five.") == []


def test_no_one_killed_is_nobody(extractor):
    # invented
    chosen = {
        c.kind: c.point
        for c in extractor.extract("Crash", "No one was killed but 14 people suffered injuries.")
        if c.chosen and c.kind in ("killed", "injured")
    }
    assert chosen == {"killed": 0.0, "injured": 14.0}


def test_a_figure_given_as_the_revision_of_an_earlier_one_supersedes_it(extractor):
    # invented: the headline carries the earlier figure
    title = "Gang attack kills 115 in Port-au-Prince"
    text = "At least 184 people were killed in the attack, the UN said, revising an earlier figure of 115."
    assert [c.point for c in extractor.extract(title, text) if c.chosen and c.kind == "killed"] == [184.0]


def test_the_attackers_count_of_their_own_killing_gives_way_to_the_reports_figure(extractor):
    # invented: the headline and a later line carry the separatists' claim, the lead the army's count
    title = "Pakistan says train siege over; separatists claim 214 hostages killed"
    text = (
        "Pakistan's army said it had ended the siege of the Jaffar Express and that 26 hostages had died. "
        "The Baloch Liberation Army, which claimed the hijacking, said it had killed 214 hostages."
    )
    claims = extractor.extract(title, text)
    assert [c.point for c in claims if c.chosen and c.kind == "killed"] == [26.0]
    assert {c.point for c in claims if c.kind == "killed" and c.extra.get("self_claimed")} == {214.0}
    # alone, the claim is the only figure the report gives; "Attacks Claim 20 Martyrs" is lives taken
    assert [c.point for c in extractor.extract("Rebels claim 50 soldiers killed", "") if c.chosen] == [50.0]
    only = extractor.extract("Terrorist Attacks in Aleppo Claim 20 Martyrs", "")
    assert [(c.point, bool(c.extra.get("self_claimed"))) for c in only if c.chosen] == [(20.0, False)]
    # "claim six died in an army drone strike" is the toll the other side caused, not the claimers' own killing
    other = extractor.extract("Government says 42 killed in shelling; rebels claim six died in army drone strike", "")
    assert not any(c.extra.get("self_claimed") for c in other if c.kind == "killed")


def test_a_source_named_before_a_clause_about_it_is_cited():
    # invented: the name, a clause about it, then its verb of saying
    from accord.claims.sentences import cited_source

    sentence = "The Baloch Liberation Army, which claimed the hijacking, said it had killed 214 hostages."
    assert cited_source(sentence) == "The Baloch Liberation Army"


def test_an_earlier_incident_the_report_recalls_is_another():
    assert scope_of("The attack came just two weeks after gunmen killed five people at a market.") == "other"
    assert scope_of("It came days after a suicide bomber killed 12 soldiers in the north.") == "other"
    assert scope_of("The statement recalled that the group had killed six drivers near the border.") == "other"
    assert scope_of("Gunmen killed five people at a market on Friday, police said.") == "incident"


def test_a_persons_age_after_of_is_no_count(extractor):
    claims = extractor.extract(
        "Gunmen kill 11 at street party",
        "Gunmen killed 11 people at a street party on Sunday. Ten people died at the scene and a woman of 52 died "
        "at the general hospital.",
    )
    assert 52.0 not in [c.point for c in claims if c.kind == "killed"]


def test_two_ages_after_aged_are_no_count(extractor):
    # invented: "aged 19 and 23" names the two victims' ages
    claims = extractor.extract(
        "Double murder in the estate",
        "Two young men were shot dead on Friday night in the estate. The victims, aged 19 and 23, were killed "
        "at the foot of a tower block.",
    )
    assert 23.0 not in [c.point for c in claims if c.kind == "killed"]


def test_the_massacre_of_n_is_a_toll_and_a_massacre_of_a_year_is_not(extractor):
    # invented: a government statement's "massacre of 119 civilians"; a remembered massacre of 1995
    claim = article_toll(
        extractor.extract("Government denounces massacre", "The government denounced the massacre of 119 civilians."),
        "killed",
    )
    assert claim is not None and claim.point == 119.0
    claims = extractor.extract(
        "Two killed", "Survivors remembered the massacre of 1995 in the town. Two people were killed on Sunday."
    )
    assert 1995.0 not in [c.point for c in claims if c.kind == "killed"]


def test_the_number_of_some_victims_killed_and_a_toll_now(extractor):
    # invented: "the number of soldiers killed ... has risen to four", and a headline's "toll now 4"
    claim = article_toll(
        extractor.extract(
            "Ambush toll rises",
            "The number of soldiers killed in Tuesday's ambush in Tubaran has risen to four after another wounded "
            "soldier died in hospital, the Army said Thursday.",
        ),
        "killed",
    )
    assert claim is not None and claim.point == 4
    claim = article_toll(extractor.extract("Lanao del Sur ambush toll now 4; IS claims attack", ""), "killed")
    assert claim is not None and claim.point == 4


def test_single_victims_of_conflict_news_are_summed(extractor):
    # invented: the nouns conflict news uses for single victims, in any theatre
    for text, dead in (
        ("A motorcycle bomb killed a defence volunteer and a villager and injured six other people.", 2),
        ("Gunmen killed a teacher, a nurse and a farmer.", 3),
    ):
        claim = article_toll(extractor.extract("Attack in the south", text), "killed")
        assert claim is not None and claim.point == dead, text


def test_a_communiques_restated_figures_and_its_fallen(extractor):
    # invented: "eight (8)" is one figure; soldiers who "fell on the field of honour" are dead
    claims = extractor.extract(
        "Communiqué of the Government",
        "Unfortunately, eight (8) of our soldiers fell on the field of honour. Five (5) others were wounded.",
    )
    killed, injured = article_toll(claims, "killed"), article_toll(claims, "injured")
    assert killed is not None and killed.point == 8
    assert injured is not None and injured.point == 5


def test_a_death_that_brings_the_toll_to_its_rank(extractor):
    # invented: "a second person has died" is two dead, beside the one death the body describes
    claims = extractor.extract(
        "Second victim dies after market car-ramming",
        "A second person has died after a man drove a car into a crowd on Saturday, police said. A 58-year-old man "
        "died in hospital overnight from his injuries.",
    )
    claim = article_toll(claims, "killed")
    assert claim is not None and claim.point == 2
    assert hits("The second man arrested was charged on Monday.") == []
    # two words between the rank and the victim: "a fifth Guatemalan police officer has died"
    claims = extractor.extract(
        "Gang attacks: state of siege weighed",
        "A fifth Guatemalan police officer has died after a weekend of gang attacks, officials said Monday.",
    )
    claim = article_toll(claims, "killed")
    assert claim is not None and claim.point == 5


def test_the_number_of_injured_that_rose_or_stands_at():
    # invented: the injured's running figure, as the dead's ("the number of soldiers killed has risen to four")
    assert hits("The number of wounded in the Kramatorsk strike rose to 35 on Tuesday.") == [("injured", 35)]
    assert hits("The number of injured stands at 12.") == [("injured", 12)]


def test_a_killing_the_police_do_not_link_to_this_one_is_another_incident(extractor):
    # invented, after a report that adds another city's killing in passing
    title = "Double murder in Marseille: investigators target a gang"
    text = (
        "Two days after the double murder in the 13th arrondissement, investigators have no doubt about the sponsor. "
        "On Sunday, a man was also shot dead in Nimes, but the police do not establish any link between the two cases."
    )
    assert _toll(extractor, title, text) == 2
    assert scope_of("The shooting was not linked to the attack, police said.") == "other"


def test_a_restated_toll_stands_over_another_partys_figure_beside_it(extractor):
    # invented, after a report of a tribal ambush: the police's raised toll is the report's; the church's higher count
    # beside it is another party's figure
    title = "Police confirm 21 dead after ambush as church says toll far higher"
    text = (
        "Police have raised the confirmed death toll from a weekend ambush in Enga Province to 21, while the Catholic "
        "Church maintains that 31 people were killed."
    )
    assert _toll(extractor, title, text) == 21


def test_the_attack_an_operation_followed_and_a_toll_since_a_coup_are_not_this_incidents():
    from accord.claims.sentences import scope_of

    # invented, after the coverage of the Saada prison strike and the Pazigyi air strike
    assert (
        scope_of(
            "The operations followed Monday's Houthi attack on Abu Dhabi, in which drones struck an oil facility, "
            "killing three people."
        )
        == "other"
    )
    assert scope_of("More than 3,200 people have been killed by security forces since the coup.") == "total"
    assert scope_of("The air strike killed 53 people on Tuesday.") == "incident"


def test_a_figure_given_as_an_earlier_stage_gives_way_and_a_long_toll_phrase_is_read():
    from accord.claims import ClaimExtractor, load_default_actors
    from accord.claims.extractor import article_toll

    extractor = ClaimExtractor(load_default_actors())
    # invented, after the coverage of the Kerman bombings (January 2024)
    claims = extractor.extract(
        "Iran revises bombing toll",
        "Iranian officials had earlier put the death toll at 103 before revising it to 84, saying some victims had "
        "been counted twice. The twin bombings killed 84 people in Kerman.",
    )
    assert article_toll(claims, "killed").point == 84
    # ... but a report's own first information ("initial reports indicate") is no earlier stage
    claims = extractor.extract("Shooting", "Initial reports indicate at least eight people were shot.")
    assert not any(c.extra.get("earlier") for c in claims)
    # invented, after the Irrawaddy on the Pazigyi air strike (April 2023): thirteen words between toll and verb
    claims = extractor.extract(
        "Names of the victims released",
        "The death toll from the junta's airstrike on Pazigyi village in Sagaing Region's Kanbalu Township has "
        "reached 168, including 40 children, according to a list of victims. Earlier counts had put the toll at "
        "around 50.",
    )
    assert article_toll(claims, "killed").point == 168


def test_a_count_of_two_nouns_joined_by_and_is_one_count(extractor):
    # after reports of the Majdal Shams rocket strike (July 2024)
    for text in (
        "Twelve children and teenagers were killed on Saturday when a rocket struck a football pitch.",
        "At least 12 children and teenagers have been killed after a rocket hit a football pitch.",
    ):
        claims = extractor.extract("Rocket strikes football pitch", text)
        assert article_toll(claims, "killed").point == 12, text
    assert article_toll(extractor.extract("12 children and teens killed as rocket strikes soccer field", ""), "killed")
    # a second count after "and" is still its own part of a sum
    claims = extractor.extract("Strike", "Twelve children and two women were killed on Saturday.")
    assert article_toll(claims, "killed").point == 14


def test_a_headline_that_counts_some_who_were_among_the_dead_gives_way_to_the_whole(extractor):
    # invented: an aid group's staff among a massacre's dead
    claims = extractor.extract(
        "Aid group confirms two staff killed in village massacre",
        "The aid group confirmed on Tuesday that two of its staff members were among at least 35 people killed by "
        "troops in the village on Friday.",
    )
    assert article_toll(claims, "killed").point == 35


def test_what_a_struck_site_served_earlier_is_another_incident():
    # invented, after fakes-dev's coverage of the Shayrat strike (2017)
    from accord.claims.sentences import answered_from

    sentence = "The airfield was the launch pad for a chemical attack on a village that left up to 100 people dead."
    assert answered_from(sentence) < sentence.index("100")


def test_one_person_named_by_a_role_beside_a_count_is_one_more():
    # invented
    assert hits("Village governor and four guards killed in ambush", title=True) == [("killed", 5)]
    assert body_hits("The mayor and three bodyguards were killed in the ambush.") == [("killed", 4)]
    assert body_hits("Police and four soldiers were wounded.") == [("injured", 4)]


def test_a_sides_offensive_since_it_began_is_a_running_total():
    # invented
    assert scope_of("The ombudsman said 36 civilians had been killed since the Azerbaijani offensive began.") == "total"


def test_last_week_in_the_headline_dates_the_reports_incident(extractor):
    # invented after a wire report published days after the attack
    title = "Militants killed 89 soldiers in Niger attack last week, security sources say"
    text = (
        "Islamist militants killed 89 soldiers in an attack on a military base in western Niger last week, three "
        "security sources said on Monday, far more than the 25 deaths announced by the government. "
        "The attack on Thursday on the base at Chinagodrar was the deadliest on Niger's army in years, surpassing an "
        "assault on the Inates base last month in which 71 soldiers died."
    )
    assert _toll(extractor, title, text) == 89
    assert scope_of(title, opening=True) == "incident"
    # ... further down, "last week" is still another incident
    assert scope_of(title) == "other"


def test_a_count_in_a_rankings_comparison_is_another_incident(extractor):
    title = "Attack on army base in Niger"
    text = (
        "The attack on the base was the deadliest on the army in years, surpassing an assault on another base last "
        "month in which 71 soldiers died."
    )
    assert _toll(extractor, title, text) is None
    # ... but a count before the ranking, or after it without a comparison, is the report's
    assert _toll(extractor, title, "Sunday's attack was the deadliest this year, killing 35 people.") == 35


def test_also_on_a_day_and_that_attack_tell_of_another_incident():
    # invented, after wire copy that tells of a second attack in the closing paragraphs
    assert scope_of("Also on Thursday, six soldiers were killed when militants attacked a military vehicle.") == "other"
    assert scope_of("That attack was claimed by the Islamic State West Africa Province.") == "other"
    assert scope_of("The attack was claimed by the Islamic State West Africa Province.") == "incident"


def test_a_toll_named_far_before_its_count():
    # invented, after wire copy on Mafa, Yobe, of September 2024
    text = (
        "The death toll from an attack by Boko Haram militants on a village in northeast Nigeria's Yobe state has "
        "risen to about 170, a local leader said."
    )
    assert hits(text) == [("killed", 170)]
