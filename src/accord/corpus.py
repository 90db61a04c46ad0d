"""Labelled-corpus files (../shared/CORPUS.md): one JSON object per line, read into Articles and gold labels.

The same shape is the `snapshot` source kind's input, so a saved snapshot and an evaluation corpus are read alike.
Unknown keys are ignored; a bad line raises CorpusError naming the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Record:
    article: Article
    gold: Gold = field(default_factory=Gold)


def parse_published(value: Any) -> datetime | None:
    """Return an ISO date or date-time as a datetime (None stays None); raise ValueError otherwise."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string, got {value!r}")
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text[:10])


def _number(value: Any, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"gold.{key} must be a number or null, got {value!r}")
    return float(value)


def _record(obj: Any, outlet_override: str | None) -> Record:
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    missing = [k for k in ("id", "outlet", "text") if k not in obj]
    if missing:
        raise ValueError(f"missing required key(s): {', '.join(missing)}")
    for key in ("id", "outlet", "text"):
        if not isinstance(obj[key], str):
            raise ValueError(f"{key} must be a string")
    title = obj.get("title") or ""
    if not isinstance(title, str):
        raise ValueError("title must be a string")
    article = Article(
        id=obj["id"],
        outlet=outlet_override or obj["outlet"],
        title=title.strip(),
        text=obj["text"],
        url=obj.get("url"),
        published=parse_published(obj.get("published")),
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
    )
    return Record(article, gold)


def read_records(path: Path, outlet: str | None = None) -> Iterator[Record]:
    """Yield the records of a corpus file, or of every *.jsonl file in a folder (sorted by name).

    Raises CorpusError for a missing path, bad JSON, a missing required key, or a repeated id.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise CorpusError(f"{path}: folder holds no *.jsonl files")
    elif path.is_file():
        files = [path]
    else:
        raise CorpusError(f"corpus not found: {path}")
    seen: set[str] = set()
    for file in files:
        with open(file, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = _record(json.loads(line), outlet)
                except (json.JSONDecodeError, ValueError) as error:
                    raise CorpusError(f"{file}, line {number}: {error}") from None
                if record.article.id in seen:
                    raise CorpusError(f"{file}, line {number}: id {record.article.id!r} appears twice")
                seen.add(record.article.id)
                yield record
