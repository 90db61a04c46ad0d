"""Fault matrix, collect: one bad source beside a good one loses nothing good. The bad one is a fetch_log row with
a clear error, the good feed's reports are stored, and the outlet's collect is not retried for a fault that cannot
pass (Prefect's 5 s + 30 s task retries are kept for I/O errors)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from prefect.states import Failed

from accord.config import settings_from_dict
from accord.stages import collect
from accord.store import Store

GOOD_PAGES = ["uk/TheGuardian_2024_02_24.html.gz", "us/Reuters_2024_03_07.html.gz"]

# (case id, the bad feed (a path on the test server, or a whole URL), what its fetch_log error must say)
BAD_FEEDS = [
    ("malformed IPv6 host", "http://[::1", "malformed URL"),
    ("malformed IPv6 host with path", "http://[::1/feed.xml", "malformed URL"),
    ("port out of range", "http://127.0.0.1:99999/feed.xml", "invalid URL|port"),
    ("no host", "http:///feed.xml", "no host"),
    ("file scheme", "file:///etc/passwd", "scheme 'file'"),
    ("unresolvable host", "http://no-such-host.invalid/feed.xml", "cannot resolve"),
    ("refused port", "http://127.0.0.1:9/feed.xml", "ConnectError"),
    ("404", "/fault/404", "HTTP 404"),
    ("500", "/fault/500", "HTTP 500"),
    ("feed never answers", "/fault/slow?delay=4", "timeout"),
    ("html instead of a feed", "/fault/html-as-feed", "not a feed"),
    ("redirect loop", "/redirect/loop-a", "loop"),
]


def config(tmp_path: Path, feeds: list[str]) -> dict:
    return {
        "database": str(tmp_path / "accord.duckdb"),
        "report": str(tmp_path / "report.html"),
        "outlets": [{"name": "Test News", "feeds": feeds}],
        "fetch": {
            "allow_private_addresses": True,
            "per_host_delay": 0,
            "connect_timeout": 1,
            "read_timeout": 1,
            "total_timeout": 2.5,
            "retries": 1,
            "backoff": 0.01,
        },
    }


@pytest.mark.parametrize("bad", [c[1] for c in BAD_FEEDS], ids=[c[0] for c in BAD_FEEDS])
def test_a_bad_feed_beside_a_good_one_is_logged_and_the_good_one_collected(tmp_path, server, url, bad):
    server.news_pages = list(GOOD_PAGES)
    local = lambda path: url(path, host="127.0.0.1")  # noqa: E731 (no test resolver in steps: the system's)
    bad_url = bad if "://" in bad else local(bad)
    expected_error = next(c[2] for c in BAD_FEEDS if c[1] == bad)
    settings = settings_from_dict(config(tmp_path, [bad_url, local("/news/feed.xml")]), tmp_path)
    with Store(settings.database) as store:
        run = store.start_run("test")
        counts = collect.collect_outlet(store, settings.outlets[0], settings, run)
        stored = store.scalar("SELECT count(*) FROM articles")
        logged = store.query("SELECT ok, error FROM fetch_log WHERE url = ?", [bad_url])
    assert stored == len(GOOD_PAGES) and counts.new_articles == len(GOOD_PAGES)
    assert len(logged) == 1 and not logged[0]["ok"]
    assert logged[0]["error"] and len(logged[0]["error"]) < 400
    assert re.search(expected_error, logged[0]["error"]), logged[0]["error"]


@pytest.mark.parametrize(
    "error, retried",
    [
        (ValueError("Invalid IPv6 URL"), False),
        (KeyError("feeds"), False),
        (RecursionError("maximum recursion depth exceeded"), False),
        (OSError(28, "No space left on device"), True),
        (duckdb.IOException("could not write"), True),
    ],
    ids=["ValueError", "KeyError", "RecursionError", "OSError", "duckdb.IOException"],
)
def test_an_outlets_collect_is_retried_only_for_faults_that_may_pass(error, retried):
    from accord.flows.pipeline import _transient, collect_outlet

    assert collect_outlet.retry_condition_fn is _transient
    assert _transient(collect_outlet, None, Failed(data=error)) is retried
