"""What identifies an incident in a report, and so what is embedded for it: the title and the lead (the first
sentences of the body, without a date line or a repeat of the title)."""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Callable, Collection, Iterable
from datetime import datetime

import numpy as np

# The lead is kept short: MiniLM was trained on 128-token inputs and the first sentences carry the what/where/when.
LEAD_CHARS = 320

_DATELINE = re.compile(
    r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+)?\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4}(?:\s+at\s+\d{3,4})?\s*",
    re.IGNORECASE,
)


def _strip_title(title: str, body: str) -> str:
    """Return the body without a leading date line and a leading repeat of the title."""
    body = body.lstrip(" \t\r\n×•|-")
    body = _DATELINE.sub("", body, count=1)
    key = re.sub(r"\W+", " ", title).strip().lower()
    if key:
        head = re.sub(r"\W+", " ", body[: len(title) + 20]).strip().lower()
        if head.startswith(key):
            # drop as many characters of the body as it takes to consume the title's words
            consumed, words = 0, key.split()
            for match in re.finditer(r"\w+", body):
                if not words:
                    break
                if match.group().lower() == words[0]:
                    words.pop(0)
                    consumed = match.end()
                else:
                    break
            body = body[consumed:].lstrip(" .:-—\t\r\n")
    return body


_SPACES = re.compile(r"\s+")


def _squeezed_head(text: str, chars: int) -> str:
    """Return `text` with its whitespace runs made one space and stripped, or a head of more than `chars` + 1
    characters whose first `chars` + 1 are those of that. Only the head of a long text is squeezed: a run cut by the
    end of the head still gives one space there, so the head's squeezed form is the whole's up to its last character
    (the clustering asked this of 2,000 characters a report to keep 320)."""
    size = 2 * chars + 16
    while True:
        if size >= len(text):
            return _SPACES.sub(" ", text).strip()
        head = _SPACES.sub(" ", text[:size]).lstrip()
        if len(head) > chars + 1:  # its last character may be the space a longer run gives: one more is whole
            return head
        size *= 4


def lead(title: str, text: str, chars: int = LEAD_CHARS) -> str:
    """Return the first sentences of the body, cut at a word boundary near `chars`."""
    body = _squeezed_head(_strip_title(title, text or ""), chars)
    if len(body) <= chars:
        return body
    cut = body.rfind(" ", 0, chars)
    return body[: cut if cut > 0 else chars]


def identity_text(title: str, text: str) -> str:
    """Return what is embedded for a report: its title and its lead."""
    title = re.sub(r"\s+", " ", title or "").strip()
    body = lead(title, text)
    return f"{title}. {body}" if title and body else (title or body)


# Page furniture that a site's templates put on many pages ("Your notification has been saved.", "We have sent you a
# verification email."): where a page's report was lost, its text is nothing else, and every such page looks like every
# other (dedup took 21 such pages of five years for copies of one). The collector drops the lines an outlet repeats
# (accord.sources.pages.learn_boilerplate); these are the lines repeated across outlets and months, which no one
# incident's wire copy is. Only the head of a text (FURNITURE_HEAD characters) is read to learn them.
FURNITURE_MIN_REPORTS = 3
FURNITURE_MIN_SPAN_DAYS = 30
FURNITURE_MIN_CHARS = 12
FURNITURE_HEAD = 2000


def normal_line(line: str) -> str:
    """Return a line as a template of lines, compared case- and space-insensitively: its capitalised words after the
    first left out (a template fills in an author's or a place's name: "Get email notifications on Jane Doe daily!"),
    unless they are most of the line (a headline in title case is its own line)."""
    words = line.split()
    kept = words[:1] + [w for w in words[1:] if not w[:1].isupper()]
    return " ".join(kept if 2 * len(kept) > len(words) else words).casefold()


def _head_lines(text: str) -> set[str]:
    return {normal_line(x) for x in (text or "")[:FURNITURE_HEAD].splitlines() if len(x.strip()) >= FURNITURE_MIN_CHARS}


def _line_key(line: str) -> int:
    return int.from_bytes(hashlib.blake2b(line.encode("utf-8"), digest_size=8).digest(), "little")


def line_counts(read: Iterable[tuple[str, datetime | None]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return, for the lines at the heads of the dated texts `read` gives, each line's key (a 64-bit hash of its
    `normal_line` form), how many texts carry it, and the first and last day (ordinals) they were published: 8 bytes
    and a day per line read, whatever the backlog."""
    keys, days = array("Q"), array("l")
    for text, when in read:
        if when is None:
            continue
        day = when.toordinal()
        for line in _head_lines(text):
            keys.append(_line_key(line))
            days.append(day)
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty, empty
    k, d = np.frombuffer(keys, dtype=np.uint64), np.frombuffer(days, dtype=np.int64)
    order = np.argsort(k, kind="stable")
    k, d = k[order], d[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    counts = np.diff(np.r_[starts, len(k)])
    return k[starts], counts, np.minimum.reduceat(d, starts), np.maximum.reduceat(d, starts)


def is_furniture(
    reports: np.ndarray,
    first_day: np.ndarray,
    last_day: np.ndarray,
    *,
    min_reports: int = FURNITURE_MIN_REPORTS,
    min_span_days: float = FURNITURE_MIN_SPAN_DAYS,
) -> np.ndarray:
    """Return which lines, by their counts (`line_counts`, or counts kept across runs), are page furniture."""
    return (reports >= min_reports) & (last_day - first_day >= min_span_days)


def lines_of_keys(read: Iterable[tuple[str, datetime | None]], wanted: Collection[int]) -> frozenset[str]:
    """Return the lines (`normal_line` form) at the heads of the dated texts whose keys are in `wanted`."""
    if not wanted:
        return frozenset()
    found: set[str] = set()
    for text, when in read:
        if when is not None:
            found.update(line for line in _head_lines(text) if _line_key(line) in wanted)
    return frozenset(found)


def furniture_lines(
    read: Callable[[], Iterable[tuple[str, datetime | None]]],
    *,
    min_reports: int = FURNITURE_MIN_REPORTS,
    min_span_days: float = FURNITURE_MIN_SPAN_DAYS,
) -> frozenset[str]:
    """Return the lines (in `normal_line` form) that at least `min_reports` dated texts carry in their heads, published
    at least `min_span_days` apart: a template's, not an incident's (copies of one report are one representative, and
    a story's wire copy repeats within days). `read` gives the (text, published) pairs, and is called twice: once to
    count the lines by hash (`line_counts`), once to name the few that qualify (`lines_of_keys`)."""
    keys, reports, first, last = line_counts(read())
    wanted = keys[is_furniture(reports, first, last, min_reports=min_reports, min_span_days=min_span_days)]
    return lines_of_keys(read(), set(wanted.tolist()))


def without_lines(text: str, lines: Collection[str]) -> str:
    """Return `text` without the lines whose `normal_line` form is in `lines`."""
    if not lines or not text:
        return text
    return "\n".join(x for x in text.splitlines() if normal_line(x) not in lines)
