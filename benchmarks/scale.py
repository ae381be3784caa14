"""Scale: synthetic corpora of 10 k, 100 k and 1 M chunks, exact against approximate search.

    python benchmarks/scale.py [--sizes 10000,100000,1000000] [--kind random|clustered]
                               [--ef 32,64,128,256] [--no-bm25]

Dense vectors: the real model's vectors of the bundled corpus's texts first, then
synthetic unit vectors of the same dimension (``--kind random``: random
directions, as the issue asks; ``clustered``: real vectors plus noise, cosine
~0.8 to their seed, a harder case). Queries: 100 evaluation questions encoded
by the real model. For each size: FAISS flat (exact) and FAISS HNSW (M=32,
efConstruction=80; several efSearch) build time, memory (resident-set growth
while building, and the index's bytes), search p50 / p95 one query at a time
(top 10, one FAISS thread as in the app), recall@10 against exact search.
BM25 (``bm25s``) on passages of real sentences recombined: build time, memory, query p50 / p95.

A benchmark, not a test: nothing is asserted. Memory is the process's resident
set growth, so run one size per process for clean figures (the default runs all).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_texts import index_vectors, synthetic_passages, unit_vectors  # noqa: E402

BUILD_THREADS = os.cpu_count() or 1


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def _timed_search(index, queries: np.ndarray, k: int = 10) -> tuple[list[float], np.ndarray]:
    import faiss

    from assistant.indexing.dense import SEARCH_THREADS

    faiss.omp_set_num_threads(SEARCH_THREADS)  # as the app searches (assistant/dense.py)
    times, found = [], []
    for q in queries:
        t = time.perf_counter()
        _, rows = index.search(q[None, :], k)
        times.append((time.perf_counter() - t) * 1000)
        found.append(rows[0])
    faiss.omp_set_num_threads(BUILD_THREADS)
    return times, np.asarray(found)


def _recall(found: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(found, exact)]))


def _row(*cells) -> None:
    print("| " + " | ".join(c if isinstance(c, str) else f"{c:.3g}" for c in cells) + " |")
    sys.stdout.flush()


def dense(n: int, kind: str, real: np.ndarray, queries: np.ndarray, efs: list[int]) -> None:
    import faiss

    from assistant.indexing.dense import HNSW_EF_CONSTRUCTION, HNSW_M

    vectors = unit_vectors(n, seed_vectors=real, kind=kind)
    gc.collect()
    m0 = rss_mib()
    t = time.perf_counter()
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    build = time.perf_counter() - t
    mem = rss_mib() - m0
    times, exact = _timed_search(flat, queries)
    times, _ = _timed_search(flat, queries)  # second pass: warm caches
    _row(f"{n:,}", kind, "flat (exact)", build, mem, vectors.nbytes / 2**20,
         np.percentile(times, 50), np.percentile(times, 95), 1.0)  # fmt: skip
    del flat
    gc.collect()
    m0 = rss_mib()
    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    hnsw.add(vectors)
    build = time.perf_counter() - t
    mem = rss_mib() - m0
    size = faiss.serialize_index(hnsw).nbytes / 2**20
    for ef in efs:
        hnsw.hnsw.efSearch = ef
        _timed_search(hnsw, queries)
        times, found = _timed_search(hnsw, queries)
        _row(f"{n:,}", kind, f"HNSW ef={ef}", build, mem, size,
             np.percentile(times, 50), np.percentile(times, 95), _recall(found, exact))  # fmt: skip
    del hnsw, vectors
    gc.collect()


def lexical(n: int, questions: list[str]) -> None:
    import bm25s

    from assistant.text.analyzer import tokenize

    passages = synthetic_passages(n)
    gc.collect()
    m0 = rss_mib()
    t = time.perf_counter()
    bm25 = bm25s.BM25(k1=1.2, b=0.75)
    bm25.index(passages, show_progress=False)
    build = time.perf_counter() - t
    del passages
    gc.collect()
    mem = rss_mib() - m0
    times = []
    for q in questions:
        terms = [x for x in tokenize(q) if x in bm25.vocab_dict]
        if not terms:
            continue
        t = time.perf_counter()
        bm25.get_scores(terms)
        times.append((time.perf_counter() - t) * 1000)
    _row(f"{n:,}", "bm25s", build, mem, np.percentile(times, 50), np.percentile(times, 95))
    del bm25
    gc.collect()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--kind", choices=("random", "clustered"), default="random")
    p.add_argument("--ef", default="32,64,128,256")
    p.add_argument("--no-bm25", action="store_true")
    p.add_argument("--no-dense", action="store_true")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    efs = [int(e) for e in args.ef.split(",")]

    import faiss

    from evals.dataset import load_questions

    questions = [q.question for q in load_questions()][:100]
    print(f"threads: faiss {faiss.omp_get_max_threads()}; queries: {len(questions)}")
    if not args.no_dense:
        real, enc = index_vectors()
        queries = enc.encode_queries(questions)
        del enc
        gc.collect()
        print("\n| chunks | vectors | index | build s | RSS growth MiB | index MiB | p50 ms "
              "| p95 ms | recall@10 |\n|---|---|---|---|---|---|---|---|---|")  # fmt: skip
        for n in sizes:
            dense(n, args.kind, real, queries, efs)
    if not args.no_bm25:
        print("\n| passages | BM25 | build s | RSS growth MiB | p50 ms | p95 ms |\n"
              "|---|---|---|---|---|---|")  # fmt: skip
        for n in sizes:
            lexical(n, questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
