"""`accord serve` runs the pipeline on its schedule against a real Prefect server, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import SAMPLE


@pytest.mark.slow  # waits for two scheduled runs of a real Prefect server: 138 s at load 10 on 2 cores
def test_serve_runs_on_schedule_and_stops_cleanly(tmp_path):
    db = tmp_path / "accord.duckdb"
    published = tmp_path / "accord-published.duckdb"
    config = tmp_path / "config.yaml"
    config.write_text(
        f"""
database: {db}
report: {tmp_path / "report.html"}
outlets:
  - name: sample
    snapshot: {SAMPLE}
schedule:
  interval_minutes: 0.25
""",
        encoding="utf-8",
    )
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "serve", "--config", str(config)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 420
        runs: list[tuple] = []
        while time.monotonic() < deadline and process.poll() is None:
            if published.exists():
                con = duckdb.connect(str(published), read_only=True)
                runs = con.execute("SELECT status FROM runs WHERE finished IS NOT NULL").fetchall()
                con.close()
                if len(runs) >= 2:
                    break
            time.sleep(2)
        assert len(runs) >= 2, (tmp_path / "serve.log").read_text()[-3000:]
        assert all(status == "completed" for (status,) in runs)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=90)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "started a Prefect server at http://127.0.0.1:" in output
    assert code == 0, output[-3000:]
