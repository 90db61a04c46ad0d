"""The DuckDB store: schema, reads and writes, the writer lock, and the analyst's published copy.

One file holds everything (see the README's "Reading the report"). Each pipeline step writes in one
transaction, so a run that dies leaves the file as it was before that step; steps select their work
by state ("articles with no signature yet"), so the next run completes what a dead one left.

DuckDB lets one read-write process lock the file against every other process, readers included, so
writers take an advisory lock file first (overlapping runs wait their turn instead of failing), and
analysts read a copy published atomically after each run.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from accord.errors import StoreError
from accord.views import create_views

SCHEMA_VERSION = 1

# DuckDB's buffer pool, which otherwise grows to 80% of RAM: it caches every block a step reads and holds an update's
# old and new row groups, about 1.3 GB of resident memory for the dedup step's signature update at 100k reports
# against 0.5 GB at 512 MB. Larger work spills to `<database>.tmp`, DuckDB's default temp directory. At 512 MB the
# blocks that clustering's read of 53k representatives left cached (248 MB) set the run's peak at 100k reports (2,168
# MB, bench/bench_scale.py, AVX2); at 256 MB it held 163 MB and the peak was 1,916 MB, with no stage slower.
MEMORY_LIMIT = "256MB"

_SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS article_seq START 1;
CREATE SEQUENCE IF NOT EXISTS run_seq START 1;
CREATE SEQUENCE IF NOT EXISTS claim_seq START 1;
CREATE SEQUENCE IF NOT EXISTS alert_seq START 1;

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE IF NOT EXISTS runs (
    id BIGINT PRIMARY KEY, flow VARCHAR NOT NULL, started TIMESTAMP NOT NULL, finished TIMESTAMP,
    status VARCHAR NOT NULL, counts JSON, errors JSON
);

-- status: 'running', then 'completed', 'completed_with_failures' (errors says what: an outlet failed, every fetch
-- failed, alerts left undelivered), 'failed' (the run stopped on an error), or 'interrupted' (the process died
-- mid-run, e.g. kill -9; set by the next run). pid: the process that ran it.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;

CREATE TABLE IF NOT EXISTS outlets (name VARCHAR PRIMARY KEY, first_seen TIMESTAMP NOT NULL);

CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,            -- canonical URL for fetched pages, record id for snapshots
    seq BIGINT NOT NULL,               -- arrival order; indexes are rebuilt in this order
    url VARCHAR, outlet VARCHAR NOT NULL, title VARCHAR NOT NULL, text VARCHAR NOT NULL,
    published TIMESTAMP, fetched TIMESTAMP NOT NULL, author VARCHAR, language VARCHAR,
    content_hash VARCHAR NOT NULL, run_id BIGINT,
    signature UBIGINT[],               -- MinHash signature under meta.hash_scheme
    copy_group VARCHAR,                -- id of the copy group's first member: one voice
    story_id VARCHAR,
    extracted BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS embeddings (
    article_id VARCHAR PRIMARY KEY, model VARCHAR NOT NULL, vector FLOAT[] NOT NULL
);

CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY, first_seen TIMESTAMP, last_seen TIMESTAMP, title VARCHAR,
    created_run BIGINT, merged_into VARCHAR
);

CREATE TABLE IF NOT EXISTS story_merges (absorbed VARCHAR, into_story VARCHAR, run_id BIGINT, merged_at TIMESTAMP);

CREATE TABLE IF NOT EXISTS index_state (name VARCHAR PRIMARY KEY, run_id BIGINT, data BLOB);

-- The story index (accord.cluster.StoryIndexState), one row per placed report in placement order, appended by each
-- run; index_state 'stories' holds its merges as JSON (in databases written before, the whole state as one .npz)
CREATE TABLE IF NOT EXISTS story_index (
    position INTEGER PRIMARY KEY, article_id VARCHAR NOT NULL, story_id VARCHAR NOT NULL,
    published VARCHAR,                 -- ISO 8601, as placed (a dateline's date carries its UTC offset)
    features VARCHAR NOT NULL, hubness DOUBLE NOT NULL, embedding FLOAT[] NOT NULL,
    bag_ids INTEGER[] NOT NULL, bag_counts USMALLINT[] NOT NULL   -- the word bag: story_vocabulary ids, counts
);
CREATE TABLE IF NOT EXISTS story_vocabulary (id INTEGER PRIMARY KEY, term VARCHAR NOT NULL);

CREATE TABLE IF NOT EXISTS claims (
    id BIGINT PRIMARY KEY, article_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    low BIGINT, high BIGINT, point DOUBLE, scope VARCHAR, victims VARCHAR,
    actor VARCHAR, words VARCHAR, stance VARCHAR, cited_source VARCHAR,
    sentence VARCHAR NOT NULL, start_offset INTEGER, end_offset INTEGER, chosen BOOLEAN NOT NULL
);
-- what else the extractor read of the claim (accord.models.Claim.extra: "vague", "count_text", "shot", ...), as JSON
ALTER TABLE claims ADD COLUMN IF NOT EXISTS extra JSON;

CREATE TABLE IF NOT EXISTS story_scores (
    run_id BIGINT NOT NULL, story_id VARCHAR NOT NULL, scored_at TIMESTAMP NOT NULL,
    articles INTEGER, voices INTEGER, outlets INTEGER,
    count_agreement DOUBLE, attribution_agreement DOUBLE, divergence DOUBLE, grade VARCHAR,
    contested BOOLEAN,
    consensus_killed_low DOUBLE, consensus_killed_high DOUBLE, consensus_killed DOUBLE,
    consensus_injured_low DOUBLE, consensus_injured_high DOUBLE, consensus_injured DOUBLE,
    consensus_perpetrator VARCHAR, details JSON,
    PRIMARY KEY (run_id, story_id)
);
-- The verdict per story (accord.verdict): does the story's independent voices' toll diverge, is its attribution
-- contested, and which question drove the grade, in words.
ALTER TABLE story_scores ADD COLUMN IF NOT EXISTS count_divergent BOOLEAN;
ALTER TABLE story_scores ADD COLUMN IF NOT EXISTS attribution_contested BOOLEAN;
ALTER TABLE story_scores ADD COLUMN IF NOT EXISTS killed_verdict VARCHAR;
ALTER TABLE story_scores ADD COLUMN IF NOT EXISTS injured_verdict VARCHAR;
ALTER TABLE story_scores ADD COLUMN IF NOT EXISTS attribution_verdict VARCHAR;
ALTER TABLE story_scores ADD COLUMN IF NOT EXISTS headline VARCHAR;

-- One row per story, run and question ('killed', 'injured', 'attribution'). verdict: for the counts 'agreeing',
-- 'rising', 'divergent', 'single voice', 'none stated'; for attribution 'agreed', 'contested', 'single voice',
-- 'none named'. summary: the verdict in one sentence. evidence: a JSON list, one item per independent voice's
-- account: {voice, outlets, article_id, url, published, sentence, and for counts value, low, high; for attribution
-- actor, stance ('asserted', 'claimed', 'accused', 'denied'), speaker (null: the outlet's own voice, else the party
-- it cites)}.
CREATE TABLE IF NOT EXISTS story_verdicts (
    run_id BIGINT NOT NULL, story_id VARCHAR NOT NULL, question VARCHAR NOT NULL, verdict VARCHAR NOT NULL,
    voices INTEGER NOT NULL, summary VARCHAR, evidence JSON,
    PRIMARY KEY (run_id, story_id, question)
);

CREATE TABLE IF NOT EXISTS outlet_reliability (
    run_id BIGINT NOT NULL, outlet VARCHAR NOT NULL, scored_at TIMESTAMP NOT NULL,
    weight DOUBLE, claims INTEGER, error DOUBLE,
    PRIMARY KEY (run_id, outlet)
);

CREATE TABLE IF NOT EXISTS alerts (
    id BIGINT PRIMARY KEY, story_id VARCHAR NOT NULL, state VARCHAR NOT NULL, rule VARCHAR,
    channel VARCHAR NOT NULL, message JSON, created TIMESTAMP NOT NULL, run_id BIGINT,
    first_sent TIMESTAMP, last_sent TIMESTAMP, attempts INTEGER NOT NULL DEFAULT 0,
    delivered BOOLEAN NOT NULL DEFAULT FALSE, result VARCHAR
);

CREATE TABLE IF NOT EXISTS alert_state (
    story_id VARCHAR PRIMARY KEY, state VARCHAR NOT NULL, changed TIMESTAMP,
    grade VARCHAR, divergence DOUBLE, run_id BIGINT   -- the score at the last alert: escalation compares to it
);
ALTER TABLE alert_state ADD COLUMN IF NOT EXISTS grade VARCHAR;
ALTER TABLE alert_state ADD COLUMN IF NOT EXISTS divergence DOUBLE;
ALTER TABLE alert_state ADD COLUMN IF NOT EXISTS run_id BIGINT;

CREATE TABLE IF NOT EXISTS fetch_log (
    run_id BIGINT, logged_at TIMESTAMP NOT NULL, outlet VARCHAR, url VARCHAR NOT NULL, kind VARCHAR,
    ok BOOLEAN NOT NULL, status INTEGER, not_modified BOOLEAN, error VARCHAR
);

CREATE TABLE IF NOT EXISTS outlet_boilerplate (outlet VARCHAR NOT NULL, line VARCHAR NOT NULL);

-- lines at the heads of the signed articles, by a 64-bit hash of their template form (accord.identity.line_counts):
-- how many dated articles carry each and over which days, so that page furniture is learned across runs
CREATE TABLE IF NOT EXISTS line_counts (
    key UBIGINT PRIMARY KEY, reports BIGINT NOT NULL, first_day BIGINT NOT NULL, last_day BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS feed_state (
    url VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR, updated TIMESTAMP
);
"""


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime (DuckDB TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_naive_utc(value: datetime | None) -> datetime | None:
    """Return `value` as naive UTC, the form every TIMESTAMP column holds."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class RunInfo:
    id: int
    flow: str


class Store:
    """A read-write connection to one accord database, with the schema in place."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreError(f"database not found: {self.path}")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as error:
            raise StoreError(f"cannot open {self.path}: {error}") from None
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        if not read_only:
            self.con.execute(_SCHEMA)
            self._migrate()

    def _migrate(self) -> None:
        row = self.first_row("SELECT value FROM meta WHERE key = 'schema_version'")
        if row is None:
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        elif int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {row[0]}, newer than this accord ({SCHEMA_VERSION})")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block in one transaction: all of its writes land, or none do."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- small helpers -------------------------------------------------------------------------
    def first_row(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        """Return the first row of a query, or None. Fetches all rows: DuckDB keeps a result open until then."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Return the first column of the first row of a query (None when there is no row)."""
        row = self.first_row(sql, params)
        return None if row is None else row[0]

    def get_meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def insert_rows(self, table: str, rows: Sequence[dict[str, Any]], schema: pa.Schema | None = None) -> int:
        """Bulk-insert dict rows through Arrow (DuckDB's executemany manages ~1,000 rows/s). Returns rows written."""
        if not rows:
            return 0
        return self.insert_table(table, pa.Table.from_pylist(list(rows), schema=schema))

    def insert_table(self, table: str, arrow: pa.Table) -> int:
        """Bulk-insert an Arrow table's columns into the same-named columns of `table`. Returns rows written."""
        columns = ", ".join(arrow.column_names)
        self.con.register("_incoming", arrow)
        try:
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _incoming")
        finally:
            self.con.unregister("_incoming")
        return arrow.num_rows

    def batches(self, sql: str, size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
        """Yield a query's rows `size` at a time (a large backlog's texts are never all held at once). Run no other
        query on this store until the iteration ends: they share one connection."""
        cursor = self.con.execute(sql)
        while rows := cursor.fetchmany(size):
            yield rows

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """Return the rows of a query as dicts."""
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- runs --------------------------------------------------------------------------------
    def start_run(self, flow: str) -> RunInfo:
        run_id = self.scalar("SELECT nextval('run_seq')")
        self.con.execute(
            "INSERT INTO runs (id, flow, started, finished, status, counts, errors, pid) "
            "VALUES (?, ?, ?, NULL, 'running', NULL, NULL, ?)",
            [run_id, flow, utcnow(), os.getpid()],
        )
        return RunInfo(run_id, flow)

    def interrupt_stale_runs(self) -> list[int]:
        """Mark every run still `running` as `interrupted` (its process died without finishing: kill -9, power
        loss) and return their ids. Call only while holding `writer_lock`: every run holds it from start to finish,
        so a `running` row seen by the lock's holder belongs to a process that is gone."""
        rows = self.con.execute("SELECT id, pid FROM runs WHERE status = 'running' ORDER BY id").fetchall()
        for run_id, pid in rows:
            note = f"process {pid if pid is not None else '?'} ended without finishing the run (killed or crashed)"
            self.con.execute(
                "UPDATE runs SET status = 'interrupted', finished = ?, errors = ? WHERE id = ?",
                [utcnow(), json.dumps([note]), run_id],
            )
        return [r[0] for r in rows]

    def finish_run(self, run: RunInfo, status: str, counts: dict[str, Any], errors: list[str]) -> None:
        self.con.execute(
            "UPDATE runs SET finished = ?, status = ?, counts = ?, errors = ? WHERE id = ?",
            [utcnow(), status, json.dumps(counts), json.dumps(errors), run.id],
        )


@contextmanager
def writer_lock(database: Path, timeout: float = 3600.0) -> Iterator[None]:
    """Hold the advisory writer lock of `database` (a `.lock` file beside it), waiting up to `timeout` s.

    Raises StoreError when another run keeps it longer than that.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    lock_path = database.with_name(database.name + ".lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"another accord run holds {lock_path}; gave up after {timeout:.0f} s") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish_copy(database: Path, target: Path) -> Path:
    """Copy a closed database to `target` atomically (write beside it, then rename). Returns target.

    The copy gets the analyst's views (accord.views.create_views) before it is renamed into place, so
    the published file always carries them, and it is fsynced first, so a crash never leaves a torn
    target. Readers holding the old copy open keep reading it; new readers open the new one.
    Call only while holding the writer lock, with no open read-write connection to `database`.
    Raises StoreError when `database` still has a write-ahead log (its writer is still open).
    """
    wal = database.with_name(database.name + ".wal")
    if wal.exists():  # a checkpoint on close should leave none; never publish a torn file
        raise StoreError(f"{database} still has a write-ahead log; close the writer before publishing")
    target.parent.mkdir(parents=True, exist_ok=True)
    # A publish killed mid-copy (kill -9 skips the cleanup below) leaves its partial copy; we hold the writer lock,
    # so no other publish is writing one now.
    for stale in target.parent.glob(f".{target.name}.*.partial*"):
        stale.unlink(missing_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        shutil.copyfile(database, partial)
        con = duckdb.connect(str(partial))
        try:
            create_views(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)
    return target
