"""Fault matrix, run state: a run killed with -9 is marked interrupted by the next, a killed publish's partial copy
is removed by the next publish, a run's status says whether anything failed, and an alert endpoint that is down is
retried within the run with back-off. Real processes are killed with SIGKILL; the webhook receiver is a real server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from accord.alerts import RUN_DELIVERY_ROUNDS, DeliveryCounts, deliver_pending, plan_alerts
from accord.store import Store, publish_copy, writer_lock
from tests.conftest import SAMPLE
from tests.publish_data import add_articles, add_scores
from tests.test_alerts import IDLIB, Receiver, config_for

ROOT = Path(__file__).resolve().parents[2]


def start_python(code: str) -> subprocess.Popen:
    """Start `code` in a new Python process with this checkout's accord; it prints READY when it is where we want
    to kill it."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env, stdout=subprocess.PIPE, text=True)


def wait_ready(process: subprocess.Popen) -> None:
    line = process.stdout.readline()
    assert line.strip() == "READY", f"child said {line!r}, exit code {process.poll()}"


def kill9(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def test_a_run_killed_with_sigkill_is_marked_interrupted_by_the_next(tmp_path):
    database = tmp_path / "accord.duckdb"
    child = start_python(
        f"""
        import time
        from pathlib import Path
        from accord.store import Store, writer_lock
        with writer_lock(Path({str(database)!r})):
            store = Store(Path({str(database)!r}))
            store.start_run("pipeline")
            print("READY", flush=True)
            time.sleep(120)
        """
    )
    wait_ready(child)
    kill9(child)
    started = time.monotonic()
    with writer_lock(database, timeout=10), Store(database) as store:  # the dead run's lock is gone with it
        assert time.monotonic() - started < 5
        assert store.query("SELECT status, pid FROM runs") == [{"status": "running", "pid": child.pid}]
        assert store.interrupt_stale_runs() == [1]
        (row,) = store.query("SELECT status, finished, errors FROM runs")
        assert store.interrupt_stale_runs() == []  # once only
    assert row["status"] == "interrupted" and row["finished"] is not None
    assert json.loads(row["errors"]) == [f"process {child.pid} ended without finishing the run (killed or crashed)"]


def test_a_publish_killed_mid_copy_leaves_a_partial_the_next_publish_removes(tmp_path):
    database, target = tmp_path / "accord.duckdb", tmp_path / "out" / "accord-published.duckdb"
    with Store(database) as store:  # the schema, plus about 40 MB of incompressible rows: the copy takes a while
        store.con.execute(
            "CREATE TABLE filler AS SELECT i, md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS s FROM range(600000) t(i)"
        )
    child = start_python(
        f"""
        from pathlib import Path
        from accord.store import publish_copy
        print("READY", flush=True)
        publish_copy(Path({str(database)!r}), Path({str(target)!r}))
        """
    )
    wait_ready(child)
    deadline = time.monotonic() + 60
    while not list(target.parent.glob(".*.partial")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    kill9(child)
    left = list(target.parent.glob(".*.partial*"))
    assert left and not target.exists(), "the child finished its publish before it could be killed"
    assert publish_copy(database, target) == target
    assert not list(target.parent.glob(".*.partial*"))
    assert duckdb.connect(str(target), read_only=True).execute("SELECT count(*) FROM filler").fetchall() == [(600000,)]


RUN_COUNTS = [
    ("all well", {"collect": {"fetched_ok": 5, "failed": 1}, "publish": {"alerts": {"sent": 2}}}, []),
    ("no fetches (snapshot only)", {"collect": {"fetched_ok": 1, "failed": 0}}, []),
    ("every fetch failed", {"collect": {"fetched_ok": 0, "failed": 4}}, ["every fetch failed (4)"]),
    ("an outlet failed", {"collect": {"fetched_ok": 3, "failed": 0, "outlet_errors": 1}}, ["1 outlet(s) failed"]),
    (
        "alerts undelivered",
        {"collect": {"fetched_ok": 3}, "publish": {"alerts": {"sent": 0, "failed": 2}}},
        ["2 delivery(ies) failed after retries (0 sent)"],
    ),
]


@pytest.mark.parametrize("counts, problems", [c[1:] for c in RUN_COUNTS], ids=[c[0] for c in RUN_COUNTS])
def test_a_runs_status_says_what_failed(counts, problems):
    from accord.flows.pipeline import run_problems

    found = run_problems(counts)
    assert len(found) == len(problems) and all(p in f for p, f in zip(problems, found, strict=True)), found


@pytest.fixture
def alerting(tmp_path, monkeypatch):
    """A store with articles, one divergent story planned for alerting, a webhook receiver and the config."""
    receiver = Receiver()
    config = config_for(receiver, tmp_path, monkeypatch)
    with Store(tmp_path / "accord.duckdb") as store:
        add_articles(store)
        run_id = add_scores(store, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
        assert len(plan_alerts(store, run_id, config)) == 2  # webhook and file
        yield store, receiver, config
    if receiver._server is not None:
        receiver.stop()


def webhook_row(store: Store) -> dict:
    (row,) = store.query("SELECT attempts, delivered, result FROM alerts WHERE channel LIKE 'webhook%'")
    return row


def test_an_alert_endpoint_down_for_a_moment_is_retried_within_the_run(alerting):
    store, receiver, config = alerting
    receiver.stop()  # connection refused
    waits: list[float] = []

    def back_up_while_waiting(seconds: float) -> None:
        waits.append(seconds)
        receiver.start()  # the receiver restarts on its port during the first back-off

    counts = deliver_pending(store, config, rounds=RUN_DELIVERY_ROUNDS, sleep=back_up_while_waiting)
    assert counts == DeliveryCounts(sent=2)
    assert waits == [1.0]
    assert webhook_row(store) == {"attempts": 2, "delivered": True, "result": "delivered: HTTP 200"}
    assert receiver.events() == [(IDLIB, "divergent")]


def test_an_alert_endpoint_that_stays_down_is_tried_with_back_off_then_left_for_the_next_run(alerting):
    store, receiver, config = alerting
    receiver.status = 503
    waits: list[float] = []
    counts = deliver_pending(store, config, rounds=RUN_DELIVERY_ROUNDS, sleep=waits.append)
    assert counts == DeliveryCounts(sent=1, failed=1)  # the file channel delivered, the webhook did not
    assert waits == [1.0, 2.0]
    assert webhook_row(store) == {"attempts": 3, "delivered": False, "result": "failed: HTTP 503"}
    receiver.status = 200  # the next run delivers it
    assert deliver_pending(store, config, rounds=RUN_DELIVERY_ROUNDS, sleep=waits.append) == DeliveryCounts(sent=1)
    assert webhook_row(store)["attempts"] == 4 and waits == [1.0, 2.0]


def test_in_run_retries_stop_at_max_attempts(alerting):
    store, receiver, config = alerting
    receiver.stop()
    config = config.model_copy(update={"max_attempts": 2})
    waits: list[float] = []
    counts = deliver_pending(store, config, rounds=RUN_DELIVERY_ROUNDS, sleep=waits.append)
    assert counts == DeliveryCounts(sent=1, failed=1, exhausted=1)
    assert waits == [1.0] and webhook_row(store)["attempts"] == 2


@pytest.mark.slow  # two processes importing the collect stage: about 20 s on a quiet machine
def test_two_writers_at_once_take_turns_and_store_each_report_once(tmp_path):
    """Two processes collect the same snapshot into one database at the same moment: the second waits for the
    first's writer lock (DuckDB itself would refuse it the file), and nothing is stored twice."""
    database = tmp_path / "accord.duckdb"
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {database}\nreport: {tmp_path / 'report.html'}\n"
        f"outlets:\n  - name: sample\n    snapshot: {SAMPLE}\n",
        encoding="utf-8",
    )
    code = f"""
        from pathlib import Path
        from accord.stages import collect
        from accord.config import load_settings
        from accord.store import Store, writer_lock
        settings = load_settings(Path({str(config)!r}))
        print("READY", flush=True)
        with writer_lock(settings.database, timeout=120):
            with Store(settings.database) as store:
                store.interrupt_stale_runs()
                run = store.start_run("pipeline")
                counts = collect.collect_outlet(store, settings.outlets[0], settings, run)
                store.finish_run(run, "completed", {{"collect": counts.__dict__}}, [])
        """
    writers = [start_python(code) for _ in range(2)]
    for writer in writers:
        wait_ready(writer)
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    with Store(database, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM articles") == sum(1 for line in open(SAMPLE) if line.strip())
        assert store.scalar("SELECT count(DISTINCT id) FROM articles") == store.scalar("SELECT count(*) FROM articles")
        assert [r["status"] for r in store.query("SELECT status FROM runs ORDER BY id")] == ["completed"] * 2
        new = [json.loads(r["counts"])["collect"]["new_articles"] for r in store.query("SELECT counts FROM runs")]
    assert sorted(new) == [0, store_count(database)]


def store_count(database: Path) -> int:
    with Store(database, read_only=True) as store:
        return store.scalar("SELECT count(*) FROM articles")
