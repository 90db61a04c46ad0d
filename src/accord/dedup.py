"""Near-duplicate copy groups: word shingles, MinHash signatures (datasketch) and an LSH index.

A copy group is one *voice*: a wire story run by ten outlets is one source, not ten confirmations. Signatures are
kept with the scheme that made them, so an index is rebuilt or extended from stored signatures, never from text.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import sys
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np


def _quad(*args: Any, **kwargs: Any) -> Any:
    from scipy.integrate import quad

    return quad(*args, **kwargs)


def _import_datasketch() -> None:
    """Import datasketch without importing scipy.integrate.

    datasketch's package imports its LSH modules, and they import scipy.integrate's `quad` (0.5 s of CPU, most of
    datasketch's import), which they call only to choose an index's bands when none are given; accord gives them
    (`lsh_params`). While datasketch imports, scipy.integrate is a placeholder whose `quad` imports the real one when
    called; it leaves sys.modules as soon as datasketch is in, so any later import of scipy.integrate is the real
    module."""
    if "datasketch" in sys.modules or "scipy.integrate" in sys.modules:
        return
    placeholder = types.ModuleType("scipy.integrate", "stands in while datasketch imports (accord.dedup)")
    placeholder.quad = _quad  # type: ignore[attr-defined]
    sys.modules["scipy.integrate"] = placeholder
    try:
        import datasketch  # noqa: F401
    finally:
        if sys.modules.get("scipy.integrate") is placeholder:
            del sys.modules["scipy.integrate"]


_import_datasketch()
from datasketch import LeanMinHash, MinHash, MinHashLSH  # noqa: E402
from datasketch.hashfunc import sha1_hash32  # noqa: E402

_WORD = re.compile(r"\w+", re.UNICODE)

# Word 3-gram Jaccard that makes two reports copies. NEWS-COPY found reprints average ~30 %; on the dev corpora, reports
# of one incident by different outlets score below 0.1 in 93 % (giveme5w1h) to 92 % (gva-dev) of pairs, and random
# pairs of different incidents stay below 0.05 (gva-dev, giveme5w1h); reruns with a trimmed tail or dropped
# paragraphs score 0.25-0.6 (tests/test_dedup.py).
COPY_THRESHOLD = 0.3


# How a shingle is hashed to 32 bits before the permutations:
# - "words64": each distinct word once (BLAKE2b, 64 bits), then a shingle's word hashes are chained with SplitMix64's
#   finalizer in numpy, a whole batch of texts at a time (`shingle_hash` states it for one shingle). On gva-dev's
#   2,940 texts, signatures took 1.0 s against 2.0 s with "sha1" (shingling and hashing 0.7 s against 1.7 s).
# - "sha1": datasketch's default, sha1_hash32 of the shingle's UTF-8: one Python call per shingle. Signatures stored
#   before the scheme named its hash were made so.
HASHES = ("words64", "sha1")


@dataclass(frozen=True)
class HashScheme:
    """How signatures are made; two signatures compare only under the same scheme."""

    num_perm: int = 128
    seed: int = 1
    shingle: int = 3
    # datasketch's permutation scheme (hash values carry no trace of it); values are stored as uint64 either way
    permutation: str = "affine32"
    hash: str = "words64"

    def __post_init__(self) -> None:
        if self.hash not in HASHES:
            raise ValueError(f"unknown shingle hash {self.hash!r} (one of {', '.join(HASHES)})")

    def to_json(self) -> str:
        """Return the scheme as a JSON object string."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> HashScheme:
        """Return the scheme stored by `to_json`; raises ValueError on unknown or missing keys. A scheme stored
        without a hash (by an older accord) hashed with sha1."""
        data = json.loads(text)
        unknown = set(data) - {"num_perm", "seed", "shingle", "permutation", "hash"}
        if unknown:
            raise ValueError(f"unknown hash scheme keys: {sorted(unknown)}")
        data.setdefault("hash", "sha1")
        return cls(**{k: (str(v) if k in ("permutation", "hash") else int(v)) for k, v in data.items()})

    def hashfunc(self) -> Callable[[bytes], int]:
        """Return the scheme's hash of one shingle (UTF-8), as datasketch's MinHash takes it (`hashfunc=`)."""
        return shingle_hash if self.hash == "words64" else sha1_hash32

    def lean(self, sig: np.ndarray) -> LeanMinHash:
        """Return a datasketch LeanMinHash of one stored signature."""
        dtype = np.uint32 if self.permutation == "affine32" else np.uint64
        return LeanMinHash(seed=self.seed, hashvalues=sig.astype(dtype), scheme=self.permutation)


def shingles(text: str, size: int = 3) -> list[bytes]:
    """Return the distinct word `size`-grams of the lower-cased text (the whole text when shorter), as UTF-8."""
    return [g.encode("utf-8") for g in sorted(_grams(text, size))]


def _grams(text: str, size: int) -> set[str]:
    """Return the distinct word `size`-grams of the lower-cased text (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    if len(words) < size:
        return {" ".join(words)}
    return {" ".join(gram) for gram in zip(*(words[i:] for i in range(size)))}  # noqa: B905 (ragged on purpose)


# Texts shingled at once by `signatures`
SIGN_BATCH = 1000


def signatures(texts: Sequence[str], scheme: HashScheme) -> np.ndarray:
    """Return the MinHash signatures of texts as a uint64 array of shape (len(texts), num_perm).

    The values are those of datasketch's `MinHash.bulk` over `shingles(text)` with the scheme's `hashfunc()`
    (tests/test_dedup.py checks it). Texts are shingled SIGN_BATCH at a time: a text's shingle set takes some 40 KB,
    all of 100k reports 4 GB.
    """
    parts = []
    for start in range(0, len(texts), SIGN_BATCH):
        batch = texts[start : start + SIGN_BATCH]
        if scheme.hash == "words64" and scheme.permutation == "affine32":
            parts.append(_sign_hashes(_word_shingle_hashes(batch, scheme.shingle), scheme))
        else:
            parts.append(sign_shingles([_grams(t, scheme.shingle) for t in batch], scheme))
    return np.concatenate(parts) if parts else np.zeros((0, scheme.num_perm), dtype=np.uint64)


# SplitMix64's finalizer (Steele, Lea and Flood 2014), which chains a shingle's word hashes
_MIX64 = (np.uint64(30), np.uint64(0xBF58476D1CE4E5B9), np.uint64(27), np.uint64(0x94D049BB133111EB), np.uint64(31))


def _mix64(z: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _MIX64
    z = z ^ (z >> s1)
    z *= m1
    z ^= z >> s2
    z *= m2
    z ^= z >> s3
    return z


def _word_hash(word: str) -> bytes:
    return hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()


def shingle_hash(shingle: bytes) -> int:
    """Return the "words64" hash of one shingle (its words joined by spaces, UTF-8) as a 32-bit int: each word's
    64-bit BLAKE2b w, chained as mix(...mix(mix(w1) ^ w2)... ^ wn) with SplitMix64's finalizer, top 32 bits kept.
    Written here with Python ints, one shingle at a time; `signatures` computes the same for a whole batch in numpy."""
    mask = (1 << 64) - 1

    def mix(z: int) -> int:
        z ^= z >> 30
        z = (z * 0xBF58476D1CE4E5B9) & mask
        z ^= z >> 27
        z = (z * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    words = shingle.decode("utf-8").split(" ")
    z = int.from_bytes(_word_hash(words[0]), "little")
    for word in words[1:]:
        z = mix(z) ^ int.from_bytes(_word_hash(word), "little")
    return mix(z) >> 32


def _word_shingle_hashes(texts: Sequence[str], size: int) -> list[np.ndarray]:
    """Return each text's shingle hashes (`shingle_hash` of every word `size`-gram, the whole text when shorter) as
    uint32 arrays. A shingle that occurs twice is hashed twice: a minimum does not change."""
    hashes, counts = _chained_hashes([_WORD.findall(text.lower()) for text in texts], size)
    return np.split(hashes, np.cumsum(counts)[:-1]) if len(counts) else []


def _chained_hashes(word_lists: Sequence[Sequence[str]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the `shingle_hash` of each run of `size` words of each list (of all its words when it has fewer), as
    one uint32 array in order, and how many each list has."""
    vocabulary: dict[str, int] = {}
    ids: list[int] = []
    for words in word_lists:
        ids.extend([vocabulary.setdefault(w, len(vocabulary)) for w in words])
    lengths = np.fromiter((len(words) for words in word_lists), dtype=np.int64, count=len(word_lists))
    if not ids:
        return np.zeros(0, dtype=np.uint32), np.zeros(len(word_lists), dtype=np.int64)
    word = np.frombuffer(b"".join([_word_hash(w) for w in vocabulary]), dtype="<u8")[np.asarray(ids)]
    n = len(word)
    chained = word.copy()  # after step j, chained[p] chains the words p .. p+j
    with np.errstate(over="ignore"):
        for j in range(1, size):
            chained[: n - j] = _mix64(chained[: n - j]) ^ word[j:]
        full = (_mix64(chained) >> np.uint64(32)).astype(np.uint32)
    ends = np.cumsum(lengths)
    firsts = ends - lengths
    valid = np.zeros(n, dtype=bool)
    runs = np.maximum(lengths - size + 1, 0)
    # the positions where a whole run starts: list k's firsts[k] .. ends[k] - size
    starts = np.repeat(firsts, runs) + (np.arange(runs.sum()) - np.repeat(np.cumsum(runs) - runs, runs))
    valid[starts] = True
    for k in np.flatnonzero((lengths > 0) & (lengths < size)):  # fewer words than a shingle: one of them all
        full[firsts[k]] = shingle_hash(" ".join(word_lists[k]).encode("utf-8"))
        valid[firsts[k]] = True
    counts = np.where(lengths >= size, runs, (lengths > 0).astype(np.int64))
    return full[valid], counts


def sign_shingles(sets: Sequence[Iterable[str | bytes]], scheme: HashScheme) -> np.ndarray:
    """Return the MinHash signatures of shingle sets (str or UTF-8 bytes) as uint64, shape (len(sets), num_perm).

    The values equal datasketch's `MinHash.bulk(sets, ...)`. The shingles of many sets are hashed and permuted
    together in chunks, so `MinHash.bulk`'s per-set overhead (a MinHash object and a numpy pass each) is paid
    per chunk instead.
    """
    if scheme.permutation != "affine32":
        encoded = [[g.encode("utf-8") if isinstance(g, str) else g for g in s] for s in sets]
        if not encoded:
            return np.zeros((0, scheme.num_perm), dtype=np.uint64)
        hashes = MinHash.bulk(
            encoded, num_perm=scheme.num_perm, seed=scheme.seed, scheme=scheme.permutation, hashfunc=scheme.hashfunc()
        )
        return np.stack([np.asarray(m.hashvalues, dtype=np.uint64) for m in hashes])
    if scheme.hash == "sha1":
        return _sign_hashes([_sha1_hash32(grams) for grams in sets], scheme)
    sets = [list(grams) for grams in sets]
    if not sets:
        return np.zeros((0, scheme.num_perm), dtype=np.uint64)
    # each shingle is one run of its own words (a short text's only shingle has fewer than scheme.shingle)
    runs = [(g.decode("utf-8") if isinstance(g, bytes) else g).split(" ") for grams in sets for g in grams]
    hashes, _ = _chained_hashes(runs, max((len(r) for r in runs), default=1))
    return _sign_hashes(np.split(hashes, np.cumsum([len(grams) for grams in sets])[:-1]), scheme)


def _sign_hashes(hashes: Sequence[np.ndarray], scheme: HashScheme) -> np.ndarray:
    """Return the affine32 MinHash signatures of each set's uint32 shingle hashes (an empty set keeps the maximum, as
    in datasketch) as uint64, shape (len(hashes), num_perm)."""
    a, b = _permutations(scheme)
    out = np.full((len(hashes), scheme.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    pending: list[np.ndarray] = []
    rows: list[int] = []
    size = 0
    for row, hv in enumerate(hashes):
        if not len(hv):
            continue
        pending.append(hv)
        rows.append(row)
        size += len(hv)
        if size >= _CHUNK_SHINGLES:
            _minhash_chunk(pending, rows, a, b, out)
            pending, rows, size = [], [], 0
    if pending:
        _minhash_chunk(pending, rows, a, b, out)
    return out.astype(np.uint64)


# Shingles permuted at once: 1k x 128 uint32 (512 KB) stays in cache; 4k and more ran 2x slower on this machine,
# 256 no faster (bench/bench_dedup.py).
_CHUNK_SHINGLES = 1024
# MurmurHash3's 32-bit finalizer, which datasketch applies before its affine32 permutations.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _sha1_hash32(grams: Iterable[str | bytes]) -> np.ndarray:
    """Return datasketch's sha1_hash32 of each shingle (the first 4 bytes of SHA-1, little-endian) as uint32."""
    sha1 = hashlib.sha1
    digest = b"".join([sha1(g.encode("utf-8") if isinstance(g, str) else g).digest()[:4] for g in grams])
    return np.frombuffer(digest, dtype="<u4").astype(np.uint32)


def _permutations(scheme: HashScheme) -> tuple[np.ndarray, np.ndarray]:
    """Return datasketch's affine32 permutation parameters (a, b) for the scheme's seed and num_perm."""
    a, b = MinHash(num_perm=scheme.num_perm, seed=scheme.seed, scheme="affine32").permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _minhash_chunk(hashes: list[np.ndarray], rows: list[int], a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """Write the signatures of several non-empty shingle-hash arrays into `out[rows]`."""
    hv = np.concatenate(hashes)
    s1, m1, s2, m2, s3 = _FMIX32
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    permuted = np.multiply.outer(hv, a)  # uint32 arithmetic wraps: the affine map mod 2^32
    permuted += b
    starts = np.zeros(len(hashes), dtype=np.intp)
    np.cumsum([len(h) for h in hashes[:-1]], out=starts[1:])
    out[rows] = np.minimum.reduceat(permuted, starts, axis=0)


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


def lsh_params(threshold: float, num_perm: int, false_positive_weight: float = 0.5) -> tuple[int, int]:
    """Return the bands and rows per band that datasketch's MinHashLSH chooses for `threshold`: the (b, r) with
    b * r <= num_perm of least weighted sum of the false positive and false negative probabilities, the first such
    in b, then r, order.

    Each probability is the integral of a polynomial in the similarity s of degree b * r, 1 - (1 - s^r)^b, which
    Gauss-Legendre quadrature of num_perm // 2 + 1 points gives exactly (datasketch integrates with scipy's quad: the
    same choice, tests/test_dedup.py, in 2 ms where quad took 18 ms)."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0.0, 1.0]")
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.float64)
    b, r = pairs[:, :1], pairs[:, 1:]

    def integral(lo: float, hi: float, caught: bool) -> np.ndarray:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2  # the nodes moved to [lo, hi]
        p = 1.0 - (1.0 - s**r) ** b  # the chance that a pair of similarity s shares a band
        return (hi - lo) / 2 * ((p if caught else 1.0 - p) @ weights)

    error = false_positive_weight * integral(0.0, threshold, True)
    error += (1.0 - false_positive_weight) * integral(threshold, 1.0, False)
    best = int(np.argmin(error))  # the first of equal minima, as datasketch's strict comparison keeps
    return int(pairs[best, 0]), int(pairs[best, 1])


class _BandIndex:
    """LSH band tables as numpy arrays: each report's band values mixed into one uint64 per band.

    datasketch's in-memory MinHashLSH keeps a bytes key and a set per report and band, some 14 KB a report at this
    threshold (1.4 GB at 100k); here a report costs 8 bytes a band. A batch's candidates are found by sorting each
    band's column once: the reports that share a band value with a new report and came before it.
    """

    _MIX = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, hashranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = list(hashranges)
        self.ids: list[str] = []
        self.keys = np.zeros((0, len(self.ranges)), dtype=np.uint64)

    def _keys(self, sigs: np.ndarray) -> np.ndarray:
        out = np.zeros((len(sigs), len(self.ranges)), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for band, (start, end) in enumerate(self.ranges):
                key = out[:, band]
                for column in range(start, end):
                    key ^= sigs[:, column]
                    key *= self._MIX  # wraps modulo 2^64
                    key ^= key >> np.uint64(29)
        return out

    def add(self, ids: list[str], sigs: np.ndarray) -> list[set[str]]:
        """Add reports in order; return, for each, the ids of the reports before it that share a band with it."""
        found: list[set[str]] = [set() for _ in ids]
        if not ids:
            return found
        old = len(self.ids)
        self.keys = np.concatenate([self.keys, self._keys(np.asarray(sigs, dtype=np.uint64))])
        self.ids.extend(ids)
        for band in range(len(self.ranges)):
            column = self.keys[:, band]
            order = np.argsort(column, kind="stable")  # equal keys stay in insertion order
            ordered = column[order]
            starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
            ends = np.concatenate([starts[1:], [len(ordered)]])
            shared = ends - starts > 1
            for start, end in zip(starts[shared].tolist(), ends[shared].tolist(), strict=True):
                members = order[start:end].tolist()
                for k in range(1, len(members)):
                    if members[k] >= old:
                        found[members[k] - old].update(self.ids[j] for j in members[:k])
        return found


@dataclass(frozen=True)
class Recorded:
    """What the database records about a report indexed by an earlier run: its signature, copy group and order."""

    signature: np.ndarray
    copy_group: str
    seq: int


# Reports resolved from the record sort before any report added in this run, in their stored order.
_RECORDED_ORDER = -(2**62)


class CopyIndex:
    """An LSH index of signatures that puts each added report in a copy group.

    A report joins the group of its most similar indexed report when their estimated Jaccard similarity reaches
    `threshold`, else it starts a group named after itself. Groups never merge, so group ids are stable, and adding
    the same (ids, sigs, published) in the same order to a new index gives the same groups.

    With `shared` (a datasketch `storage_config`, e.g. Redis) the reports also go into a persistent LSH index that
    outlives the process and is shared between machines; candidates found there and not added to this object are
    looked up with `resolve` (ids -> `Recorded`, from the database, which stays the record: ids it does not know,
    such as those of a run that died before committing, are ignored). Then earlier runs' reports need not be added
    again: only the candidates of new reports are read back.
    """

    def __init__(
        self,
        scheme: HashScheme,
        threshold: float,
        shared: Mapping[str, Any] | None = None,
        resolve: Callable[[list[str]], Mapping[str, Recorded]] | None = None,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0.0, 1.0]")
        if shared is not None and resolve is None:
            raise ValueError("a shared LSH index needs `resolve` to read its reports' signatures and groups")
        self.scheme = scheme
        self.threshold = threshold
        # this process's reports, in bands laid out as datasketch's MinHashLSH lays them out for the threshold
        bands, rows = lsh_params(threshold, scheme.num_perm)
        self._bands = _BandIndex([(i * rows, (i + 1) * rows) for i in range(bands)])
        self._shared = (
            MinHashLSH(threshold=threshold, num_perm=scheme.num_perm, params=(bands, rows), storage_config=dict(shared))
            if shared
            else None
        )
        self._resolve = resolve
        self._sigs: dict[str, np.ndarray] = {}
        self._group_of: dict[str, str] = {}
        self._groups: dict[str, CopyGroup] = {}
        self._order_of: dict[str, int] = {}
        self._added = 0

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._sigs

    def add(self, ids: Sequence[str], sigs: np.ndarray, published: Sequence[datetime | None]) -> dict[str, str]:
        """Index reports in the given order; return id -> copy group id for each (ids seen before keep theirs).

        Raises ValueError when the lengths disagree or the signatures do not fit the scheme. With a shared index,
        writes the new reports to it (an id already there is not written twice).
        """
        sigs = np.asarray(sigs, dtype=np.uint64)
        if len(ids) != len(sigs) or len(ids) != len(published):
            raise ValueError("ids, sigs and published must have the same length")
        if len(ids) and sigs.shape[1] != self.scheme.num_perm:
            raise ValueError(f"signatures have {sigs.shape[1]} values, the scheme has num_perm={self.scheme.num_perm}")
        result: dict[str, str] = {}
        fresh: list[tuple[str, LeanMinHash]] = []
        first: dict[str, int] = {}  # id -> its first row (a repeated id is indexed once)
        for i, report_id in enumerate(ids):
            first.setdefault(report_id, i)
        new_ids = [report_id for report_id in first if report_id not in self._group_of]
        new_rows = {report_id: k for k, report_id in enumerate(new_ids)}
        # LeanMinHash objects only for the shared index (a kilobyte each)
        leans = {r: self.scheme.lean(sigs[first[r]]) for r in new_ids} if self._shared is not None else {}
        # the shared index as it was before this batch, asked once for all; the batch itself is in self._bands
        shared_found = self._query_shared(leans) if self._shared is not None else {}
        # each new report's candidates: earlier reports (of this batch too) that share a band with it
        earlier = self._bands.add(new_ids, sigs[[first[report_id] for report_id in new_ids]])
        for report_id, sig, when in zip(ids, sigs, published, strict=True):
            if report_id in self._group_of:
                result[report_id] = self._group_of[report_id]
                continue
            candidates = earlier[new_rows[report_id]]
            if report_id in shared_found:
                candidates.update(self._recorded(shared_found[report_id], report_id))
            best, best_sim = None, -1.0
            for other in candidates:
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
            self._order_of[report_id] = self._added
            self._added += 1
            if self._shared is not None:
                fresh.append((report_id, leans[report_id]))
            result[report_id] = group.id
        if self._shared is not None and fresh:
            stored = self._in_shared([report_id for report_id, _ in fresh])
            with self._shared.insertion_session() as session:
                for report_id, lean in fresh:
                    if report_id not in stored:
                        session.insert(report_id, lean, check_duplication=False)
        return result

    # Reports per Redis pipeline: one round trip per band per batch instead of one per band per report
    # (MinHashLSH.query): 178 -> 674 reports/s on 10k reports (bench/bench_dedup.py, shared 2-core machine).
    _PIPELINE = 5000

    def _query_shared(self, leans: Mapping[str, LeanMinHash]) -> dict[str, list[str]]:
        """Return each report's candidates in the shared index, asking each band's table once per batch."""
        lsh = self._shared
        assert lsh is not None
        ids = list(leans)
        found: dict[str, set[Any]] = {report_id: set() for report_id in ids}
        for first in range(0, len(ids), self._PIPELINE):
            batch = ids[first : first + self._PIPELINE]
            for (start, end), table in zip(lsh.hashranges, lsh.hashtables, strict=True):
                # datasketch's own band key (MinHashLSH._H), as query() computes it
                keys = [lsh._H(leans[report_id].hashvalues[start:end]) for report_id in batch]
                for report_id, members in zip(batch, table.getmany(*keys), strict=True):
                    found[report_id].update(members)
        decode = pickle.loads if lsh.prepickle else (lambda key: key)
        return {report_id: [decode(k) for k in keys] for report_id, keys in found.items() if keys}

    def _in_shared(self, ids: list[str]) -> set[str]:
        """Return those of ids already in the shared index (written by a run that died before committing)."""
        lsh = self._shared
        assert lsh is not None
        present: set[str] = set()
        for first in range(0, len(ids), self._PIPELINE):
            batch = ids[first : first + self._PIPELINE]
            keys = [pickle.dumps(k) for k in batch] if lsh.prepickle else batch
            present.update(k for k, values in zip(batch, lsh.keys.getmany(*keys), strict=True) if values)
        return present

    def _recorded(self, found: list[str], querying: str) -> list[str]:
        """Return the shared index's candidates that the record knows, loading the ones not seen yet."""
        unknown = [k for k in found if k not in self._sigs and k != querying]
        if unknown:
            assert self._resolve is not None
            for report_id, rec in self._resolve(unknown).items():
                self._sigs[report_id] = np.asarray(rec.signature, dtype=np.uint64)
                self._group_of[report_id] = rec.copy_group
                self._order_of[report_id] = _RECORDED_ORDER + rec.seq
                if rec.copy_group not in self._groups:
                    self._groups[rec.copy_group] = CopyGroup(rec.copy_group, rec.copy_group, rec.copy_group, None, [])
                self._groups[rec.copy_group].members.append(report_id)
        return [k for k in found if k in self._sigs and k != querying]

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
