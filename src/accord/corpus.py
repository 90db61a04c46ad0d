"""Labelled-corpus files (../shared/CORPUS.md): one JSON object per line, read into Articles and gold labels.

The same shape is the `snapshot` source kind's input, so a saved snapshot and an evaluation corpus are read alike.
Unknown keys are ignored; a bad line raises CorpusError naming the file and line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.dates import parse_datetime
from accord.errors import CorpusError
from accord.models import Article


@dataclass(frozen=True)
class Gold:
    story: str | None = None
    killed: float | None = None
    injured: float | None = None
    story_killed: float | None = None
    story_injured: float | None = None
    perpetrator: tuple[str, ...] = ()
    label: int | None = None
    story_count_divergent: bool | None = None  # an analyst's verdict on the story (CORPUS.md)
    story_attribution_contested: bool | None = None


@dataclass(frozen=True)
class Record:
    article: Article
    gold: Gold = field(default_factory=Gold)


def _number(value: Any, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"gold.{key} must be a number or null, got {value!r}")
    if not math.isfinite(value):  # JSON's Infinity/NaN extensions: no count, and inf would "match" inf
        raise ValueError(f"gold.{key} must be a finite number or null, got {value!r}")
    return float(value)


REQUIRED_KEYS = ("id", "outlet", "title", "text")


def _flag(value: Any, key: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValueError(f"gold.{key} must be true, false or null, got {value!r}")
    return value


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _record(obj: Any) -> Record:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in obj]
    if missing:
        raise ValueError(f"missing required key{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    for key in REQUIRED_KEYS:
        value = obj[key]
        if key == "title" and value is None:
            continue
        if not isinstance(value, str) or (key in ("id", "outlet") and not value.strip()):
            raise ValueError(f"key {key!r} must be a {'non-empty ' if key in ('id', 'outlet') else ''}string")
    article = Article(
        id=obj["id"],
        outlet=obj["outlet"],
        title=(obj["title"] or "").strip(),
        text=obj["text"],
        url=_optional_str(obj.get("url")),
        published=parse_datetime(obj.get("published")),
        author=_optional_str(obj.get("author")),
        language=_optional_str(obj.get("language")),
    )
    raw = obj.get("gold") or {}
    if not isinstance(raw, dict):
        raise ValueError("gold must be an object")
    perpetrator = raw.get("perpetrator") or ()
    if isinstance(perpetrator, str):
        perpetrator = (perpetrator,)
    story = raw.get("story")
    gold = Gold(
        story=None if story is None else str(story),
        killed=_number(raw.get("killed"), "killed"),
        injured=_number(raw.get("injured"), "injured"),
        story_killed=_number(raw.get("story_killed"), "story_killed"),
        story_injured=_number(raw.get("story_injured"), "story_injured"),
        perpetrator=tuple(perpetrator),
        label=raw.get("label"),
        story_count_divergent=_flag(raw.get("story_count_divergent"), "story_count_divergent"),
        story_attribution_contested=_flag(raw.get("story_attribution_contested"), "story_attribution_contested"),
    )
    return Record(article, gold)


def count_records(path: Path) -> int:
    """Return how many records a corpus file or folder holds (the non-blank lines of its files), without parsing
    them; 0 when it cannot be read (read_records then says why)."""
    try:
        total = 0
        for file in corpus_files(path):
            with file.open("rb") as lines:
                total += sum(1 for line in lines if line.strip())
        return total
    except (CorpusError, OSError):
        return 0


def corpus_files(path: Path) -> list[Path]:
    """Return the JSON Lines files of a corpus: the file itself, or a folder's *.jsonl files sorted by name."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".jsonl")
    if path.is_file():
        return [path]
    raise CorpusError(f"{path}: no such corpus or snapshot file or folder")


def read_records(path: Path, on_error: Callable[[CorpusError], None] | None = None) -> Iterator[Record]:
    """Yield the records of a corpus file, or of every *.jsonl file in a folder, in file order.

    Unknown keys are ignored; `published` is read as a timezone-aware datetime (UTC when no zone is given;
    None when absent or unreadable). A repeated id is yielded again: callers decide (the snapshot source keeps
    the first; the evaluation keeps every gold row). A bad line (bad JSON, JSON nested too deeply, not UTF-8, not an
    object, a missing required key, a wrongly typed or non-finite value) raises CorpusError naming the file and
    line; with `on_error`, the error is passed to it instead and reading goes on with the next line. Reads files
    only.
    """
    for file in corpus_files(Path(path)):
        try:
            handle = file.open("rb")
        except OSError as error:
            raise CorpusError(f"{file}: cannot read: {error}") from None
        with handle:
            # bytes, decoded line by line: a text reader decodes ahead in blocks, so its error names the wrong line
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                try:
                    record = _parse_line(raw)
                except ValueError as error:
                    problem = CorpusError(f"{file}:{number}: {error}")
                    if on_error is None:
                        raise problem from None
                    on_error(problem)
                    continue
                yield record


def _parse_line(raw: bytes) -> Record:
    """Return the record of one corpus line; raise ValueError saying what is wrong with it."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8: {error.reason} at byte {error.start}") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"bad JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise ValueError("bad JSON: nested too deeply") from None
    return _record(obj)
