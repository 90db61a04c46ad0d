"""The HTML report, made from the analyst's views (accord.views).

The report is one self-contained file: inline CSS and inline SVG plots drawn by matplotlib, no script, no network.
Every piece of article text goes through jinja2's autoescape (and matplotlib's XML escaping inside the plots, with
mathtext off, so a `$` in a title is only a dollar). Divergent and contested stories come first, every one of them,
each with the headline that says which question drove its grade, the voices' quoted sentences and their links.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from accord.store import utcnow
from accord.views import ATTENTION_GRADES, VIEWS, create_views, is_read_only, missing_views

__all__ = [
    "ATTENTION_GRADES",
    "VIEWS",
    "create_views",
    "format_toll",
    "is_web_link",
    "missing_views",
    "render_report",
    "report_context",
    "write_report",
]

NO_LINK = "no link in the source data"


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


def _fmt_published(value: datetime | None) -> str:
    """A publication time, or 'undated': a report without a date is never given its collection time."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else "undated"


# -- plots: matplotlib, rendered to inline SVG ---------------------------------------------------------------------

# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies) cycled against ten marker shapes:
# 40 series differ in colour and shape together, and every series is also named in a legend or beside its last
# point, so none rests on colour alone.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#B8A000")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")


def series_style(index: int) -> tuple[str, str]:
    """Return the (colour, marker) of the index-th series."""
    return _COLOURS[index % len(_COLOURS)], _MARKERS[index % len(_MARKERS)]


@dataclass(frozen=True)
class Series:
    label: str  # the legend's name
    points: Sequence[tuple[datetime | None, float | None]]  # (time, value); undated or empty points are skipped
    tag: str = ""  # a short name printed beside the series' last point


_chart_serial = 0

# More labels than this beside the lines' ends crowd into one column (many series ending at one run's time).
MAX_END_LABELS = 12


def _svg(fig: Any, description: str) -> Markup:
    """Return a matplotlib figure as an inline <svg> that scales to its container (no XML prolog, no metadata)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
    label = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
    return Markup(svg)


def _rc(salt: str) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",  # text stays text: searchable, and sharp at any zoom
        "svg.hashsalt": salt,  # stable ids, distinct between the report's charts
        "text.parse_math": False,  # a "$" in a title is a dollar sign
        "font.size": 10,
        "font.family": "sans-serif",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _time_axis(ax: Any, times: Sequence[datetime], *, room_right: float) -> None:
    import matplotlib.dates as mdates

    lo, hi = min(times), max(times)
    pad = max((hi - lo) * 0.06, timedelta(hours=1))
    ax.set_xlim(lo - pad, hi + pad + (hi - lo + 2 * pad) * room_right)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("time (UTC)")
    ax.grid(alpha=0.3)


def time_chart(
    series: Sequence[Series],
    *,
    y_label: str,
    description: str,
    y_min: float | None = None,
    y_max: float | None = None,
    legend_columns: int = 2,
) -> Markup:
    """Return an inline SVG line chart of values against real time, one line with markers per series.

    One point per series (one run) shows as markers in a padded window; a hundred runs as lines with small markers.
    Every series has a legend entry (colour and marker), and its `tag` beside its last point while there are at most
    MAX_END_LABELS tagged series.
    """
    import matplotlib
    from matplotlib.figure import Figure

    global _chart_serial
    drawn = [
        (i, s, sorted((t, v) for t, v in s.points if t is not None and v is not None)) for i, s in enumerate(series)
    ]
    drawn = [(i, s, pts) for i, s, pts in drawn if pts]
    if not drawn:
        return Markup('<p class="empty">No data yet.</p>')
    _chart_serial += 1
    rows = -(-len(drawn) // legend_columns)
    with matplotlib.rc_context(_rc(f"accord-{_chart_serial}")):
        fig = Figure(figsize=(6.5, 3.0 + 0.24 * rows), layout="constrained")
        ax = fig.add_subplot()
        most = max(len(pts) for _, _, pts in drawn)
        for index, s, pts in drawn:
            colour, marker = series_style(index)
            xs, ys = zip(*pts, strict=True)
            ax.plot(
                xs,
                ys,
                color=colour,
                marker=marker,
                markersize=6 if most <= 30 else 3,
                linewidth=1.5,
                label=s.label,
                gid=f"series-{index}",  # the SVG group of the series' line and points
            )
        # Tags beside the lines' ends while they fit; beyond MAX_END_LABELS the legend (colour and marker) names them
        tagged = [(s.tag, pts[-1], series_style(index)[0]) for index, s, pts in drawn if s.tag]
        if len(tagged) > MAX_END_LABELS:
            tagged = []
        _time_axis(ax, [t for _, _, pts in drawn for t, _ in pts], room_right=0.12 if tagged else 0)
        if y_min is not None or y_max is not None:
            ax.set_ylim(y_min, y_max)
        ax.set_ylabel(y_label)
        _end_labels(ax, tagged)
        fig.legend(loc="outside lower center", ncols=legend_columns, fontsize=8, frameon=False)
        return _svg(fig, description)


def _spread(wanted: Sequence[float], gap: float) -> list[float]:
    """Return positions for labels wanted at sorted `wanted`, at least `gap` apart, each run of crowded labels
    centred on the points it labels (one-dimensional label repulsion by merging clusters)."""
    clusters: list[list[float]] = []  # each: [centre of the wanted positions, count, sum]
    for y in wanted:
        clusters.append([y, 1, y])
        while len(clusters) > 1:
            low, high = clusters[-2], clusters[-1]
            low_top = low[0] + gap * (low[1] - 1) / 2
            high_bottom = high[0] - gap * (high[1] - 1) / 2
            if high_bottom - low_top >= gap:
                break
            count, total = low[1] + high[1], low[2] + high[2]
            clusters[-2:] = [[total / count, count, total]]
    placed = []
    for centre, count, _ in clusters:
        placed.extend(centre + gap * (k - (count - 1) / 2) for k in range(count))
    return placed


def _end_labels(ax: Any, tagged: Sequence[tuple[str, tuple[datetime, float], str]], gap_points: float = 10) -> None:
    """Print each tag beside its series' last point, spread vertically so that no two overlap.

    Positions are computed on the laid-out figure, and the labels are kept out of the layout, so they stay where
    they were placed."""
    import matplotlib.dates as mdates

    if not tagged:
        return
    ax.figure.draw_without_rendering()  # run the layout: the data-to-display transform is final from here
    points_per_pixel = 72 / ax.figure.dpi
    items = sorted(
        (ax.transData.transform((mdates.date2num(when), value))[1] * points_per_pixel, tag, (when, value), colour)
        for tag, (when, value), colour in tagged
    )
    for (wanted, tag, xy, colour), at in zip(items, _spread([i[0] for i in items], gap_points), strict=True):
        label = ax.annotate(
            tag,
            xy,
            xytext=(10, at - wanted),
            textcoords="offset points",
            fontsize=8,
            color=colour,
            va="center",
            arrowprops={"arrowstyle": "-", "color": colour, "alpha": 0.4, "linewidth": 0.6}
            if abs(at - wanted) > 1
            else None,
        )
        label.set_in_layout(False)


def toll_chart(accounts: Sequence[dict[str, Any]], *, description: str) -> Markup:
    """Return an inline SVG of each account's death toll, named by outlet (marker, colour and label).

    Accounts published at different times are drawn against their publication time; when they all carry one time
    (a day-only date, as in FA-KES) the chart is one row per outlet instead, so no two accounts hide each other.
    A range ("24–96") is drawn as a bar from low to high, an open-ended toll ("at least 20") as an arrow. Undated
    accounts are left out (the caller says how many). Empty markup when no dated account states a toll.
    """
    import matplotlib
    from matplotlib.figure import Figure

    global _chart_serial
    points = [a for a in accounts if a.get("published") and _toll_value(a) is not None]
    if not points:
        return Markup("")
    _chart_serial += 1
    outlets = sorted({a["outlet"] for a in points})
    times = [a["published"] for a in points]
    over_time = max(times) - min(times) >= timedelta(hours=1)
    with matplotlib.rc_context(_rc(f"accord-{_chart_serial}")):
        height = 2.4 + 0.24 * -(-len(outlets) // 3) if over_time else 0.9 + 0.32 * len(outlets)
        fig = Figure(figsize=(6.5, height), layout="constrained")
        ax = fig.add_subplot()
        # labels of reports close in time step up and down, so neighbours stay legible
        rank = {id(a): k for k, a in enumerate(sorted(points, key=lambda a: a["published"]))}
        for index, outlet in enumerate(outlets):
            colour, marker = series_style(index)
            for a in (a for a in points if a["outlet"] == outlet):
                value = _toll_value(a)
                low, high = a.get("killed_low"), a.get("killed_high")
                where = a["published"] if over_time else index
                if low is not None and high is not None and high != low:
                    if over_time:
                        ax.vlines(where, low, high, color=colour, linewidth=2, alpha=0.45)
                    else:
                        ax.hlines(where, low, high, color=colour, linewidth=2, alpha=0.45)
                elif low is not None and high is None:
                    start, end = (where, value), (where, value * 1.25 + 1)
                    if not over_time:
                        start, end = (value, where), (value * 1.25 + 1, where)
                    ax.annotate("", end, start, arrowprops={"arrowstyle": "->", "color": colour})
                xy = (where, value) if over_time else (value, where)
                ax.plot(*([c] for c in xy), color=colour, marker=marker, markersize=8, linestyle="none")
                if over_time:
                    ax.annotate(
                        outlet,
                        xy,
                        xytext=(7, (3, 13, -9)[rank[id(a)] % 3]),
                        textcoords="offset points",
                        fontsize=8,
                        color=colour,
                    )
        if over_time:
            _time_axis(ax, times, room_right=0.12)
            ax.set_ylim(bottom=0)
            ax.set_ylabel("killed")
        else:
            ax.set_yticks(range(len(outlets)), outlets)
            ax.set_ylim(-0.6, len(outlets) - 0.4)
            ax.invert_yaxis()
            ax.set_xlim(left=0)
            ax.set_xlabel(f"killed (all published {min(times):%Y-%m-%d %H:%M} UTC)")
            ax.grid(axis="x", alpha=0.3)
        return _svg(fig, description)


def _toll_value(account: dict[str, Any]) -> float | None:
    for key in ("killed", "killed_low", "killed_high"):
        if account.get(key) is not None:
            return float(account[key])
    return None


# -- the report ----------------------------------------------------------------------------------------------------
def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params or []))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _truncate(text: str | None, limit: int = 60) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_QUESTION_WORDS = {"killed": "The death toll", "injured": "The injured count", "attribution": "Who did it"}


def _headline(score: dict[str, Any], verdicts: Sequence[dict[str, Any]]) -> str:
    """The story's headline in words: the verdict's own (story_scores.headline), else its disputed questions'
    summaries, else what the grade rests on."""
    if score.get("headline"):
        return str(score["headline"])
    disputed = [v for v in verdicts if v["verdict"] in ("divergent", "contested")]
    if disputed:
        return " ".join(v["summary"] or f"{_QUESTION_WORDS[v['question']]} is {v['verdict']}." for v in disputed)
    parts = []
    if score.get("count_agreement") is not None:
        parts.append(f"agreement on the toll {score['count_agreement']:.2f}")
    if score.get("attribution_agreement") is not None:
        parts.append(f"on who did it {score['attribution_agreement']:.2f}")
    return (
        f"Graded {score['grade']} ({', '.join(parts) or 'no per-question verdict stored'}; 0 = none, 1 = full); "
        "no verdict says which question drove it."
    )


def _in(ids: Sequence[str]) -> tuple[str, list[list[str]]]:
    return "story_id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]


# Each toll chart takes matplotlib about 0.2-0.5 s: the most divergent stories get one, every story keeps its table.
MAX_TOLL_CHARTS = 60


def report_context(
    con: duckdb.DuckDBPyConnection, *, title: str, max_toll_charts: int = MAX_TOLL_CHARTS
) -> dict[str, Any]:
    """Return everything the report template shows, read from the views (created first when missing).

    Every divergent and contested story is shown and plotted over time; the first `max_toll_charts` of them (most
    divergent first) also get a chart of their accounts' tolls, and the report says when others have none."""
    if missing_views(con):  # a database from before the views, opened read-only: make them for this connection
        create_views(con, temporary=is_read_only(con))
    scores = _rows(con, "SELECT * FROM latest_scores")
    attention = [s for s in scores if s["grade"] in ATTENTION_GRADES]
    others = [s for s in scores if s["grade"] not in ATTENTION_GRADES]
    others.sort(key=lambda s: (-(s["divergence"] or 0.0), s["story_id"]))
    ids = [s["story_id"] for s in attention]
    where, params = _in(ids)

    accounts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    verdicts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    disputes: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    history: dict[str, list[tuple[datetime | None, float | None]]] = defaultdict(list)
    if ids:
        for row in _rows(con, f"SELECT * FROM story_accounts WHERE {where}", params):
            accounts[row["story_id"]].append(row)
        for row in _rows(
            con, f"SELECT story_id, question, verdict, summary FROM latest_verdicts WHERE {where}", params
        ):
            verdicts[row["story_id"]].append(row)
        for row in _rows(con, f"SELECT * FROM disagreements WHERE {where}", params):
            disputes[row["story_id"]][row["question"]].append(row)
        for row in _rows(con, f"SELECT * FROM story_history WHERE {where} ORDER BY run_id", params):
            history[row["story_id"]].append((row["scored_at"], row["divergence"]))

    stories = []
    for number, s in enumerate(attention, 1):
        story_accounts = accounts[s["story_id"]]
        undated = sum(1 for a in story_accounts if a["published"] is None)
        headline = _headline(s, verdicts[s["story_id"]])
        titles = {  # a dispute's summary, unless the headline says it already
            q: rows[0]["summary"]
            if rows[0]["summary"] and rows[0]["summary"] not in headline
            else f"{_QUESTION_WORDS[q]}: {rows[0]['verdict']}, voice by voice"
            for q, rows in disputes[s["story_id"]].items()
            if rows
        }
        stories.append(
            {
                **s,
                "number": number,
                "headline": headline,
                "dispute_titles": titles,
                "verdicts": verdicts[s["story_id"]],
                "disputes": {
                    q: disputes[s["story_id"]][q]
                    for q in ("killed", "injured", "attribution")
                    if disputes[s["story_id"]][q]
                },
                "accounts": story_accounts,
                "undated_accounts": undated,
                "toll_chart": toll_chart(
                    story_accounts, description=f"Death toll per account over time: {s['story_title']}"
                )
                if number <= max_toll_charts
                else Markup(""),
            }
        )
    divergence_series = [
        Series(f"{n}. {_truncate(s['story_title'] or s['story_id'], 80)}", history[s["story_id"]], tag=str(n))
        for n, s in enumerate(attention, 1)
    ]
    reliability: dict[str, list[tuple[datetime | None, float | None]]] = defaultdict(list)
    for row in _rows(con, "SELECT * FROM outlet_reliability_history ORDER BY outlet, run_id"):
        reliability[row["outlet"]].append((row["scored_at"], row["weight"]))
    reliability_series = [Series(outlet, points, tag=outlet) for outlet, points in sorted(reliability.items())]
    latest_weights = sorted(
        ((outlet, points[-1][1]) for outlet, points in reliability.items()), key=lambda item: -(item[1] or 0.0)
    )
    links: dict[str, str] = {}
    if others:
        where_o, params_o = _in([s["story_id"] for s in others])
        for row in _rows(
            con,
            f"SELECT story_id, url FROM story_accounts WHERE {where_o} AND url IS NOT NULL "
            "ORDER BY published NULLS LAST, article_id",
            params_o,
        ):
            if is_web_link(row["url"]):
                links.setdefault(row["story_id"], row["url"])
    grade_counts: dict[str, int] = defaultdict(int)
    for s in scores:
        grade_counts[s["grade"] or "ungraded"] += 1
    return {
        "title": title,
        "generated": utcnow(),
        "run_id": scores[0]["run_id"] if scores else None,
        "scored_at": scores[0]["scored_at"] if scores else None,
        "grade_counts": dict(sorted(grade_counts.items())),
        "attention": stories,
        "others": others,
        "other_links": links,
        "toll_charts_left_out": max(0, len(attention) - max_toll_charts),
        "max_toll_charts": max_toll_charts,
        "no_link": NO_LINK,
        "divergence_chart": time_chart(
            divergence_series,
            y_label="divergence",
            description="Divergence of every divergent and contested story over time",
            y_min=0.0,
            y_max=1.05,
            legend_columns=1,
        ),
        "reliability_chart": time_chart(
            reliability_series,
            y_label="reliability weight",
            description="Each outlet's reliability weight over time",
            legend_columns=4,
        ),
        "latest_weights": latest_weights,
    }


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accord", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["toll"] = lambda row, kind: format_toll(row[kind], row[f"{kind}_low"], row[f"{kind}_high"])
    env.filters["when"] = _fmt_time
    env.filters["published"] = _fmt_published
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
