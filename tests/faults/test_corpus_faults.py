"""Fault matrix, corpus and snapshot lines: each bad line is one clear error naming the file and line; a snapshot
skips it, reports it, and keeps every good record before and after it; a gold that is not a finite number is refused
and never scored as a match."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.corpus import read_records
from accord.errors import CorpusError
from accord.metrics import consensus_metrics, count_metrics
from accord.sources import Collector, OutletSource, SnapshotError, read_snapshot


def good(n: int, **gold: object) -> bytes:
    record = {"id": f"r{n}", "outlet": "Wire", "title": f"Report {n}", "text": f"Text of report {n}."}
    if gold:
        record["gold"] = gold
    return json.dumps(record).encode() + b"\n"


# (case id, the bad line, what the error must say). The bad line is line 3 of the file, after two good lines
# and a blank one (blank lines count: editors number them).
BAD_LINES = [
    ("deeply nested JSON", b"[" * (sys.getrecursionlimit() * 10) + b"\n", "nested too deeply"),
    ("deeply nested object", b'{"a":' * 100_000 + b"\n", "nested too deeply"),
    ("not UTF-8", b'{"id": "x", "outlet": "W", "title": "caf\xe9", "text": "t"}\n', "not UTF-8"),
    ("broken JSON", b'{"id": "x", \n', "bad JSON"),
    ("not an object", b"[1, 2, 3]\n", "expected a JSON object"),
    ("missing keys", b'{"id": "x"}\n', "missing required keys outlet, title, text"),
    ("empty outlet", b'{"id": "x", "outlet": " ", "title": "t", "text": "t"}\n', "non-empty string"),
    ("gold Infinity", good(9, killed=float("inf")), "finite"),
    ("gold -Infinity", good(9, injured=float("-inf")), "finite"),
    ("gold NaN", good(9, story_killed=float("nan")), "finite"),
    ("gold a string", good(9, killed="five"), "must be a number"),
    ("gold not an object", b'{"id": "x", "outlet": "W", "title": "t", "text": "t", "gold": [1]}\n', "gold must"),
]


def corpus(tmp_path: Path, bad: bytes) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(good(1) + b"\n" + bad + good(4) + good(5))
    return path


@pytest.mark.parametrize("bad, message", [c[1:] for c in BAD_LINES], ids=[c[0] for c in BAD_LINES])
def test_a_bad_corpus_line_is_one_error_naming_file_and_line(tmp_path, bad, message):
    path = corpus(tmp_path, bad)
    with pytest.raises(CorpusError, match=f"^{path}:3: .*{message}") as raised:
        list(read_records(path))
    assert len(str(raised.value)) < 300  # one line, not the line's content


@pytest.mark.parametrize("bad, message", [c[1:] for c in BAD_LINES], ids=[c[0] for c in BAD_LINES])
def test_a_snapshot_skips_a_bad_line_and_keeps_the_records_around_it(tmp_path, bad, message):
    path = corpus(tmp_path, bad)
    with pytest.raises(SnapshotError, match=f"{path}:3: .*{message}"):  # alone, the reader still says where
        list(read_snapshot(path))
    errors: list[str] = []
    assert [a.id for a in read_snapshot(path, errors=errors)] == ["r1", "r4", "r5"]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:3: ")


def test_the_collector_keeps_a_snapshots_good_records_and_logs_its_bad_lines(tmp_path, settings):
    path = tmp_path / "snap.jsonl"
    path.write_bytes(good(1) + BAD_LINES[0][1] + good(3) + b"\xff\xfe\n" + good(5))
    with Collector(settings) as collector:
        result = collector.collect(OutletSource(name="Wire", snapshot=path), {}, set())
    assert [a.id for a in result.articles] == ["r1", "r3", "r5"]
    (event,) = result.events
    assert not event.ok and event.kind == "snapshot"
    assert event.error.startswith("2 bad line(s) skipped:")
    assert f"{path}:2: bad JSON: nested too deeply" in event.error and f"{path}:4: not UTF-8" in event.error


def test_a_non_utf8_line_far_into_a_file_is_named_by_its_own_number(tmp_path):
    """A text reader decodes ahead in 8 kB blocks: its error used to name the line it had read up to."""
    path = tmp_path / "long.jsonl"
    lines = [good(n) for n in range(1, 400)]
    lines[299] = b'{"id": "x", "outlet": "W", "title": "\xff", "text": "t"}\n'
    path.write_bytes(b"".join(lines))
    with pytest.raises(CorpusError, match=rf"^{path}:300: not UTF-8"):
        list(read_records(path))


@pytest.mark.parametrize("gold", [float("inf"), float("nan"), float("-inf")], ids=["inf", "nan", "-inf"])
def test_a_non_finite_gold_never_counts_as_a_match(gold):
    """Refused by the corpus reader; and if one reaches the metrics anyway, it is not scored at all."""
    assert count_metrics([(gold, gold), (3.0, 3.0)]) == {"n": 1, "exact": 1.0, "within_10pct": 1.0, "missing": 0.0}
    assert count_metrics([(gold, gold)])["n"] == 0
    assert consensus_metrics({"s": (gold, gold)})["n"] == 0
