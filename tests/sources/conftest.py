"""Fixtures of the collect tests: the local HTTP server, a resolver for its virtual hosts, fast settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from accord.sources import FetchSettings

from .httpserver import ServerState, start_server

# Host names the tests use; every *.test name is this server on 127.0.0.1, except the ones mapped elsewhere,
# which must never receive traffic (the refusal is what is tested).
ELSEWHERE = {"internal.test": ["10.0.0.5"], "metadata.test": ["169.254.169.254"], "mixed.test": ["8.8.8.8", "10.1.1.1"]}


def test_resolver(host: str) -> list[str]:
    """Resolve *.test names: loopback for the server, refused ranges for ELSEWHERE; fail for anything else."""
    if host in ELSEWHERE:
        return ELSEWHERE[host]
    if host.endswith(".test") or host == "localhost":
        return ["127.0.0.1"]
    raise OSError(f"test resolver does not know {host!r}")


test_resolver.__test__ = False  # type: ignore[attr-defined]  # not a test, despite the name


class Sleeps(list[float]):
    """A sleep strategy that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(scope="session")
def _server() -> Iterator[object]:
    server, _thread = start_server()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(_server) -> Iterator[ServerState]:
    """The running server's state, reset for this test; `server.url(path, host)` builds URLs."""
    state: ServerState = _server.state
    state.reset()
    yield state


@pytest.fixture
def url(server: ServerState):
    def make(path: str, host: str = "news.test") -> str:
        return f"http://{host}:{server.port}{path}"

    return make


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def settings() -> FetchSettings:
    """Fast settings: short timeouts, no per-host delay, loopback allowed."""
    return FetchSettings(
        user_agent="accord-test-bot/1.0",
        connect_timeout=1.0,
        read_timeout=1.0,
        total_timeout=2.5,
        max_bytes=3_000_000,
        per_host_delay=0.0,
        retries=2,
        backoff=0.01,
        max_retry_after=5.0,
        allow_private_addresses=True,
    )
