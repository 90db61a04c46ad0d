"""Snapshot replay: saved reports in the labelled-corpus shape (shared/CORPUS.md), read with no network."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from accord.models import Article
from accord.sources.dates import parse_datetime
from accord.sources.errors import SnapshotError

REQUIRED_KEYS = ("id", "outlet", "title", "text")


def snapshot_files(path: Path) -> list[Path]:
    """Return the JSON Lines files of a snapshot: the file itself, or a folder's *.jsonl files sorted by name."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".jsonl")
    if path.is_file():
        return [path]
    raise SnapshotError(f"{path}: no such snapshot file or folder")


def read_snapshot(path: Path, outlet: str | None = None) -> Iterator[Article]:
    """Yield the Articles of a snapshot file or folder, in file order; only `outlet`'s records when it is given.

    Article.id is the record id, url is kept, published is parsed (None when absent or unreadable); unknown
    keys (gold labels...) are ignored; a record whose id was already read from the same file is skipped.
    Raises SnapshotError naming the file and line for bad JSON, a record that is not an object, a missing
    required key or a wrongly typed value. Reads files only.
    """
    for file in snapshot_files(Path(path)):
        seen: set[str] = set()
        try:
            handle = file.open(encoding="utf-8")
        except OSError as exc:
            raise SnapshotError(f"{file}: cannot read: {exc}") from exc
        with handle:
            line_number = 0
            try:
                for line_number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    article = _article(file, line_number, line)
                    if article.id in seen:
                        # The same report linked to two incidents (gva-dev.jsonl has 11): one article.
                        continue
                    seen.add(article.id)
                    if outlet is None or article.outlet == outlet:
                        yield article
            except UnicodeDecodeError as exc:
                raise SnapshotError(f"{file}:{line_number + 1}: not UTF-8: {exc}") from exc


def _article(file: Path, line_number: int, line: str) -> Article:
    where = f"{file}:{line_number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{where}: bad JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise SnapshotError(f"{where}: expected a JSON object, got {type(record).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        raise SnapshotError(f"{where}: missing required key{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    for key in REQUIRED_KEYS:
        value = record[key]
        if key == "title" and value is None:
            continue
        if not isinstance(value, str) or (key in ("id", "outlet") and not value.strip()):
            raise SnapshotError(
                f"{where}: key {key!r} must be a non-empty string"
                if key in ("id", "outlet")
                else f"{where}: key {key!r} must be a string"
            )
    url = record.get("url")
    author = record.get("author")
    language = record.get("language")
    return Article(
        id=record["id"],
        outlet=record["outlet"],
        title=record["title"] or "",
        text=record["text"],
        url=url if isinstance(url, str) and url else None,
        published=parse_datetime(record.get("published")),
        author=author if isinstance(author, str) and author else None,
        language=language if isinstance(language, str) and language else None,
    )
