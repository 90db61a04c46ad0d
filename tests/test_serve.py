"""`accord serve` runs the pipeline at start and then on its schedule against a real Prefect server on the config's
port, prints commands that work as printed, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import duckdb
import httpx
import pytest

from tests.conftest import SAMPLE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def finished_runs(published) -> list[str]:
    if not published.exists():
        return []
    con = duckdb.connect(str(published), read_only=True)
    try:
        return [status for (status,) in con.execute("SELECT status FROM runs WHERE finished IS NOT NULL").fetchall()]
    finally:
        con.close()


def wait_for(condition, timeout: float, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            return True
        time.sleep(2)
    return False


@pytest.mark.slow
def test_serve_runs_at_start_on_its_port_and_its_printed_commands_work(tmp_path):
    port = free_port()
    published = tmp_path / "accord-published.duckdb"
    config = tmp_path / "config.yaml"
    config.write_text(
        f"""
database: {tmp_path / "accord.duckdb"}
report: {tmp_path / "report.html"}
outlets:
  - name: sample
    snapshot: {SAMPLE}
schedule:
  interval_minutes: 600   # the first scheduled run is hours away: a run within minutes is the run at start
serve:
  port: {port}
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
    output = lambda: (tmp_path / "serve.log").read_text()  # noqa: E731
    try:
        assert wait_for(lambda: len(finished_runs(published)) >= 1, 900, process), output()[-3000:]
        assert finished_runs(published) == ["completed"]
        api = f"http://127.0.0.1:{port}/api"
        assert httpx.get(f"{api}/health", timeout=5).status_code == 200  # the UI's fixed port from the config
        assert wait_for(lambda: "deployment run pipeline/accord" in output(), 120, process), output()[-3000:]
        assert f"    export PREFECT_API_URL={api}\n" in output()
        assert "accord: serving deployment pipeline/accord every 600 min" in output()
        # the banner's commands, run by a shell exactly as printed (once the deployment is registered)
        printed = [line.strip() for line in output().splitlines() if line.startswith("    ")]
        export, trigger = printed[0], printed[1]
        shell_env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}")
        shell_env.pop("PREFECT_API_URL", None)
        shell_env["PREFECT_HOME"] = str(tmp_path / "shell-home")
        deadline = time.monotonic() + 120
        while True:
            done = subprocess.run(
                ["bash", "-c", f"{export} && {trigger}"], env=shell_env, capture_output=True, text=True, timeout=120
            )
            if done.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(3)  # the deployment registers a moment after the first run
        assert done.returncode == 0, done.stdout + done.stderr
        assert wait_for(lambda: len(finished_runs(published)) >= 2, 900, process), output()[-3000:]
        assert finished_runs(published) == ["completed", "completed"]
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=90)
        log.close()
    assert f"started a Prefect server at http://127.0.0.1:{port}/api" in output()
    assert code == 0, output()[-3000:]
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)  # the server it started is gone


def test_serve_on_a_port_in_use_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = tmp_path / "config.yaml"
        config.write_text(
            f"database: {tmp_path / 'a.duckdb'}\noutlets:\n  - name: s\n    snapshot: {SAMPLE}\n"
            f"serve:\n  port: {port}\n",
            encoding="utf-8",
        )
        env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))
        env.pop("PREFECT_API_URL", None)
        done = subprocess.run(
            [sys.executable, "-m", "accord.cli", "serve", "--config", str(config)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"accord: error: serve: cannot listen on 127.0.0.1:{port} (already in use); set serve.port (and serve.host) "
        "in the config"
    ]
