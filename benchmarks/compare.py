"""Each component against its alternative, side by side in one run, with ratios.

    python benchmarks/compare.py [--only encode,quality,bm25,dense] [--repeat 3]

* ``encode``: sentence-transformers on PyTorch, one text at a time and in batches
  of 16/32/64, against ONNX Runtime float32 and dynamic int8 (same exported
  model; ``benchmarks/onnx_encoder.py``): passages per second over a fixed sample
  of the index's texts, and the query encoding time one question at a time.
* ``quality``: hit@5 (hybrid) and answer metrics on the dev split with the index
  embedded by each runtime (int8 is acceptable only within one point of hit@5).
* ``bm25``: ``bm25s`` against ``rank-bm25`` on the same analysed terms: the real
  corpus, and 10 k synthetic passages recombined from its sentences.
* ``dense``: FAISS flat against NumPy brute force and FAISS HNSW, on the 773
  real vectors of the index and on ``--synthetic`` (default 100 k) synthetic
  vectors: p50 / p95 per query, recall@10.

Configurations are interleaved and repeated (``--repeat``), and the median is
kept, because the machine is shared; ratios are against the current default.
Needs the ``bench`` extra. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_texts import (  # noqa: E402
    index_texts,
    index_vectors,
    synthetic_passages,
    unit_vectors,
)


def _pct(v, q) -> float:
    return float(np.percentile(np.asarray(v), q))


def _table(title: str, header: list[str], rows: list[list]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(f"{x:.3g}" if isinstance(x, float) else str(x) for x in r) + " |")
    sys.stdout.flush()


def bench_encode(repeat: int, questions: list[str], step: int) -> None:
    from onnx_encoder import OnnxEncoder

    from assistant.models.encoder import load_encoder

    texts = index_texts()
    sample = texts[::step]  # a fixed, representative share of the index's distinct texts
    torch_enc = load_encoder(query_encoder="sentence-transformers")
    encoders = {
        "PyTorch": torch_enc,
        "ONNX fp32": OnnxEncoder(),
        "ONNX int8": OnnxEncoder(int8=True),
    }
    configs = [("PyTorch", 1), ("PyTorch", 16), ("PyTorch", 32), ("PyTorch", 64)]
    configs += [("ONNX fp32", 16), ("ONNX int8", 16)]
    rates: dict[tuple, list[float]] = {c: [] for c in configs}
    query_ms: dict[str, list[float]] = {name: [] for name in encoders}
    for name, enc in encoders.items():  # warm-up
        enc.encode_passages(sample[:8])
        enc.encode_queries(questions[:3])
    for _ in range(repeat):
        for name, bs in configs:
            enc = encoders[name]
            enc.batch_size = bs
            t = time.perf_counter()
            enc.encode_passages(sample)
            rates[(name, bs)].append(len(sample) / (time.perf_counter() - t))
        for name, enc in encoders.items():
            for q in questions[:20]:
                t = time.perf_counter()
                enc.encode_queries([q])
                query_ms[name].append((time.perf_counter() - t) * 1000)
    torch_enc.batch_size = 16
    base = statistics.median(rates[("PyTorch", 16)])
    _table(
        f"Passage encoding, {len(sample)} texts of the index (median of {repeat})",
        ["runtime", "batch", "texts/s", "× PyTorch batch 16"],
        [
            [n, "one by one" if bs == 1 else bs, statistics.median(v), statistics.median(v) / base]
            for (n, bs), v in rates.items()
        ],
    )
    base_q = _pct(query_ms["PyTorch"], 50)
    _table(
        f"Query encoding, one question at a time ({len(query_ms['PyTorch'])} queries)",
        ["runtime", "p50 ms", "p95 ms", "speed-up (p50)"],
        [[n, _pct(v, 50), _pct(v, 95), base_q / _pct(v, 50)] for n, v in query_ms.items()],
    )
    del encoders


def bench_quality(runtimes: list[str]) -> None:
    from onnx_encoder import OnnxEncoder

    from assistant import Assistant
    from evals.__main__ import load_checked
    from evals.runner import run_all

    rows = []
    makers = {
        "PyTorch": None,  # the default index/ (built by the default encoder)
        "ONNX fp32": OnnxEncoder,
        "ONNX int8": lambda: OnnxEncoder(int8=True),
    }
    for label in runtimes:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            if makers[label] is None:
                a = Assistant.load(progress=False, log=lambda m: None)
            else:
                a = Assistant.load(
                    index=Path(tmp), encoder=makers[label](), progress=False, log=lambda m: None
                )
            build = time.perf_counter() - t
            qs = [q for q in load_checked(a) if q.split == "dev"]
            s = run_all(a, qs, configs=("hybrid", "answer"))["summary"]
            h, ans = s["hybrid"]["dev"], s["answer"]["dev"]
            rows.append(
                [
                    label,
                    h["hit@1"],
                    h["hit@5"],
                    h["mrr@10"],
                    ans["evidence_in_answer"],
                    ans["abstention_f1"],
                    build,
                ]
            )
    _table(
        "Quality on the dev split, index embedded by each runtime",
        [
            "runtime",
            "hit@1",
            "hit@5",
            "MRR@10",
            "evidence in answer",
            "abstention F1",
            "load+build s",
        ],
        rows,
    )


def _rank_bm25(corpus_terms):
    from rank_bm25 import BM25Okapi

    return BM25Okapi(corpus_terms, k1=1.2, b=0.75)


def bench_bm25(repeat: int, questions: list[str]) -> None:
    import bm25s

    from assistant.documents.corpus import corpus_files
    from assistant.indexing.build import chunks_from
    from assistant.text.analyzer import tokenize

    real = [
        tokenize(c.embed_text) or [""] for c in chunks_from(corpus_files(ROOT / "corpus"), print)
    ]
    q_terms = [tokenize(q) for q in questions]
    rows = []
    for label, corpus in (("real corpus", real), ("10 k synthetic", synthetic_passages(10_000))):
        build = {"bm25s": [], "rank-bm25": []}
        query = {"bm25s": [], "rank-bm25": []}
        agree = []
        for _ in range(repeat):
            t = time.perf_counter()
            a = bm25s.BM25(k1=1.2, b=0.75)
            a.index(corpus, show_progress=False)
            build["bm25s"].append(time.perf_counter() - t)
            t = time.perf_counter()
            b = _rank_bm25(corpus)
            build["rank-bm25"].append(time.perf_counter() - t)
            for terms in q_terms[:60]:
                known = [x for x in terms if x in a.vocab_dict]
                t = time.perf_counter()
                sa = a.get_scores(known) if known else np.zeros(len(corpus))
                query["bm25s"].append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                sb = b.get_scores(terms)
                query["rank-bm25"].append((time.perf_counter() - t) * 1000)
                top_a, top_b = np.argsort(-sa)[:5], np.argsort(-np.asarray(sb))[:5]
                agree.append(len(set(top_a) & set(top_b)) / 5)
        for lib in ("bm25s", "rank-bm25"):
            rows.append(
                [
                    label,
                    lib,
                    statistics.median(build[lib]),
                    _pct(query[lib], 50),
                    _pct(query[lib], 95),
                    _pct(query[lib], 50) / _pct(query["bm25s"], 50),
                    float(np.mean(agree)),
                ]
            )
    _table(
        "BM25: bm25s against rank-bm25 (same terms; 60 questions per repeat)",
        ["corpus", "library", "build s", "p50 ms", "p95 ms", "× bm25s (p50)", "top-5 overlap"],
        rows,
    )


def bench_dense(
    repeat: int, questions: list[str], *, synthetic: int = 100_000, n_queries: int = 100
) -> None:
    from assistant.indexing.dense import FaissFlatIndex, FaissHNSWIndex, NumpyIndex

    real, enc = index_vectors()
    qv = enc.encode_queries(questions[:n_queries])
    rows = []
    for label, vectors in (
        (f"{len(real)} real vectors", real),
        (f"{synthetic // 1000} k synthetic", unit_vectors(synthetic, seed_vectors=real)),
    ):
        built, times, found = {}, {}, {}
        for cls in (FaissFlatIndex, NumpyIndex, FaissHNSWIndex):
            t = time.perf_counter()
            index = cls(vectors.shape[1])
            index.add(vectors)
            built[cls.name] = (index, time.perf_counter() - t)
            times[cls.name] = []
        for _ in range(repeat):
            for name, (index, _) in built.items():
                rows_found = []
                for q in qv:
                    t = time.perf_counter()
                    _, r = index.search(q, 10)
                    times[name].append((time.perf_counter() - t) * 1000)
                    rows_found.append(r[0])
                found[name] = rows_found
        exact = found["faiss-flat"]
        for name, (_, build_s) in built.items():
            recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found[name], exact)])
            rows.append(
                [
                    label,
                    name,
                    build_s,
                    _pct(times[name], 50),
                    _pct(times[name], 95),
                    _pct(times["faiss-flat"], 50) / _pct(times[name], 50),
                    float(recall),
                ]
            )
    _table(
        f"Dense search, one query at a time, top 10 ({n_queries} real queries per repeat)",
        ["vectors", "backend", "build s", "p50 ms", "p95 ms", "speed-up vs flat", "recall@10"],
        rows,
    )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="encode,quality,bm25,dense")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--synthetic", type=int, default=100_000, help="dense: synthetic vectors")
    p.add_argument("--queries", type=int, default=100, help="dense: real queries")
    p.add_argument("--sample-step", type=int, default=16, help="encode every n-th index text")
    p.add_argument(
        "--runtimes",
        default="PyTorch,ONNX int8",
        help="for quality: comma-separated among PyTorch, ONNX fp32, ONNX int8",
    )
    args = p.parse_args(argv)
    from evals.dataset import load_questions

    questions = [q.question for q in load_questions()]
    parts = args.only.split(",")
    if "encode" in parts:
        bench_encode(args.repeat, questions, args.sample_step)
    if "quality" in parts:
        bench_quality(args.runtimes.split(","))
    if "bm25" in parts:
        bench_bm25(args.repeat, questions)
    if "dense" in parts:
        bench_dense(args.repeat, questions, synthetic=args.synthetic, n_queries=args.queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
