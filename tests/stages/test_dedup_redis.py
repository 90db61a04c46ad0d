"""The copy index in a real Redis server: the same groups as the in-process index, kept across runs and processes."""

from __future__ import annotations

import pytest
import redis

from accord import stages
from accord.config import settings_from_dict
from accord.corpus import read_records
from accord.store import Store
from tests.conftest import CORPORA
from tests.scale_servers import redis_server


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as port:
        yield port


def _articles(limit: int):
    return [r.article for r in read_records(CORPORA / "gva-dev.jsonl")][:limit]


def _settings(tmp_path, storage: dict | None):
    dedup = {"storage": storage} if storage else {}
    return settings_from_dict({"database": str(tmp_path / "a.duckdb"), "report": "r.html", "dedup": dedup}, tmp_path)


def _dedup_in_two_runs(tmp_path, storage, articles):
    settings = _settings(tmp_path, storage)
    with Store(settings.database) as store:
        half = len(articles) // 2
        for part in (articles[:half], articles[half:]):
            run = store.start_run("test")
            with store.transaction():
                stages.collect.store_articles(store, part, run)
            stages.dedup.dedup(store, settings.dedup)
        return dict(store.con.execute("SELECT id, copy_group FROM articles").fetchall())


def test_redis_index_gives_the_groups_of_the_in_process_index(tmp_path, redis_port):
    articles = _articles(600)
    # reruns of some reports (a copy in the second run of a report from the first) make cross-run groups
    from dataclasses import replace

    copies = [replace(a, id=f"{a.id}-rerun", text=a.text + "\nShare this article.") for a in articles[:40]]
    articles = articles + copies
    memory = _dedup_in_two_runs(tmp_path / "memory", None, articles)
    storage = {"type": "redis", "host": "127.0.0.1", "port": redis_port, "basename": "t1"}
    shared = _dedup_in_two_runs(tmp_path / "redis", storage, articles)
    assert shared == memory
    # a page that is only site furniture, signed before the furniture was learned (accord.identity.furniture_lines),
    # is no longer like its copy signed after: only reports with a text of their own are checked
    reports = [a for a in articles[:40] if len(a.text.split()) > 80]
    assert len(reports) > 30
    assert all(shared[f"{a.id}-rerun"] == shared[a.id] for a in reports)
    client = redis.Redis(host="127.0.0.1", port=redis_port)
    assert client.keys("t1:*"), "the index lives in Redis"


def test_a_second_database_run_uses_the_persistent_index_without_rebuilding(tmp_path, redis_port, monkeypatch):
    articles = _articles(300)
    storage = {"type": "redis", "host": "127.0.0.1", "port": redis_port, "basename": "t2"}
    settings = _settings(tmp_path, storage)
    with Store(settings.database) as store:
        run = store.start_run("test")
        with store.transaction():
            stages.collect.store_articles(store, articles[:250], run)
        stages.dedup.dedup(store, settings.dedup)

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the Redis-backed index must not be rebuilt from stored signatures")

    monkeypatch.setattr(stages.dedup, "_stored_signatures", no_rebuild)
    from dataclasses import replace

    rerun = replace(articles[3], id="rerun-of-3", text=articles[3].text + "\nRelated stories.")
    with Store(settings.database) as store:  # a new process would see the same: the index is in Redis
        run = store.start_run("test")
        with store.transaction():
            stages.collect.store_articles(store, articles[250:] + [rerun], run)
        counts = stages.dedup.dedup(store, settings.dedup)
        groups = dict(store.con.execute("SELECT id, copy_group FROM articles").fetchall())
    assert counts["signed"] == 51
    assert groups["rerun-of-3"] == groups[articles[3].id]


def test_redis_settings_are_checked(tmp_path):
    from accord.errors import ConfigError

    with pytest.raises(ConfigError, match="dedup.storage.type"):
        _settings(tmp_path, {"type": "cassandra"})
    with pytest.raises(ConfigError, match="dedup.storage.port"):
        _settings(tmp_path, {"type": "redis", "port": 0})


def test_batched_signatures_equal_datasketch_minhash_bulk():
    from dataclasses import replace

    import numpy as np
    from datasketch import MinHash

    from accord.dedup import HashScheme, shingles, sign_shingles, signatures

    texts = [f"{a.title}\n{a.text}" for a in _articles(200)] + ["", "one", "two words", "Ünïcode wörds here too"]
    schemes = [HashScheme(), HashScheme(num_perm=64, seed=7, shingle=2), HashScheme(shingle=5)]
    for scheme in [*schemes, *(replace(s, hash="sha1") for s in schemes)]:
        sets = [shingles(t, scheme.shingle) for t in texts]
        bulk = MinHash.bulk(
            sets, num_perm=scheme.num_perm, seed=scheme.seed, scheme=scheme.permutation, hashfunc=scheme.hashfunc()
        )
        expected = np.stack([np.asarray(m.hashvalues, dtype=np.uint64) for m in bulk])
        assert np.array_equal(signatures(texts, scheme), expected), scheme
        assert np.array_equal(sign_shingles(sets, scheme), expected), scheme
        assert sign_shingles([], scheme).shape == (0, scheme.num_perm)
    assert HashScheme().hashfunc() is not HashScheme(hash="sha1").hashfunc()
