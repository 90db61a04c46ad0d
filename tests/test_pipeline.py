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


def test_two_overlapping_runs_neither_corrupt_nor_duplicate(tmp_path):
    import os
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


def claim_rows(store: Store) -> list[tuple]:
    """Every claim as a row without its id, sorted (an article may hold two equal claims)."""
    return store.con.execute(
        "SELECT article_id, kind, low, high, point, actor, stance, sentence, start_offset, chosen FROM claims "
        "ORDER BY ALL"
    ).fetchall()


def collected(tmp_path: Path, name: str):
    settings = load_settings(write_config(tmp_path / name))
    store = Store(settings.database)
    stages.collect.collect_outlet(store, settings.outlets[0], settings, store.start_run("test"))
    return settings, store


def read_here_and_collected_there(tmp_path):
    """Return the settings, the extractor, the claims of an in-process read of the sample, and a second store of it."""
    settings, here = collected(tmp_path, "here")
    extractor = stages.extract.build_extractor(settings)
    with here:
        stages.extract.extract(here, extractor)
        expected = claim_rows(here)
    return settings, extractor, expected, collected(tmp_path, "there")[1]


def test_claims_read_in_a_worker_process_are_the_claims_read_here(tmp_path):
    settings, extractor, expected, there = read_here_and_collected_there(tmp_path)
    with there, stages.extract.BackgroundExtraction(there, extractor, batch=25, min_articles=1) as reading:
        stages.dedup.dedup(there, settings.dedup)  # the caller goes on meanwhile
        counts = reading.finish(there, share=False)  # every batch from the worker
        assert reading.in_worker == counts["articles"] == len(list(open(SAMPLE, encoding="utf-8")))
        assert claim_rows(there) == expected
        assert there.scalar("SELECT count(*) FROM articles WHERE NOT extracted") == 0
        assert there.scalar("SELECT count(DISTINCT id) FROM claims") == len(expected) > 0


def test_batches_the_worker_has_not_finished_are_read_here_once(tmp_path):
    """finish() reads the worker's batches from the first and its own from the last until they meet: together
    every article once, with the claims an in-process read gives."""
    _, extractor, expected, there = read_here_and_collected_there(tmp_path)
    with there, stages.extract.BackgroundExtraction(there, extractor, batch=5, min_articles=1) as reading:
        counts = reading.finish(there)  # at once: the worker is still starting, so this process reads most
        total = len(list(open(SAMPLE, encoding="utf-8")))
        assert counts["articles"] == total and 0 <= reading.in_worker < total
        assert claim_rows(there) == expected
        assert there.scalar("SELECT count(*) FROM articles WHERE NOT extracted") == 0
        assert there.scalar("SELECT count(*) FROM claims") == there.scalar("SELECT count(DISTINCT id) FROM claims")


class DyingExtractor:
    """The real extractor, whose worker process dies after `limit` articles (in the parent it never fails)."""

    def __init__(self, inner, limit: int):
        import os

        self.inner, self.limit, self.seen, self.parent = inner, limit, 0, os.getpid()

    def extract(self, title, text):
        import os

        self.seen += 1
        if os.getpid() != self.parent and self.seen > self.limit:
            os._exit(3)
        return self.inner.extract(title, text)


def test_a_worker_that_dies_loses_nothing_and_leaving_early_keeps_articles_pending(tmp_path):
    settings, store = collected(tmp_path, "dies")
    extractor = stages.extract.build_extractor(settings)
    total = store.scalar("SELECT count(*) FROM articles")
    with store:
        with stages.extract.BackgroundExtraction(
            store, DyingExtractor(extractor, 30), batch=20, min_articles=1
        ) as reading:
            counts = reading.finish(store, share=False)
        assert reading.in_worker == 20  # the first batch came back before the worker died in the second
        assert counts["articles"] == total
        assert store.scalar("SELECT count(*) FROM articles WHERE NOT extracted") == 0
        died_claims = claim_rows(store)

        # leaving without finish writes nothing: the articles stay pending and the next extract reads them once
        store.con.execute("DELETE FROM claims")
        store.con.execute("UPDATE articles SET extracted = FALSE")
        with stages.extract.BackgroundExtraction(store, extractor, batch=20, min_articles=1):
            pass
        assert store.scalar("SELECT count(*) FROM articles WHERE extracted") == 0
        stages.extract.extract(store, extractor)
        assert claim_rows(store) == died_claims
        assert store.scalar("SELECT count(*) FROM claims") == len(died_claims)


def test_work_that_cannot_reach_the_worker_fails_with_a_reason_instead_of_hanging():
    from accord.background import BatchWorker, WorkerError

    worker = BatchWorker("text", "upper", [[()], [(lambda: None,)]])  # the second batch does not pickle
    try:
        assert worker.results(0) == ["TEXT"]
        with pytest.raises(WorkerError, match="could not send work to the worker"):
            worker.results(1)
    finally:
        worker.close()
    worker = BatchWorker("text", "no_such_method", [[()]])
    try:
        with pytest.raises(WorkerError, match="AttributeError"):
            worker.results(0)
    finally:
        worker.close()


class _Probe:
    """Pickled to a worker process by reference (this module is importable there)."""

    def niceness(self) -> int:
        return os.nice(0)


def test_the_claim_worker_runs_at_the_lowest_priority_and_the_caller_does_not(tmp_path):
    """The extraction worker takes only the cores the run leaves idle (nice 19); the caller keeps its priority."""
    from accord.background import BatchWorker

    mine = os.nice(0)
    worker = BatchWorker(_Probe(), "niceness", [[()]], niceness=19)
    try:
        assert worker.results(0) == [min(19, mine + 19)]
    finally:
        worker.close()
    assert os.nice(0) == mine
    plain = BatchWorker(_Probe(), "niceness", [[()]])
    try:
        assert plain.results(0) == [mine]
    finally:
        plain.close()
