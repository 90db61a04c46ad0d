"""The cluster stage's saved state: embeddings and the story index as rows, appended each run, and older
states still loading (accord.stages.cluster)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from accord import stages
from accord.cluster import ClusterSettings, StoryIndex, StoryInput
from accord.stages.columns import vector_column
from accord.store import Store


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


def assert_same_state(a, b):
    """Assert two StoryIndexStates hold the same rows, merges and word bags."""
    assert a.ids == b.ids and a.story_ids == b.story_ids and a.published == b.published
    assert a.features == b.features and a.hubness == b.hubness and a.merges == b.merges
    assert a.vocabulary == b.vocabulary and np.array_equal(a.embeddings, b.embeddings)
    for name in ("bag_offsets", "bag_ids", "bag_counts"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_each_run_appends_its_rows_and_moves_the_earlier_rows_a_merge_absorbed(tmp_path):
    from accord import stages
    from accord.store import Store

    e1, e2, e3 = np.eye(3, dtype=np.float32)
    bridge = np.array([0.7071, 0.7071, 0.0], dtype=np.float32)
    config = ClusterSettings(
        join_threshold=0.2, merge_threshold=0.2, hub_adjusted=0.0, names=0.0, cosine=1.0, bias=-0.5
    )
    dated = datetime(2020, 1, 2, tzinfo=UTC)  # a dateline's date keeps its UTC offset through the database
    words = {"a": "alpha beta", "b": "gamma delta", "c": "epsilon zeta", "d": "theta iota"}  # none shared
    reports = [StoryInput(i, words[i], words[i], dated if i == "b" else None, "o") for i in "abcd"]
    index = StoryIndex(config)
    with Store(tmp_path / "a.duckdb") as store:
        index.assign(reports[:2], np.stack([e1, e2]))  # two stories
        with store.transaction():
            stages.cluster._save_index(store, index, 0, None)
        before = {index.story_of("a"), index.story_of("b")}
        restored, stored = stages.cluster._load_index(store, config)
        assert stored == 2 and {restored.story_of("a"), restored.story_of("b")} == before and len(before) == 2
        restored.assign(reports[2:], np.stack([bridge, e3]))  # c merges a's and b's stories; d starts a third
        index.assign(reports[2:], np.stack([bridge, e3]))
        assert restored.merges == index.merges and len(index.merges) == 1 and set(index.merges[0]) == before
        with store.transaction():
            stages.cluster._save_index(store, restored, stored, None)
        again, stored = stages.cluster._load_index(store, config)
        positions = [r[0] for r in store.con.execute("SELECT position FROM story_index ORDER BY position").fetchall()]
    assert stored == 4 and positions == [0, 1, 2, 3]
    assert again.story_of("b") == again.story_of("a") != again.story_of("d")
    assert_same_state(again.export(), index.export())
