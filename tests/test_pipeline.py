"""The whole pipeline on the bundled sample, under Prefect's real engine, twice; and recovery from crashes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from accord import stages
from accord.config import load_settings
from accord.store import Store
from tests.conftest import SAMPLE


def write_config(tmp_path: Path, extra: str = "") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "config.yaml"
    path.write_text(
        f"""
database: {tmp_path / "db" / "accord.duckdb"}
report: {tmp_path / "out" / "report.html"}
outlets:
  - name: sample
    snapshot: {SAMPLE}
alerts:
  min_divergence: 0.3
  channels:
    - kind: file
      path: {tmp_path / "out" / "alerts.jsonl"}
{extra}
""",
        encoding="utf-8",
    )
    return path


def counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for table in ("articles", "stories", "claims", "story_scores", "outlet_reliability", "runs")
        }
    finally:
        con.close()


def test_pipeline_runs_end_to_end_twice_without_duplicates(tmp_path, prefect_harness):
    from accord.flows.pipeline import pipeline

    config = write_config(tmp_path)
    settings = load_settings(config)
    first = pipeline(config_path=str(config))
    assert first["status"] == "completed"
    after_first = counts(settings.published_path)
    assert after_first["articles"] == sum(1 for _ in open(SAMPLE, encoding="utf-8"))
    assert after_first["stories"] > 0 and after_first["claims"] > 0 and after_first["story_scores"] > 0
    assert settings.report.is_file()

    con = duckdb.connect(str(settings.published_path), read_only=True)
    stories_before = set(con.execute("SELECT id, story_id FROM articles").fetchall())
    con.close()

    second = pipeline(config_path=str(config))
    assert second["process"]["cluster"]["embedded"] == 0  # nothing new: nothing embedded
    after_second = counts(settings.published_path)
    assert after_second["articles"] == after_first["articles"]
    assert after_second["claims"] == after_first["claims"]
    assert after_second["runs"] == 2
    con = duckdb.connect(str(settings.published_path), read_only=True)
    assert set(con.execute("SELECT id, story_id FROM articles").fetchall()) == stories_before
    runs = con.execute("SELECT status, counts FROM runs ORDER BY id").fetchall()
    con.close()
    assert [r[0] for r in runs] == ["completed", "completed"]
    assert json.loads(runs[1][1])["collect"]["new_articles"] == 0


class ExplodingExtractor:
    """Wraps the real extractor and raises after `limit` articles, as a crash mid-step would."""

    def __init__(self, inner, limit: int):
        self.inner, self.limit, self.seen = inner, limit, 0

    def extract(self, title, text):
        self.seen += 1
        if self.seen > self.limit:
            raise RuntimeError("simulated crash")
        return self.inner.extract(title, text)


def test_a_crashed_run_is_completed_by_the_next_without_duplicates(tmp_path, embedder):
    settings = load_settings(write_config(tmp_path))
    extractor = stages.extract.build_extractor(settings)
    with Store(settings.database) as store:
        run = store.start_run("test")
        stages.collect.collect_outlet(store, settings.outlets[0], settings, run)
        stages.dedup.dedup(store, settings.dedup)

        def broken_embedder():
            raise RuntimeError("model failed to load")

        with pytest.raises(RuntimeError):
            stages.cluster.cluster(store, settings.cluster, broken_embedder, run)
        assert store.scalar("SELECT count(*) FROM articles WHERE story_id IS NOT NULL") == 0
        assert store.scalar("SELECT count(*) FROM embeddings") == 0

        stages.cluster.cluster(store, settings.cluster, lambda: embedder, run)
        with pytest.raises(RuntimeError, match="simulated crash"):
            stages.extract.extract(store, ExplodingExtractor(extractor, 25), batch=10)
        assert store.scalar("SELECT count(*) FROM articles WHERE extracted") == 20
        stages.extract.extract(store, extractor, batch=10)
        crashed_claims = store.scalar("SELECT count(*) FROM claims")
        assert store.scalar("SELECT count(*) FROM articles WHERE NOT extracted") == 0
        assert store.scalar("SELECT count(DISTINCT id) FROM claims") == crashed_claims

    clean = load_settings(write_config(tmp_path / "clean"))
    with Store(clean.database) as store:
        run = store.start_run("test")
        stages.collect.collect_outlet(store, clean.outlets[0], clean, run)
        stages.extract.extract(store, extractor)
        assert store.scalar("SELECT count(*) FROM claims") == crashed_claims


def test_alerts_reach_a_webhook_once_per_change_of_state_across_runs(tmp_path, prefect_harness, monkeypatch):
    from accord.flows.pipeline import pipeline

    from tests.test_alerts import Receiver

    receiver = Receiver()
    receiver.status = 503  # down for the first run: deliveries fail, are recorded, and wait for the next run
    monkeypatch.setenv("ACCORD_TEST_WEBHOOK", receiver.url)
    config = write_config(
        tmp_path,
        "    - kind: webhook\n      url_env: ACCORD_TEST_WEBHOOK\n",
    )
    settings = load_settings(config)
    try:
        first = pipeline(config_path=str(config))
        planned = first["publish"]["alerts"]["planned"]
        assert planned > 0 and first["publish"]["alerts"]["failed"] > 0
        assert receiver.received == []

        receiver.status = 200
        second = pipeline(config_path=str(config))
        assert second["publish"]["alerts"]["planned"] == 0  # nothing changed state
        third = pipeline(config_path=str(config))
        assert third["publish"]["alerts"]["sent"] == 0
    finally:
        receiver.stop()
    events = receiver.events()
    assert len(events) == len(set(events)) == planned // 2  # two channels: the file and the webhook
    assert all(state == "divergent" for _, state in events)
    con = duckdb.connect(str(settings.published_path), read_only=True)
    undelivered = con.execute("SELECT count(*) FROM alerts WHERE NOT delivered").fetchall()[0][0]
    divergent = con.execute("SELECT count(*) FROM divergent_stories").fetchall()[0][0]
    con.close()
    assert undelivered == 0 and divergent > 0
    lines = (tmp_path / "out" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events)


@pytest.mark.slow
def test_two_overlapping_runs_neither_corrupt_nor_duplicate(tmp_path):
    import subprocess
    import sys

    config = write_config(tmp_path)
    settings = load_settings(config)
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    command = [sys.executable, "-m", "accord.cli", "run", "--config", str(config)]
    runs = []
    for n in range(2):
        home = dict(env, PREFECT_HOME=str(tmp_path / f"prefect-{n}"))
        runs.append(subprocess.Popen(command, env=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    outputs = [process.communicate(timeout=600)[0] for process in runs]
    assert [process.returncode for process in runs] == [0, 0], "\n".join(o[-2000:] for o in outputs)
    after = counts(settings.published_path)
    assert after["articles"] == sum(1 for _ in open(SAMPLE, encoding="utf-8"))
    assert after["runs"] == 2
    con = duckdb.connect(str(settings.published_path), read_only=True)
    statuses = [r[0] for r in con.execute("SELECT status FROM runs").fetchall()]
    claims_per_article = con.execute(
        "SELECT max(n) FROM (SELECT article_id, kind, count(*) FILTER (WHERE chosen) AS n FROM claims GROUP BY 1, 2)"
    ).fetchall()[0][0]
    con.close()
    assert statuses == ["completed", "completed"]
    assert claims_per_article == 1  # no article was read twice
