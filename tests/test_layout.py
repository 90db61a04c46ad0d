"""The house's layout (README "Layout"): no import circles in accord, tests named by subject, bench/ for speed only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Circles being removed on other branches when this one was written (embed <-> quantized: the embedder rework;
# store <-> report: the view SQL moving to views.py). The lead removes each entry when its branch is merged; the
# test fails on any other circle, and on an entry that is no longer a circle (so the list cannot go stale).
KNOWN_CIRCLES: set[frozenset[str]] = set()


def accord_modules() -> dict[str, Path]:
    """Return every module of the installed package by dotted name: src/accord, and flows/ as accord.flows."""
    modules = {}
    for path in (ROOT / "src" / "accord").rglob("*.py"):
        parts = list(path.relative_to(ROOT / "src").with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in (ROOT / "flows").glob("*.py"):
        modules["accord.flows" + ("" if path.stem == "__init__" else f".{path.stem}")] = path
    return modules


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Return, for each module, the accord modules it imports anywhere in its source (a function's deferred import
    counts too: it still makes the two modules depend on each other).

    `from a.b import c` is an edge to a.b.c when that is a module, else to a.b. The package a module sits in, which
    Python imports first, is no edge of its own: a package's __init__ importing its modules is the usual shape.
    """
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    if target in modules:
                        found.add(target)
                    elif base in modules:
                        found.add(base)
        found.discard(name)
        graph[name] = found
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Return the strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(frozenset(group))
    return found


def test_the_cycle_finder_finds_a_circle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_deferred_relative_and_package_imports():
    modules = accord_modules()
    graph = import_graph(modules)
    # a stage imports its sibling through the package path; the flows import the stages package
    assert "accord.stages.extract" in graph["accord.stages.score"]
    assert "accord.stages" in graph["accord.flows.pipeline"]
    # deferred (inside a function): accord.cli imports accord.evaluation only when `accord eval` runs
    assert "accord.evaluation" in graph["accord.cli"]
    # relative: accord.claims' modules import each other with `from .x import y`
    assert any(target.startswith("accord.claims.") for target in graph["accord.claims"])


def test_no_module_imports_one_that_imports_it_back():
    found = set(circles(import_graph(accord_modules())))
    assert found - KNOWN_CIRCLES == set(), f"import circles: {sorted(map(sorted, found - KNOWN_CIRCLES))}"
    assert KNOWN_CIRCLES - found == set(), f"no longer circles, drop from KNOWN_CIRCLES: {KNOWN_CIRCLES - found}"


def test_each_stage_has_its_module_and_steps_is_gone():
    stages = ROOT / "src" / "accord" / "stages"
    assert {p.stem for p in stages.glob("*.py")} >= {"collect", "dedup", "cluster", "extract", "score"}
    assert not (ROOT / "src" / "accord" / "steps.py").exists()


def test_no_test_file_is_named_for_a_round_of_work():
    named = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py")]
    assert not [n for n in named if re.search(r"round\d|phase\d|step\d|_v\d", n)], named


def test_bench_holds_benchmarks_and_analysis_holds_quality():
    scripts = {p.name for p in (ROOT / "bench").glob("*.py") if not p.name.startswith("_")}
    assert scripts and all(name.startswith("bench_") for name in scripts), sorted(scripts)
    assert {p.name for p in (ROOT / "analysis").glob("*.py")} >= {
        "eval_claims.py",
        "eval_cluster.py",
        "eval_consensus.py",
        "extraction_f1.py",
    }


def test_the_code_passes_the_house_linter_and_formatter():
    # ruff (a dev dependency, pinned in pyproject.toml) with the project's settings: `make lint` and the formatter
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a dev dependency: pip install -e '.[dev]'"
    paths = ["src", "flows", "tests", "bench", "tools"]
    check = subprocess.run([ruff, "check", *paths, "analysis"], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:]
    fmt = subprocess.run([ruff, "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout[-2000:]
