"""Snapshot replay: saved reports in the labelled-corpus shape (shared/CORPUS.md), read with no network."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from accord.corpus import corpus_files, read_records
from accord.errors import CorpusError
from accord.models import Article
from accord.sources.errors import SnapshotError
from accord.textfix import repair_text


def snapshot_files(path: Path) -> list[Path]:
    """Return the JSON Lines files of a snapshot: the file itself, or a folder's *.jsonl files sorted by name."""
    try:
        return corpus_files(path)
    except CorpusError as error:
        raise SnapshotError(str(error).replace("no such corpus or snapshot", "no such snapshot")) from None


def read_snapshot(path: Path, outlet: str | None = None, errors: list[str] | None = None) -> Iterator[Article]:
    """Yield the Articles of a snapshot file or folder, in file order; only `outlet`'s records when it is given.

    Titles and texts are repaired of mojibake (accord.textfix). Article.id is the record id; a record whose id was
    already read is skipped (the same report linked to two incidents: gva-dev.jsonl has 11). A malformed record raises
    SnapshotError naming the file and line; when `errors` is given, its message is appended there instead and the
    good records before and after it are read.
    """
    snapshot_files(path)
    seen: set[str] = set()
    on_error = None if errors is None else (lambda error: errors.append(str(error)))
    try:
        for record in read_records(path, on_error):
            article = record.article
            if article.id in seen:
                continue
            seen.add(article.id)
            if outlet is None or article.outlet == outlet:
                title, text = repair_text(article.title), repair_text(article.text)
                if title is not article.title or text is not article.text:
                    article = dataclasses.replace(article, title=title, text=text)
                yield article
    except CorpusError as error:
        raise SnapshotError(str(error)) from None
