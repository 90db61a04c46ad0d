"""The pipeline as Prefect flows: collect, process (dedup to score), publish (report and alerts).

Each task is a thin wrapper over one stage of accord.stages. Retries sit on the I/O tasks only.
With `runner: {kind: dask}` the process flow runs on prefect-dask's DaskTaskRunner and spreads embedding and
extraction over the Dask cluster in chunks; the database stays in this process, which reads and writes it.
"""

import os
import signal
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from accord import alerts, report, stages
from accord.config import OutletConfig, RunnerConfig, Settings, load_settings
from accord.store import RunInfo, Store, publish_copy, writer_lock


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry an outlet's collect only after a fault that may pass: an OS or database I/O error. The collector turns
    every feed's and page's failure into a fetch_log row, so anything else raised is deterministic (a bug, a bad
    value) and would fail the same way again, 35 s later."""
    import duckdb

    error = state.data if isinstance(state.data, BaseException) else None
    return isinstance(error, OSError | duckdb.IOException)


@task(
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=_transient,
    cache_policy=NO_CACHE,
    task_run_name="collect-{outlet.name}",
)
def collect_outlet(store: Store, outlet: OutletConfig, settings: Settings, run: RunInfo) -> dict[str, int]:
    return stages.collect.collect_outlet(store, outlet, settings, run).__dict__


@task(cache_policy=NO_CACHE)
def dedup(store: Store, settings: Settings) -> dict[str, int]:
    return stages.dedup.dedup(store, settings.dedup)


@task(cache_policy=NO_CACHE)
def cluster(store: Store, settings: Settings, run: RunInfo) -> dict[str, int]:
    from accord.embed import EmbedderSpec

    return stages.cluster.cluster(
        store, settings.cluster, EmbedderSpec(settings.cluster.model, settings.cluster.precision), run
    )


@task(cache_policy=NO_CACHE)
def extract(store: Store, reading: stages.extract.BackgroundExtraction) -> dict[str, int]:
    return reading.finish(store)


@task(cache_policy=NO_CACHE)
def score(store: Store, settings: Settings, run: RunInfo) -> dict[str, int]:
    return stages.score.score(store, run, settings.agreement, stages.extract.actor_list(settings))


@task(cache_policy=NO_CACHE)
def write_report(store: Store, settings: Settings) -> str:
    report.create_views(store.con)
    return str(report.write_report(store.con, settings.report))


@task(cache_policy=NO_CACHE)
def send_alerts(store: Store, settings: Settings, run: RunInfo) -> dict[str, Any]:
    planned = alerts.plan_alerts(store, run.id, settings.alerts)
    # a failed delivery is retried within the run, with back-off, before it waits for the next run
    delivered = alerts.deliver_pending(store, settings.alerts, rounds=alerts.RUN_DELIVERY_ROUNDS)
    return {"planned": len(planned), **delivered.__dict__}


@lru_cache(maxsize=2)
def _worker_embedder(model: str | None, precision: str) -> Any:
    """Return the embedding model of this worker process, loaded on its first chunk (a load costs seconds)."""
    from accord.cluster import load_embedder

    return load_embedder(model, precision)


@task(cache_policy=NO_CACHE, task_run_name="embed-{first}")
def embed_chunk(texts: list[str], model: str | None, precision: str, first: int) -> np.ndarray:
    return np.asarray(_worker_embedder(model, precision).encode(texts), dtype=np.float32)


@task(cache_policy=NO_CACHE, task_run_name="extract-{first}")
def extract_chunk(items: list[tuple[str, str]], settings: Settings, first: int) -> list[list[Any]]:
    extractor = stages.extract.build_extractor(settings)
    return [extractor.extract(title, text) for title, text in items]


class InProcess:
    """A flow parameter that stays in this process. The Dask runner ships each task with its flow's context,
    parameters included; this one pickles as empty, so a flow may hold the Store while its tasks go to workers."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (InProcess, (None,))

    def __repr__(self) -> str:
        return f"InProcess({self.value!r})"


class SpreadEmbedder:
    """An Embedder that encodes chunks of texts as tasks of the flow's task runner (Dask workers), in order."""

    def __init__(self, model: str | None, precision: str, chunk: int) -> None:
        self.model, self.precision, self.chunk = model, precision, chunk

    def encode(self, texts: list[str]) -> np.ndarray:
        starts = range(0, len(texts), self.chunk)
        futures = [embed_chunk.submit(texts[i : i + self.chunk], self.model, self.precision, i) for i in starts]
        rows = [f.result() for f in futures]
        return np.concatenate(rows) if rows else np.zeros((0, 384), dtype=np.float32)


class SpreadExtractor:
    """A claim extractor whose `extract_many` reads chunks of articles as tasks of the flow's task runner."""

    def __init__(self, settings: Settings, chunk: int) -> None:
        self.settings, self.chunk = settings, chunk

    def extract_many(self, items: list[tuple[str, str]]) -> list[list[Any]]:
        starts = range(0, len(items), self.chunk)
        futures = [extract_chunk.submit(items[i : i + self.chunk], self.settings, i) for i in starts]
        return [claims for f in futures for claims in f.result()]


def task_runner(config: RunnerConfig) -> Any:
    """Return the task runner for `runner:`; None for local (the flow's default). Imports prefect-dask only for dask."""
    if config.kind == "local":
        return None
    from prefect_dask import DaskTaskRunner

    if config.address:
        return DaskTaskRunner(address=config.address)
    sizes = {"n_workers": config.n_workers, "threads_per_worker": config.threads_per_worker}
    kwargs = {k: v for k, v in sizes.items() if v}
    return DaskTaskRunner(cluster_kwargs=kwargs)


@flow(name="collect", validate_parameters=False)  # takes live objects: the store, settings, run
def collect_flow(store: Store, settings: Settings, run: RunInfo) -> dict[str, int]:
    """Collect every outlet; an outlet that fails is recorded and the others go on."""
    logger = get_run_logger()
    totals = {"outlets": 0, "new_articles": 0, "fetched_ok": 0, "failed": 0, "not_modified": 0, "outlet_errors": 0}
    errors: list[str] = []
    for outlet in settings.outlets:
        state = collect_outlet(store, outlet, settings, run, return_state=True)
        if state.is_failed():
            totals["outlet_errors"] += 1
            logger.error("outlet %s failed: %s", outlet.name, state.message)
            errors.append(f"outlet {outlet.name}: {state.message}")
            continue
        for key, value in state.result().items():
            totals[key] += value
    logger.info("collect: %s", totals)
    if errors:
        totals["errors"] = errors  # type: ignore[assignment]  # the run's errors list takes them
    return totals


@flow(name="process", validate_parameters=False)  # takes live objects: the store, settings, run
def process_flow(store: Store | InProcess, settings: Settings, run: RunInfo) -> dict[str, Any]:
    """Dedup, cluster, extract and score: each step finishes the work that earlier runs left."""
    logger = get_run_logger()
    store = store.value if isinstance(store, InProcess) else store
    if settings.runner.kind == "dask":
        chunk = settings.runner.chunk
        counts = {"dedup": dedup(store, settings)}
        spread = SpreadEmbedder(settings.cluster.model, settings.cluster.precision, chunk)
        counts["cluster"] = stages.cluster.cluster(store, settings.cluster, lambda: spread, run)
        counts["extract"] = stages.extract.extract(store, SpreadExtractor(settings, chunk))
        counts["score"] = score(store, settings, run)
    else:
        # claims are read in a worker process while this one dedups and clusters (stages.extract.BackgroundExtraction)
        with stages.extract.BackgroundExtraction(store, stages.extract.build_extractor(settings)) as reading:
            counts = {"dedup": dedup(store, settings), "cluster": cluster(store, settings, run)}
            counts["extract"] = extract(store, reading)
        counts["score"] = score(store, settings, run)
    logger.info("process: %s", counts)
    return counts


@flow(name="publish", validate_parameters=False)  # takes live objects: the store, settings, run
def publish_flow(store: Store, settings: Settings, run: RunInfo) -> dict[str, Any]:
    """Write the HTML report and send alerts for stories whose state changed."""
    logger = get_run_logger()
    counts = {"report": write_report(store, settings), "alerts": send_alerts(store, settings, run)}
    logger.info("publish: %s", counts)
    return counts


@flow(name="pipeline", log_prints=True)
def pipeline(config_path: str = "config.yaml") -> dict[str, Any]:
    """One full pass, collect to alerts, under the database's writer lock; then publish the analyst's copy."""
    logger = get_run_logger()
    settings = load_settings(config_path)
    with writer_lock(settings.database):
        store = Store(settings.database)
        counts: dict[str, Any] = {}
        errors: list[str] = []
        # a run that held the lock and is gone (kill -9) left its row `running`: it is over, say so
        for stale in store.interrupt_stale_runs():
            logger.warning("run %s was interrupted (its process died); marked interrupted", stale)
        run = store.start_run("pipeline")
        try:
            counts["collect"] = collect_flow(store, settings, run)
            errors.extend(counts["collect"].pop("errors", []))
            runner = task_runner(settings.runner)
            if runner is None:
                counts["process"] = process_flow(store, settings, run)
            else:
                counts["process"] = process_flow.with_options(task_runner=runner)(InProcess(store), settings, run)
            counts["publish"] = publish_flow(store, settings, run)
            problems = run_problems(counts)
            errors.extend(problems)
            status = "completed_with_failures" if problems else "completed"
        except BaseException as error:
            errors.append(f"{type(error).__name__}: {error}")
            store.finish_run(run, "failed", counts, errors)
            store.close()
            raise
        store.finish_run(run, status, counts, errors)
        store.close()
        published = publish_copy(settings.database, settings.published_path)
    logger.info("run %s %s; analysts read %s", run.id, status, published)
    return {"run": run.id, "status": status, "errors": errors, "published": str(published), **counts}


def run_problems(counts: dict[str, Any]) -> list[str]:
    """Return why a run that reached its end is `completed_with_failures` (empty: `completed`): an outlet whose
    collect failed, fetches of which none succeeded, alerts still undelivered after the run's retries."""
    problems = []
    collect = counts.get("collect", {})
    if collect.get("outlet_errors"):
        problems.append(f"collect: {collect['outlet_errors']} outlet(s) failed")
    if collect.get("failed") and not collect.get("fetched_ok"):
        problems.append(f"collect: every fetch failed ({collect['failed']})")
    sent = counts.get("publish", {}).get("alerts", {})
    if sent.get("failed"):
        problems.append(f"alerts: {sent['failed']} delivery(ies) failed after retries ({sent.get('sent', 0)} sent)")
    return problems


def serve(config_path: Path) -> None:
    """Serve the pipeline on the schedule of config.yaml until interrupted (needs a Prefect API)."""
    settings = load_settings(config_path)
    schedule: dict[str, Any] = {}
    if settings.schedule.cron:
        schedule["cron"] = settings.schedule.cron
    elif settings.schedule.interval_minutes:
        schedule["interval"] = settings.schedule.interval_minutes * 60
    pipeline.serve(name="accord", parameters={"config_path": str(Path(config_path).resolve())}, **schedule)


# -- the temporary Prefect server ------------------------------------------------------------------------------------
# Without PREFECT_API_URL, Prefect starts a temporary API server (SubprocessASGIServer: uvicorn in a child process)
# and stops it at exit (atexit). A run killed with -9 runs no atexit, so the server lived on, orphaned. Started
# here instead, from the main thread, its child asks Linux for a parent-death signal (prctl PR_SET_PDEATHSIG): it
# is killed the moment this process dies, however it dies. Prefect's later calls find the running instance
# (SubprocessASGIServer is one instance per port) and use it.

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> Any:
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it

    def preexec() -> None:  # runs in the child between fork and exec; PDEATHSIG survives the exec
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return preexec


class _SubprocessDyingWithParent:
    """The subprocess module as prefect's server module sees it while we start the server: Popen arms the signal."""

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args: Any, **kwargs: Any) -> subprocess.Popen:  # noqa: N802 (the name prefect calls)
        kwargs.setdefault("preexec_fn", _die_with_parent(os.getpid()))
        return subprocess.Popen(*args, **kwargs)


def start_tied_prefect_server() -> str | None:
    """Start Prefect's temporary API server as a child that dies with this process (Linux), when no PREFECT_API_URL
    is set; return its API URL, or None when there is nothing to do (an API is configured, not Linux, not the
    main thread: the parent-death signal follows the thread that started the child)."""
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value() or not sys.platform.startswith("linux"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    from prefect.server.api import server as prefect_server

    server = prefect_server.SubprocessASGIServer()
    if server.running:
        return server.api_url
    prefect_server.subprocess = _SubprocessDyingWithParent()  # type: ignore[assignment]
    try:
        server.start()
    finally:
        prefect_server.subprocess = subprocess
    return server.api_url
