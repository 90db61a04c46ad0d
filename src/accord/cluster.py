"""Online story clustering: reports of the same incident join one story.

Each report (a copy group's representative: copies inherit its story) is embedded from its title and lead and
compared with the reports already placed. Its score against a placed report is the cosine similarity of their
embeddings, moved by what the reports say about the incident: different regions or event dates push apart (a strike
in Idlib happens many times a month), shared rare names, regions and counts pull together (one incident worded
differently). The report joins the story of its best-scoring report inside the time window when that score reaches
`join_threshold`, else it starts a story. Scores go through `pair_score`, the one place the rule lives.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from accord.embed import Embedder, identity_text, lead, load_embedder
from accord.incident import IncidentFeatures, features

__all__ = [
    "Assignment",
    "ClusterSettings",
    "Embedder",
    "StoryIndex",
    "StoryIndexState",
    "StoryInput",
    "identity_text",
    "load_embedder",
    "pair_score",
    "story_id_for",
]


@dataclass(frozen=True)
class ClusterSettings:
    """Thresholds and weights of story clustering (defaults measured on the dev corpora, see bench/eval_cluster.py)."""

    window_days: float = 365.0
    join_threshold: float = 0.55
    merge_threshold: float = 0.80
    region_match: float = 0.10
    region_conflict: float = 0.35
    day_penalty: float = 0.04
    max_day_penalty: float = 0.20
    event_date_match: float = 0.05
    event_date_conflict: float = 0.15
    name_weight: float = 0.25
    count_match: float = 0.05


@dataclass(frozen=True)
class StoryInput:
    """A report to place in a story."""

    id: str
    title: str
    text: str
    published: datetime | None
    outlet: str


@dataclass(frozen=True)
class Assignment:
    """Where a report went: its story, the score that put it there (1.0 for a new story) and whether it started it."""

    id: str
    story_id: str
    score: float
    new_story: bool


@dataclass
class StoryIndexState:
    """Plain values that persist a StoryIndex: one row per placed report, in placement order, and the merges."""

    ids: list[str]
    story_ids: list[str]
    embeddings: np.ndarray  # float32 (n, dim)
    published: list[datetime | None]
    features: list[str]  # IncidentFeatures.to_row() as JSON
    merges: list[tuple[str, str]] = field(default_factory=list)


def story_id_for(first_member: str) -> str:
    """Return the stable story id of a story started by `first_member`."""
    return "s-" + hashlib.sha1(first_member.encode("utf-8")).hexdigest()[:16]


def _name_overlap(a: frozenset[str], b: frozenset[str], idf: dict[str, float], default_idf: float) -> float:
    """Return the IDF-weighted share of the smaller name set found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    shared = a & b
    if not shared:
        return 0.0
    weight = lambda names: sum(idf.get(n, default_idf) for n in names)  # noqa: E731
    return weight(shared) / min(weight(a), weight(b))


def pair_score(
    cosine: float,
    a: IncidentFeatures,
    b: IncidentFeatures,
    days_apart: float | None,
    name_overlap: float,
    config: ClusterSettings,
) -> float:
    """Return how strongly two reports look like one incident: cosine similarity moved by incident features."""
    score = cosine
    if a.regions and b.regions:
        score += config.region_match if a.regions & b.regions else -config.region_conflict
    if days_apart is not None:
        score -= min(config.max_day_penalty, config.day_penalty * days_apart)
    if a.event_date and b.event_date:
        gap = abs((a.event_date - b.event_date).days)
        score += config.event_date_match if gap == 0 else (-config.event_date_conflict if gap > 1 else 0.0)
    score += config.name_weight * name_overlap
    if a.counts & b.counts:
        score += config.count_match
    return score


def _upper_bound(config: ClusterSettings) -> float:
    """Return the most the features can add to a cosine similarity."""
    return config.region_match + config.event_date_match + config.name_weight + config.count_match


class StoryIndex:
    """Stories built online from embedded reports; ids stay stable and merges are recorded in `merges`."""

    def __init__(self, config: ClusterSettings | None = None) -> None:
        self.config = config or ClusterSettings()
        self.ids: list[str] = []
        self._row: dict[str, int] = {}
        self._story_of_row: list[str] = []
        self._emb = np.zeros((0, 0), dtype=np.float32)
        self._n = 0
        self._days = np.zeros(0, dtype=np.float64)  # published as days since epoch, NaN when unknown
        self._published: list[datetime | None] = []
        self._features: list[IncidentFeatures] = []
        self._name_df: Counter[str] = Counter()
        self._alias: dict[str, str] = {}  # absorbed story -> surviving story
        self.merges: list[tuple[str, str]] = []

    def __len__(self) -> int:
        return self._n

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._row

    def story_of(self, report_id: str) -> str:
        """Return the current story id of a placed report; raises KeyError for an unknown id."""
        return self._resolve(self._story_of_row[self._row[report_id]])

    def stories(self) -> dict[str, list[str]]:
        """Return the current stories: story id -> member report ids in placement order."""
        out: dict[str, list[str]] = {}
        for report_id, story in zip(self.ids, self._story_of_row):
            out.setdefault(self._resolve(story), []).append(report_id)
        return out

    def _resolve(self, story: str) -> str:
        while story in self._alias:
            story = self._alias[story]
        return story

    def _append(self, report_id: str, story: str, emb: np.ndarray, when: datetime | None, feats: IncidentFeatures) -> None:
        if self._emb.shape[1] == 0:
            self._emb = np.zeros((64, emb.shape[0]), dtype=np.float32)
        if self._n == self._emb.shape[0]:
            self._emb = np.concatenate([self._emb, np.zeros_like(self._emb)])
            self._days = np.concatenate([self._days, np.full(len(self._days) or 64, np.nan)])
        if len(self._days) < self._emb.shape[0]:
            self._days = np.concatenate([self._days, np.full(self._emb.shape[0] - len(self._days), np.nan)])
        self._emb[self._n] = emb
        self._days[self._n] = _epoch_days(when)
        self._row[report_id] = self._n
        self.ids.append(report_id)
        self._story_of_row.append(story)
        self._published.append(when)
        self._features.append(feats)
        self._name_df.update(feats.names)
        self._n += 1

    def assign(self, reports: Sequence[StoryInput], embeddings: np.ndarray) -> list[Assignment]:
        """Place reports online in published order (undated ones last, in input order); return one Assignment each.

        Reports placed before keep their story. `embeddings` are the rows of `identity_text` for each report, L2-
        normalised. Changes the index; raises ValueError when the counts disagree.
        """
        if len(reports) != len(embeddings):
            raise ValueError("reports and embeddings must have the same length")
        order = sorted(range(len(reports)), key=lambda i: (reports[i].published is None, _sort_key(reports[i].published)))
        result: dict[int, Assignment] = {}
        for i in order:
            report = reports[i]
            if report.id in self._row:
                result[i] = Assignment(report.id, self.story_of(report.id), 1.0, False)
                continue
            feats = features(report.title, lead(report.title, report.text), report.published)
            emb = np.asarray(embeddings[i], dtype=np.float32)
            story, score = self._best_story(emb, _epoch_days(report.published), feats)
            if story is None:
                story_id = story_id_for(report.id)
                result[i] = Assignment(report.id, story_id, 1.0, True)
            else:
                story_id = story
                result[i] = Assignment(report.id, story_id, score, False)
            self._append(report.id, story_id, emb, report.published, feats)
        return [result[i] for i in range(len(reports))]

    def _best_story(self, emb: np.ndarray, day: float, feats: IncidentFeatures) -> tuple[str | None, float]:
        """Return the story whose best member scores highest with the report (None below the join threshold)."""
        n, config = self._n, self.config
        if n == 0:
            return None, 0.0
        cos = self._emb[:n] @ emb
        apart = np.abs(self._days[:n] - day)
        in_window = ~(apart > config.window_days)  # NaN (an unknown date) stays in the window
        floor = min(config.join_threshold, config.merge_threshold) - _upper_bound(config)
        candidates = np.flatnonzero(in_window & (cos >= floor))
        if len(candidates) == 0:
            return None, 0.0
        idf, default_idf = self._idf()
        best: dict[str, float] = {}
        for j in candidates:
            other = self._features[j]
            days = None if math.isnan(apart[j]) else float(apart[j])
            overlap = _name_overlap(feats.names, other.names, idf, default_idf)
            score = pair_score(float(cos[j]), feats, other, days, overlap, config)
            story = self._resolve(self._story_of_row[j])
            if score > best.get(story, -math.inf):
                best[story] = score
        story, score = max(best.items(), key=lambda kv: (kv[1], kv[0]))
        if score < config.join_threshold:
            return None, score
        # A report that matches two stories strongly shows they are one incident: the younger joins the older.
        strong = [s for s, v in best.items() if v >= config.merge_threshold]
        if len(strong) > 1:
            first = {self._resolve(self._story_of_row[r]): r for r in range(n - 1, -1, -1)}
            keep = min(strong, key=lambda s: first[s])
            for s in strong:
                if s != keep:
                    self._alias[s] = keep
                    self.merges.append((s, keep))
            story = keep
        return story, score

    def _idf(self) -> tuple[dict[str, float], float]:
        """Return the inverse document frequency of names over placed reports and the value for unseen names."""
        n = self._n + 1
        idf = {name: math.log(n / (1 + df)) + 1.0 for name, df in self._name_df.items()}
        return idf, math.log(n) + 1.0

    def export(self) -> StoryIndexState:
        """Return the index as plain values (see StoryIndexState); read-only."""
        return StoryIndexState(
            ids=list(self.ids),
            story_ids=[self._resolve(s) for s in self._story_of_row],
            embeddings=self._emb[: self._n].copy(),
            published=list(self._published),
            features=[json.dumps(f.to_row(), sort_keys=True) for f in self._features],
            merges=list(self.merges),
        )

    @classmethod
    def from_state(cls, config: ClusterSettings | None, state: StoryIndexState) -> StoryIndex:
        """Return an index holding the exported state, without re-embedding anything."""
        index = cls(config)
        for k, report_id in enumerate(state.ids):
            feats = IncidentFeatures.from_row(json.loads(state.features[k]))
            index._append(report_id, state.story_ids[k], state.embeddings[k], state.published[k], feats)
        index.merges = list(state.merges)
        return index


def _epoch_days(when: datetime | None) -> float:
    if when is None:
        return math.nan
    return when.toordinal() + (when.hour * 3600 + when.minute * 60 + when.second) / 86400.0


def _sort_key(when: datetime | None) -> float:
    return 0.0 if when is None else _epoch_days(when.replace(tzinfo=None))
