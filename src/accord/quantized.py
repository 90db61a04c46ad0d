"""The embedding model run on OpenVINO: quantised to int8 (about 2.5 times faster than float32 torch on a CPU with
int8 dot products), or in float32 (about 1.35 times faster than float32 torch, with the same embeddings to a cosine of
0.999999, where int8 has no such instructions).

The first use of a model converts it from its sentence-transformers form (torch) and, for int8, quantises its matrix
products with NNCF's post-training quantisation, calibrated on a fixed set of news texts shipped with accord
(`data/calibration.jsonl`), and saves the result under the cache directory. Later uses, in this process or any other,
load the saved model: only openvino and tokenizers are imported, not torch, transformers or sentence-transformers.

The calibration set is fixed so that every run, and every worker of a Dask cluster, derives the same model and so the
same embeddings: the story index keeps embeddings from run to run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import warnings
from importlib import resources
from pathlib import Path

import numpy as np

from accord.identity import identity_text
from accord.machine import available_cores, cpu_features, release_freed_memory

log = logging.getLogger("accord.embed")

# Bump when the conversion below changes, so that models saved by an older accord are made again.
FORMAT = 1
# Tokens per text, as the float32 embedder (MiniLM was trained on 128-token inputs).
MAX_TOKENS = 128
# Texts per inference request, cut from texts sorted by length (little padding). On 2 cores 16-32 ran at about
# 250 texts/s, 64 at 235, 128 at 191.
BATCH = 32
# The same in float32, where padding costs more than per-request overhead: capped at AVX2, gva-dev's 2,940 titles and
# leads took 28.8-29.5 s in batches of 8 against 30.3-31.1 s in batches of 32 (4: 29.4 s, 64: 32.3 s).
FLOAT32_BATCH = 8
# Texts tokenised at once by OpenVinoEmbedder.encode (then sorted by length and cut into batches)
TOKENIZE_CHUNK = 2048
CALIBRATION = "calibration.jsonl"
POOLING = ("mean", "cls", "max")


class QuantizationError(RuntimeError):
    """The model could not be converted or quantised (named, with the reason)."""


def cache_root() -> Path:
    """Return where derived models are kept: $ACCORD_CACHE_DIR, else $XDG_CACHE_HOME/accord, else ~/.cache/accord."""
    if os.environ.get("ACCORD_CACHE_DIR"):
        return Path(os.environ["ACCORD_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "accord"


def calibration_texts() -> list[str]:
    """Return the texts the quantiser calibrates on: the identity texts (title and lead) of the shipped reports."""
    raw = resources.files("accord.data").joinpath(CALIBRATION).read_text(encoding="utf-8")
    records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [identity_text(r.get("title") or "", r.get("text") or "") for r in records]


def _fingerprint(model_path: Path) -> str:
    """Return a key for the model's files (small files by content, weights by size and modification time), the
    calibration set and the versions that shape the derived model."""
    import openvino

    digest = hashlib.sha256(f"format={FORMAT};openvino={openvino.get_version()};tokens={MAX_TOKENS}".encode())
    digest.update(resources.files("accord.data").joinpath(CALIBRATION).read_bytes())
    for path in sorted(p for p in model_path.rglob("*") if p.is_file() and ".git" not in p.parts):
        stat = path.stat()
        digest.update(str(path.relative_to(model_path)).encode())
        if stat.st_size < 4_000_000:
            digest.update(path.read_bytes())
        else:
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def _pooling(model_path: Path) -> str:
    """Return the model's pooling mode from its sentence-transformers Pooling config (mean when it has none)."""
    for config in sorted(model_path.glob("*_Pooling/config.json")):
        settings = json.loads(config.read_text(encoding="utf-8"))
        for mode in POOLING:
            if settings.get(f"pooling_mode_{mode}_token" if mode == "cls" else f"pooling_mode_{mode}_tokens"):
                return mode
        raise QuantizationError(f"{config}: no pooling mode accord can run in int8 (one of {', '.join(POOLING)})")
    return "mean"


_build_lock = threading.Lock()


@contextlib.contextmanager
def _machine_lock(path: Path):
    """Hold an exclusive lock on `path` (flock) while the block runs, so that one process of the machine quantises
    and the others wait for its model rather than make their own. Without flock (or where the lock file cannot be
    made) the block runs unlocked: building in a directory of one's own and renaming it keeps that safe, only slower."""
    try:
        import fcntl

        handle = open(path, "a+b")  # noqa: SIM115 - held for the block
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


RUNS = ("int8", "float32")  # the precisions a model is prepared in for OpenVINO


def prepared_model(model_path: str | Path, precision: str = "int8") -> Path:
    """Return the directory of `model_path`'s OpenVINO model in `precision` (int8 or float32), making it first if the
    cache has none."""
    if precision not in RUNS:
        raise ValueError(f"an OpenVINO model is prepared in {' or '.join(RUNS)}, not {precision!r}")
    source = Path(model_path).expanduser()
    if not source.is_dir():
        raise QuantizationError(f"{precision} on OpenVINO needs a local model directory, not {str(model_path)!r}")
    target = cache_root() / "models" / f"{source.name}-{precision}-{_fingerprint(source)}"
    if (target / "meta.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock, _machine_lock(target.parent / f".{target.name}.lock"):
        if (target / "meta.json").exists():
            return target
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            # tracing the model warns about Python booleans and deprecated names in transformers' own code: nothing a
            # user can act on, and the conversion is checked by its result
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _build(source, building, precision)
            try:
                building.rename(target)
            except OSError:
                # another process finished the same model first: theirs is identical
                if not (target / "meta.json").exists():
                    raise
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return target


def _build(source: Path, out: Path, precision: str = "int8") -> None:
    """Convert (and for int8 quantise) `source` and save it into `out` (about 20 s for all-MiniLM-L6-v2 in int8 on 2
    cores, imports included; about 10 s in float32)."""
    log.info("converting %s to OpenVINO in %s (once; kept in %s)", source, precision, out.parent)
    try:
        import openvino as ov
        import torch
        from sentence_transformers import SentenceTransformer

        if precision == "int8":
            import nncf
    except ImportError as error:
        needs = "openvino, nncf" if precision == "int8" else "openvino"
        raise QuantizationError(f"{precision} on OpenVINO needs {needs} and sentence-transformers: {error}") from error
    pooling = _pooling(source)
    st = SentenceTransformer(str(source), device="cpu")
    transformer = st[0].auto_model.eval()
    tokenizer = st.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise QuantizationError(f"{source}: int8 needs a fast (tokenizers) tokenizer")
    tokenizer.save_pretrained(str(out))
    if not (out / "tokenizer.json").exists():
        raise QuantizationError(f"{source}: its tokenizer did not save a tokenizer.json")
    runner = _Tokens(out / "tokenizer.json")
    texts = calibration_texts()
    batches = [runner.batch(texts[i : i + 8]) for i in range(0, len(texts), 8)]
    example = {name: torch.from_numpy(value) for name, value in batches[0].items()}
    # NNCF draws progress bars on stdout, which belongs to the command's result (`accord run` prints JSON there)
    logging.getLogger("nncf").setLevel(logging.WARNING)
    with contextlib.redirect_stdout(sys.stderr):
        try:
            with torch.inference_mode():
                converted = ov.convert_model(transformer, example_input=example)
            if precision == "int8":
                converted = nncf.quantize(
                    converted,
                    nncf.Dataset(batches),
                    model_type=nncf.ModelType.TRANSFORMER,
                    subset_size=len(batches),
                )
        except Exception as error:
            raise QuantizationError(f"{source}: conversion to {precision} failed: {error}") from error
    # float32 keeps its weights as they are (OpenVINO stores the ones int8 leaves in float16 by default)
    ov.save_model(converted, str(out / "model.xml"), compress_to_fp16=precision == "int8")
    meta = {
        "source": str(source),
        "pooling": pooling,
        "dimension": int(_dimension(st)),
        "max_tokens": MAX_TOKENS,
        "inputs": sorted(batches[0]),
        "calibration_texts": len(texts) if precision == "int8" else 0,
        "precision": precision,
        "format": FORMAT,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _dimension(st) -> int:
    get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    return get() or 0


class _Tokens:
    """The model's fast tokenizer, truncating to MAX_TOKENS; pads a batch to its longest text."""

    def __init__(self, path: Path, inputs: tuple[str, ...] = ("attention_mask", "input_ids", "token_type_ids")):
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(path))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.inputs = inputs

    def encode(self, texts: list[str]) -> list:
        return self.tokenizer.encode_batch(texts)

    def pad(self, encodings: list) -> dict[str, np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            types[row, :n] = encoding.type_ids
            mask[row, :n] = 1
        arrays = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
        return {name: arrays[name] for name in self.inputs}

    def batch(self, texts: list[str]) -> dict[str, np.ndarray]:
        return self.pad(self.encode(texts))


def _pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    if mode == "cls":
        return hidden[:, 0]
    weights = mask.astype(np.float32)
    if mode == "max":
        return np.where(weights[..., None] > 0, hidden, -np.inf).max(axis=1)
    # the masked sum as one product per text: no (texts, tokens, dimension) temporary (0.3 s of a 3k-text encode)
    summed = np.matmul(weights[:, None, :], hidden)[:, 0]
    return summed / np.maximum(weights.sum(axis=1, keepdims=True), 1e-9)


# Environment variables that change which kernels OpenVINO compiles for (oneDNN's and OpenVINO's ISA caps)
_ISA_ENV = ("ONEDNN_MAX_CPU_ISA", "OV_CPU_MAX_ISA", "ACCORD_CPU_FEATURES")


def compiled_blob(directory: Path, options: dict[str, str]) -> Path:
    """Return where the model in `directory`, compiled for this CPU with `options`, is kept: compiled/<key>.blob,
    the key covering OpenVINO's version, the options, the CPU's instruction sets and the ISA caps in force."""
    import openvino

    key = json.dumps(
        {
            "openvino": openvino.get_version(),
            "options": sorted(options.items()),
            "cpu": sorted(cpu_features()),
            "env": [os.environ.get(name, "") for name in _ISA_ENV],
        }
    )
    return directory / "compiled" / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.blob"


def compiled_model(core, model, directory: Path, options: dict[str, str]):
    """Return `model` compiled for the CPU with `options`: imported from its blob beside the model when there is a
    readable one, else compiled and its blob written (compiling took 0.5 s a run, importing about 0.15 s).

    Any number of processes may do this at once: a blob is written to a file of its own and renamed over the old one,
    so a reader sees a whole blob or none, never one being written (OpenVINO's own CACHE_DIR wrote and re-permissioned
    the same file from each process: "cannot set permissions: No such file or directory"). A blob that cannot be
    imported (damaged, or another OpenVINO's) is compiled afresh and replaced; a read-only cache is only read."""
    blob = compiled_blob(directory, options)
    if blob.is_file():
        try:
            return core.import_model(blob.read_bytes(), "CPU", options)
        except Exception as error:  # OpenVINO raises its own RuntimeError subclasses; any failure means: compile
            log.info("compiled model %s unreadable (%s): compiling it again", blob, str(error).splitlines()[0][:200])
    compiled = core.compile_model(model, "CPU", options)
    try:
        blob.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{blob.name}.", dir=blob.parent)
        try:
            exported = compiled.export_model()  # bytes, or a BytesIO in recent OpenVINO
            os.chmod(temporary, 0o644)  # as a file made with open() would be (mkstemp's are the owner's alone)
            with os.fdopen(handle, "wb") as file:
                file.write(exported.getvalue() if hasattr(exported, "getvalue") else exported)
            os.replace(temporary, blob)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        log.info("compiled model not kept in %s (%s)", blob.parent, error)
    return compiled


class OpenVinoEmbedder:
    """An Embedder over the OpenVINO form of a sentence-transformers model, int8 or float32 (see prepared_model).

    Requests run as parallel streams of one thread each, one per core of this process: on 2 cores, 2 streams encoded
    204 texts/s against 190 for one stream of 2 threads."""

    runtime = "openvino"

    def __init__(self, model_path: str | Path, batch_size: int | None = None, precision: str = "int8") -> None:
        import openvino as ov

        self.precision = precision
        batch_size = batch_size or (BATCH if precision == "int8" else FLOAT32_BATCH)
        self.directory = prepared_model(model_path, precision)
        self.meta = json.loads((self.directory / "meta.json").read_text(encoding="utf-8"))
        self.tokens = _Tokens(self.directory / "tokenizer.json", tuple(self.meta["inputs"]))
        self.core = ov.Core()
        self.model = self.core.read_model(str(self.directory / "model.xml"))
        self.batch_size = batch_size
        self.calls = 0
        self.streams = available_cores()
        self.compiled = None  # on the first encode
        self._compiling = threading.Lock()

    def _options(self) -> dict[str, str]:
        threads = str(self.streams)
        return {"INFERENCE_PRECISION_HINT": "f32", "NUM_STREAMS": threads, "INFERENCE_NUM_THREADS": threads}

    def _new_requests(self) -> list:
        """Return one new inference request per stream, compiling the model for `streams` streams of one thread first.

        Each encode takes requests of its own: a Dask worker's threads share one embedder, and a request runs one
        inference at a time ("Infer Request is busy")."""
        with self._compiling:
            if self.compiled is None:
                self.compiled = compiled_model(self.core, self.model, self.directory, self._options())
        return [self.compiled.create_infer_request() for _ in range(self.streams)]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text.

        Requests are started and awaited from this thread only, with no Python callback: OpenVINO's threads never
        need the GIL. (With an AsyncInferQueue's callbacks, dropping the compiled model could deadlock: its
        destructor joined a stream thread that waited for the GIL the destructor held.)"""
        from collections import deque

        self.calls += 1
        dimension = int(self.meta["dimension"]) or 384
        texts = list(texts)
        out = np.zeros((len(texts), dimension), dtype=np.float32)
        mode = self.meta["pooling"]
        idle = deque(self._new_requests())
        running: deque = deque()

        def collect() -> None:
            request, rows, mask = running.popleft()
            request.wait()
            out[rows] = _pool(request.get_output_tensor(0).data, mask, mode)
            idle.append(request)

        for start in range(0, len(texts), TOKENIZE_CHUNK):
            # tokenised a chunk at a time: a tokenizers Encoding holds several KB, a 70k backlog's would hold GBs
            encodings = self.tokens.encode(texts[start : start + TOKENIZE_CHUNK])
            order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
            for first in range(0, len(encodings), self.batch_size):
                if not idle:
                    collect()
                rows = order[first : first + self.batch_size]
                inputs = self.tokens.pad([encodings[i] for i in rows])
                request = idle.popleft()
                request.start_async(inputs)
                running.append((request, rows + start, inputs["attention_mask"]))
            while running:
                collect()
            del encodings
            release_freed_memory()
            if len(texts) > TOKENIZE_CHUNK:
                log.info(
                    "embedded %d of %d texts (%s, OpenVINO)",
                    min(start + TOKENIZE_CHUNK, len(texts)),
                    len(texts),
                    self.precision,
                )
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out
