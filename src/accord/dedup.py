"""Near-duplicate copy groups: word shingles, MinHash signatures (datasketch) and an LSH index.

A copy group is one *voice*: a wire story run by ten outlets is one source, not ten confirmations. Signatures are
kept with the scheme that made them, so an index is rebuilt or extended from stored signatures, never from text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)

# Word 3-gram Jaccard that makes two reports copies. NEWS-COPY found reprints average ~30 %; on the dev corpora, reports
# of one incident by different outlets score below 0.1 in 93 % (giveme5w1h) to 92 % (gva-dev) of pairs, and random
# pairs of different incidents stay below 0.05 (gva-dev, giveme5w1h); reruns with a trimmed tail or dropped
# paragraphs score 0.25-0.6 (tests/test_dedup.py).
COPY_THRESHOLD = 0.3


@dataclass(frozen=True)
class HashScheme:
    """How signatures are made; two signatures compare only under the same scheme."""

    num_perm: int = 128
    seed: int = 1
    shingle: int = 3
    # datasketch's permutation scheme (hash values carry no trace of it); values are stored as uint64 either way
    permutation: str = "affine32"

    def to_json(self) -> str:
        """Return the scheme as a JSON object string."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> HashScheme:
        """Return the scheme stored by `to_json`; raises ValueError on unknown or missing keys."""
        data = json.loads(text)
        unknown = set(data) - {"num_perm", "seed", "shingle", "permutation"}
        if unknown:
            raise ValueError(f"unknown hash scheme keys: {sorted(unknown)}")
        return cls(**{k: (str(v) if k == "permutation" else int(v)) for k, v in data.items()})

    def lean(self, sig: np.ndarray) -> LeanMinHash:
        """Return a datasketch LeanMinHash of one stored signature."""
        dtype = np.uint32 if self.permutation == "affine32" else np.uint64
        return LeanMinHash(seed=self.seed, hashvalues=sig.astype(dtype), scheme=self.permutation)


def shingles(text: str, size: int = 3) -> list[bytes]:
    """Return the distinct word `size`-grams of the lower-cased text (the whole text when shorter), as UTF-8."""
    words = _WORD.findall(text.lower())
    if not words:
        return []
    if len(words) < size:
        return [" ".join(words).encode("utf-8")]
    grams = {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
    return [g.encode("utf-8") for g in sorted(grams)]


def signatures(texts: Sequence[str], scheme: HashScheme) -> np.ndarray:
    """Return the MinHash signatures of texts as a uint64 array of shape (len(texts), num_perm)."""
    if not texts:
        return np.zeros((0, scheme.num_perm), dtype=np.uint64)
    sets = [shingles(t, scheme.shingle) for t in texts]
    hashes = MinHash.bulk(sets, num_perm=scheme.num_perm, seed=scheme.seed, scheme=scheme.permutation)
    return np.stack([np.asarray(m.hashvalues, dtype=np.uint64) for m in hashes])


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Return the Jaccard similarity estimated from two signatures of one scheme."""
    return float(np.mean(a == b))


@dataclass
class CopyGroup:
    """A group of near-copies: `id` and `representative` are its first member, `earliest` its first published."""

    id: str
    representative: str
    earliest: str
    earliest_published: datetime | None
    members: list[str] = field(default_factory=list)


class CopyIndex:
    """An LSH index of signatures that puts each added report in a copy group.

    A report joins the group of its most similar indexed report when their estimated Jaccard similarity reaches
    `threshold`, else it starts a group named after itself. Groups never merge, so group ids are stable, and adding
    the same (ids, sigs, published) in the same order to a new index gives the same groups.
    """

    def __init__(self, scheme: HashScheme, threshold: float) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0.0, 1.0]")
        self.scheme = scheme
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=scheme.num_perm)
        self._sigs: dict[str, np.ndarray] = {}
        self._group_of: dict[str, str] = {}
        self._groups: dict[str, CopyGroup] = {}
        self._order_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._sigs

    def add(
        self, ids: Sequence[str], sigs: np.ndarray, published: Sequence[datetime | None]
    ) -> dict[str, str]:
        """Index reports in the given order; return id -> copy group id for each (ids seen before keep theirs).

        Raises ValueError when the lengths disagree or the signatures do not fit the scheme.
        """
        sigs = np.asarray(sigs, dtype=np.uint64)
        if len(ids) != len(sigs) or len(ids) != len(published):
            raise ValueError("ids, sigs and published must have the same length")
        if len(ids) and sigs.shape[1] != self.scheme.num_perm:
            raise ValueError(f"signatures have {sigs.shape[1]} values, the scheme has num_perm={self.scheme.num_perm}")
        result: dict[str, str] = {}
        for report_id, sig, when in zip(ids, sigs, published):
            if report_id in self._group_of:
                result[report_id] = self._group_of[report_id]
                continue
            lean = self.scheme.lean(sig)
            best, best_sim = None, -1.0
            for other in self._lsh.query(lean):
                sim = jaccard(sig, self._sigs[other])
                # ties go to the earlier-indexed report, so a rebuild gives the same answer
                if sim > best_sim or (sim == best_sim and best is not None and self._order(other) < self._order(best)):
                    best, best_sim = other, sim
            if best is not None and best_sim >= self.threshold:
                group = self._groups[self._group_of[best]]
                group.members.append(report_id)
                if when is not None and (group.earliest_published is None or when < group.earliest_published):
                    group.earliest, group.earliest_published = report_id, when
            else:
                group = CopyGroup(report_id, report_id, report_id, when, [report_id])
                self._groups[report_id] = group
            self._group_of[report_id] = group.id
            self._sigs[report_id] = sig
            self._order_of[report_id] = len(self._order_of)
            self._lsh.insert(report_id, lean, check_duplication=False)
            result[report_id] = group.id
        return result

    def _order(self, report_id: str) -> int:
        return self._order_of[report_id]

    def group_of(self, report_id: str) -> str:
        """Return the copy group id of an indexed report; raises KeyError for an unknown id."""
        return self._group_of[report_id]

    def groups(self) -> dict[str, CopyGroup]:
        """Return the copy groups by id (live objects: do not change them)."""
        return self._groups

    def is_copy(self, a: str, b: str) -> bool:
        """Return True when two indexed reports are in the same copy group."""
        return self._group_of[a] == self._group_of[b]
