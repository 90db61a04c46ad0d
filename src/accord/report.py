"""The analyst's views and the HTML report.

The views live in the database file itself (`create_views`), so the read-only copy published after each
run (`store.publish_copy`) carries them: an analyst queries `divergent_stories` or `story_accounts` with
any DuckDB client. The HTML report is one self-contained file (inline CSS and SVG, no script, no network)
made from the same views; every piece of article text goes through jinja2's autoescape.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from accord.store import utcnow

# Grades an analyst must look at first; the others are "single source" and "corroborated".
ATTENTION_GRADES = ("divergent", "contested")

VIEWS: dict[str, str] = {
    "story_accounts": "Every article of every story side by side: outlet, title, link, published, the chosen killed "
    "and injured tolls with their quoted sentences, perpetrator, stance and cited source.",
    "latest_scores": "The latest run's score of each story: grade, divergence, agreement on count and attribution, "
    "consensus toll and perpetrator.",
    "divergent_stories": "The latest run's stories graded divergent or contested, most divergent first.",
    "story_history": "Each story's score in every run, with the change in divergence and the previous grade.",
    "outlet_reliability_history": "Each outlet's learned reliability weight in every run, with its change since the "
    "previous run and its rank within the run.",
    "stories_overview": "One row per story: articles, independent voices (copy groups), outlets, first and last seen, "
    "and the latest grade.",
    "alert_log": "Every alert (one row per story, state change and channel) with its delivery record.",
}

_CHOSEN = """
    SELECT * FROM claims WHERE chosen
    QUALIFY row_number() OVER (PARTITION BY article_id, kind ORDER BY id) = 1
"""

_VIEW_SQL: dict[str, str] = {
    "story_accounts": f"""
        WITH chosen AS ({_CHOSEN})
        SELECT a.story_id, s.title AS story_title, a.outlet, a.id AS article_id, a.title, a.url, a.published,
               coalesce(a.copy_group, a.id) AS voice, coalesce(a.copy_group, a.id) <> a.id AS is_copy,
               k.point AS killed, k.low AS killed_low, k.high AS killed_high, k.scope AS killed_scope,
               k.victims AS killed_victims, k.sentence AS killed_sentence,
               i.point AS injured, i.low AS injured_low, i.high AS injured_high, i.sentence AS injured_sentence,
               p.actor AS perpetrator, p.words AS perpetrator_words, p.stance, p.sentence AS perpetrator_sentence,
               coalesce(k.cited_source, i.cited_source, p.cited_source) AS cited_source
        FROM articles a
        LEFT JOIN stories s ON s.id = a.story_id
        LEFT JOIN chosen k ON k.article_id = a.id AND k.kind = 'killed'
        LEFT JOIN chosen i ON i.article_id = a.id AND i.kind = 'injured'
        LEFT JOIN chosen p ON p.article_id = a.id AND p.kind = 'perpetrator'
        WHERE a.story_id IS NOT NULL
        ORDER BY a.story_id, coalesce(a.published, a.fetched), a.outlet, a.id
    """,
    "latest_scores": """
        SELECT sc.run_id, sc.story_id, s.title, sc.scored_at, sc.grade, sc.divergence, sc.count_agreement,
               sc.attribution_agreement, sc.contested, sc.articles, sc.voices, sc.outlets,
               sc.consensus_killed, sc.consensus_killed_low, sc.consensus_killed_high,
               sc.consensus_injured, sc.consensus_injured_low, sc.consensus_injured_high,
               sc.consensus_perpetrator, s.first_seen, s.last_seen
        FROM story_scores sc LEFT JOIN stories s ON s.id = sc.story_id
        WHERE sc.run_id = (SELECT max(run_id) FROM story_scores)
        ORDER BY sc.divergence DESC NULLS LAST, sc.story_id
    """,
    "divergent_stories": f"""
        SELECT * FROM latest_scores
        WHERE grade IN {ATTENTION_GRADES!r}
        ORDER BY divergence DESC NULLS LAST, story_id
    """,
    "story_history": """
        SELECT sc.story_id, s.title, sc.run_id, sc.scored_at, sc.grade,
               lag(sc.grade) OVER w AS previous_grade, sc.divergence,
               sc.divergence - lag(sc.divergence) OVER w AS divergence_change,
               sc.voices, sc.outlets, sc.consensus_killed, sc.consensus_perpetrator
        FROM story_scores sc LEFT JOIN stories s ON s.id = sc.story_id
        WINDOW w AS (PARTITION BY sc.story_id ORDER BY sc.run_id)
        ORDER BY sc.story_id, sc.run_id
    """,
    "outlet_reliability_history": """
        SELECT r.run_id, runs.started AS run_started, r.scored_at, r.outlet, r.weight, r.claims, r.error,
               r.weight - lag(r.weight) OVER (PARTITION BY r.outlet ORDER BY r.run_id) AS weight_change,
               rank() OVER (PARTITION BY r.run_id ORDER BY r.weight DESC NULLS LAST) AS rank_in_run
        FROM outlet_reliability r LEFT JOIN runs ON runs.id = r.run_id
        ORDER BY r.run_id, r.outlet
    """,
    "stories_overview": """
        WITH per_story AS (
            SELECT story_id, count(*) AS articles, count(DISTINCT coalesce(copy_group, id)) AS voices,
                   count(DISTINCT outlet) AS outlets, string_agg(DISTINCT outlet, ', ' ORDER BY outlet) AS outlet_names,
                   min(coalesce(published, fetched)) AS first_seen, max(coalesce(published, fetched)) AS last_seen
            FROM articles WHERE story_id IS NOT NULL GROUP BY story_id
        )
        SELECT s.id AS story_id, s.title, p.articles, p.voices, p.outlets, p.outlet_names,
               coalesce(s.first_seen, p.first_seen) AS first_seen, coalesce(s.last_seen, p.last_seen) AS last_seen,
               l.grade AS latest_grade, l.divergence AS latest_divergence, l.run_id AS latest_run
        FROM stories s
        JOIN per_story p ON p.story_id = s.id
        LEFT JOIN latest_scores l ON l.story_id = s.id
        WHERE s.merged_into IS NULL
        ORDER BY last_seen DESC NULLS LAST, s.id
    """,
    "alert_log": """
        SELECT al.id AS alert_id, al.story_id, s.title, al.state, al.rule, al.channel, al.run_id, al.created,
               al.attempts, al.delivered, al.first_sent, al.last_sent, al.result
        FROM alerts al LEFT JOIN stories s ON s.id = al.story_id
        ORDER BY al.id
    """,
}

assert set(_VIEW_SQL) == set(VIEWS)


def create_views(con: duckdb.DuckDBPyConnection, *, temporary: bool = False) -> None:
    """Create or replace every analyst view in the database `con` is connected to (idempotent).

    Changes the database: the views named in VIEWS (needs a read-write connection). With `temporary`
    the views live only in this connection, which works on a read-only one too.
    """
    kind = "TEMP VIEW" if temporary else "VIEW"
    for name, sql in _VIEW_SQL.items():  # dict order: a view is created after the views it reads
        con.execute(f"CREATE OR REPLACE {kind} {name} AS {sql}")


def _is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return bool(rows and rows[0][0])


def missing_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the names in VIEWS that the connected database lacks."""
    present = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return [name for name in VIEWS if name not in present]


# -- formatting helpers (used by the template) ------------------------------------------------------
def format_toll(point: float | None, low: float | None, high: float | None) -> str:
    """Return a toll as an analyst reads it: '78', 'at least 20', '24–36 (~30)', or '—' when none."""
    if point is None and low is None and high is None:
        return "—"

    def num(value: float) -> str:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

    if low is not None and high is None:
        return f"at least {num(low)}"
    if low is not None and high is not None and low != high:
        text = f"{num(low)}–{num(high)}"
        return f"{text} (~{num(point)})" if point is not None else text
    return num(point if point is not None else low if low is not None else high)  # type: ignore[arg-type]


def is_web_link(url: str | None) -> bool:
    """True when `url` is http(s): other schemes (javascript:, data:) never become links."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _fmt_time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else "—"


# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, float, str]]  # (run id, value, tooltip)


def line_chart(
    series: Sequence[Series],
    *,
    y_label: str,
    width: int = 900,
    height: int = 240,
    y_min: float | None = None,
    y_max: float | None = None,
) -> Markup:
    """Return an inline SVG line chart of values per run (x = run id). All text is escaped."""
    pad_l, pad_r, pad_t, pad_b = 56, 16, 14, 40
    runs = sorted({p[0] for s in series for p in s.points})
    values = [p[1] for s in series for p in s.points if p[1] is not None]
    if not runs or not values:
        return Markup('<p class="empty">No data yet.</p>')
    lo = min(values) if y_min is None else y_min
    hi = max(values) if y_max is None else y_max
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x_of(run: int) -> float:
        return pad_l + (plot_w / 2 if len(runs) == 1 else plot_w * runs.index(run) / (len(runs) - 1))

    def y_of(value: float) -> float:
        return pad_t + plot_h * (1 - (value - lo) / (hi - lo))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(y_label)} per run">'
    ]
    for i in range(5):  # horizontal grid with y labels
        value = lo + (hi - lo) * i / 4
        y = y_of(value)
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value:.2f}</text>')
    step = max(1, len(runs) // 12)
    for run in runs[::step]:
        parts.append(
            f'<text x="{x_of(run):.1f}" y="{height - pad_b + 16}" text-anchor="middle" class="tick">{run}</text>'
        )
    parts.append(
        f'<text x="{pad_l + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" class="axis">run</text>'
        f'<text transform="translate(14 {pad_t + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
        f'class="axis">{escape(y_label)}</text>'
    )
    for index, s in enumerate(series):
        colour = _PALETTE[index % len(_PALETTE)]
        points = [(x_of(run), y_of(v), tip) for run, v, tip in s.points if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, tip in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(s.label)}: '
                f"{escape(tip)}</title></circle>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    """Return the HTML legend matching line_chart's colours."""
    items = "".join(
        f'<li><span class="swatch" style="background:{_PALETTE[i % len(_PALETTE)]}"></span>{escape(s.label)}</li>'
        for i, s in enumerate(series)
    )
    return Markup(f'<ul class="legend">{items}</ul>')


# -- the report ----------------------------------------------------------------------------------------
def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params or []))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _truncate(text: str | None, limit: int = 48) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_context(con: duckdb.DuckDBPyConnection, *, title: str, max_plotted_stories: int = 8) -> dict[str, Any]:
    """Return everything the report template shows, read from the views (created first when missing)."""
    if missing_views(con):  # a database from before the views, opened read-only: make them for this connection
        create_views(con, temporary=_is_read_only(con))
    scores = _rows(con, "SELECT * FROM latest_scores")
    attention = [s for s in scores if s["grade"] in ATTENTION_GRADES]
    others = [s for s in scores if s["grade"] not in ATTENTION_GRADES]
    others.sort(key=lambda s: (-(s["divergence"] or 0.0), s["story_id"]))
    accounts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if attention:
        for row in _rows(
            con,
            "SELECT * FROM story_accounts WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
            [[s["story_id"] for s in attention]],
        ):
            accounts[row["story_id"]].append(row)

    plotted = attention[:max_plotted_stories]
    history: dict[str, list[tuple[int, float, str]]] = defaultdict(list)
    if plotted:
        for row in _rows(
            con,
            "SELECT * FROM story_history WHERE story_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY run_id",
            [[s["story_id"] for s in plotted]],
        ):
            tip = f"run {row['run_id']} ({_fmt_time(row['scored_at'])}): {row['divergence'] or 0:.2f}, {row['grade']}"
            history[row["story_id"]].append((row["run_id"], row["divergence"], tip))
    divergence_series = [
        Series(_truncate(s["title"] or s["story_id"]), history[s["story_id"]])
        for s in plotted
        if history[s["story_id"]]
    ]
    reliability: dict[str, list[tuple[int, float, str]]] = defaultdict(list)
    for row in _rows(con, "SELECT * FROM outlet_reliability_history ORDER BY outlet, run_id"):
        tip = f"run {row['run_id']}: weight {row['weight'] or 0:.2f} over {row['claims'] or 0} claims"
        reliability[row["outlet"]].append((row["run_id"], row["weight"], tip))
    reliability_series = [Series(outlet, points) for outlet, points in sorted(reliability.items())]
    latest_weights = sorted(
        ((outlet, points[-1][1]) for outlet, points in reliability.items()), key=lambda item: -(item[1] or 0.0)
    )
    run_id = scores[0]["run_id"] if scores else None
    grade_counts: dict[str, int] = defaultdict(int)
    for s in scores:
        grade_counts[s["grade"] or "ungraded"] += 1
    return {
        "title": title,
        "generated": utcnow(),
        "run_id": run_id,
        "scored_at": scores[0]["scored_at"] if scores else None,
        "grade_counts": dict(sorted(grade_counts.items())),
        "attention": attention,
        "accounts": accounts,
        "others": others,
        "divergence_chart": line_chart(divergence_series, y_label="divergence", y_min=0.0, y_max=1.0),
        "divergence_legend": legend(divergence_series),
        "reliability_chart": line_chart(reliability_series, y_label="reliability weight"),
        "reliability_legend": legend(reliability_series),
        "latest_weights": latest_weights,
    }


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accord", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["toll"] = lambda row, kind: format_toll(row[kind], row[f"{kind}_low"], row[f"{kind}_high"])
    env.filters["when"] = _fmt_time
    env.filters["num"] = lambda v, digits=2: "—" if v is None else f"{v:.{digits}f}"
    env.tests["web_link"] = is_web_link
    env.globals["format_toll"] = format_toll
    return env


def render_report(con: duckdb.DuckDBPyConnection, *, title: str = "accord report") -> str:
    """Return the HTML report of the latest run's scores as a string."""
    return _environment().get_template("report.html.j2").render(**report_context(con, title=title))


def write_report(con: duckdb.DuckDBPyConnection, path: Path, *, title: str = "accord report") -> Path:
    """Write the HTML report of the latest run's scores to `path` atomically. Returns `path`.

    Reads the views, creating them first if the database lacks them (as temporary views on a read-only `con`).
    Changes on disk: `path`, replaced in one rename, so a reader never sees half a report.
    """
    path = Path(path)
    html = render_report(con, title=title)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path
