"""Snapshot replay of CORPUS.md files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from accord.sources import SnapshotError, read_snapshot
from tests.conftest import CORPORA


def test_reads_the_fakes_corpus():
    articles = list(read_snapshot(CORPORA / "fakes-dev.jsonl"))
    assert len(articles) == 397
    first = json.loads((CORPORA / "fakes-dev.jsonl").open().readline())
    assert articles[0].id == first["id"]
    assert articles[0].outlet == first["outlet"] and articles[0].text == first["text"]
    assert articles[0].published == datetime(2017, 4, 7, tzinfo=UTC)
    assert len({a.id for a in articles}) == 397


def test_outlet_filter():
    articles = list(read_snapshot(CORPORA / "fakes-dev.jsonl", outlet="nna"))
    assert articles and all(a.outlet == "nna" for a in articles)


def test_a_folder_is_read_file_by_file(tmp_path):
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "b1", "outlet": "o", "title": "", "text": "t"}) + "\n")
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "a1", "outlet": "o", "title": "T", "text": "t", "published": None, "url": "https://x/a"})
        + "\n\n"
    )
    (tmp_path / "notes.txt").write_text("ignored")
    articles = list(read_snapshot(tmp_path))
    assert [a.id for a in articles] == ["a1", "b1"]
    assert articles[0].published is None and articles[0].url == "https://x/a"


def test_repeated_ids_give_one_article(tmp_path):
    record = {"id": "same", "outlet": "o", "title": "", "text": "t"}
    (tmp_path / "s.jsonl").write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n")
    assert len(list(read_snapshot(tmp_path / "s.jsonl"))) == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x", "outlet": "o", "title": "t", "text": ', "bad JSON"),
        ('{"id": "x", "outlet": "o", "title": "t"}', "missing required key text"),
        ('{"outlet": "o", "text": "t"}', "missing required keys id, title"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"id": 5, "outlet": "o", "title": "t", "text": "x"}', "'id' must be a non-empty string"),
    ],
)
def test_malformed_file_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "ok", "outlet": "o", "title": "t", "text": "x"})
    path.write_text(good + "\n" + line + "\n")
    with pytest.raises(SnapshotError) as info:
        list(read_snapshot(path))
    assert f"{path}:2:" in str(info.value)
    assert message in str(info.value)


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(SnapshotError, match="no such snapshot"):
        list(read_snapshot(tmp_path / "nope.jsonl"))
