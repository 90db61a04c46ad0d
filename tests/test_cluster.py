"""Story clustering with the real model: quality floors on the dev corpora, incremental runs, stable ids."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from accord.cluster import ClusterSettings, StoryIndex, StoryInput, identity_text
from accord.dedup import COPY_THRESHOLD, CopyIndex, HashScheme, signatures
from accord.metrics import bcubed
from tests.conftest import read_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from _corpora import lookalike_topics  # noqa: E402


class CountingEmbedder:
    """The real embedder, counting the texts it encodes."""

    def __init__(self, inner):
        self.inner = inner
        self.texts = 0

    def encode(self, texts):
        self.texts += len(texts)
        return self.inner.encode(texts)


def inputs(rows: list[dict], dated: bool = True) -> list[StoryInput]:
    return [
        StoryInput(
            r["id"],
            r.get("title") or "",
            r.get("text") or "",
            datetime.fromisoformat(r["published"]) if dated and r.get("published") else None,
            r["outlet"],
        )
        for r in rows
    ]


def cluster_f1(rows: list[dict], embedder, dated: bool = True) -> float:
    """Run copy groups then stories as the pipeline does; return B-cubed F1 against gold.story."""
    reports = inputs(rows, dated)
    scheme = HashScheme()
    order = sorted(range(len(reports)), key=lambda i: (reports[i].published is None, str(reports[i].published)))
    groups = CopyIndex(scheme, COPY_THRESHOLD).add(
        [reports[i].id for i in order],
        signatures([reports[i].text for i in order], scheme),
        [reports[i].published for i in order],
    )
    representatives = [r for r in reports if groups[r.id] == r.id]
    index = StoryIndex(ClusterSettings())
    index.assign_new(representatives, embedder)
    predicted = [index.story_of(groups[r.id]) for r in reports]
    return bcubed(predicted, [r["gold"]["story"] for r in rows])["bcubed_f1"]


def gva_sample() -> list[dict]:
    """About a third of gva-dev, whole incidents chosen by a hash of their id (deterministic)."""
    rows = read_corpus("gva-dev")
    return [r for r in rows if int(hashlib.sha1(r["gold"]["story"].encode()).hexdigest(), 16) % 3 == 0]


# Floors pinned ~0.015 below what was measured (fakes 0.884 dated / 0.833 undated, giveme5w1h 0.887 dated / 0.939
# undated, gva sample 0.899, look-alike proxy without dates 0.886 / 0.888 on the two halves of the dev stories).
@pytest.mark.slow  # about 5 minutes on 2 cores: every corpus embedded and clustered (the eval gate checks them too)
@pytest.mark.parametrize(
    "corpus, dated, floor",
    [
        ("fakes-dev", True, 0.869),
        ("fakes-dev", False, 0.818),
        ("giveme5w1h", True, 0.872),
        ("giveme5w1h", False, 0.92),
        ("gva-sample", True, 0.885),
        ("lookalike-0", False, 0.871),
        ("lookalike-1", False, 0.873),
    ],
)
def test_clustering_quality_floor(corpus, dated, floor, embedder):
    if corpus == "gva-sample":
        rows = gva_sample()
    elif corpus.startswith("lookalike-"):
        rows = lookalike_topics(int(corpus[-1]))  # topics of two look-alike incidents, dates stripped
    else:
        rows = read_corpus(corpus)
    f1 = cluster_f1(rows, embedder, dated)
    assert f1 >= floor, f"{corpus} dated={dated}: B-cubed F1 {f1:.3f} < {floor}"


def test_a_wire_datelines_day_dates_the_report_not_the_incident():
    from accord.incident import event_date

    # invented, after wire copy on the Sheikh Zuweid assault of Wednesday, July 1, 2015
    friday = datetime(2015, 7, 3, tzinfo=UTC)
    text = "Egypt stands by toll. CAIRO, July 3 (Reuters) - The army stood by its toll for Wednesday's attacks."
    assert event_date(text, friday) == date(2015, 7, 1)
    assert event_date("Blast kills 5. KYIV, Ukraine, March 5 - A strike on Feb. 28 killed five.", friday) == date(
        2015, 2, 28
    )
    # a month's name, not a word it starts: "risen to 25 martyrs" is no March 25
    assert event_date(
        "Toll rises to 25. ADEN, Dec. 31 (Saba) - The toll of Wednesday's attack rose to 25 martyrs.", friday
    ) == date(2015, 7, 1)
    # a weekday that dates what was said gives way to the one of what happened
    text = (
        "Congo says rebels killed 50. KINSHASA, Dec 2 (Reuters) - The government said rebels killed 50 civilians, an "
        "accusation the group rejected on Friday. The killings took place on Tuesday in Kishishe."
    )
    assert event_date(text, datetime(2022, 12, 2, tzinfo=UTC)) == date(2022, 11, 29)
    assert event_date("A gunman killed 3 on Monday, police said Tuesday.", friday) == date(2015, 6, 29)
    # a day stated in the text is the incident's
    assert event_date("Blast kills 5. The strike on July 2 killed five.", friday) == date(2015, 7, 2)
    assert event_date("Blast kills 5. BEIRUT (AP) - On Monday, June 29, shelling killed five.", friday) == date(
        2015, 6, 29
    )


def test_an_undated_report_is_placed_by_its_dateline():
    from accord.incident import stated_date

    rows = read_corpus("fakes-dev")
    assert stated_date(rows[0]["text"]) == datetime(2017, 4, 7, tzinfo=UTC)  # "Fri 07 Apr 2017 at 0914 ..."
    assert stated_date("WASHINGTON — Feb. 20, 2014: a man was shot") == datetime(2014, 2, 20, tzinfo=UTC)
    assert stated_date("Xinhua | Updated: 2017-09-15 17:52") == datetime(2017, 9, 15, tzinfo=UTC)
    assert stated_date("Feb. 30, 2014") is None
    # a full date further on is as often background than the report's own date
    assert stated_date("x" * 200 + " the siege that began on May 18, 2017") is None
    index = StoryIndex(ClusterSettings())
    index.assign(inputs(rows[:1], dated=False), np.eye(1, 384, dtype=np.float32))
    assert index.export().published == [datetime(2017, 4, 7, tzinfo=UTC)]


def test_identity_text_is_title_and_lead_without_dateline():
    rows = read_corpus("fakes-dev")
    text = identity_text(rows[0]["title"], rows[0]["text"])
    assert text.startswith(rows[0]["title"] + ". A U.S. missile strike")
    assert "Fri 07 Apr 2017" not in text and len(text) < 500


def test_terms_and_entities_are_those_of_their_definitions():
    import random
    import re
    from collections import Counter

    from accord.incident import _STOP, entities, terms

    word = re.compile(r"[a-z0-9][a-z0-9'-]*[a-z0-9]")

    def all_terms(text: str) -> dict[str, int]:  # every word of two or more, then the short and stop words dropped
        return dict(Counter(w for w in word.findall(text.lower()) if len(w) > 2 and w not in _STOP))

    def all_entities(text: str) -> set[str]:
        out = set()
        for m in re.finditer(r"\b[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)*", text):
            words = [w for w in (w.lower().strip("'-") for w in m.group().split()) if w not in _STOP and len(w) > 2]
            out.update(words)
            if len(words) >= 2:
                out.add(" ".join(words))
        return out | {f"age:{m.group(1)}" for m in re.finditer(r"\b(\d{1,3})-year-old", text)}

    rng = random.Random(3)
    alphabet = "abAB09'- -\n\xa0.,"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    texts += ["The Old Mill Road and New\xa0York, a 12-year-old, it's ab-cd x'y ab' 'abc The", "Aa Bb Cc"]
    for text in texts:
        assert list(terms(text).items()) == list(all_terms(text).items()), text
        assert entities(text) == all_entities(text), text


def test_lead_squeezes_only_the_head_it_keeps_and_gives_what_squeezing_all_gives():
    import random
    import re

    from accord.embed import lead

    def whole(text: str, chars: int) -> str:  # the lead as defined: squeeze every whitespace run, then cut
        body = re.sub(r"\s+", " ", text).strip()
        if len(body) <= chars:
            return body
        cut = body.rfind(" ", 0, chars)
        return body[: cut if cut > 0 else chars]

    rng = random.Random(7)
    pieces = ["word", "a", "longerword", " ", "  ", "\n\n", " \t ", " " * 40, "\n" * 300, "x" * 50]
    texts = ["", " ", "\n" * 500, "w " * 160, "w " * 161 + "\n" * 1000 + "end", "ab" * 400]
    # exactly `chars` characters and then only whitespace: a head may end in that run's one space
    texts += ["ab " + "x" * (chars - 3) + " " * 1000 for chars in (5, 40, 320)]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 400))) for _ in range(400)]
    for chars in (5, 40, 320):
        for text in texts:
            assert lead("", text, chars) == whole(text, chars), (chars, text[:80])


def test_lookalike_strikes_on_other_days_or_places_are_other_stories(embedder):
    base = datetime(2016, 7, 2)
    reports = [
        StoryInput(
            "a",
            "Regime air strikes kill 16 civilians in Aleppo",
            "Syrian regime air strikes killed 16 civilians in "
            "the rebel-held east of Aleppo on Saturday a monitor said.",
            base,
            "x",
        ),
        StoryInput(
            "b",
            "Air raids on Aleppo kill 16 civilians monitor",
            "At least 16 civilians were killed on Saturday "
            "when government aircraft bombed rebel-held districts of Aleppo the Syrian Observatory said.",
            base,
            "y",
        ),
        StoryInput(
            "c",
            "Regime air strikes kill 12 civilians in Idlib",
            "Syrian regime air strikes killed 12 civilians "
            "in the town of Saraqeb in Idlib province on Saturday a monitor said.",
            base,
            "z",
        ),
        StoryInput(
            "d",
            "Regime air strikes kill 9 civilians in Aleppo",
            "Syrian regime air strikes killed 9 civilians in the rebel-held east of Aleppo on Tuesday a monitor said.",
            datetime(2016, 7, 19),
            "x",
        ),
    ]
    index = StoryIndex()
    index.assign_new(reports, embedder)
    assert index.story_of("a") == index.story_of("b")
    assert len({index.story_of("a"), index.story_of("c"), index.story_of("d")}) == 3


def test_incremental_runs_embed_only_new_reports_and_keep_ids(embedder):
    rows = read_corpus("fakes-dev")
    reports = sorted(inputs(rows), key=lambda r: r.published)
    counting = CountingEmbedder(embedder)

    whole = StoryIndex()
    whole.assign_new(reports, counting)
    assert counting.texts == len(reports)

    first = StoryIndex()
    first.assign_new(reports[:300], counting)
    ids_before = {r.id: first.story_of(r.id) for r in reports[:300]}
    restored = StoryIndex.from_state(ClusterSettings(), first.export())
    counting.texts = 0
    restored.assign_new(reports, counting)  # old and new reports together: only the new are embedded
    assert counting.texts == len(reports) - 300
    assert all(restored.story_of(i) == s for i, s in ids_before.items() if not restored.merges)
    assert {r.id: restored.story_of(r.id) for r in reports} == {r.id: whole.story_of(r.id) for r in reports}

    counting.texts = 0
    again = restored.assign_new(reports, counting)
    assert counting.texts == 0 and not any(a.new_story for a in again)


def test_export_round_trip_keeps_state():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(5, 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    reports = [StoryInput(f"r{i}", f"Title {i}", "Body text.", datetime(2020, 1, 1 + i), "o") for i in range(5)]
    index = StoryIndex()
    first = index.assign(reports, emb)
    assert first[0].new_story and first[0].story_id.startswith("s-")
    state = index.export()
    restored = StoryIndex.from_state(None, state)
    again = restored.export()
    assert again.ids == state.ids and again.story_ids == state.story_ids and again.features == state.features
    assert np.array_equal(again.embeddings, state.embeddings) and again.hubness == state.hubness
    with pytest.raises(ValueError):
        index.assign(reports[:2], emb[:1])


def test_strong_bridge_merges_stories_and_records_it():
    e1 = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    e2 = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    bridge = np.array([0.7071, 0.7071, 0.0], dtype=np.float32)
    config = ClusterSettings(
        join_threshold=0.2, merge_threshold=0.2, hub_adjusted=0.0, names=0.0, cosine=1.0, bias=-0.5
    )
    reports = [StoryInput(i, "", "", None, "o") for i in ("a", "b", "c")]
    index = StoryIndex(config)
    index.assign(reports, np.stack([e1, e2, bridge]))
    assert index.story_of("a") == index.story_of("b") == index.story_of("c")
    assert len(index.merges) == 1 and index.merges[0][1] == index.story_of("a")


def test_entities_words_and_weekdays_come_from_the_body_start_and_old_rows_still_load():
    from accord.incident import IncidentFeatures, features

    body = "PUYALLUP, Wash. - Eddie Holmes, a 13-year-old, was shot on Saturday at a home in Puyallup."
    feats = features("Boy shot dead", body, None, body)  # weekdays from title and lead, the rest from the body
    assert {"eddie holmes", "holmes", "puyallup", "age:13"} <= feats.entities
    assert feats.terms["puyallup"] == 2 and "the" not in feats.terms and feats.weekdays == frozenset({5})
    assert IncidentFeatures.from_row(feats.to_row()) == feats
    old = {"regions": [], "title_regions": [], "event_date": None, "counts": [], "names": ["holmes"]}
    assert IncidentFeatures.from_row(old).entities == frozenset() and IncidentFeatures.from_row(old).terms == {}


def test_a_report_whose_lead_names_no_place_takes_the_one_region_its_body_names():
    from accord.embed import lead
    from accord.incident import features

    # invented, after FA-KES: the province three sentences into the body
    title = "US-led strikes kill 56 civilians"
    body = (
        "Children were among at least 56 civilians killed in strikes by a US-led coalition early on Tuesday near a "
        "village held by the Islamic State group, a monitor said. There are at least 56 dead including 11 children "
        "and dozens more wounded, some in critical condition, said the director of the monitoring group. The "
        "monitor said the civilians were hit as they were fleeing fighting in the Aleppo province village of "
        "Al-Tukhar, Syria."
    )
    assert features(title, lead(title, body), None, body).regions == {"sy:09"}
    # a body that names several regions gives none; a lead's own region is kept
    two = body.replace("Al-Tukhar, Syria.", "Al-Tukhar, and in Idlib, Syria.")
    assert features(title, lead(title, two), None, two).regions == frozenset()
    assert features(title + " in Idlib", lead(title, body), None, body).regions == {"sy:12"}


def test_state_saved_through_the_database_format_restores_the_same_index(tmp_path):
    from dataclasses import replace as replace_state

    from accord import stages
    from accord.incident import IncidentFeatures
    from accord.store import Store

    rows = read_corpus("fakes-dev")[:120]
    reports = inputs(rows)
    rng = np.random.default_rng(3)
    emb = rng.normal(size=(len(reports), 384)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    emb[1::2] = emb[::2][: len(emb[1::2])]  # pairs of reports with one embedding: some join

    original = StoryIndex()
    original.assign(reports[:60], emb[:60])
    state = original.export()
    assert state.vocabulary and state.bag_ids is not None  # word bags as arrays, not in each row's JSON
    assert '"terms": {}' in state.features[0]
    with Store(tmp_path / "a.duckdb") as store:
        with store.transaction():
            stages.cluster._save_index(store, original, 0, None)
        restored, stored = stages.cluster._load_index(store, ClusterSettings())
    assert stored == 60

    # a state written before the bags were arrays: each row's JSON holds its word bag
    legacy_rows = []
    for k, row in enumerate(state.features):
        lo, hi = state.bag_offsets[k], state.bag_offsets[k + 1]
        pairs = zip(state.bag_ids[lo:hi], state.bag_counts[lo:hi], strict=True)
        terms = {state.vocabulary[i]: int(c) for i, c in pairs}
        legacy_rows.append(json.dumps(replace(IncidentFeatures.from_row(json.loads(row)), terms=terms).to_row()))
    legacy = replace_state(
        state, features=legacy_rows, vocabulary=None, bag_offsets=None, bag_ids=None, bag_counts=None
    )
    from_legacy = StoryIndex.from_state(ClusterSettings(), legacy)

    expected = [a.story_id for a in original.assign(reports[60:], emb[60:])]
    assert [a.story_id for a in restored.assign(reports[60:], emb[60:])] == expected
    assert [a.story_id for a in from_legacy.assign(reports[60:], emb[60:])] == expected
    assert len(set(expected)) < len(expected)  # the check compared joins, not only new stories


def test_the_most_similar_rows_and_compact_terms_match_numpy_sort_and_unique():
    from accord.cluster import _compact, _distinct, _most_similar

    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 300))
        cos = rng.choice(np.linspace(0.35, 1.0, 14), size=n)  # many ties
        rows = np.sort(rng.choice(10_000, size=n, replace=False))
        k = int(rng.integers(1, n + 1))
        expected = rows[np.sort(np.argsort(-cos, kind="stable")[:k])]
        assert np.array_equal(_most_similar(rows, cos, k), expected)
        values = rng.integers(0, 50, size=n)
        terms, at = _compact(values, np.full(64, -7, dtype=np.int64))
        assert np.array_equal(np.sort(terms), np.unique(values)) and np.array_equal(terms[at], values)
        assert np.array_equal(_distinct(values), np.unique(values))


def _same_country(a, b) -> bool:
    return bool({r.partition(":")[0] for r in a.regions} & {r.partition(":")[0] for r in b.regions})


def _pair_score_one(cos, adjusted, a, b, days, overlap, config, lexical, shared, b_counts):
    """The pair rule for one pair, as the clustering applied it before scoring all candidates at once (the oracle)."""
    import math

    score = config.bias + config.cosine * cos + config.hub_adjusted * adjusted + config.names * overlap
    score += config.lexical * lexical
    score += config.entity_weight * math.log1p(max(0.0, shared - config.entity_floor))
    if days is None and a.weekdays and b.weekdays:
        score += config.weekday_match if a.weekdays & b.weekdays else config.weekday_conflict
    if a.names and b.names and overlap == 0.0:
        score += config.name_conflict
    if a.regions and b.regions and a.regions & b.regions:
        score += config.region_match
    elif a.regions and b.regions and _same_country(a, b) and overlap < 0.5:
        # regions conflict only within one country ("sy:09" and "sy:12"), not across countries, and not when most
        # rare names are shared (the village's name, a district read as another region)
        score += config.region_conflict + (config.dated_region_conflict if days is not None else 0.0)
    kind_conflict = bool(a.kinds and b.kinds and not (a.kinds & b.kinds))
    place_day = bool(a.regions and b.regions and a.regions & b.regions and days is not None and days < 1.0)
    place_day = place_day and not kind_conflict
    if a.regions:
        score += config.place_day_match if place_day else 0.0
    if days is not None:
        same_day = bool(a.event_date and b.event_date and a.event_date == b.event_date)
        score += config.log_days_apart * math.log1p(0.0 if same_day else days)
    if a.kinds:
        score += config.kind_conflict if kind_conflict else 0.0
    if a.event_date and b.event_date:
        gap = abs((a.event_date - b.event_date).days)
        score += config.event_date_match if gap == 0 else (config.event_date_conflict if gap > 1 else 0.0)
    if a.counts and b_counts:
        if a.counts & b_counts:
            term = config.count_match
        else:
            ratio = min(max(x, y) / min(x, y) for x in a.counts for y in b_counts)
            term = config.count_far if ratio >= config.count_far_ratio else config.count_conflict
        soft = term == config.count_conflict and days is None
        # differing tolls split only dated reports, and never reports of one place a day or less apart
        # ... or with event dates a day or less apart, however far apart the reports came out
        near = days is not None and days <= 1.0
        near = near or bool(a.event_date and b.event_date and abs((a.event_date - b.event_date).days) <= 1)
        next_day = bool(a.regions and b.regions and a.regions & b.regions and near) and not kind_conflict
        # ... nor reports of other outlets days apart that name mostly the same rare names
        named = days is not None and days <= config.named_days and overlap >= config.named_overlap
        named = named and (not a.outlet or a.outlet != b.outlet)
        score += max(term, 0.0) if next_day or soft or named else term
    return score


def test_pair_scores_of_all_candidates_equal_the_rule_applied_one_pair_at_a_time():
    """Random reports with and without regions, names, weekdays, event dates, counts and dates: every score equals
    the one-pair rule's to the last bit."""
    from datetime import date

    from accord.cluster import CandidateFacts, _weekday_bits, pair_scores
    from accord.incident import IncidentFeatures

    rng = np.random.default_rng(11)
    config = ClusterSettings()

    def some(pool, most):
        return frozenset(rng.choice(pool, size=int(rng.integers(0, most + 1)), replace=False).tolist())

    def report():
        return IncidentFeatures(
            regions=some(["sy:12", "sy:09", "us:oh", "us:tx"], 2),
            title_regions=frozenset(),
            event_date=None if rng.random() < 0.4 else date(2017, 4, int(rng.integers(1, 6))),
            counts=some([1, 2, 3, 5, 9, 20, 60], 3),
            names=some(["smith", "jones", "khan"], 2),
            kinds=some(["air", "ground", "explosion"], 2),
            terms={},
            weekdays=some(list(range(7)), 2),
        )

    for _ in range(300):
        a, m = report(), int(rng.integers(1, 30))
        others = [report() for _ in range(m)]
        cos = rng.random(m)
        adjusted = cos - rng.random(m) / 2
        overlap = np.where(rng.random(m) < 0.5, 0.0, rng.random(m))
        lexical, shared = rng.random(m), np.where(rng.random(m) < 0.5, 0.0, rng.random(m) * 5)
        days = np.where(rng.random(m) < 0.3, np.nan, rng.integers(0, 400, m).astype(float))
        story_counts = [some([1, 2, 3, 5, 9, 20, 60], 3) for _ in range(m)]
        facts = CandidateFacts(
            has_names=np.array([bool(b.names) for b in others]),
            weekday_bits=np.array([_weekday_bits(b.weekdays) for b in others], dtype=np.int64),
            # as StoryIndex gathers them: regions of another country are no regions to compare with
            has_regions=np.array([bool(b.regions) and (not a.regions or _same_country(a, b)) for b in others]),
            region_shared=np.array([bool(a.regions & b.regions) for b in others]),
            kind_conflict=np.array([bool(a.kinds and b.kinds and not (a.kinds & b.kinds)) for b in others]),
            event_day=np.array([np.nan if b.event_date is None else b.event_date.toordinal() for b in others]),
            counts=story_counts,
        )
        scores = pair_scores(a, cos, adjusted, overlap, lexical, shared, days, facts, config)
        for k, b in enumerate(others):
            gap = None if np.isnan(days[k]) else float(days[k])
            args = (float(cos[k]), float(adjusted[k]), a, b, gap, float(overlap[k]), config)
            expected = _pair_score_one(*args, float(lexical[k]), float(shared[k]), story_counts[k])
            assert scores[k] == expected, (k, scores[k], expected)


def _one_candidate(new, old):
    """The CandidateFacts of one candidate report `old` for `new`, as StoryIndex gathers them (both name places)."""
    from accord.cluster import CandidateFacts

    return CandidateFacts(
        has_names=np.array([bool(old.names)]),
        weekday_bits=np.array([0], dtype=np.int64),
        has_regions=np.array([bool(old.regions)]),
        region_shared=np.array([bool(new.regions & old.regions)]),
        kind_conflict=np.array([False]),
        event_day=np.array([np.nan if old.event_date is None else float(old.event_date.toordinal())]),
        counts=[old.counts],
        other_outlet=np.array([not new.outlet or new.outlet != old.outlet]),
    )


def test_tolls_do_not_split_reports_of_one_place_whose_events_fall_a_day_apart():
    """Invented: a rebel statement (41 killed, published on day one) and the regional bureau's (12 killed, out more
    than a day later) about one village attack: the same region and event days a day apart, so the three-fold toll
    gap, the very thing accord measures, does not count against the join; with event days a week apart it does."""
    from accord.cluster import pair_scores
    from accord.incident import IncidentFeatures

    config = ClusterSettings()

    def report(day: int, toll: int) -> IncidentFeatures:
        return IncidentFeatures(
            regions=frozenset({"et:51"}),
            title_regions=frozenset(),
            event_date=date(2025, 12, day),
            counts=frozenset({toll}),
            names=frozenset({"jeldu"}),
        )

    def score(new: IncidentFeatures, old: IncidentFeatures) -> float:
        facts = _one_candidate(new, old)
        one = np.array([0.5])
        return float(pair_scores(new, one, one / 10, one / 2, one / 2, one * 40, np.array([1.14]), facts, config)[0])

    assert score(report(5, 12), report(4, 41)) == score(report(5, 41), report(4, 41))
    far = score(report(12, 41), report(4, 41)) - score(report(12, 12), report(4, 41))
    assert far == pytest.approx(config.count_match - config.count_far)


def test_a_report_weeks_later_that_states_the_same_event_day_is_as_near_as_that_day():
    """Invented: an investigation published forty days on that dates the strike to the day the first report gave: the
    publication gap does not count against the join; a report of another day still pays for it."""
    from accord.cluster import pair_scores
    from accord.incident import IncidentFeatures

    config = ClusterSettings()

    def report(day: int) -> IncidentFeatures:
        return IncidentFeatures(
            regions=frozenset({"ua:05"}),
            title_regions=frozenset(),
            event_date=date(2022, 3, day),
            counts=frozenset(),
            names=frozenset(),
        )

    def score(new: IncidentFeatures, old: IncidentFeatures, days: float) -> float:
        one = np.array([0.5])
        facts = _one_candidate(new, old)
        return float(pair_scores(new, one, one / 10, one / 2, one / 2, one * 40, np.array([days]), facts, config)[0])

    first = report(16)
    assert score(report(16), first, 40.0) == score(report(16), first, 3.0)
    assert score(report(9), first, 40.0) < score(report(9), first, 3.0)


def test_tolls_do_not_split_other_outlets_reports_days_apart_naming_the_same_place():
    """Invented, after the coverage of the Moura killings in Mali (2022): the army's 203 "terrorists" on day one, a
    rights group's 300 civilians three days later from another outlet, both naming the village and the army: no region
    and no event date in common, and the tolls do not split them; the same outlet's two reports (whose furniture names
    alike) still weigh their tolls, as do reports a week apart."""
    from accord.cluster import pair_scores
    from accord.incident import IncidentFeatures

    config = ClusterSettings()

    def report(toll: int, outlet: str) -> IncidentFeatures:
        return IncidentFeatures(
            regions=frozenset(),
            title_regions=frozenset(),
            event_date=None,
            counts=frozenset({toll}),
            names=frozenset({"moura", "malian"}),
            outlet=outlet,
        )

    def score(new: IncidentFeatures, old: IncidentFeatures, days: float) -> float:
        facts = _one_candidate(new, old)
        one = np.array([0.5])
        overlap = np.array([1.0])
        return float(pair_scores(new, one, one / 10, overlap, one / 2, one * 40, np.array([days]), facts, config)[0])

    army = report(203, "france24.com")
    assert score(report(300, "apnews.com"), army, 3.0) == score(report(203, "apnews.com"), army, 3.0)
    assert score(report(300, "france24.com"), army, 3.0) < score(report(300, "apnews.com"), army, 3.0)
    assert score(report(300, "apnews.com"), army, 8.0) < score(report(203, "apnews.com"), army, 8.0)


def test_regions_read_apart_do_not_split_reports_sharing_most_rare_names():
    """Invented: a Somali village's shelling, one report naming the district's region, another the neighbouring one
    through a ministry's town: the village name both share outweighs the regions read apart."""
    from accord.cluster import CandidateFacts, pair_scores
    from accord.incident import IncidentFeatures

    config = ClusterSettings()
    new = IncidentFeatures(
        regions=frozenset({"so:20"}),
        title_regions=frozenset(),
        event_date=None,
        counts=frozenset(),
        names=frozenset({"guumays"}),
    )
    facts = CandidateFacts(
        has_names=np.array([True, True]),
        weekday_bits=np.zeros(2, dtype=np.int64),
        has_regions=np.array([True, True]),
        region_shared=np.array([False, False]),
        kind_conflict=np.array([False, False]),
        event_day=np.full(2, np.nan),
        counts=[frozenset(), frozenset()],
    )
    half = np.full(2, 0.5)
    scores = pair_scores(new, half, half / 5, np.array([0.8, 0.2]), half, half * 9, np.full(2, 0.6), facts, config)
    penalty = config.region_conflict + config.dated_region_conflict
    assert scores[0] - scores[1] == pytest.approx(config.names * 0.6 - penalty)


def test_a_dateline_is_no_event_day():
    from accord.incident import features

    # fakes sample (ahram): "24 Sep 2016" opens the report; the strikes were "on Saturday". A day and month with a
    # year is the report's date line: read as the incident's day it gave 24 Sep 2015 (a year back from the published
    # 6 Sep 2016), and kept apart reports of one day that named their day
    lead = "AFP Saturday 24 Sep 2016 At least 25 civilians were killed in strikes on Aleppo, a monitor said."
    assert features("New strikes kill 25", lead, datetime(2016, 9, 26)).event_date == date(2016, 9, 24)  # Saturday
    assert features("New strikes kill 25", lead, datetime(2016, 9, 6)).event_date == date(2016, 9, 3)
    # a day and month alone are the incident's
    lead = "At least 25 civilians were killed in strikes on Aleppo on 4 September, a monitor said."
    assert features("New strikes kill 25", lead, datetime(2016, 9, 6)).event_date == date(2016, 9, 4)


def test_a_possessive_name_is_the_name():
    # invented: "Darfur's Zamzam camp" and "Darfur camp" share the name Darfur, in names and in entities
    from accord.incident import entities, names

    one, other = names("Over 400 killed in assault on Darfur's Zamzam camp"), names("Fighters overrun Darfur camp")
    assert "darfur" in one & other
    assert {"darfur", "zamzam"} <= entities("Assault on Darfur’s Zamzam camp")
