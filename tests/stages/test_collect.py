"""The collect stage's storage: articles stored once, in order, in batches (accord.stages.collect)."""

from __future__ import annotations

from accord import stages
from accord.store import Store
from tests.test_store import article


def test_storing_the_same_input_twice_adds_nothing(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        run = store.start_run("test")
        with store.transaction():
            assert stages.collect.store_articles(store, [article(i) for i in range(5)], run) == 5
    with Store(path) as store:
        with store.transaction():
            assert stages.collect.store_articles(store, [article(i) for i in range(7)], None) == 2
        rows = store.query("SELECT id, seq FROM articles ORDER BY seq")
    assert [r["id"] for r in rows] == [f"id-{i}" for i in range(7)]
    assert len({r["seq"] for r in rows}) == 7


def test_a_large_input_is_stored_in_batches_in_order_once(tmp_path, monkeypatch):
    monkeypatch.setattr(stages.collect, "STORE_BATCH", 2)
    items = [article(i) for i in range(5)] + [article(1), article(5)]  # id-1 repeated across batches
    with Store(tmp_path / "a.duckdb") as store:
        with store.transaction():
            assert stages.collect.store_articles(store, iter(items), None) == 6
            assert stages.collect.store_articles(store, iter(items), None) == 0
        rows = store.query("SELECT id, seq FROM articles ORDER BY seq")
    assert [r["id"] for r in rows] == [f"id-{i}" for i in range(6)]
    assert [r["seq"] for r in rows] == sorted({r["seq"] for r in rows})
