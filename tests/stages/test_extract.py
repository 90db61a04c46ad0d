"""The extract stage: claims stored with their sentences, read here or in a background worker process that
loses nothing when it dies (accord.stages.extract)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord import stages
from accord.config import load_settings
from accord.store import Store
from tests.conftest import SAMPLE
from tests.test_pipeline import write_config


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


class _Probe:
    """Pickled to a worker process by reference (this module is importable there)."""

    def niceness(self) -> int:
        return os.nice(0)


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


def test_what_the_extractor_read_of_a_claim_comes_back_from_the_store(tmp_path):
    """The verdict reads a vague word's flag and the consensus a figure read from "N shot" (Claim.extra): a claim
    that went through the claims table keeps them, as the extractor gave them."""
    settings, store = collected(tmp_path, "here")
    extractor = stages.extract.build_extractor(settings)
    with store:
        stages.extract.extract(store, extractor)
        articles = store.query("SELECT id, title, text FROM articles ORDER BY seq")
        stored = {}
        for row in store.query("SELECT * FROM claims ORDER BY id"):
            stored.setdefault(row["article_id"], []).append(stages.extract.claim_from_row(row))
    extras = 0
    for article in articles:
        read = extractor.extract(article["title"], article["text"])
        assert [c.extra for c in stored.get(article["id"], [])] == [c.extra for c in read]
        extras += sum(1 for c in read if c.extra)
    assert extras > 0
