"""Typed records shared by the stages of the pipeline.

Each stage module defines its own working types; the records here are the ones that cross stage boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Actor:
    """An actor of the catalogue: a stable id, a display name and the words that name it; the countries where it fights
    (ISO alpha-2, lowercase), the group it is an affiliate of, whether it is a country's own forces (`state`) and
    whether its words name whoever holds that role in the country a report is about (`generic`: "the regime")."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    parent: str | None = None
    state: bool = False
    generic: bool = False
    allies: tuple[str, ...] = ()  # actors it fights beside, named interchangeably for one strike: no dispute


@dataclass(frozen=True)
class Article:
    """One report as collected: the unit that is deduplicated, clustered and read for claims.

    `id` is stable: the canonical URL for fetched pages, the corpus id for snapshot records.
    """

    id: str
    outlet: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    language: str | None = None


def article_document(title: str, text: str) -> str:
    """Return the text that claim offsets refer to: the title, a blank line, then the body."""
    return f"{title}\n\n{text}" if title else text


@dataclass(frozen=True)
class Claim:
    """One claim read from an article, with the evidence it came from.

    kind: "killed", "injured", "missing" (casualty claims) or "perpetrator" (attribution).
    Offsets `start`/`end` index the sentence in `article_document(title, text)`.
    Casualty claims carry low/high/point (high None = open-ended, "at least 20"), scope
    ("incident", "total" = a running total, "other" = another incident) and victims.
    Attribution claims carry actor (an actor id), words (the text that named it) and stance
    ("asserted", "claimed", "accused", "denied").
    `chosen` marks the claim picked as the article's own toll / main perpetrator.
    """

    kind: str
    sentence: str
    start: int
    end: int
    low: int | None = None
    high: int | None = None
    point: float | None = None
    scope: str = "incident"
    victims: str | None = None
    actor: str | None = None
    words: str | None = None
    stance: str | None = None
    cited_source: str | None = None
    chosen: bool = False
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
