import subprocess
import sys
from datetime import datetime

import duckdb
import pytest

from accord import stages
from accord.errors import StoreError
from accord.models import Article
from accord.stages.columns import vector_column
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


def test_a_failed_transaction_leaves_nothing(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                stages.collect.store_articles(store, [article(1)], None)
                raise RuntimeError("crash mid-step")
        assert store.con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 0


def test_published_copy_opens_while_writer_holds_the_original(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as store:
        with store.transaction():
            stages.collect.store_articles(store, [article(i) for i in range(3)], None)
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


def legacy_state_blob(state) -> bytes:
    """Return a story index state as index_state held it before story_index: one .npz (the JSON as UTF-8 bytes)."""
    import io
    import json

    import numpy as np

    plain = {
        "ids": state.ids,
        "story_ids": state.story_ids,
        "published": [None if p is None else p.isoformat() for p in state.published],
        "features": state.features,
        "hubness": [float(h) for h in state.hubness],
        "merges": [list(m) for m in state.merges],
        "vocabulary": state.vocabulary,
    }
    buffer = io.BytesIO()
    bags = {"bag_offsets": state.bag_offsets, "bag_ids": state.bag_ids, "bag_counts": state.bag_counts}
    text = np.frombuffer(json.dumps(plain).encode("utf-8"), dtype=np.uint8)
    np.savez(buffer, plain=text, embeddings=np.asarray(state.embeddings, dtype=np.float32), **bags)
    return buffer.getvalue()


def test_embeddings_are_stored_compactly_and_old_index_states_still_load(tmp_path):
    import io
    import json

    import numpy as np
    import pyarrow as pa

    from accord.cluster import ClusterSettings, StoryIndex, StoryInput

    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(3, 384)).astype(np.float32)
    with Store(tmp_path / "db.duckdb") as store:
        rows = pa.table({"article_id": ["a", "b", "c"], "model": ["m"] * 3, "vector": vector_column(vectors)})
        store.con.register("_v", rows)
        store.con.execute("INSERT INTO embeddings SELECT * FROM _v")
        stored = np.array([r["vector"] for r in store.query("SELECT vector FROM embeddings ORDER BY article_id")])
    assert np.array_equal(stored.astype(np.float32), vectors)

    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = StoryIndex()
    index.assign([StoryInput(i, f"Title {i}", "Shots in Aleppo.", datetime(2017, 4, 7), "o") for i in "abc"], vectors)
    state = index.export()
    # a database written before story_index: the whole state as one blob in index_state
    with Store(tmp_path / "old.duckdb") as store:
        store.con.execute("INSERT INTO index_state VALUES ('stories', 1, ?)", [legacy_state_blob(state)])
        loaded, held = stages.cluster._load_index(store, ClusterSettings())
        assert held == 0 and loaded.export().features == state.features
        with store.transaction():  # the next run writes every row and replaces the blob
            stages.cluster._save_index(store, loaded, held, None)
        again, held = stages.cluster._load_index(store, ClusterSettings())
        header = json.loads(store.scalar("SELECT data FROM index_state WHERE name = 'stories'"))
    assert held == 3 and header == {"merges": []}
    back = again.export()
    assert back.ids == state.ids and back.story_ids == state.story_ids and back.published == state.published
    assert np.array_equal(back.embeddings, state.embeddings) and np.array_equal(back.bag_ids, state.bag_ids)
    # a state written earlier still (the JSON as a numpy string, word bags in the features)
    legacy = io.BytesIO()
    plain = {"ids": ["a"], "story_ids": ["s-1"], "published": [None], "features": ["{}"], "hubness": [0.3]}
    plain["merges"] = []
    np.savez(legacy, plain=np.array(json.dumps(plain)), embeddings=vectors[:1])
    assert stages.cluster._load_state(legacy.getvalue()).story_ids == ["s-1"]
