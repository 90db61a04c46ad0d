"""The analyst's views: SQL that lives in the database file, with a comment on every view and column.

`create_views` writes them into a database (the published copy gets them in `store.publish_copy`), so an analyst
reads `disagreements`, `story_accounts` or `latest_scores` from any DuckDB client without this source: DuckDB's
`duckdb_views()` and `duckdb_columns()` carry each view's and column's comment. The HTML report (accord.report)
reads the same views. This module imports nothing from accord, so accord.store imports it (the report imports it
too; nothing here imports the report).

Names are one vocabulary across the views: `story_title` is always the story's title (its first report's title when
the story has none), `article_title` an article's own; `*_count` columns are integers (BIGINT) and `outlet_names`
the names; tolls are whole numbers; `attribution_contested` is the attribution question's flag, never the grade.
Run as `python -m accord.views DATABASE [SQL]` to print a query's result (default: the disagreements).
"""

from __future__ import annotations

import sys

import duckdb

# Grades an analyst must look at first; the others are "single source" and "corroborated".
ATTENTION_GRADES = ("divergent", "contested")

# Verdicts that are a disagreement between voices (accord.verdict, story_verdicts.verdict).
DISAGREEING_VERDICTS = ("divergent", "contested")

# -- shared pieces ------------------------------------------------------------------------------------------------

# A story's readable title: its own, else its first report's (by published time, then arrival).
_TITLES = """
    SELECT s.id AS story_id,
           coalesce(nullif(trim(s.title), ''), f.first_title, s.id) AS story_title
    FROM stories s
    LEFT JOIN (
        SELECT story_id, arg_min(nullif(trim(title), ''), (published IS NULL, published, seq)) AS first_title
        FROM articles WHERE story_id IS NOT NULL AND nullif(trim(title), '') IS NOT NULL GROUP BY story_id
    ) f ON f.story_id = s.id
"""

# Each article's chosen claim of each kind (one per article and kind).
_CHOSEN = """
    SELECT * FROM claims WHERE chosen
    QUALIFY row_number() OVER (PARTITION BY article_id, kind ORDER BY id) = 1
"""

# Per story: counts of articles, voices and outlets, and the published span (undated reports never count as dated).
_PER_STORY = """
    SELECT story_id, count(*)::BIGINT AS article_count, count(DISTINCT coalesce(copy_group, id))::BIGINT AS voice_count,
           count(DISTINCT outlet)::BIGINT AS outlet_count,
           string_agg(DISTINCT outlet, ', ' ORDER BY outlet) AS outlet_names,
           min(published) AS first_published, max(published) AS last_published,
           count(*) FILTER (WHERE published IS NULL)::BIGINT AS undated_count
    FROM articles WHERE story_id IS NOT NULL GROUP BY story_id
"""


def _whole(expr: str) -> str:
    """SQL: a toll as a whole number (BIGINT), NULL stays NULL."""
    return f"CAST(round({expr}) AS BIGINT)"


_VIEW_SQL: dict[str, str] = {
    "story_accounts": f"""
        WITH chosen AS ({_CHOSEN}), titles AS ({_TITLES})
        SELECT a.story_id, t.story_title, a.outlet, a.id AS article_id, a.title AS article_title, a.url, a.published,
               coalesce(a.copy_group, a.id) AS voice, coalesce(a.copy_group, a.id) <> a.id AS is_copy,
               {_whole("k.point")} AS killed, k.low AS killed_low, k.high AS killed_high, k.scope AS killed_scope,
               k.victims AS killed_victims, k.sentence AS killed_sentence,
               {_whole("i.point")} AS injured, i.low AS injured_low, i.high AS injured_high,
               i.sentence AS injured_sentence,
               p.actor AS perpetrator, p.words AS perpetrator_words, p.stance, p.sentence AS perpetrator_sentence,
               coalesce(k.cited_source, i.cited_source, p.cited_source) AS cited_source
        FROM articles a
        LEFT JOIN titles t ON t.story_id = a.story_id
        LEFT JOIN chosen k ON k.article_id = a.id AND k.kind = 'killed'
        LEFT JOIN chosen i ON i.article_id = a.id AND i.kind = 'injured'
        LEFT JOIN chosen p ON p.article_id = a.id AND p.kind = 'perpetrator'
        WHERE a.story_id IS NOT NULL
        ORDER BY a.story_id, a.published NULLS LAST, a.outlet, a.id
    """,
    "latest_scores": f"""
        WITH titles AS ({_TITLES}), per_story AS ({_PER_STORY})
        SELECT sc.run_id, sc.story_id, t.story_title, sc.scored_at, sc.grade, sc.headline, sc.divergence,
               sc.count_agreement, sc.attribution_agreement,
               sc.killed_verdict, sc.injured_verdict, sc.attribution_verdict,
               sc.count_divergent, coalesce(sc.attribution_contested, sc.contested) AS attribution_contested,
               sc.articles::BIGINT AS article_count, sc.voices::BIGINT AS voice_count,
               sc.outlets::BIGINT AS outlet_count, p.outlet_names,
               {_whole("sc.consensus_killed")} AS consensus_killed,
               {_whole("sc.consensus_killed_low")} AS consensus_killed_low,
               {_whole("sc.consensus_killed_high")} AS consensus_killed_high,
               {_whole("sc.consensus_injured")} AS consensus_injured,
               {_whole("sc.consensus_injured_low")} AS consensus_injured_low,
               {_whole("sc.consensus_injured_high")} AS consensus_injured_high,
               sc.consensus_perpetrator, p.first_published, p.last_published, p.undated_count
        FROM story_scores sc
        LEFT JOIN titles t ON t.story_id = sc.story_id
        LEFT JOIN per_story p ON p.story_id = sc.story_id
        WHERE sc.run_id = (SELECT max(run_id) FROM story_scores)
        ORDER BY sc.divergence DESC NULLS LAST, sc.story_id
    """,
    "divergent_stories": f"""
        SELECT * FROM latest_scores
        WHERE grade IN {ATTENTION_GRADES!r}
        ORDER BY divergence DESC NULLS LAST, story_id
    """,
    "latest_verdicts": f"""
        WITH titles AS ({_TITLES})
        SELECT v.run_id, v.story_id, t.story_title, v.question, v.verdict, v.voices::BIGINT AS voice_count, v.summary,
               v.evidence
        FROM story_verdicts v LEFT JOIN titles t ON t.story_id = v.story_id
        WHERE v.run_id = (SELECT max(run_id) FROM story_verdicts)
        ORDER BY v.story_id, CASE v.question WHEN 'killed' THEN 1 WHEN 'injured' THEN 2 ELSE 3 END
    """,
    "disagreements": f"""
        WITH titles AS ({_TITLES}),
        disputed AS (
            SELECT * FROM story_verdicts
            WHERE run_id = (SELECT max(run_id) FROM story_verdicts) AND verdict IN {DISAGREEING_VERDICTS!r}
        ),
        items AS (
            SELECT d.run_id, d.story_id, d.question, d.verdict, d.voices, d.summary,
                   unnest(CAST(coalesce(d.evidence, '[]') AS JSON[])) AS item
            FROM disputed d
        ),
        voiced AS (
            SELECT i.*,
                   item->>'$.voice' AS voice,
                   CASE json_type(item->'$.outlets')
                       WHEN 'ARRAY' THEN array_to_string(CAST(item->'$.outlets' AS VARCHAR[]), ', ')
                       ELSE item->>'$.outlets' END AS voice_outlets,
                   item->>'$.article_id' AS article_id,
                   item->>'$.url' AS item_url,
                   TRY_CAST(item->>'$.published' AS TIMESTAMP) AS item_published,
                   item->>'$.sentence' AS sentence,
                   TRY_CAST(round(TRY_CAST(item->>'$.value' AS DOUBLE)) AS BIGINT) AS value,
                   TRY_CAST(item->>'$.low' AS BIGINT) AS low,
                   TRY_CAST(item->>'$.high' AS BIGINT) AS high,
                   item->>'$.actor' AS actor,
                   item->>'$.stance' AS stance,
                   item->>'$.speaker' AS speaker
            FROM items i
        ),
        spread AS (
            SELECT story_id, question,
                   min(coalesce(value, low, high)) AS lowest, max(coalesce(value, high, low)) AS highest,
                   count(DISTINCT CASE WHEN question = 'attribution' THEN actor || '|' || coalesce(stance, '')
                                       ELSE CAST(coalesce(value, low, high) AS VARCHAR) END)::BIGINT AS positions
            FROM voiced GROUP BY story_id, question
        )
        SELECT v.run_id, v.story_id, t.story_title, sc.grade, sc.headline, v.question, v.verdict, v.summary,
               v.voices::BIGINT AS voice_count, s.positions AS position_count,
               s.lowest AS lowest_toll, s.highest AS highest_toll,
               CASE WHEN s.lowest > 0 THEN round(s.highest / s.lowest, 2) END AS toll_ratio,
               v.voice, v.voice_outlets, coalesce(a.outlet, v.voice_outlets) AS outlet, v.article_id,
               a.title AS article_title, coalesce(v.item_url, a.url) AS url,
               coalesce(v.item_published, a.published) AS published,
               v.value, v.low, v.high, v.actor, v.stance, v.speaker, v.sentence
        FROM voiced v
        JOIN spread s ON s.story_id = v.story_id AND s.question = v.question
        LEFT JOIN titles t ON t.story_id = v.story_id
        LEFT JOIN story_scores sc ON sc.story_id = v.story_id AND sc.run_id = v.run_id
        LEFT JOIN articles a ON a.id = v.article_id
        ORDER BY sc.divergence DESC NULLS LAST, v.story_id,
                 CASE v.question WHEN 'killed' THEN 1 WHEN 'injured' THEN 2 ELSE 3 END,
                 coalesce(v.value, v.low, v.high) NULLS LAST, v.actor, v.voice
    """,
    "story_history": f"""
        WITH titles AS ({_TITLES})
        SELECT sc.story_id, t.story_title, sc.run_id, sc.scored_at, sc.grade,
               lag(sc.grade) OVER w AS previous_grade, sc.divergence,
               sc.divergence - lag(sc.divergence) OVER w AS divergence_change,
               sc.voices::BIGINT AS voice_count, sc.outlets::BIGINT AS outlet_count,
               {_whole("sc.consensus_killed")} AS consensus_killed, sc.consensus_perpetrator
        FROM story_scores sc LEFT JOIN titles t ON t.story_id = sc.story_id
        WINDOW w AS (PARTITION BY sc.story_id ORDER BY sc.run_id)
        ORDER BY sc.story_id, sc.run_id
    """,
    "outlet_reliability_history": """
        SELECT r.run_id, runs.started AS run_started, r.scored_at, r.outlet, r.weight, r.claims::BIGINT AS claim_count,
               r.error,
               r.weight - lag(r.weight) OVER (PARTITION BY r.outlet ORDER BY r.run_id) AS weight_change,
               rank() OVER (PARTITION BY r.run_id ORDER BY r.weight DESC NULLS LAST)::BIGINT AS rank_in_run
        FROM outlet_reliability r LEFT JOIN runs ON runs.id = r.run_id
        ORDER BY r.run_id, r.outlet
    """,
    "stories_overview": f"""
        WITH titles AS ({_TITLES}), per_story AS ({_PER_STORY})
        SELECT s.id AS story_id, t.story_title, p.article_count, p.voice_count, p.outlet_count, p.outlet_names,
               p.first_published, p.last_published, p.undated_count,
               l.grade AS latest_grade, l.divergence AS latest_divergence, l.run_id AS latest_run
        FROM stories s
        JOIN per_story p ON p.story_id = s.id
        LEFT JOIN titles t ON t.story_id = s.id
        LEFT JOIN latest_scores l ON l.story_id = s.id
        WHERE s.merged_into IS NULL
        ORDER BY p.last_published DESC NULLS LAST, s.id
    """,
    "alert_log": f"""
        WITH titles AS ({_TITLES})
        SELECT al.id AS alert_id, al.story_id, t.story_title, al.state, al.rule, al.channel, al.run_id, al.created,
               al.attempts::BIGINT AS attempts, al.delivered, al.first_sent, al.last_sent, al.result
        FROM alerts al LEFT JOIN titles t ON t.story_id = al.story_id
        ORDER BY al.id
    """,
}

# -- comments: one per view and per column, stored in the database ------------------------------------------------

_COMMON = {
    "run_id": "The pipeline run (runs.id) the row was scored in.",
    "story_id": "The story: reports of one incident (stories.id).",
    "story_title": "The story's title; its first report's title when the story has none.",
    "scored_at": "When the run scored the story (UTC).",
    "grade": "The story's grade: 'single source', 'corroborated', 'contested' (attribution disputed) or "
    "'divergent' (tolls disagree).",
    "headline": "In words, which question drove the grade and what the voices say.",
    "divergence": "How far the independent voices disagree, 0 (all agree) to 1.",
    "count_agreement": "Agreement of the voices' death tolls, 0 to 1.",
    "attribution_agreement": "Agreement of the voices on who did it, 0 to 1.",
    "killed_verdict": "The death toll's verdict: agreeing, rising, divergent, single voice or none stated.",
    "injured_verdict": "The injured count's verdict: agreeing, rising, divergent, single voice or none stated.",
    "attribution_verdict": "The attribution's verdict: agreed, contested, single voice or none named.",
    "count_divergent": "True when the voices' tolls (killed or injured) diverge.",
    "attribution_contested": "True when the voices' claims of who did it conflict (the question, not the grade).",
    "article_count": "Number of articles (copies included).",
    "voice_count": "Number of independent voices: copy groups, a wire story and its copies count once.",
    "outlet_count": "Number of distinct outlets.",
    "outlet_names": "The outlets' names, comma-separated.",
    "consensus_killed": "The voices' weighted consensus death toll (whole number).",
    "consensus_killed_low": "Low end of the consensus death toll.",
    "consensus_killed_high": "High end of the consensus death toll (NULL: open-ended).",
    "consensus_injured": "The voices' weighted consensus injured count (whole number).",
    "consensus_injured_low": "Low end of the consensus injured count.",
    "consensus_injured_high": "High end of the consensus injured count (NULL: open-ended).",
    "consensus_perpetrator": "The actor most voices (weighted) name as responsible.",
    "first_published": "Earliest publication time among the story's dated reports (UTC); NULL when none is dated.",
    "last_published": "Latest publication time among the story's dated reports (UTC); NULL when none is dated.",
    "undated_count": "Number of the story's reports with no publication date (never given the collection time).",
    "outlet": "The outlet that published the article.",
    "article_id": "The article (articles.id): its canonical URL for fetched pages, the record id for snapshots.",
    "article_title": "The article's own title.",
    "url": "Link to the article's page; NULL when the source data has none (the report says so).",
    "published": "When the article was published (UTC); NULL when undated.",
    "question": "Which question: 'killed' (death toll), 'injured', or 'attribution' (who did it).",
    "verdict": "The question's verdict (see killed_verdict, injured_verdict, attribution_verdict).",
    "summary": "The verdict in one sentence.",
    "sentence": "The sentence the value or actor was read from, quoted.",
    "stance": "How the account holds the attribution: asserted, claimed, accused or denied.",
    "voice": "The independent voice (copy group id): articles sharing it are copies of one report.",
}

_COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "story_accounts": (
        "Every article of every story side by side: outlet, article title, link, published, the chosen killed and "
        "injured tolls with their quoted sentences, perpetrator, stance and cited source.",
        {
            "is_copy": "True when the article copies another voice's report (it counts once).",
            "killed": "The article's death toll for this incident (point estimate, whole number; never a war total).",
            "killed_low": "Low end of the article's death toll.",
            "killed_high": "High end of the article's death toll (NULL: open-ended, 'at least').",
            "killed_scope": "What the toll counts: 'incident' for this incident.",
            "killed_victims": "Who the dead were, as the article says (civilians, fighters...).",
            "killed_sentence": "The sentence the death toll was read from.",
            "injured": "The article's injured count (point estimate, whole number).",
            "injured_low": "Low end of the injured count.",
            "injured_high": "High end of the injured count (NULL: open-ended).",
            "injured_sentence": "The sentence the injured count was read from.",
            "perpetrator": "The actor id the article names as responsible.",
            "perpetrator_words": "The article's own words for the perpetrator.",
            "perpetrator_sentence": "The sentence the attribution was read from.",
            "cited_source": "The source the article cites for its figures or attribution.",
        },
    ),
    "latest_scores": (
        "The latest run's score of each story: grade, the headline saying which question drove it, divergence, "
        "the per-question verdicts, counts, consensus toll and perpetrator. Most divergent first.",
        {},
    ),
    "divergent_stories": ("The rows of latest_scores graded divergent or contested, most divergent first.", {}),
    "latest_verdicts": (
        "The latest run's verdict per story and question (killed, injured, attribution) with its summary and its "
        "evidence (JSON list, one item per voice).",
        {
            "voice_count": "Number of independent voices with an account on this question.",
            "evidence": "JSON list, one item per voice: voice, outlets, article_id, url, published, sentence, and "
            "value/low/high (counts) or actor/stance/speaker (attribution).",
        },
    ),
    "disagreements": (
        "Which incidents disagree, on what question, by how much, which voices say what, in which sentence, with "
        "which link: one row per disputed question and voice, from the latest run's verdicts.",
        {
            "voice_count": "Number of independent voices with an account on this question.",
            "position_count": "Number of different positions among the voices (distinct tolls, or actor and stance).",
            "lowest_toll": "The lowest toll any voice gives (counts only).",
            "highest_toll": "The highest toll any voice gives (counts only).",
            "toll_ratio": "highest_toll / lowest_toll: by how much the tolls disagree (counts only).",
            "voice_outlets": "The outlets that carried this voice's report.",
            "outlet": "The outlet of the quoted article.",
            "value": "The voice's toll (point, whole number; counts only).",
            "low": "Low end of the voice's toll.",
            "high": "High end of the voice's toll (NULL: open-ended).",
            "actor": "The actor the voice names (attribution only).",
            "speaker": "Whose claim it is: NULL for the outlet's own voice, else the party it cites.",
            "url": "Link to the quoted article; NULL when the source data has none.",
        },
    ),
    "story_history": (
        "Each story's score in every run, oldest first, with the previous grade and the change in divergence.",
        {
            "previous_grade": "The story's grade in its previous scored run.",
            "divergence_change": "Divergence minus the previous run's.",
        },
    ),
    "outlet_reliability_history": (
        "Each outlet's learned reliability weight in every run, with its change and its rank within the run.",
        {
            "run_started": "When the run started (UTC).",
            "weight": "The outlet's reliability weight (higher: closer to the weighted consensus).",
            "claim_count": "Number of claims the weight rests on.",
            "error": "The outlet's error against the consensus.",
            "weight_change": "Weight minus the previous run's.",
            "rank_in_run": "The outlet's rank by weight within the run (1 = most reliable).",
        },
    ),
    "stories_overview": (
        "One row per story (merged stories left out): article, voice and outlet counts, outlets, the published "
        "span of its dated reports, its undated reports, and its latest grade. Most recent first.",
        {
            "latest_grade": "The story's grade in the latest run.",
            "latest_divergence": "The story's divergence in the latest run.",
            "latest_run": "The latest run that scored the story.",
        },
    ),
    "alert_log": (
        "Every alert (one row per story, change of state and channel) with its delivery record.",
        {
            "alert_id": "The alert's id, also its idempotency key.",
            "state": "The change of state: divergent, escalated or resolved.",
            "rule": "The rule that fired.",
            "channel": "Where it was sent.",
            "run_id": "The run that raised the alert.",
            "created": "When the alert was raised (UTC).",
            "attempts": "Delivery attempts so far.",
            "delivered": "True once a delivery succeeded.",
            "first_sent": "First delivery attempt (UTC).",
            "last_sent": "Last delivery attempt (UTC).",
            "result": "The last attempt's result.",
        },
    ),
}

VIEWS: dict[str, str] = {name: comment for name, (comment, _) in _COMMENTS.items()}

assert list(_VIEW_SQL) == list(_COMMENTS)


def column_comment(view: str, column: str) -> str | None:
    """Return the comment of `view`'s `column` (view-specific first, then the shared vocabulary)."""
    return _COMMENTS[view][1].get(column) or _COMMON.get(column)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_views(con: duckdb.DuckDBPyConnection, *, temporary: bool = False) -> None:
    """Create or replace every analyst view, with its comments, in the database `con` is connected to (idempotent).

    Changes the database: the views named in VIEWS and their comments (needs a read-write connection). With
    `temporary` the views live only in this connection, which works on a read-only one too (without comments:
    DuckDB keeps none on temporary views).
    """
    kind = "TEMP VIEW" if temporary else "VIEW"
    for name, sql in _VIEW_SQL.items():  # dict order: a view is created after the views it reads
        con.execute(f"CREATE OR REPLACE {kind} {name} AS {sql}")
        if temporary:
            continue
        con.execute(f"COMMENT ON VIEW {name} IS {_quote(VIEWS[name])}")
        for (column,) in con.execute(f"SELECT column_name FROM (DESCRIBE {name})").fetchall():
            comment = column_comment(name, column)
            if comment:
                con.execute(f'COMMENT ON COLUMN {name}."{column}" IS {_quote(comment)}')


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `con`'s current database is attached read-only."""
    rows = con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return bool(rows and rows[0][0])


def missing_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the names in VIEWS that the connected database lacks."""
    present = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return [name for name in VIEWS if name not in present]


DEFAULT_QUERY = (
    "SELECT story_title, question, verdict, lowest_toll, highest_toll, outlet, value, actor, stance, "
    "coalesce(url, 'no link in the source data') AS link, sentence FROM disagreements"
)


def main(argv: list[str] | None = None) -> int:
    """`python -m accord.views DATABASE [SQL]`: print a query's result on a read-only connection."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help") or len(args) > 2:
        print("usage: python -m accord.views DATABASE [SQL]   (default SQL: the disagreements, one row per voice)")
        return 0 if args and args[0] in ("-h", "--help") else 2
    try:
        con = duckdb.connect(args[0], read_only=True)
    except duckdb.Error as error:
        print(f"cannot open {args[0]}: {error}", file=sys.stderr)
        return 1
    try:
        if missing_views(con):
            create_views(con, temporary=True)
        relation = con.sql(args[1] if len(args) == 2 else DEFAULT_QUERY)
        if relation is None:
            return 0
        relation.show(max_width=10_000, max_rows=10_000)
    except duckdb.Error as error:
        print(f"query failed: {error}", file=sys.stderr)
        return 1
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
