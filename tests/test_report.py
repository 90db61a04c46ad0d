"""The analyst's views, the published copy, and the HTML report (rendered in headless Chromium)."""

from __future__ import annotations

import html as htmllib
import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from accord.errors import StoreError
from accord.report import (
    NO_LINK,
    VIEWS,
    Series,
    create_views,
    format_toll,
    series_style,
    time_chart,
    write_report,
)
from accord.store import Store, publish_copy
from accord.views import column_comment
from tests.conftest import ROOT
from tests.publish_data import (  # noqa: F401  (populated is a fixture)
    SCORES,
    T0,
    VERDICTS,
    add_articles,
    add_scores,
    populated,
)

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
NO_CHROMIUM = (
    "SKIPPED: headless Chromium not found (looked for `chromium` on PATH and /usr/bin/chromium), so the report's "
    "rendering, phone-width overflow and screenshot checks did not run. Install it: `bash .ci/system-deps` "
    "(as root; Debian/Ubuntu: `apt-get install chromium`)"
)
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
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
    assert set(docs) == set(VIEWS), "the README and views.VIEWS name different views"
    with Store(populated) as store:
        create_views(store.con)
        create_views(store.con)  # idempotent
        store.con.execute(
            "INSERT INTO alerts (id, story_id, state, channel, created) VALUES (1, 's-idlib', 'divergent', 'x', now())"
        )
        for view, expected in docs.items():
            assert columns(store.con, view) == expected, view
            assert store.scalar(f"SELECT count(*) FROM {view}") > 0, f"{view} returns no rows"


def test_every_view_and_column_carries_its_comment_in_the_database(populated, tmp_path):  # noqa: F811
    published = publish_copy(populated, tmp_path / "published.duckdb")
    con = duckdb.connect(str(published), read_only=True)
    try:
        views = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
        cols = con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [list(VIEWS)],
        ).fetchall()
    finally:
        con.close()
    assert {v: views.get(v) for v in VIEWS} == VIEWS
    missing = [f"{t}.{c}" for t, c, comment in cols if not comment]
    assert missing == [], f"columns without a comment: {missing}"
    assert len(cols) > 100
    assert column_comment("disagreements", "toll_ratio").startswith("highest_toll / lowest_toll")


def test_one_vocabulary_and_whole_number_counts(populated):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
        types = {
            (t, c): ty
            for t, c, ty in store.con.execute(
                "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE table_name IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [list(VIEWS)],
            ).fetchall()
        }
    names = {c for _, c in types}
    assert "title" not in names and "contested" not in names and "outlets" not in names
    for (view, column), kind in types.items():
        if (
            column.endswith("_count")
            or column in ("killed", "injured", "value", "low", "high")
            or (column.startswith("consensus_") and column != "consensus_perpetrator")
        ):
            assert kind == "BIGINT", (view, column, kind)
    assert types[("latest_scores", "attribution_contested")] == "BOOLEAN"
    assert ("story_accounts", "article_title") in types and ("story_accounts", "story_title") in types


def test_story_accounts_hold_the_chosen_toll_with_its_sentence(populated):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
        rows = store.query("SELECT * FROM story_accounts WHERE story_id = 's-idlib' ORDER BY published")
        daraa = store.query("SELECT * FROM story_accounts WHERE story_id = 's-daraa'")
    assert [r["outlet"] for r in rows] == ["Orient", "Reuters", "AFP", "SOHR", "SANA"]
    sohr = rows[3]
    assert (sohr["killed"], sohr["killed_low"], sohr["killed_high"]) == (78, 78, 78)
    assert str(sohr["killed"]) == "78", "a toll prints as a whole number"
    assert sohr["killed_sentence"] == "The Observatory documented 78 dead in the raids."
    assert (sohr["perpetrator"], sohr["stance"]) == ("russia", "asserted")
    assert all(r["killed"] != 380000 for r in rows), "a running total leaked in as the incident's toll"
    assert [r["is_copy"] for r in rows] == [False, False, True, False, False]
    assert rows[4]["killed"] is None and rows[4]["perpetrator"] == "terrorists"
    assert {r["story_title"] for r in rows} == {"Air strikes hit training camp in Idlib"}
    # a story without a title reads as its first report's title; an undated report stays undated
    assert daraa[0]["story_title"] == "IED kills soldier near Daraa" and daraa[0]["published"] is None


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
    assert rows[0]["killed_verdict"] == "divergent" and rows[0]["attribution_contested"] is True
    assert rows[0]["headline"].startswith("The death toll drove the grade")
    assert overview["s-idlib"]["article_count"] == 5 and overview["s-idlib"]["voice_count"] == 4
    assert overview["s-idlib"]["outlet_count"] == 5 and overview["s-idlib"]["latest_grade"] == "divergent"
    assert overview["s-idlib"]["outlet_names"] == "AFP, Orient, Reuters, SANA, SOHR"
    assert overview["s-idlib"]["last_published"] == T0 + timedelta(minutes=120)
    # collected 30 days later, but undated: no publication time, counted as undated
    assert overview["s-daraa"]["last_published"] is None and overview["s-daraa"]["undated_count"] == 1
    assert [h["grade"] for h in history] == ["corroborated", "contested", "divergent"]
    assert history[2]["previous_grade"] == "contested"
    assert history[2]["divergence_change"] == pytest.approx(0.86 - 0.62)
    assert [r["weight"] for r in reliability] == [0.6, 0.5, 0.4]
    assert reliability[1]["weight_change"] == pytest.approx(-0.1)


def test_disagreements_answer_who_says_what_by_how_much_in_one_query(populated):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
        rows = store.query("SELECT * FROM disagreements")
    assert {(r["story_id"], r["question"]) for r in rows} == {
        ("s-idlib", "killed"),
        ("s-idlib", "attribution"),
        ("s-aleppo", "attribution"),
    }, "only disputed questions of the latest run, agreeing ones (Aleppo's toll) left out"
    killed = [r for r in rows if r["story_id"] == "s-idlib" and r["question"] == "killed"]
    assert [(r["value"], r["voice_outlets"]) for r in killed] == [(36, "Reuters, AFP"), (60, "Orient"), (78, "SOHR")]
    assert {(r["lowest_toll"], r["highest_toll"], r["toll_ratio"], r["voice_count"]) for r in killed} == {
        (36, 78, 2.17, 3)
    }
    sohr = killed[2]
    assert sohr["sentence"] == "The Observatory documented 78 dead in the raids."
    assert sohr["url"] == "https://sohr.example/78" and sohr["article_title"] == "78 dead in Russian raids on Idlib"
    assert sohr["published"] == T0 + timedelta(minutes=90)
    blame = [r for r in rows if r["story_id"] == "s-aleppo"]
    assert [(r["actor"], r["stance"], r["speaker"], r["outlet"]) for r in blame] == [
        ("isis", "claimed", "Islamic State", "Reuters"),
        ("ypg", "accused", "officials", "Anadolu"),
    ]
    assert {r["position_count"] for r in blame} == {2} and blame[0]["lowest_toll"] is None
    assert rows[0]["story_id"] == "s-idlib", "most divergent story first"


def test_views_module_prints_the_disagreements_and_store_does_not_import_the_report(populated):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
    env = {"PYTHONPATH": f"{ROOT / 'src'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "accord.views", str(populated)], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "Air strikes hit training camp in Idlib" in out.stdout and "Officials accused YPG" in out.stdout
    assert "no link in the source data" not in out.stdout  # every disputed voice here has a link
    failed = subprocess.run(
        [sys.executable, "-m", "accord.views", str(populated), "SELECT nope FROM disagreements"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert failed.returncode == 1 and failed.stderr.startswith("query failed:")
    imports = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, accord.store; print(sorted(m for m in sys.modules if m.startswith('accord')))",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert imports.returncode == 0, imports.stderr
    assert "accord.report" not in imports.stdout and "accord.views" in imports.stdout


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


def _story_html(html: str, story: str) -> str:
    start = html.index(f'data-story="{story}"')
    end = html.find("</article>", start)
    return html[start:end]


def test_headline_says_which_question_drove_the_grade_and_quotes_the_sentences(populated, tmp_path):  # noqa: F811
    with Store(populated) as store:
        html = write_report(store.con, tmp_path / "report.html").read_text(encoding="utf-8")
    idlib = _story_html(html, "s-idlib")
    assert "The death toll drove the grade: 36 against 78 killed" in idlib
    assert "The death toll diverges: 36 (Reuters, AFP) against 78 (SOHR)" in idlib
    assert "The Observatory documented 78 dead in the raids." in idlib
    assert 'href="https://sohr.example/78"' in idlib
    # SANA's link is a javascript: URL: shown as no link, never as an empty or live link
    sana = idlib[idlib.index("<b>SANA</b>") :]
    assert sana[: sana.index("</li>")].count(NO_LINK) == 1 and 'href="javascript' not in idlib
    aleppo = _story_html(html, "s-aleppo")
    assert "Attribution drove the grade" in aleppo and "Officials accused YPG militants of the bombing." in aleppo
    assert 'data-question="killed"' not in aleppo, "an agreeing toll is no dispute"


def test_untitled_undated_and_unlinked_stories_read_as_such(populated, tmp_path):  # noqa: F811
    with Store(populated) as store:
        html = write_report(store.con, tmp_path / "report.html").read_text(encoding="utf-8")
    row = html[html.index('data-other="s-daraa"') :]
    row = row[: row.index("</tr>")]
    assert "IED kills soldier near Daraa" in row and "s-daraa</td>" not in row
    assert "undated" in row and "2024-06-01" not in row, "an undated report shown with its collection time"
    assert f"({NO_LINK})" in row and "href" not in row
    homs = html[html.index('data-other="s-homs"') :]
    assert 'href="https://reuters.example/homs"' in homs[: homs.index("</tr>")], "a story links its first report"


def _divergence_svg(html: str) -> str:
    section = html[html.index('id="divergence-over-time"') :]
    return section[section.index("<svg") : section.index("</svg>")]


def _points(svg: str) -> list[int]:
    """Return the number of plotted points of each series (its markers, legend excluded)."""
    return [group.count("<use ") for group in re.findall(r'<g id="series-\d+">.*?</g>', svg, re.S)]


def _legend_labels(svg: str) -> list[str]:
    return [htmllib.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_every_divergent_story_is_plotted_against_time_and_outlets_are_told_apart(tmp_path):
    """12 divergent stories over 3 runs and 14 outlets: none left out, every outlet named with its own marker."""
    outlets = [f"Outlet {chr(65 + i)}" for i in range(14)]
    with Store(tmp_path / "many.duckdb") as store:
        with store.transaction():
            for n in range(12):
                store.con.execute("INSERT INTO stories (id, title) VALUES (?, ?)", [f"s{n:02d}", f"Story number {n}"])
                for k in range(2):
                    store.con.execute(
                        "INSERT INTO articles (id, seq, outlet, title, text, published, fetched, content_hash, "
                        "story_id) VALUES (?, ?, ?, 't', 'x', ?, ?, 'h', ?)",
                        [f"a{n}-{k}", n * 2 + k, outlets[(n + k) % 14], T0, T0, f"s{n:02d}"],
                    )
        for run in range(3):
            run_id = add_scores(store, {f"s{n:02d}": ("divergent", 0.5 + n / 30, 2, 2, 10.0, None) for n in range(12)})
            store.insert_rows(
                "outlet_reliability",
                [
                    {"run_id": run_id, "outlet": o, "scored_at": T0 + timedelta(days=run), "weight": 1 + i / 20}
                    for i, o in enumerate(outlets)
                ],
            )
        html = write_report(store.con, tmp_path / "report.html").read_text(encoding="utf-8")
    assert len(re.findall(r'data-story="s\d\d"', html)) == 12
    svg = _divergence_svg(html)
    labels = _legend_labels(svg)
    for n in range(12):
        assert any(label.startswith(f"{n + 1}. Story number") for label in labels), n
        assert str(n + 1) in labels, f"story {n + 1} is not named beside its line"
    assert _points(svg) == [3] * 12, "every story's three runs"
    reliability = html[html.index('id="reliability"') :]
    reliability = reliability[reliability.index("<svg") : reliability.index("</svg>")]
    for outlet in outlets:  # more than MAX_END_LABELS: named in the legend, by colour and marker
        assert _legend_labels(reliability).count(outlet) == 1, f"{outlet}: one legend entry"
    styles = [series_style(i) for i in range(len(outlets))]
    assert len(set(styles)) == 14 and len({marker for _, marker in styles}) == 10
    markers = set(re.findall(r'<path id="(m[0-9a-f]+)"', reliability))
    assert len(markers) >= 10, "outlets share marker shapes"
    # real time on the x axis: the runs' dates, not run numbers
    assert {"May-03", "May-04"} <= set(_legend_labels(reliability)), "the x axis is not the runs' dates"


def test_one_run_is_a_legible_chart_with_its_point_marked():
    svg = str(
        time_chart(
            [Series("only story", [(datetime(2024, 5, 2, 9, 0), 0.8)], tag="1")],
            y_label="divergence",
            description="one point",
            y_min=0,
            y_max=1,
        )
    )
    assert svg.startswith("<svg") and 'width="100%"' in svg and "<?xml" not in svg
    assert _points(svg) == [1], "the one point is marked"
    assert "only story" in _legend_labels(svg) and "09:00" in " ".join(_legend_labels(svg))


def test_a_dollar_in_a_title_is_text_not_mathtext():
    svg = str(time_chart([Series("paid $5 and $6", [(T0, 1.0)])], y_label="y", description="d"))
    assert "paid $5 and $6" in _legend_labels(svg)


def _chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={user_data}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )


def _framed(report: str, width: int, height: int) -> str:
    """A page that shows `report` in a `width` px frame and writes the frame's scroll and client widths into the
    DOM (headless Chromium's window is at least 500 px wide, so a phone's 390 px is a frame)."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} '
        f"iframe{{border:0;width:{width}px;height:{height}px}}</style></head><body>"
        f'<iframe id="f" srcdoc="{htmllib.escape(report, quote=True)}"></iframe>'
        '<script>window.addEventListener("load", function () {'
        'var d = document.getElementById("f").contentDocument.documentElement;'
        'document.body.setAttribute("data-widths", d.scrollWidth + "x" + d.clientWidth); });</script></body></html>'
    )


def _frame_widths(report: str, width: int, tmp_path: Path, name: str) -> tuple[int, int]:
    page = tmp_path / f"{name}.html"
    page.write_text(_framed(report, width, 2400), encoding="utf-8")
    dom = _chromium("--window-size=500,2400", "--dump-dom", page.as_uri(), user_data=tmp_path / f"chrome-{name}")
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'data-widths="(\d+)x(\d+)"', dom.stdout)
    assert found, "the measuring page did not run"
    return int(found[1]), int(found[2])


def _not_blank(png: Path) -> float:
    """Return the share of the screenshot's pixels that are not the background."""
    from PIL import Image

    image = Image.open(io.BytesIO(png.read_bytes())).convert("L")
    histogram = image.histogram()
    return 1 - max(histogram) / sum(histogram)


@needs_chromium
def test_report_renders_in_chromium_divergent_first_and_escaped(populated, tmp_path):  # noqa: F811
    with Store(populated) as store:
        create_views(store.con)
        path = write_report(store.con, tmp_path / "report.html", title="accord <test> report")
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "http://" not in html.replace("http://www.w3.org/", "")
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
    # two toll charts (one per divergent story), divergence and reliability over time
    assert body.count("<svg") == 4


@needs_chromium
def test_report_fits_a_phone_and_a_desktop_and_is_not_blank(populated, tmp_path):  # noqa: F811
    with Store(populated) as store:
        report = write_report(store.con, tmp_path / "report.html").read_text(encoding="utf-8")
    for width in (390, 1280):
        scroll, client = _frame_widths(report, width, tmp_path, f"w{width}")
        assert scroll <= client, f"the report overflows {width} px horizontally: {scroll} px wide in {client} px"
    # the measurement can fail: a page wider than the frame is caught
    scroll, client = _frame_widths('<div style="width:900px">wide</div>', 390, tmp_path, "wide")
    assert scroll > client
    for width, window in ((390, "500,2400"), (1280, "1280,2400")):
        page = tmp_path / f"shot{width}.html"
        page.write_text(_framed(report, width, 2400), encoding="utf-8")
        shot = tmp_path / f"report-{width}.png"
        result = _chromium(
            f"--screenshot={shot}", f"--window-size={window}", page.as_uri(), user_data=tmp_path / f"c{width}"
        )
        assert result.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", result.stderr[-2000:]
        assert _not_blank(shot) > 0.03, f"the {width} px screenshot is blank"
    blank = tmp_path / "blank.png"
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>", encoding="utf-8")
    _chromium(f"--screenshot={blank}", "--window-size=500,800", empty.as_uri(), user_data=tmp_path / "cblank")
    assert _not_blank(blank) < 0.001


def test_report_rows_match_the_sample_articles(tmp_path):
    with Store(tmp_path / "a.duckdb") as store:
        add_articles(store)
        add_scores(store, {"s-aleppo": ("contested", 0.7, 2, 2, 12.0, None)})
        html = write_report(store.con, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Between 10 and 15 people died." in html and "10–15 (~12)" in html
    assert "Air strikes hit training camp in Idlib" not in html, "stories not scored in the latest run are left out"
    assert "Graded contested" in html, "without a stored verdict the headline says what the grade rests on"


def test_mojibake_is_repaired_where_snapshot_text_enters(tmp_path):
    from accord.sources.snapshot import read_snapshot

    snapshot = tmp_path / "s.jsonl"
    records = [
        {"id": "r1", "outlet": "o", "title": "Toll \x95 update", "text": "Zwei Tote fÃ¼r die Stadt."},
        {"id": "r2", "outlet": "o", "title": "“Plain” title", "text": "Nothing to repair &amp; nothing changed."},
    ]
    snapshot.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first, second = read_snapshot(snapshot)
    assert (first.title, first.text) == ("Toll • update", "Zwei Tote für die Stadt.")
    assert (second.title, second.text) == (records[1]["title"], records[1]["text"])
    # the bundled sample's stray \x95 byte never reaches the store
    sample = ROOT / "data" / "sample" / "fakes-sample.jsonl"
    assert "\x95" in sample.read_text(encoding="utf-8")
    assert not any(re.search("[\x80-\x9f]", a.title + a.text) for a in read_snapshot(sample))


def _demo_server():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import demo_server
    finally:
        sys.path.pop(0)
    return demo_server


def test_demo_outlets_are_collected_by_feed_and_page_from_the_local_server():
    """The demo's real collection path: demo.yaml's feeds, read over HTTP from tools/demo_server.py, give articles
    that link to their saved pages, with the feed's publication date."""
    from accord.config import load_settings
    from accord.sources.collector import Collector
    from accord.sources.settings import FetchSettings, OutletSource

    attribution = (ROOT / "data" / "demo" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "MIT" in attribution and (ROOT / "data" / "demo" / "LICENSE.fundus-MIT.txt").exists()
    settings = load_settings(ROOT / "demo.yaml")
    server = _demo_server().start("127.0.0.1", 0)  # any free port: the server rewrites the feeds' links to it
    port = server.server_address[1]
    try:
        fetch = FetchSettings(**{**settings.fetch.model_dump(), "per_host_delay": 0.0})
        articles = []
        with Collector(fetch) as collector:
            for outlet in settings.outlets:
                if not outlet.feeds:
                    continue
                feeds = tuple(url.replace(":8765/", f":{port}/") for url in outlet.feeds)
                result = collector.collect(OutletSource(name=outlet.name, feeds=feeds), {}, set())
                assert [e.error for e in result.events if not e.ok] == [], outlet.name
                articles.extend(result.articles)
    finally:
        server.shutdown()
        server.server_close()
    assert len(articles) == 4
    names = {Path(a.url).name for a in articles}
    assert names == {p.name.removesuffix(".gz") for p in (ROOT / "data" / "demo" / "pages").glob("*.html.gz")}
    assert all(a.url.startswith(f"http://127.0.0.1:{port}/pages/") and a.published for a in articles)
    kyiv = next(a for a in articles if a.outlet == "globalnews")
    assert "Kyiv" in kyiv.title and "killed at least two people" in kyiv.text
    assert all(name in attribution for name in names), "every shipped page is listed with its original URL"


def test_the_readmes_queries_run_as_printed_on_a_published_copy(populated, tmp_path):  # noqa: F811
    published = publish_copy(populated, tmp_path / "var" / "accord-published.duckdb")
    section = DOCS[DOCS.index("## Reading the report") :]
    shell = re.search(r"```sh\n(.*?)```", section, re.S)[1].strip().splitlines()
    assert shell and all(line.startswith(".venv/bin/python -m accord.views ") for line in shell)
    env = {"PYTHONPATH": f"{ROOT / 'src'}", "PATH": "/usr/bin:/bin"}
    for line in shell:
        args = re.findall(r'"[^"]*"|\S+', line)[1:]
        args = [a.strip('"') for a in args]
        out = subprocess.run(
            [sys.executable, *args], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
        )
        assert out.returncode == 0 and "Air strikes hit training camp in Idlib" in out.stdout, (line, out.stderr)
    snippet = re.search(r"```python\n(.*?)```", section, re.S)[1]
    out = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "The death toll drove the grade" in out.stdout and "SOHR" in out.stdout and "story_title" in out.stdout
    assert published.exists()


def test_toll_charts_beyond_the_limit_are_said_to_be_left_out(populated):  # noqa: F811
    from accord.report import _environment, report_context

    with Store(populated) as store:
        context = report_context(store.con, title="t", max_toll_charts=1)
    charted = [s["story_id"] for s in context["attention"] if s["toll_chart"]]
    assert charted == ["s-idlib"] and context["toll_charts_left_out"] == 1
    html = _environment().get_template("report.html.j2").render(**context)
    assert "The 1 most divergent stories have a chart" in html and "the other 1 list every account" in html
    assert len(re.findall(r'data-story="', html)) == 2, "every story is still shown"


def test_a_hundred_runs_stay_legible():
    runs = [(T0 + timedelta(hours=6 * n), 0.3 + (n % 7) / 10) for n in range(100)]
    svg = str(time_chart([Series("long story", runs, tag="1")], y_label="divergence", description="d", y_min=0))
    assert _points(svg) == [100]
    ticks = [t for t in _legend_labels(svg) if re.fullmatch(r"[A-Z][a-z]{2}(-\d\d)?|\d\d(:\d\d)?|\d{4}", t)]
    assert 2 <= len(ticks) <= 12, f"time axis crowded or empty: {ticks}"
    small = re.search(r'<path id="(m[0-9a-f]+)" d="M 0 ([\d.]+)', svg)
    assert small and float(small[2]) <= 2, "a hundred points are drawn with small markers"


def test_end_labels_are_spread_apart_and_stay_by_their_points():
    from accord.report import _spread

    wanted = [0.0, 1.0, 2.0, 50.0, 100.0, 101.0]
    placed = _spread(wanted, 10)
    assert all(b - a >= 10 - 1e-9 for a, b in zip(placed, placed[1:], strict=False))
    assert placed[3] == 50.0, "a label with room stays at its point"
    assert sum(placed[:3]) / 3 == pytest.approx(1.0) and sum(placed[4:]) / 2 == pytest.approx(100.5)


def test_a_dispute_the_headline_already_states_is_not_repeated(populated):  # noqa: F811
    from accord.report import report_context

    summary = VERDICTS["s-idlib"]["killed"][1]
    with Store(populated) as store:
        store.con.execute(
            "UPDATE story_scores SET headline = ? WHERE story_id = 's-idlib' AND run_id = 3",
            [summary],
        )
        idlib = next(s for s in report_context(store.con, title="t")["attention"] if s["story_id"] == "s-idlib")
    assert idlib["headline"] == summary
    assert idlib["dispute_titles"]["killed"] == "The death toll: divergent, voice by voice"
    assert idlib["dispute_titles"]["attribution"] == VERDICTS["s-idlib"]["attribution"][1]
