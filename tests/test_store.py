import subprocess
import sys
from datetime import datetime

import duckdb
import pytest

from accord import steps
from accord.errors import StoreError
from accord.models import Article
from accord.store import Store, publish_copy, writer_lock


def article(i: int, outlet: str = "a") -> Article:
    return Article(
        id=f"id-{i}", outlet=outlet, title=f"Title {i}", text=f"Body {i}", published=datetime(2020, 1, i + 1)
    )


def test_schema_has_the_design_tables(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {
        "articles",
        "stories",
        "claims",
        "story_scores",
        "outlet_reliability",
        "alerts",
        "runs",
        "fetch_log",
    } <= tables


def test_storing_the_same_input_twice_adds_nothing(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        run = store.start_run("test")
        with store.transaction():
            assert steps.store_articles(store, [article(i) for i in range(5)], run) == 5
    with Store(path) as store:
        with store.transaction():
            assert steps.store_articles(store, [article(i) for i in range(7)], None) == 2
        rows = store.query("SELECT id, seq FROM articles ORDER BY seq")
    assert [r["id"] for r in rows] == [f"id-{i}" for i in range(7)]
    assert len({r["seq"] for r in rows}) == 7


def test_a_large_input_is_stored_in_batches_in_order_once(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "STORE_BATCH", 2)
    items = [article(i) for i in range(5)] + [article(1), article(5)]  # id-1 repeated across batches
    with Store(tmp_path / "a.duckdb") as store:
        with store.transaction():
            assert steps.store_articles(store, iter(items), None) == 6
            assert steps.store_articles(store, iter(items), None) == 0
        rows = store.query("SELECT id, seq FROM articles ORDER BY seq")
    assert [r["id"] for r in rows] == [f"id-{i}" for i in range(6)]
    assert [r["seq"] for r in rows] == sorted({r["seq"] for r in rows})


def test_a_failed_transaction_leaves_nothing(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                steps.store_articles(store, [article(1)], None)
                raise RuntimeError("crash mid-step")
        assert store.con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 0


def test_published_copy_opens_while_writer_holds_the_original(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        with store.transaction():
            steps.store_articles(store, [article(i) for i in range(3)], None)
    published = publish_copy(path, tmp_path / "pub.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(path), read_only=True)
        con = duckdb.connect(str(published), read_only=True)
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 3
        con.close()
    finally:
        holder.kill()
        holder.wait()


def test_writer_lock_times_out_with_a_clear_error(tmp_path):
    path = tmp_path / "a.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl,sys,time; f=open(sys.argv[1],'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
            "print('ok', flush=True); time.sleep(30)",
            str(path) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="another accord run holds"):
            with writer_lock(path, timeout=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(path, timeout=0.5):
        pass


def test_the_store_caps_duckdb_memory(tmp_path):
    setting = "SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'"
    default = duckdb.connect(str(tmp_path / "bare.duckdb")).execute(setting).fetchall()[0][0]
    with Store(tmp_path / "a.duckdb") as store:
        capped = store.scalar(setting)
    assert capped != default and capped.endswith("MiB") and float(capped.split()[0]) <= 512


def test_missing_database_read_only_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="database not found"):
        Store(tmp_path / "none.duckdb", read_only=True)


def test_cluster_state_and_embeddings_are_stored_compactly_and_read_back(tmp_path):
    import io
    import json

    import numpy as np
    import pyarrow as pa

    from accord.cluster import StoryIndexState

    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(3, 384)).astype(np.float32)
    with Store(tmp_path / "db.duckdb") as store:
        rows = pa.table({"article_id": ["a", "b", "c"], "model": ["m"] * 3, "vector": steps._vector_column(vectors)})
        store.con.register("_v", rows)
        store.con.execute("INSERT INTO embeddings SELECT * FROM _v")
        stored = np.array([r["vector"] for r in store.query("SELECT vector FROM embeddings ORDER BY article_id")])
    assert np.array_equal(stored.astype(np.float32), vectors)

    state = StoryIndexState(["a"], ["s-1"], vectors[:1], [datetime(2017, 4, 7)], ['{"terms": {"é": 1}}'], [0.3])
    data = steps._dump_state(state)
    with np.load(io.BytesIO(data)) as npz:
        assert npz["plain"].dtype == np.uint8  # UTF-8 bytes, not a UTF-32 numpy string
    back = steps._load_state(data)
    assert back.ids == ["a"] and back.features == state.features and back.published == state.published
    assert np.array_equal(back.embeddings, vectors[:1])
    # a state written by an earlier version (the JSON as a numpy string) still loads
    legacy = io.BytesIO()
    plain = {"ids": ["a"], "story_ids": ["s-1"], "published": [None], "features": ["{}"], "hubness": [0.3]}
    plain["merges"] = []
    np.savez(legacy, plain=np.array(json.dumps(plain)), embeddings=vectors[:1])
    assert steps._load_state(legacy.getvalue()).story_ids == ["s-1"]
