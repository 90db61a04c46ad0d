import json

import pytest

from accord.corpus import read_records
from accord.errors import CorpusError
from tests.conftest import CORPORA, SAMPLE


def test_reads_fakes_dev_with_gold():
    records = list(read_records(CORPORA / "fakes-dev.jsonl"))
    assert len(records) == 397
    first = records[0]
    assert first.article.outlet == "nna"
    assert first.gold.story == "2017-04-07|homs"
    assert first.gold.perpetrator
    assert first.article.published.year == 2017


def test_bundled_sample_has_several_outlets_per_event():
    records = list(read_records(SAMPLE))
    by_story = {}
    for r in records:
        by_story.setdefault(r.gold.story, set()).add(r.article.outlet)
    assert len(records) >= 50
    assert all(len(outlets) >= 3 for outlets in by_story.values())


def test_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = {"id": "a", "outlet": "x", "title": "t", "text": "body"}
    path.write_text(json.dumps(good) + "\n" + '{"id": "b", "outlet": "x", "title": "t"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: missing required key text"):
        list(read_records(path))


def test_repeated_ids_are_all_read_and_bad_json_is_an_error(tmp_path):
    path = tmp_path / "dup.jsonl"
    row = json.dumps({"id": "a", "outlet": "x", "title": "", "text": "body"})
    path.write_text(row + "\n" + row + "\n", encoding="utf-8")
    assert [r.article.id for r in read_records(path)] == ["a", "a"]
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="dup.jsonl:1: bad JSON"):
        list(read_records(path))


def test_evaluation_keeps_every_gold_row_of_a_repeated_id(tmp_path):
    from accord.evaluation import _unique_ids

    path = tmp_path / "dup.jsonl"
    rows = [{"id": "a", "outlet": "x", "title": "", "text": "b", "gold": {"story": s}} for s in ("1", "2")]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    records = _unique_ids(list(read_records(path)), lambda m: None)
    assert [(r.article.id, r.gold.story) for r in records] == [("a", "1"), ("a#2", "2")]


def test_unknown_keys_are_ignored_and_dates_parse(tmp_path):
    path = tmp_path / "ok.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "a",
                "outlet": "x",
                "title": "",
                "text": "b",
                "extra": 1,
                "published": "2016-10-04T10:00:00Z",
                "gold": {"killed": 3, "whatever": True},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (record,) = read_records(path)
    assert record.gold.killed == 3
    assert record.article.published.hour == 10


def test_gold_actor_ids_of_another_list_are_read_by_the_names_they_spell():
    from accord.claims import load_default_actors
    from accord.evaluation import gold_actor_ids
    from accord.models import Actor

    catalogue = list(load_default_actors())
    gold = ["islamic-state", "nigerian-army", "isis", "unknown", "no-such-group", "the-resistance-front"]
    spelled = gold_actor_ids(catalogue, gold)
    assert spelled["islamic-state"] == "isis"  # the catalogue's "Islamic State"
    assert spelled["nigerian-army"] == "nigeria"  # its alias "Nigerian army"
    assert gold_actor_ids(catalogue, ["lone-attacker"]) == {"lone-attacker": "lone-gunman"}  # "a lone attacker"
    assert "isis" not in spelled and "unknown" not in spelled and "no-such-group" not in spelled
    # a leading "the" and accents do not matter; a name two actors bear names neither
    two = [Actor("trf", "Resistance Front"), Actor("ll", "La Línea"), Actor("a", "Twin"), Actor("b", "X", ("Twin",))]
    assert gold_actor_ids(two, ["the-resistance-front", "la-linea", "twin", "ll"]) == {
        "the-resistance-front": "trf",
        "la-linea": "ll",
    }
