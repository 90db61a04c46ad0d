"""The score stage: verdicts worked out a chunk of stories at a time give the rows that one pass over every story
gives, and a failure leaves the run's earlier scores in place (accord.stages.score)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from accord.config import settings_from_dict
from accord.corpus import read_records
from accord.stages import collect, dedup, extract, score
from accord.store import Store
from tests.conftest import SAMPLE


def _scored(tmp_path, monkeypatch, chunk: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Score the bundled sample, its stories as its gold gives them (no model needed), `chunk` stories at a time."""
    monkeypatch.setattr(score, "VERDICT_CHUNK", chunk)
    settings = settings_from_dict({}, tmp_path)
    records = list(read_records(SAMPLE))
    with Store(tmp_path / f"chunk-{chunk}.duckdb") as store:
        run = store.start_run("test")
        with store.transaction():
            collect.store_articles(store, (r.article for r in records), run)
        dedup.dedup(store, settings.dedup)
        stories = pa.table({"id": [r.article.id for r in records], "story": [r.gold.story for r in records]})
        store.con.register("_gold", stories)
        store.con.execute("UPDATE articles SET story_id = _gold.story FROM _gold WHERE articles.id = _gold.id")
        store.con.unregister("_gold")
        extract.extract(store, extract.build_extractor(settings))
        counts = score.score(store, run, settings.agreement, extract.actor_list(settings))
        assert counts["stories"] == len({r.gold.story for r in records})
        scores = store.con.execute(
            "SELECT * EXCLUDE (scored_at) FROM story_scores WHERE run_id = ? ORDER BY story_id", [run.id]
        ).fetchall()
        verdicts = store.con.execute(
            "SELECT * FROM story_verdicts WHERE run_id = ? ORDER BY story_id, question", [run.id]
        ).fetchall()
        reliability = store.con.execute(
            "SELECT * EXCLUDE (scored_at) FROM outlet_reliability WHERE run_id = ? ORDER BY outlet", [run.id]
        ).fetchall()
    return scores, verdicts, reliability


def test_verdicts_by_chunks_of_stories_are_those_of_one_pass(tmp_path, monkeypatch):
    whole = _scored(tmp_path, monkeypatch, 10_000)
    assert whole[0] and len(whole[1]) == 3 * len(whole[0])
    assert _scored(tmp_path, monkeypatch, 2) == whole


def test_a_bad_agreement_setting_changes_nothing(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        run = store.start_run("test")
        with pytest.raises(Exception, match="agreement"):
            score.score(store, run, {"no_such_setting": 1})
        assert store.con.execute("SELECT count(*) FROM story_scores").fetchone() == (0,)
