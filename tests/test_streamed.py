"""Encoding in a worker process while placing (accord.embed.StreamedRows): the rows of encoding here, in any order,
with or without the worker; the same stories from the cluster stage. (An int8 row moves a little with the texts batched
beside it, so rows are compared by cosine, as in test_quantized.)"""

from __future__ import annotations

import numpy as np
import pytest

from accord import stages
from accord.config import settings_from_dict
from accord.embed import EmbedderSpec, StreamedRows, identity_text
from accord.store import Store

from .conftest import CORPORA, read_corpus


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether every row of `a` points where the same row of `b` does (cosine above 0.9995)."""
    a, b = np.atleast_2d(a), np.atleast_2d(b)
    return a.shape == b.shape and float((a * b).sum(axis=1).min()) > 0.9995


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [identity_text(r.get("title") or "", r.get("text") or "") for r in read_corpus("gva-dev")[:300]]


@pytest.fixture(scope="module")
def here(texts) -> np.ndarray:
    return EmbedderSpec()().encode(texts)


def clustered(path, articles, settings, factory):
    """Store, dedup and cluster `articles` in a fresh database with `factory`; return the counts, each article's
    story and the stored embeddings."""
    with Store(path) as store:
        run = store.start_run("test")
        with store.transaction():
            stages.collect.store_articles(store, articles, run)
        stages.dedup.dedup(store, settings.dedup)
        counts = stages.cluster.cluster(store, settings.cluster, factory, run)
        stories = store.query("SELECT id, story_id FROM articles ORDER BY id")
        vectors = store.query("SELECT article_id, vector FROM embeddings ORDER BY article_id")
    return counts, stories, vectors


def test_rows_from_the_worker_are_the_rows_encoded_here_in_any_order(texts, here):
    order = list(np.random.default_rng(3).permutation(len(texts)))
    with StreamedRows(EmbedderSpec(), texts, order, chunk=64) as rows:
        assert len(rows) == len(texts)
        for i in order[:70]:  # the first chunk and part of the second, as placing asks for them
            assert same(rows[i], here[i])
        assert same(rows.matrix(), here)


def test_a_worker_that_dies_loses_no_row(texts, here):
    """The chunks the worker did not hand back are encoded in this process."""
    with StreamedRows(EmbedderSpec(), texts, range(len(texts)), chunk=64) as rows:
        assert same(rows[0], here[0])
        rows._worker._child.kill()
        assert same(rows.matrix(), here)
        assert rows._worker is None  # closed on its failure


def test_an_order_that_is_not_a_permutation_is_refused(texts):
    with pytest.raises(ValueError, match="each text's index once"):
        StreamedRows(EmbedderSpec(), texts[:3], [0, 0, 2])


def test_cluster_with_a_spec_streams_and_places_as_it_would_here(tmp_path, monkeypatch):
    """The cluster stage given an EmbedderSpec encodes in a worker (forced here with a low minimum); the stories and
    the stored embeddings are those of encoding here."""
    from itertools import islice

    import accord.embed
    from accord.corpus import read_records

    articles = [r.article for r in islice(read_records(CORPORA / "fakes-dev.jsonl"), 160)]
    settings = settings_from_dict({}, tmp_path)

    spec = EmbedderSpec()
    here = clustered(tmp_path / "here.duckdb", articles, settings, lambda: spec())
    monkeypatch.setattr(accord.embed, "STREAM_MIN", 50)
    monkeypatch.setattr(accord.embed, "STREAM_CHUNK", 40)
    seen = []
    original = accord.embed.StreamedRows.__init__

    def counting(self, *args, **kwargs):
        seen.append(len(args[1]))
        original(self, *args, **kwargs)

    monkeypatch.setattr(accord.embed.StreamedRows, "__init__", counting)
    streamed = clustered(tmp_path / "streamed.duckdb", articles, settings, spec)
    assert seen and seen[0] == here[0]["embedded"]
    assert streamed[0] == here[0] and streamed[1] == here[1]
    for a, b in zip(streamed[2], here[2], strict=True):
        assert a["article_id"] == b["article_id"]
        assert same(np.array(a["vector"]), np.array(b["vector"]))


def test_chunks_start_small_and_grow_to_the_largest():
    from accord.embed import stream_chunks

    assert stream_chunks(0) == []
    assert stream_chunks(100, largest=512, first=128) == [100]
    assert stream_chunks(2777, largest=512, first=128) == [128, 256, 512, 512, 512, 512, 345]
    assert stream_chunks(10, largest=4, first=8) == [4, 4, 2]
    assert sum(stream_chunks(12345, 512, 128)) == 12345


def test_a_worker_started_ahead_has_the_model_loaded_and_serves_one_batch(tmp_path, here, texts):
    """An EncodingWorker loads the model as soon as it starts (the caller goes on meanwhile); the cluster stage streams
    its next batch through it whatever the batch's size, with the stories of encoding here; a later batch no
    longer finds it."""
    from itertools import islice

    from accord.corpus import read_records
    from accord.embed import STREAM_MIN, EncodingWorker

    with EncodingWorker(EmbedderSpec()) as ahead:
        assert ahead.started
        assert ahead._worker.results(0)[0].shape == (0, 0)  # the model loaded, before any text came
        with StreamedRows(ahead, texts[:50], range(50)) as rows:
            assert not ahead.started  # taken
            assert same(rows.matrix(), here[:50])
    articles = [r.article for r in islice(read_records(CORPORA / "fakes-dev.jsonl"), 120)]
    settings = settings_from_dict({}, tmp_path)
    assert len(articles) < STREAM_MIN

    spec = EmbedderSpec()
    here_stories = clustered(tmp_path / "here.duckdb", articles, settings, lambda: spec())[:2]
    with EncodingWorker(spec) as ahead:
        streamed = clustered(tmp_path / "ahead.duckdb", articles, settings, ahead)[:2]
        assert not ahead.started  # the batch took it
    assert streamed == here_stories
