"""The fundus parser fixtures: real article pages paired with their expected title, date, authors and body."""

from __future__ import annotations

import csv
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

from tests.shared import DATA

FIXTURES = DATA / "fundus-parser-fixtures"


@dataclass(frozen=True)
class FundusPage:
    """One saved page and what fundus expects from it."""

    country: str
    publisher: str
    html_path: Path
    url: str
    title: str
    body: str
    published: str | None
    authors: tuple[str, ...]

    def html(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())


def _body_text(body: dict) -> str:
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n".join(parts)


def load_pages(root: Path = FIXTURES) -> list[FundusPage]:
    """Return every present page with its expected output (versions sorted ascending pair with pages by date)."""
    rows = list(csv.DictReader((root / "fixtures_index.csv").open(encoding="utf-8")))
    by_json: dict[str, list[dict]] = {}
    for row in rows:
        if row["html_present"] == "True" and (root / "test_data" / row["html_file"]).exists():
            by_json.setdefault(row["expected_json"], []).append(row)
    pages = []
    for json_file, group in sorted(by_json.items()):
        expected = json.loads((root / "test_data" / json_file).read_text(encoding="utf-8"))
        versions = sorted(expected, key=lambda v: [int(x) for x in re.findall(r"\d+", v)])
        group.sort(key=lambda r: r["html_file"])
        if len(versions) != len(group):
            # Publishers whose versions do not line up one-to-one with their pages: use the last version for
            # the last page only, the pairing the fixtures document is by date.
            versions, group = versions[-1:], group[-1:]
        for version, row in zip(versions, group, strict=True):
            record = expected[version]
            pages.append(
                FundusPage(
                    country=row["country"],
                    publisher=row["publisher"],
                    html_path=root / "test_data" / row["html_file"],
                    url=row["url"],
                    title=record.get("title") or "",
                    body=_body_text(record.get("body") or {}),
                    published=record.get("publishing_date"),
                    authors=tuple(record.get("authors") or ()),
                )
            )
    return pages


def same_title(extracted: str, expected: str) -> bool:
    """Return True when two headlines are equal up to whitespace, soft hyphens and zero-width spaces."""

    def normal(title: str) -> str:
        return " ".join(title.replace("\xad", "").replace("\u200b", "").split())

    return normal(extracted) == normal(expected)


def tokens(text: str) -> list[str]:
    """Return the lowercase word tokens of `text`."""
    return re.findall(r"\w+", text.lower())


def token_f1(predicted: str, expected: str) -> float:
    """Return the bag-of-tokens F1 of `predicted` against `expected` (1.0 when both are empty)."""
    from collections import Counter

    p, e = Counter(tokens(predicted)), Counter(tokens(expected))
    if not p and not e:
        return 1.0
    overlap = sum((p & e).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(e.values())
    return 2 * precision * recall / (precision + recall)
