"""What this machine offers the embedding model: its cores, its CPU's instruction sets, and a way to hand freed memory
back to the system. Both embedders (accord.embed's float32/bfloat16 torch one and accord.quantized's int8 one) use
it; it imports neither.

The instruction sets are Linux's /proc/cpuinfo flags, which two environment variables can narrow, so that a benchmark
or a test can act out a CPU without int8 or bfloat16 instructions on one that has them:

- ACCORD_CPU_FEATURES, a list of flags (spaces or commas) used instead of the CPU's own: "avx2 fma" is a CPU
  without VNNI, AMX or AVX-512; an empty value is a CPU with none of the flags accord looks at;
- ONEDNN_MAX_CPU_ISA, oneDNN's own cap on the instruction sets it dispatches to (torch and OpenVINO use oneDNN):
  flags above the cap are dropped, so `auto` chooses as it would on such a CPU.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
from pathlib import Path

FEATURES_ENV = "ACCORD_CPU_FEATURES"
ISA_CAP_ENV = "ONEDNN_MAX_CPU_ISA"

# The flags each oneDNN ISA cap removes (oneDNN's dispatcher-control values; a cap not listed removes nothing).
_AVX512 = {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16"}
_AMX = {"amx_bf16", "amx_int8", "amx_tile", "amx_fp16"}
_VEX_VNNI = {"avx_vnni", "avx_vnni_int8", "avx_ne_convert"}
_CAPS = {
    "SSE41": {"avx", "avx2", "fma"} | _AVX512 | _AMX | _VEX_VNNI,
    "AVX": {"avx2", "fma"} | _AVX512 | _AMX | _VEX_VNNI,
    "AVX2": _AVX512 | _AMX | _VEX_VNNI,
    "AVX2_VNNI": _AVX512 | _AMX | {"avx_vnni_int8", "avx_ne_convert"},
    "AVX2_VNNI_2": _AVX512 | _AMX,
    "AVX512_CORE": {"avx512_vnni", "avx512_bf16", "avx512_fp16"} | _AMX | _VEX_VNNI,
    "AVX512_CORE_VNNI": {"avx512_bf16", "avx512_fp16"} | _AMX,
    "AVX512_CORE_BF16": {"avx512_fp16"} | _AMX,
    "AVX512_CORE_FP16": _AMX,
}

INT8_DOT_PRODUCTS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})


def _own_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return set()
    return set(re.findall(r"\b\w+\b", " ".join(re.findall(r"^flags\s*:(.*)$", text, re.MULTILINE))))


def cpu_features() -> set[str]:
    """Return this CPU's instruction-set flags as /proc/cpuinfo names them, or those of ACCORD_CPU_FEATURES, less
    the ones above ONEDNN_MAX_CPU_ISA's cap (see the module's docstring; a cap of AMX or above removes none)."""
    given = os.environ.get(FEATURES_ENV)
    flags = set(re.split(r"[\s,]+", given.strip().lower())) - {""} if given is not None else _own_flags()
    cap = os.environ.get(ISA_CAP_ENV, "").strip().upper()
    return flags - _CAPS.get(cap, set())


def cpu_has_int8() -> bool:
    """Return whether this CPU has int8 dot-product instructions (VNNI, in AVX-512 or AVX, or AMX int8 tiles)."""
    return bool(cpu_features() & INT8_DOT_PRODUCTS)


def cpu_has_avx2() -> bool:
    """Return whether this CPU has AVX2 (what OpenVINO's int8 kernels need at the least)."""
    return "avx2" in cpu_features()


def cpu_has_bfloat16() -> bool:
    """Return whether this CPU multiplies bfloat16 matrices faster than float32 ones: it has AMX tiles (Linux's
    /proc/cpuinfo flag amx_bf16).

    AVX512-BF16 alone is not enough: on a Xeon with avx512_bf16 and no AMX, all-MiniLM-L6-v2 encoded title and lead
    at 50 texts/s in bfloat16 against 72 in float32 (bench/bench_eval.py's machine, 2 cores)."""
    return "amx_bf16" in cpu_features()


def isa_label() -> str:
    """Return a short name of the instruction sets the model runs with here (for benchmarks and logs): the widest of
    AMX, AVX-512 VNNI, AVX-VNNI, AVX-512, AVX2, or "baseline"."""
    flags = cpu_features()
    for flag, label in (
        ("amx_int8", "AMX"),
        ("avx512_vnni", "AVX512-VNNI"),
        ("avx_vnni", "AVX-VNNI"),
        ("avx512f", "AVX512"),
        ("avx2", "AVX2"),
    ):
        if flag in flags:
            return label
    return "baseline"


def available_cores() -> int:
    """Return the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


_LIBC = _libc()


def release_freed_memory() -> None:
    """Hand memory that torch or OpenVINO freed back to the system (glibc's malloc_trim; a no-op elsewhere).

    Each batch of a new sequence length leaves freed blocks that glibc keeps: without this, resident memory grew by
    about 450 MB over 3,000 encoded texts and stayed there; with it, by about 100 MB, at no cost in speed
    (bench/bench_scale.py prints the memory per stage).
    """
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)
