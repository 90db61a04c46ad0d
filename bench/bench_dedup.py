"""MinHash and copy index figures: batched signatures against bare MinHash.bulk, the LSH in memory and in Redis.

Prints figures, not a test. `datasketch.MinHash.bulk` on shingles computed before timing, against accord's
`signatures` from the text (shingling and hashing included) and `sign_shingles` on the same shingles under the sha1
scheme (datasketch's hash); then `CopyIndex.add` with the LSH in memory and in a redis-server started here on a free
port (skipped when redis-server is not installed).

    PYTHONPATH=src python bench/bench_dedup.py [--n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "data" / "corpora"


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="grown reports (bench/_grow.py)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from _grow import grow
    from datasketch import MinHash

    from accord.dedup import COPY_THRESHOLD, CopyIndex, HashScheme, shingles, sign_shingles, signatures

    records = [json.loads(line) for line in (CORPORA / "gva-dev.jsonl").open(encoding="utf-8") if line.strip()]
    reports = grow(records, args.n)
    texts = [f"{r['title']}\n{r['text']}" for r in reports]
    scheme = HashScheme()
    sets = [shingles(t, scheme.shingle) for t in texts]
    print(f"{len(texts)} reports, {sum(map(len, sets))} shingles; best of {args.repeat}")
    bare = best_of(
        args.repeat, lambda: MinHash.bulk(sets, num_perm=scheme.num_perm, seed=scheme.seed, scheme=scheme.permutation)
    )
    text = best_of(args.repeat, lambda: signatures(texts, scheme))
    sha1 = replace(scheme, hash="sha1")
    ours = best_of(args.repeat, lambda: sign_shingles(sets, sha1))
    shingling = best_of(args.repeat, lambda: [shingles(t, scheme.shingle) for t in texts])
    print(f"bare MinHash.bulk on the shingles  {bare:7.2f} s  {len(texts) / bare:8.0f} reports/s")
    # accord's words64 scheme hashes words: it is timed from the text, against MinHash.bulk on shingles made before
    print(
        f"signatures from text ({scheme.hash}: shingling and hashing included) {text:7.2f} s  "
        f"{len(texts) / text:8.0f} reports/s  RATIO {bare / text:.2f}x"
    )
    print(
        f"sign_shingles on the same shingles, datasketch's sha1 hash {ours:7.2f} s  {len(texts) / ours:8.0f} "
        f"reports/s  RATIO {bare / ours:.2f}x"
    )
    print(f"  (shingling alone, sorted bytes   {shingling:7.2f} s)")

    sigs = signatures(texts, scheme)
    ids = [r["id"] for r in reports]
    published = [None] * len(ids)
    started = time.perf_counter()
    memory_groups = CopyIndex(scheme, COPY_THRESHOLD).add(ids, sigs, published)
    memory = time.perf_counter() - started
    print(
        f"CopyIndex.add, LSH in memory        {memory:7.2f} s  {len(ids) / memory:8.0f} reports/s, "
        f"{len(set(memory_groups.values()))} groups"
    )
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server not installed: Redis figures skipped")
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="accord-redis-")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", workdir], stdout=subprocess.DEVNULL
    )
    try:
        import redis

        client = redis.Redis(port=port)
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        sigs_of = dict(zip(ids, sigs, strict=True))
        from accord.dedup import Recorded

        seq_of = {k: i for i, k in enumerate(ids)}

        def resolve(wanted):
            return {k: Recorded(sigs_of[k], memory_groups[k], seq_of[k]) for k in wanted if k in sigs_of}

        storage = {"type": "redis", "basename": b"bench", "redis": {"host": "127.0.0.1", "port": port}}
        half = len(ids) // 2
        started = time.perf_counter()
        first = CopyIndex(scheme, COPY_THRESHOLD, shared=storage, resolve=resolve).add(
            ids[:half], sigs[:half], published[:half]
        )
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = CopyIndex(scheme, COPY_THRESHOLD, shared=storage, resolve=resolve).add(
            ids[half:], sigs[half:], published[half:]
        )
        second_s = time.perf_counter() - started
        same = {**first, **second} == memory_groups
        print(f"CopyIndex.add, LSH in Redis, run 1  {first_s:7.2f} s  {half / first_s:8.0f} reports/s")
        print(
            f"  run 2 (new process state, index from Redis, no rebuild) {second_s:7.2f} s  "
            f"{(len(ids) - half) / second_s:8.0f} reports/s; groups equal to in-memory: {same}"
        )
        info = client.info("memory")
        print(f"  Redis used memory {info['used_memory'] / 2**20:.0f} MB for {len(ids)} reports")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
