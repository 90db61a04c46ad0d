"""Copy groups on real reports: syndication edits group, different outlets' own reports of one incident do not."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np
import pytest

from accord.dedup import COPY_THRESHOLD, CopyIndex, HashScheme, jaccard, shingles, signatures
from tests.conftest import read_corpus

SCHEME = HashScheme()
THRESHOLD = COPY_THRESHOLD


def _paragraphs(text: str) -> list[str]:
    parts = [p for p in text.split("\n") if p.strip()]
    if len(parts) >= 4:
        return parts
    sentences = [s.strip() + "." for s in text.split(". ") if s.strip()]
    return sentences


def syndicate(text: str, rng: random.Random, kind: str) -> str:
    """Return the text as another outlet would rerun it."""
    parts = _paragraphs(text)
    if kind == "trim_tail":
        parts = parts[: max(3, int(len(parts) * 0.7))]
    elif kind == "extend_tail":
        parts = parts + [
            "Copyright 2016 The Associated Press. All rights reserved. This material may not be published, "
            "broadcast, rewritten or redistributed.",
            "Related: more stories from our region.",
        ]
    elif kind == "byline":
        parts = ["By Staff Writer, Wire Service", "Updated 10:42 AM EST"] + parts + ["Share this article on Facebook"]
    elif kind == "drop_paragraphs":
        keep = [p for i, p in enumerate(parts) if i == 0 or rng.random() > 0.2]
        parts = keep
    return "\n".join(parts)


def long_reports(n: int) -> list[dict]:
    rows = [r for r in read_corpus("gva-dev") if len(r["text"].split()) > 250]
    rng = random.Random(7)
    return rng.sample(rows, n)


def test_shingles_are_word_trigrams_of_lowercased_text():
    assert shingles("A b, C d", 3) == [b"a b c", b"b c d"]
    assert shingles("Two words", 3) == [b"two words"]
    assert shingles("", 3) == []


def test_scheme_round_trips_through_json():
    scheme = HashScheme(num_perm=64, seed=9, shingle=4)
    assert HashScheme.from_json(scheme.to_json()) == scheme
    with pytest.raises(ValueError):
        HashScheme.from_json('{"num_perm": 64, "bands": 3}')
    with pytest.raises(ValueError, match="unknown shingle hash 'md5'"):
        HashScheme(hash="md5")
    # a scheme stored before schemes named their hash was sha1's (datasketch's default)
    old = HashScheme.from_json('{"num_perm": 128, "permutation": "affine32", "seed": 1, "shingle": 3}')
    assert old == HashScheme(hash="sha1") and old != HashScheme()


def test_signatures_are_uint64_and_estimate_jaccard():
    a = "the quick brown fox jumps over the lazy dog " * 3 + "and then runs far away into the deep forest"
    b = a.replace("deep forest", "dark wood")
    sigs = signatures([a, b], SCHEME)
    assert sigs.dtype == np.uint64 and sigs.shape == (2, SCHEME.num_perm)
    sa, sb = set(shingles(a)), set(shingles(b))
    assert abs(jaccard(sigs[0], sigs[1]) - len(sa & sb) / len(sa | sb)) < 0.15


@pytest.mark.parametrize("kind", ["trim_tail", "extend_tail", "byline", "drop_paragraphs"])
def test_syndicated_reruns_join_their_original(kind):
    rng = random.Random(kind)
    originals = long_reports(30)
    texts = [r["text"] for r in originals] + [syndicate(r["text"], rng, kind) for r in originals]
    ids = [f"o{i}" for i in range(30)] + [f"c{i}" for i in range(30)]
    start = datetime(2016, 1, 1)
    published = [start + timedelta(hours=i) for i in range(60)]
    groups = CopyIndex(SCHEME, THRESHOLD).add(ids, signatures(texts, SCHEME), published)
    joined = sum(groups[f"c{i}"] == f"o{i}" for i in range(30))
    assert joined >= 28, f"{kind}: only {joined}/30 reruns joined their original"
    assert len({groups[f"o{i}"] for i in range(30)}) == 30  # the originals stay apart


def test_other_outlets_own_reports_of_one_incident_stay_apart():
    by_story = defaultdict(list)
    for r in read_corpus("giveme5w1h") + read_corpus("gva-dev"):
        by_story[r["gold"]["story"]].append(r)
    pairs = []
    for rows in by_story.values():
        for a, b in itertools.combinations(rows, 2):
            sa, sb = set(shingles(a["text"])), set(shingles(b["text"]))
            if a["outlet"] != b["outlet"] and sa and sb and len(sa & sb) / len(sa | sb) < 0.1:
                pairs.append((a, b))  # own reports: little shared text (measured, not assumed)
    assert len(pairs) > 1000
    pairs = random.Random(3).sample(pairs, 300)
    texts = [t for a, b in pairs for t in (a["text"], b["text"])]
    ids = [f"{k}-{side}" for k in range(len(pairs)) for side in "ab"]
    groups = CopyIndex(SCHEME, THRESHOLD).add(ids, signatures(texts, SCHEME), [None] * len(ids))
    grouped = sum(groups[f"{k}-a"] == groups[f"{k}-b"] for k in range(len(pairs)))
    assert grouped == 0


def test_group_has_representative_and_earliest_member():
    text = long_reports(1)[0]["text"]
    rng = random.Random(1)
    texts = [text, syndicate(text, rng, "byline"), syndicate(text, rng, "trim_tail")]
    published = [datetime(2016, 5, 2), datetime(2016, 5, 1), None]
    index = CopyIndex(SCHEME, THRESHOLD)
    groups = index.add(["late", "early", "undated"], signatures(texts, SCHEME), published)
    assert set(groups.values()) == {"late"}
    group = index.groups()["late"]
    assert group.representative == "late" and group.earliest == "early"
    assert group.members == ["late", "early", "undated"]


def test_rebuild_from_stored_signatures_gives_same_groups_and_extends():
    rows = read_corpus("fakes-dev")
    ids = [r["id"] for r in rows]
    sigs = signatures([r["text"] for r in rows], SCHEME)
    published = [datetime.fromisoformat(r["published"]) for r in rows]
    whole = CopyIndex(SCHEME, THRESHOLD).add(ids, sigs, published)
    assert len(set(whole.values())) < len(rows)  # fakes-dev holds reruns
    rebuilt = CopyIndex(SCHEME, THRESHOLD)
    first = rebuilt.add(ids[:200], sigs[:200], published[:200])
    second = rebuilt.add(ids[200:], sigs[200:], published[200:])
    assert {**first, **second} == whole
    assert rebuilt.add(ids[:5], sigs[:5], published[:5]) == {i: whole[i] for i in ids[:5]}
    assert len(rebuilt) == len(rows)


def test_signatures_of_another_scheme_are_refused():
    index = CopyIndex(SCHEME, THRESHOLD)
    with pytest.raises(ValueError):
        index.add(["a"], signatures(["some text here"], HashScheme(num_perm=64)), [None])


@pytest.mark.parametrize("num_perm", [16, 64, 128, 256])
def test_lsh_params_are_the_bands_datasketch_chooses(num_perm):
    from datasketch.lsh import _optimal_param

    from accord.dedup import lsh_params

    for threshold in (0.05, 0.1, 0.2, COPY_THRESHOLD, 0.45, 0.5, 0.6, 0.75, 0.9, 0.95):
        assert lsh_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5), threshold
    assert lsh_params(0.3, 128, false_positive_weight=0.9) == _optimal_param(0.3, 128, 0.9, 0.1)
    with pytest.raises(ValueError):
        lsh_params(1.5, 128)


def test_importing_dedup_leaves_scipy_integrate_out_and_whole():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import accord.dedup\n"
        "assert 'datasketch' in sys.modules\n"
        "assert 'scipy.integrate' not in sys.modules, 'datasketch imported scipy.integrate'\n"
        "from datasketch import MinHashLSH\n"
        "lsh = MinHashLSH(threshold=0.5, num_perm=64)  # no params: datasketch integrates, with the real quad\n"
        "from datasketch.lsh import _optimal_param\n"
        "assert (lsh.b, lsh.r) == accord.dedup.lsh_params(0.5, 64)\n"
        "import scipy.integrate\n"
        "assert hasattr(scipy.integrate, '__file__') and hasattr(scipy.integrate, 'solve_ivp')\n"
        "print(round(scipy.integrate.quad(lambda x: x * x, 0.0, 3.0)[0], 6))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "9.0"


def test_band_index_finds_the_candidates_datasketch_lsh_finds():
    from datasketch import MinHashLSH

    from accord.dedup import _BandIndex

    rows = read_corpus("giveme5w1h")
    scheme = HashScheme()
    sigs = signatures([f"{r['title']}\n{r['text']}" for r in rows], scheme)
    # near-copies too: every fifth text again with its last paragraph dropped
    extra = [r["text"].rsplit("\n", 1)[0] for r in rows[::5]]
    sigs = np.concatenate([sigs, signatures(extra, scheme)])
    ids = [f"r{i}" for i in range(len(sigs))]
    lsh = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=scheme.num_perm)
    expected = []
    for report_id, sig in zip(ids, sigs, strict=True):
        lean = scheme.lean(sig)
        expected.append(set(lsh.query(lean)))
        lsh.insert(report_id, lean)
    bands = _BandIndex(lsh.hashranges)
    half = len(ids) // 2
    found = bands.add(ids[:half], sigs[:half]) + bands.add(ids[half:], sigs[half:])
    assert found == expected
    assert sum(len(f) for f in found) > len(extra)  # the near-copies were found
