"""The analyst's views, the published copy, and the HTML report (rendered in headless Chromium)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from accord.errors import StoreError
from accord.report import VIEWS, create_views, format_toll, write_report
from accord.store import Store, publish_copy
from tests.conftest import ROOT, system_binary
from tests.publish_data import SCORES, add_articles, add_scores, populated  # noqa: F401  (populated is a fixture)

DOCS = (ROOT / "README.md").read_text(encoding="utf-8")


def documented_columns() -> dict[str, list[str]]:
    """Return each view's columns as the README lists them."""
    found = {}
    for match in re.finditer(r"^#### `(\w+)`\n(.*?)^Columns: (.*?)(?:\n\n|\Z)", DOCS, re.M | re.S):
        found[match[1]] = re.findall(r"`(\w+)`", match[3])
    return found


def columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {view}").fetchall()]


def test_every_view_is_documented_and_returns_rows_with_the_documented_columns(populated):  # noqa: F811
    docs = documented_columns()
    assert set(docs) == set(VIEWS), "the README and report.VIEWS name different views"
    with Store(populated) as store:
        create_views(store.con)
        create_views(store.con)  # idempotent
        store.con.execute(
            "INSERT INTO alerts (id, story_id, state, channel, created) VALUES (1, 's-idlib', 'divergent', 'x', now())"
        )
        for view, expected in docs.items():
            assert columns(store.con, view) == expected, view
            assert store.scalar(f"SELECT count(*) FROM {view}") > 0, f"{view} returns no rows"


def test_story_accounts_hold_the_chosen_toll_with_its_sentence(populated):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
        rows = store.query("SELECT * FROM story_accounts WHERE story_id = 's-idlib' ORDER BY published")
    assert [r["outlet"] for r in rows] == ["Orient", "Reuters", "AFP", "SOHR", "SANA"]
    sohr = rows[3]
    assert (sohr["killed"], sohr["killed_low"], sohr["killed_high"]) == (78.0, 78, 78)
    assert sohr["killed_sentence"] == "The Observatory documented 78 dead in the raids."
    assert (sohr["perpetrator"], sohr["stance"]) == ("russia", "asserted")
    assert all(r["killed"] != 380000 for r in rows), "a running total leaked in as the incident's toll"
    assert [r["is_copy"] for r in rows] == [False, False, True, False, False]
    assert rows[4]["killed"] is None and rows[4]["perpetrator"] == "terrorists"


def test_divergent_stories_are_the_latest_runs_most_divergent_first(populated):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
        latest = store.scalar("SELECT max(id) FROM runs")
        rows = store.query("SELECT * FROM divergent_stories")
        overview = {r["story_id"]: r for r in store.query("SELECT * FROM stories_overview")}
        history = store.query("SELECT * FROM story_history WHERE story_id = 's-idlib' ORDER BY run_id")
        reliability = store.query("SELECT * FROM outlet_reliability_history WHERE outlet = 'SANA' ORDER BY run_id")
    assert [(r["story_id"], r["grade"]) for r in rows] == [("s-idlib", "divergent"), ("s-aleppo", "contested")]
    assert {r["run_id"] for r in rows} == {latest}
    assert overview["s-idlib"]["articles"] == 5 and overview["s-idlib"]["voices"] == 4
    assert overview["s-idlib"]["outlets"] == 5 and overview["s-idlib"]["latest_grade"] == "divergent"
    assert [h["grade"] for h in history] == ["corroborated", "contested", "divergent"]
    assert history[2]["previous_grade"] == "contested"
    assert history[2]["divergence_change"] == pytest.approx(0.86 - 0.62)
    assert [r["weight"] for r in reliability] == [0.6, 0.5, 0.4]
    assert reliability[1]["weight_change"] == pytest.approx(-0.1)


_HOLD_WRITER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])          # read-write: DuckDB locks the file against other processes
    con.execute("CREATE TABLE IF NOT EXISTS busy (x INTEGER)")
    con.execute("INSERT INTO busy VALUES (1)")
    print("holding", flush=True)
    sys.stdin.readline()
    con.close()
    """
)


def test_published_copy_opens_read_only_while_a_writer_holds_the_original(populated, tmp_path):  # noqa: F811
    published = publish_copy(populated, tmp_path / "published" / "accord.duckdb")
    writer = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITER, str(populated)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
        with pytest.raises(duckdb.IOException):  # the original is locked, readers included
            duckdb.connect(str(populated), read_only=True)
        reader = duckdb.connect(str(published), read_only=True)
        try:
            for view in VIEWS:
                if view != "alert_log":  # no alerts in this database
                    assert reader.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0] > 0, view
            assert reader.execute("SELECT story_id FROM divergent_stories").fetchall()[0] == ("s-idlib",)
        finally:
            reader.close()
    finally:
        assert writer.stdin is not None
        writer.stdin.write("\n")
        writer.stdin.close()
        writer.wait(timeout=30)
    assert writer.returncode == 0


def test_republishing_replaces_the_copy_under_an_open_reader(populated, tmp_path):  # noqa: F811
    target = tmp_path / "published.duckdb"
    publish_copy(populated, target)
    reader = duckdb.connect(str(target), read_only=True)
    with Store(populated) as store:
        add_scores(store, {"s-homs": ("divergent", 0.9, 2, 2, 9.0, None)})
    publish_copy(populated, target)
    try:  # the open reader keeps the copy it opened
        assert reader.execute("SELECT count(*) FROM divergent_stories").fetchall()[0][0] == 2
    finally:
        reader.close()
    fresh = duckdb.connect(str(target), read_only=True)
    try:
        assert fresh.execute("SELECT story_id FROM divergent_stories").fetchall() == [("s-homs",)]
    finally:
        fresh.close()
    assert not list(tmp_path.glob(".*partial*")), "a partial copy was left behind"


def test_publishing_refuses_a_database_whose_writer_is_open(populated, tmp_path):  # noqa: F811
    store = Store(populated)
    try:
        store.con.execute("INSERT INTO meta VALUES ('open-writer', 'yes')")
        with pytest.raises(StoreError, match="write-ahead log"):
            publish_copy(populated, tmp_path / "published.duckdb")
    finally:
        store.close()
    assert not (tmp_path / "published.duckdb").exists()


def test_report_on_a_read_only_database_without_views(populated, tmp_path):  # noqa: F811
    con = duckdb.connect(str(populated), read_only=True)
    try:
        path = write_report(con, tmp_path / "out" / "report.html")
    finally:
        con.close()
    assert "Air strikes hit training camp in Idlib" in path.read_text(encoding="utf-8")


def test_report_of_an_empty_database(tmp_path):
    with Store(tmp_path / "empty.duckdb") as store:
        html = write_report(store.con, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "No run has been scored yet" in html and "No data yet." in html


@pytest.mark.parametrize(
    ("point", "low", "high", "text"),
    [
        (78.0, 78, 78, "78"),
        (None, 20, None, "at least 20"),
        (36.0, 24, 96, "24–96 (~36)"),
        (None, None, None, "—"),
        (1500.0, None, None, "1,500"),
    ],
)
def test_format_toll(point, low, high, text):
    assert format_toll(point, low, high) == text


def _chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            system_binary("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={user_data}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_report_renders_in_chromium_divergent_first_and_escaped(populated, tmp_path):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
        path = write_report(store.con, tmp_path / "report.html", title="accord <test> report")
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "<link" not in html and "src=" not in html, "the report must not load anything"

    dom = _chromium("--dump-dom", path.as_uri(), user_data=tmp_path / "chrome-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console
    body = dom.stdout
    assert "<script" not in body.lower(), "article text became markup"
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in body
    assert "javascript:" not in re.sub(r">[^<]*<", "><", body), "a javascript: URL became a link"
    assert "<b>terrorist</b>" not in body and "&lt;b&gt;terrorist&lt;/b&gt;" in body
    stories = re.findall(r'data-story="([^"]+)"', body)
    assert stories == ["s-idlib", "s-aleppo"], "divergent stories must come first, most divergent first"
    assert body.index("s-aleppo") < body.index("Other stories")
    for outlet in ("Orient", "Reuters", "AFP", "SOHR", "SANA"):
        assert outlet in body[: body.index('data-story="s-aleppo"')]
    assert 'href="https://sohr.example/78"' in body
    assert body.count("<svg") == 2 and body.count("<polyline") >= 2 + 8

    shot = tmp_path / "report.png"
    result = _chromium(
        f"--screenshot={shot}", "--window-size=1280,2000", path.as_uri(), user_data=tmp_path / "chrome-shot"
    )
    assert result.returncode == 0 and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_scores_of_every_run_are_plotted(populated, tmp_path):  # noqa: F811
    with Store(populated) as store:
        html = write_report(store.con, tmp_path / "report.html").read_text(encoding="utf-8")
    runs = len(SCORES)
    # one point per run for each plotted story (idlib, aleppo) and each outlet (8)
    assert html.count("<circle") == 2 * runs + 8 * runs


def test_report_rows_match_the_sample_articles(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        add_articles(store)
        add_scores(store, {"s-aleppo": ("contested", 0.7, 2, 2, 12.0, None)})
        html = write_report(store.con, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Between 10 and 15 people died." in html and "10–15 (~12)" in html
    assert "Air strikes hit training camp in Idlib" not in html, "stories not scored in the latest run are left out"
