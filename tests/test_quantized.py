"""The int8 embedder (accord.quantized): the real model quantised by NNCF and run on OpenVINO, against the float32
sentence-transformers model on real reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from accord import embed, quantized
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


def test_auto_is_int8_only_where_the_cpu_has_int8_dot_products():
    assert embed.resolve_precision("auto") == ("int8" if embed.cpu_has_int8() else embed.resolve_precision("auto"))
    if not embed.cpu_has_int8():
        assert embed.resolve_precision("auto") in ("float32", "bfloat16")
    with pytest.raises(ValueError, match="precision must be one of auto, float32, bfloat16, int8"):
        embed.resolve_precision("int4")


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


@pytest.mark.slow  # two processes quantise the model at once (NNCF calibration): minutes on 2 cores
def test_quantising_writes_nothing_on_stdout_and_two_processes_make_one_model(tmp_path):
    """A fresh cache: two processes quantise and compile at once (as Dask workers may); both succeed, one model and
    one compiled blob are kept, and stdout (which carries `accord run`'s JSON) stays empty. A damaged compiled blob is
    compiled afresh, with the same rows."""
    env = dict(os.environ, ACCORD_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
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
            out, err = child.communicate(timeout=600)
            assert child.returncode == 0, err[-2000:]
            assert out.startswith("(2, 384) ") and out.count("\n") == 1, out
            outs.append(out)
        return outs

    first = run(2)
    assert first[0] == first[1]
    kept = [p for p in (tmp_path / "models").iterdir()]
    assert len(kept) == 1 and kept[0].name.startswith("model-int8-")
    assert (kept[0] / "model.xml").exists() and (kept[0] / "meta.json").exists()
    blobs = list((kept[0] / "compiled").glob("*.blob"))
    assert len(blobs) == 1
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
