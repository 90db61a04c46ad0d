"""Fault matrix, whole runs (slow): real `accord run` processes against the local server, one killed with -9.

Promised: a malformed feed URL beside a good feed loses nothing good and is a fetch_log row; a run whose every fetch
failed says `completed_with_failures`; a run killed with SIGKILL takes Prefect's temporary server with it and is
marked `interrupted` by the next run, which completes.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from tests.conftest import SAMPLE

from .conftest import accord_command, accord_env, run_accord

pytestmark = pytest.mark.slow

GOOD_PAGES = ["uk/TheGuardian_2024_02_24.html.gz", "us/Reuters_2024_03_07.html.gz"]


def write_config(tmp_path: Path, outlet: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"""
database: {tmp_path / "accord.duckdb"}
report: {tmp_path / "report.html"}
outlets:
{outlet}
fetch:
  allow_private_addresses: true
  per_host_delay: 0
  read_timeout: 2
  total_timeout: 3
  retries: 1
  backoff: 0.05
""",
        encoding="utf-8",
    )
    return path


def locked(lock: Path) -> bool:
    """Return True when a process holds the database's writer lock (a run is between its start and its end)."""
    if not lock.exists():
        return False
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def published(tmp_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(tmp_path / "accord-published.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_accord_run_keeps_a_good_feed_beside_a_malformed_url(tmp_path, server, url):
    server.news_pages = list(GOOD_PAGES)
    good = url("/news/feed.xml", host="127.0.0.1")
    config = write_config(tmp_path, f'  - name: Test News\n    feeds: ["http://[::1", "{good}"]')
    done = run_accord(tmp_path, "run", "--config", str(config))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert published(tmp_path, "SELECT count(*) FROM articles") == [(len(GOOD_PAGES),)]
    ((ok, error),) = published(tmp_path, "SELECT ok, error FROM fetch_log WHERE url = 'http://[::1'")
    assert not ok and "malformed URL" in error
    assert published(tmp_path, "SELECT status FROM runs") == [("completed",)]
    assert "Retrying" not in done.stdout + done.stderr  # no 35 s of task retries for a fault that cannot pass


def test_accord_run_whose_every_fetch_failed_says_so(tmp_path, server, url):
    feeds = [url("/fault/404", host="127.0.0.1"), url("/fault/500", host="127.0.0.1")]
    config = write_config(tmp_path, f"  - name: Gone\n    feeds: {json.dumps(feeds)}")
    done = run_accord(tmp_path, "run", "--config", str(config))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    ((status, counts, errors),) = published(tmp_path, "SELECT status, counts, errors FROM runs")
    assert status == "completed_with_failures"
    assert json.loads(counts)["collect"]["fetched_ok"] == 0
    assert any("every fetch failed" in e for e in json.loads(errors))
    summary = done.stdout.splitlines()[0]  # the one-line summary says so too
    assert summary.startswith("run 1 completed_with_failures; ") and "every fetch failed (2)" in summary, summary


def test_accord_run_killed_with_sigkill_leaves_no_server_and_is_marked_interrupted(tmp_path):
    config = write_config(tmp_path, f"  - name: sample\n    snapshot: {SAMPLE}")
    log = tmp_path / "killed.log"
    with open(log, "w") as out:
        run = subprocess.Popen(
            accord_command("run", "--config", str(config)), env=accord_env(tmp_path), stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 300
        while not locked(tmp_path / "accord.duckdb.lock") and time.monotonic() < deadline:  # the run is under way
            assert run.poll() is None, log.read_text()[-3000:]
            time.sleep(0.2)
        time.sleep(5)  # past start_run, into collect or processing
        assert run.poll() is None, log.read_text()[-3000:]
        servers = [p for p in psutil.Process(run.pid).children() if "uvicorn" in " ".join(p.cmdline())]
        assert len(servers) == 1, "Prefect's temporary server should be a child of the run"
    finally:
        run.kill()
        run.wait()
    gone, alive = psutil.wait_procs(servers, timeout=10)
    for orphan in alive:  # not left behind by this test either
        orphan.kill()
    assert not alive, f"Prefect's temporary server {alive} outlived the killed run"

    done = run_accord(tmp_path, "run", "--config", str(config))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    runs = published(tmp_path, "SELECT status, errors FROM runs ORDER BY id")
    assert [r[0] for r in runs] == ["interrupted", "completed"]
    assert f"process {run.pid} ended without finishing" in runs[0][1]
    lines = sum(1 for line in open(SAMPLE, encoding="utf-8") if line.strip())
    assert published(tmp_path, "SELECT count(*) FROM articles") == [(lines,)]  # nothing lost, nothing twice
