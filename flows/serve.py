"""`accord serve`: the pipeline deployment on config.yaml's schedule, against a Prefect API.

Uses PREFECT_API_URL when set; otherwise starts a local `prefect server start` for as long as it serves.
SIGTERM or SIGINT stops serving, then the server it started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from accord.errors import AccordError


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(timeout: float = 60.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start a Prefect server on a free loopback port; return it and its API URL once healthy."""
    port = _free_port()
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AccordError(f"prefect server exited with code {process.returncode} before it was healthy")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return process, api
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(process)
    raise AccordError(f"prefect server did not become healthy within {timeout:.0f} s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by start_server: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def serve_with_server(config_path: Path) -> int:
    """Serve the scheduled pipeline until SIGTERM/SIGINT. Returns the exit code."""
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server, api = start_server()
        os.environ["PREFECT_API_URL"] = api
        print(f"accord: started a Prefect server at {api} (UI: {api.removesuffix('/api')})", flush=True)

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        from accord.flows.pipeline import serve

        serve(config_path)
    except KeyboardInterrupt:
        print("accord: stopping", flush=True)
    finally:
        if server is not None:
            stop_server(server)
    return 0
