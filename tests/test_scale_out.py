"""Scale-out as configuration: the whole pipeline with a real local Dask cluster (prefect-dask) and with the copy
index in a real Redis server gives the same database as the local run, twice over without duplicates."""

from __future__ import annotations

import importlib.util
import sys

import duckdb
import pytest

from accord.config import load_settings
from tests.conftest import ROOT
from tests.scale_servers import redis_server
from tests.test_pipeline import counts, write_config


def _pipeline_module():
    """Return this checkout's flows/pipeline.py (an installed accord.flows may come from another checkout)."""
    from pathlib import Path

    import accord.flows.pipeline as current

    if current.__file__ and ROOT in Path(current.__file__).resolve().parents:
        return current
    spec = importlib.util.spec_from_file_location("accord.flows.pipeline", ROOT / "flows" / "pipeline.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["accord.flows.pipeline"] = module
    spec.loader.exec_module(module)
    import accord.flows

    accord.flows.pipeline = module
    return module


@pytest.fixture(scope="module")
def dask_address():
    from distributed import LocalCluster

    # two single-threaded workers in this process: a real scheduler and real workers, small enough for 2 cores
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address, cluster


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as port:
        yield port


def _snapshot(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        stories = dict(con.execute("SELECT id, story_id FROM articles").fetchall())
        groups = dict(con.execute("SELECT id, copy_group FROM articles").fetchall())
        claims = sorted(
            con.execute("SELECT article_id, kind, low, high, point, actor, sentence FROM claims").fetchall(), key=str
        )
        return stories, groups, claims
    finally:
        con.close()


def _run_twice(pipeline, tmp_path, extra: str):
    config = write_config(tmp_path, extra)
    settings = load_settings(config)
    first = pipeline(config_path=str(config))
    assert first["status"] == "completed"
    after_first = counts(settings.published_path)
    snapshot = _snapshot(settings.published_path)
    second = pipeline(config_path=str(config))
    assert second["process"]["cluster"]["embedded"] == 0
    after_second = counts(settings.published_path)
    assert {k: v for k, v in after_second.items() if k not in ("runs", "story_scores", "outlet_reliability")} == {
        k: v for k, v in after_first.items() if k not in ("runs", "story_scores", "outlet_reliability")
    }
    assert _snapshot(settings.published_path) == snapshot
    return first, snapshot


@pytest.fixture(scope="module")
def local_result(tmp_path_factory, prefect_harness):
    return _run_twice(_pipeline_module().pipeline, tmp_path_factory.mktemp("local"), "")


@pytest.mark.slow
def test_pipeline_on_a_dask_cluster_matches_the_local_run(tmp_path, prefect_harness, local_result, dask_address):
    address, cluster = dask_address
    module = _pipeline_module()
    extra = f"runner:\n  kind: dask\n  address: {address}\n  chunk: 20\n"
    first, snapshot = _run_twice(module.pipeline, tmp_path, extra)
    assert snapshot == local_result[1]
    assert first["process"]["extract"] == local_result[0]["process"]["extract"]
    # the work really went to the cluster's workers, in chunks
    ran = set(cluster.scheduler.task_prefixes)
    assert any(name.startswith("embed") for name in ran) and any(name.startswith("extract") for name in ran), ran


@pytest.mark.slow
def test_pipeline_with_the_copy_index_in_redis_matches_the_local_run(
    tmp_path, prefect_harness, local_result, redis_port
):
    import redis

    extra = f"dedup:\n  storage:\n    type: redis\n    host: 127.0.0.1\n    port: {redis_port}\n    basename: pipe\n"
    _, snapshot = _run_twice(_pipeline_module().pipeline, tmp_path, extra)
    assert snapshot == local_result[1]
    assert redis.Redis(host="127.0.0.1", port=redis_port).keys("pipe:*")


@pytest.mark.slow
def test_pipeline_with_dask_and_redis_together(tmp_path, prefect_harness, local_result, dask_address, redis_port):
    address, _ = dask_address
    extra = (
        f"runner:\n  kind: dask\n  address: {address}\n  chunk: 25\n"
        f"dedup:\n  storage:\n    type: redis\n    port: {redis_port}\n    basename: both\n"
    )
    _, snapshot = _run_twice(_pipeline_module().pipeline, tmp_path, extra)
    assert snapshot == local_result[1]


def test_runner_settings_are_checked(tmp_path):
    from accord.errors import ConfigError

    with pytest.raises(ConfigError, match="runner.kind"):
        load_settings(write_config(tmp_path, "runner:\n  kind: spark\n"))
    with pytest.raises(ConfigError, match="runner.chunk"):
        load_settings(write_config(tmp_path, "runner:\n  chunk: 0\n"))
