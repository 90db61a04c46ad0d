"""The instruction sets a benchmark runs under, side by side: this CPU's own ("native"), and a CPU without VNNI, AMX
or AVX-512 acted out on this one ("avx2"): oneDNN (in torch and OpenVINO) capped at AVX2 by ONEDNN_MAX_CPU_ISA,
OpenVINO's own kernels by OV_CPU_MAX_ISA (honoured by builds with that knob; others ignore it), the BLAS libraries
capped too (MKL_ENABLE_INSTRUCTIONS for the MKL inside torch, OPENBLAS_CORETYPE for numpy's OpenBLAS), and accord's
`cluster.precision: auto` choosing from the capped features (accord.machine).

The BLAS caps matter to the bare baseline: torch runs a sentence-transformer's linear layers on MKL, not oneDNN, so
with oneDNN alone capped the "avx2" bare encode still ran on AVX-512 (400 gva-dev reports: 35-37 CPU-seconds against
50-51 with MKL capped too, where OpenVINO's float32 took 16 uncapped and 22-23 capped by ONEDNN_MAX_CPU_ISA alone)."""

from __future__ import annotations

import os

ISAS: dict[str, dict[str, str]] = {
    "native": {},
    "avx2": {
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        "OV_CPU_MAX_ISA": "AVX2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "OPENBLAS_CORETYPE": "Haswell",
    },
}
CAPS = frozenset(name for caps in ISAS.values() for name in caps)


def isa_env(name: str) -> dict[str, str]:
    """Return os.environ with `name`'s caps set (and any caps of the caller's removed for "native")."""
    env = {k: v for k, v in os.environ.items() if k not in CAPS}
    env.update(ISAS[name])
    return env


def describe() -> dict[str, str]:
    """Return, for the caps of this process's environment, the instruction sets accord sees and the precision
    `auto` chooses (accord must be importable)."""
    from accord.embed import resolve_precision, runtime_for
    from accord.machine import cpu_features, isa_label

    flags = cpu_features()
    vnni = sorted(flags & {"avx512_vnni", "avx_vnni", "amx_int8", "amx_bf16"})
    return {
        "isa": isa_label(),
        "int8_or_bf16_instructions": ", ".join(vnni) or "none",
        "auto": resolve_precision("auto"),
        "runtime": runtime_for("auto"),
    }
