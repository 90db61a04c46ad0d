"""The accuracy gate: `accord eval --json` on the dev corpora must not fall below the floors in eval_floors.json.

The floors sit a little under what the pipeline reaches, so a change that lowers extraction, clustering or
consensus quality fails here. Raise them when the pipeline improves; never lower them to make a change pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPORA

# `accord eval` on each dev corpus in a child process: minutes on 2 cores (make test-all and CI run it)
pytestmark = pytest.mark.slow

FLOORS = json.loads((Path(__file__).with_name("eval_floors.json")).read_text(encoding="utf-8"))
KEYS = {"articles", "seconds", "clustering", "killed", "injured", "perpetrator", "consensus"}


def run_eval(corpus: Path) -> tuple[dict, str]:
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli", "eval", str(corpus), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    return json.loads(last), done.stderr


@pytest.fixture(scope="module", params=sorted(FLOORS))
def evaluated(request):
    result, progress = run_eval(CORPORA / f"{request.param}.jsonl")
    return request.param, result, progress


def test_eval_prints_every_corpus_md_block_and_meets_its_floors(evaluated):
    name, result, progress = evaluated
    assert set(result) == KEYS
    assert set(result["clustering"]) == {"bcubed_precision", "bcubed_recall", "bcubed_f1", "ari"}
    assert set(result["killed"]) == set(result["injured"]) == {"n", "exact", "within_10pct", "missing"}
    assert set(result["perpetrator"]) == {"n", "accuracy"}
    assert set(result["consensus"]) == {
        "stories",
        "killed_exact",
        "killed_within_10pct",
        "injured_exact",
        "injured_within_10pct",
    }
    assert "cluster:" in progress  # progress goes to stderr, the JSON alone to stdout's last line
    failures = []
    for block, floors in FLOORS[name].items():
        for metric, floor in floors.items():
            value = result[block][metric]
            if value is None or value < floor:
                failures.append(f"{name} {block}.{metric} = {value} < floor {floor}")
    assert not failures, "\n".join(failures)


def test_labels_absent_from_a_corpus_give_null_figures(tmp_path):
    corpus = tmp_path / "tiny.jsonl"
    rows = [
        {"id": "a", "outlet": "x", "title": "Blast kills 5 in Aleppo", "text": "A blast killed 5 people in Aleppo."},
        {"id": "b", "outlet": "y", "title": "Five dead in Aleppo blast", "text": "Five people died in a blast."},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result, _ = run_eval(corpus)
    assert result["articles"] == 2
    assert result["killed"] == {"n": 0, "exact": None, "within_10pct": None, "missing": None}
    assert result["clustering"]["bcubed_f1"] is None
    assert result["consensus"]["stories"] == 0 and result["consensus"]["killed_exact"] is None


def test_a_malformed_corpus_is_a_clear_error(tmp_path):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"id": "a", "outlet": "x"}\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli", "eval", str(corpus), "--json"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "bad.jsonl:1: missing required keys title, text" in done.stderr
