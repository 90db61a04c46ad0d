"""`accord serve`: one run at start, then the pipeline deployment on config.yaml's schedule, against a Prefect API.

Uses PREFECT_API_URL when set; otherwise starts a local `prefect server start` on the config's `serve.host` and
`serve.port` (default 127.0.0.1:4200, so the UI keeps its address across restarts) for as long as it serves.
SIGTERM or SIGINT stops serving, then the server it started.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from accord.errors import AccordError

if TYPE_CHECKING:
    from accord.config import Settings

DEPLOYMENT = "pipeline/accord"


def port_problem(host: str, port: int) -> str | None:
    """Return why a server cannot listen on host:port (in use, not an address of this machine), or None."""
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError as error:
            reason = "already in use" if error.errno == errno.EADDRINUSE else (error.strerror or str(error))
            return f"serve: cannot listen on {host}:{port} ({reason}); set serve.port (and serve.host) in the config"
    return None


def start_server(
    host: str = "127.0.0.1", port: int = 4200, timeout: float = 300.0
) -> tuple[subprocess.Popen[bytes], str]:
    """Start a Prefect server on host:port; return it and its API URL once healthy."""
    problem = port_problem(host, port)
    if problem:
        raise AccordError(problem)
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    api = f"http://{shown}:{port}/api"
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


def _prefect_command() -> str:
    """Return how to call this interpreter's Prefect CLI from a shell: `prefect` when that is the one on PATH."""
    found = shutil.which("prefect")
    here = Path(sys.executable).parent / "prefect"
    if found and Path(found).resolve() == here.resolve():
        return "prefect"
    return f"{shlex.quote(sys.executable)} -m prefect"


def banner(api: str, started: bool) -> str:
    """The first lines `accord serve` prints: where the server and its UI are."""
    ui = api.removesuffix("/api")
    where = "started a Prefect server" if started else "using the Prefect server"
    return f"accord: {where} at {api} (UI: {ui})\naccord: a first run starts now"


def serving(api: str, started: bool, schedule: str) -> str:
    """The lines `accord serve` prints once the deployment is served: the schedule, and commands that work as
    printed from another shell."""
    prefect = _prefect_command()
    lines = [
        f"accord: serving deployment {DEPLOYMENT} {schedule}",
        "accord: to start a run by hand, or list runs, from another shell:",
        f"    export PREFECT_API_URL={api}",
        f"    {prefect} deployment run {DEPLOYMENT}",
        f"    {prefect} flow-run ls",
        "accord: Ctrl-C or SIGTERM stops serving" + (" and the server" if started else ""),
    ]
    return "\n".join(lines)


def _schedule(settings: Settings) -> tuple[dict[str, Any], str]:
    if settings.schedule.cron:
        return {"cron": settings.schedule.cron}, f"on cron {settings.schedule.cron!r}"
    minutes = settings.schedule.interval_minutes or 60
    return {"interval": minutes * 60}, f"every {minutes:g} min"


def serve_with_server(config_path: Path, settings: Settings | None = None) -> int:
    """Run the pipeline once, then serve it on the config's schedule until SIGTERM/SIGINT. Returns the exit code.

    Uses PREFECT_API_URL when set; otherwise starts a Prefect server on `serve.host`:`serve.port` for as long as it
    serves, and stops it after."""
    from accord.config import load_settings

    settings = settings or load_settings(config_path)
    server = None
    api = os.environ.get("PREFECT_API_URL", "")
    if not api:
        where = f"{settings.serve.host}:{settings.serve.port}"
        print(f"accord: starting a Prefect server on {where} (up to a minute or two on a busy machine)", flush=True)
        server, api = start_server(settings.serve.host, settings.serve.port)
        os.environ["PREFECT_API_URL"] = api
    schedule, described = _schedule(settings)
    print(banner(api, server is not None), flush=True)

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        from accord.flows.pipeline import pipeline

        config = str(Path(config_path).resolve())
        try:
            result = pipeline(config_path=config)
            print(f"accord: first run {result.get('run')} {result.get('status')}", flush=True)
        except KeyboardInterrupt:
            raise
        except Exception as error:  # noqa: BLE001 (the schedule still serves: the next run may succeed)
            print(f"accord: first run failed: {type(error).__name__}: {error}", flush=True)
        print(serving(api, server is not None, described), flush=True)
        pipeline.serve(name="accord", parameters={"config_path": config}, print_starting_message=False, **schedule)
    except KeyboardInterrupt:
        print("accord: stopping", flush=True)
    finally:
        if server is not None:
            stop_server(server)
    return 0
