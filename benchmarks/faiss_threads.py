"""FAISS search one query at a time with two OpenMP threads against one.

    python benchmarks/faiss_threads.py [--n 100000] [--queries 50]

A flat inner-product index of ``--n`` random unit vectors (dimension 384); the
two settings are interleaved twice; prints p50 / p95 per setting. It is why
``assistant/dense.py`` searches with ``SEARCH_THREADS = 1``. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main(argv=None) -> int:
    import faiss

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=50)
    args = p.parse_args(argv)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.n, 384), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1)[:, None]
    index = faiss.IndexFlatIP(384)
    index.add(x)
    queries = x[: args.queries] + 0.01
    times: dict[int, list[float]] = {2: [], 1: []}
    for _ in range(2):
        for threads in times:
            faiss.omp_set_num_threads(threads)
            for q in queries:
                t = time.perf_counter()
                index.search(q[None, :], 10)
                times[threads].append((time.perf_counter() - t) * 1000)
    print("| FAISS threads | p50 ms | p95 ms |\n|---|---|---|")
    for threads, v in times.items():
        print(f"| {threads} | {np.percentile(v, 50):.2f} | {np.percentile(v, 95):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
