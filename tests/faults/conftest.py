"""Fixtures of the fault matrix: the collect tests' real local HTTP server (tests/sources/httpserver.py), its
resolver and fast fetch settings, and helpers to run real `accord` processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.sources.conftest import Sleeps, _server, server, settings, sleeps, test_resolver, url  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def accord_env(tmp_path: Path) -> dict[str, str]:
    """The environment of an `accord` subprocess: its own Prefect home, no Prefect API (the temporary server)."""
    env = dict(
        os.environ,
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
    )
    env.pop("PREFECT_API_URL", None)
    return env


def accord_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "accord.cli", *args]


def run_accord(tmp_path: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `accord ARGS` to its end; return the finished process (output as text)."""
    return subprocess.run(
        accord_command(*args), env=accord_env(tmp_path), capture_output=True, text=True, timeout=timeout
    )
