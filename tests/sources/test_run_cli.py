"""Issue 3's done-check through the real command: `accord run --config FILE` against feeds on 127.0.0.1.

Real news pages the pipeline has never seen, mixed with broken feeds and failing pages; two runs of the CLI
(each with Prefect's engine), then the published database is read back with SQL.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

import duckdb
import pytest
import trafilatura

from accord.sources import canonical_url

from .fundus import load_pages, token_f1
from .test_collector import FAILING, NEWS_PAGES, news  # noqa: F401 (news: the fixture serving them)


def run_cli(config, tmp_path, name):
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli", "run", "--config", str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (tmp_path / f"{name}.log").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


@pytest.mark.slow
def test_accord_run_collects_real_pages_once_records_failures_and_rereads_with_304(tmp_path, news, url):  # noqa: F811
    local = lambda path: url(path, host="127.0.0.1")  # noqa: E731 (no test resolver in the CLI process)
    good_feed, partial_feed, missing_feed = (
        local("/news/feed.xml"),
        local("/feeds/allthis-partial.json"),
        local("/fault/404"),
    )
    config = tmp_path / "config.yaml"
    config.write_text(
        f"""
database: {tmp_path / "accord.duckdb"}
report: {tmp_path / "report.html"}
outlets:
  - name: Test News
    feeds: [{good_feed}, {partial_feed}, {missing_feed}]
fetch:
  allow_private_addresses: true
  per_host_delay: 0.05
  read_timeout: 2
  total_timeout: 3
""",
        encoding="utf-8",
    )
    run_cli(config, tmp_path, "first")
    published = tmp_path / "accord-published.duckdb"
    con = duckdb.connect(str(published), read_only=True)
    stored = dict(con.execute("SELECT url, text FROM articles").fetchall())
    failures = {row[0] for row in con.execute("SELECT url FROM fetch_log WHERE NOT ok").fetchall()}
    run_counts = con.execute("SELECT counts FROM runs").fetchall()
    con.close()

    expected = {canonical_url(local("/news/pages/" + p.removesuffix(".gz"))) for p in NEWS_PAGES}
    assert set(stored) == expected  # every good page, exactly once (the utm/# link and the redirect included)
    for path in FAILING:
        assert local(path) in failures, path
    assert {partial_feed, missing_feed} <= failures
    assert '"failed": ' in run_counts[0][0]

    # The stored text is at least as good as bare trafilatura on the same pages.
    pages = {p.html_path.relative_to(p.html_path.parents[1]).as_posix(): p for p in load_pages()}
    ours, bare = [], []
    for name in NEWS_PAGES:
        page = pages[name]
        ours.append(token_f1(stored[canonical_url(local("/news/pages/" + name.removesuffix(".gz")))], page.body))
        bare.append(token_f1(trafilatura.extract(page.html().decode("utf-8", "replace")) or "", page.body))
    assert statistics.mean(ours) >= statistics.mean(bare)

    news.not_modified.clear()
    page_hits_before = sum(n for path, n in news.hits.items() if path.startswith("/news/pages/"))
    run_cli(config, tmp_path, "second")
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == len(expected)
    second = con.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchall()[0][0]
    con.close()
    assert '"new_articles": 0' in second
    assert news.not_modified["/news/feed.xml"] == 1  # the unchanged feed cost a 304
    assert sum(n for path, n in news.hits.items() if path.startswith("/news/pages/")) == page_hits_before
