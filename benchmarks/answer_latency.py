"""Warm latency of ``Assistant.ask`` per stage over the evaluation questions.

    python benchmarks/answer_latency.py [--repeat 2]

Loads the index once, warms up, then asks every question of
``evals/questions.jsonl`` ``--repeat`` times and prints p50 / p95 / max in
milliseconds for each stage (encode: the query's embedding; dense, bm25,
fusion: the three parts of search; answer: sentence selection and composition;
total), plus the load time and the process's peak RSS. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args(argv)

    from assistant import Assistant
    from evals.dataset import load_questions

    t = time.perf_counter()
    a = Assistant.load()
    load_s = time.perf_counter() - t
    questions = [q.question for q in load_questions()]
    for q in questions[:5]:  # warm-up
        a.ask(q)
    stages: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for q in questions:
            for stage, ms in a.ask(q).timings_ms.items():
                stages.setdefault(stage, []).append(ms)
    print(f"questions: {len(questions)} x {args.repeat}   load: {load_s:.2f} s")
    print(f"{'stage':<8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for stage in ("encode", "dense", "bm25", "fusion", "search", "answer", "total"):
        v = np.asarray(stages[stage])
        print(
            f"{stage:<8}{np.percentile(v, 50):>10.1f}{np.percentile(v, 95):>10.1f}{v.max():>10.1f}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
