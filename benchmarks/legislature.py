"""A legislature-sized folder: ``add DIR`` of N recombined written questions, then answers.

    python benchmarks/legislature.py [--docs 2000] [--questions 40] [--keep DIR]

Writes N written questions recombined from the multi-document fixtures
(``devtools/legislature.py``: other numbers, authors, ministers, dates, paragraphs
shuffled between documents) into a temporary folder, then, in a child process as a user
would, ``python -m assistant add DIR`` into an empty corpus and index: wall time, texts
embedded and their rate (from the index's ``meta.json``), the child's peak resident set,
the index's size on disk. Then, in this process, the assistant loaded once and warm
answers to questions of ``evals/multidoc/questions.jsonl`` (p50 / p95 of ``ask``), and
the time of ``add`` for 10 more documents. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _mib(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def _add(folder: Path, corpus: Path, index: Path, *, files: bool) -> tuple[float, float, dict]:
    """(seconds, child's peak RSS MiB, meta.json) of ``python -m assistant add folder``.

    ``files``: ``add`` the folder's files one by one on the command line instead.
    """
    paths = sorted(str(f) for f in folder.iterdir()) if files else [str(folder)]
    cmd = [sys.executable, "-m", "assistant", "add", *paths]
    cmd += ["--corpus", str(corpus), "--index", str(index)]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=os.environ.copy())
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, json.loads((index / "meta.json").read_text(encoding="utf-8"))


def _warm_answers(corpus: Path, index: Path, n: int) -> tuple[float, float, float]:
    """(load s, p50 ms, p95 ms) of warm ``ask`` over ``n`` questions of the multi-document set."""
    from assistant import Assistant
    from evals.multidoc.dataset import load_questions

    t = time.perf_counter()
    a = Assistant.load(corpus=corpus, index=index, progress=False, log=lambda m: None)
    load = time.perf_counter() - t
    questions = [q.question for q in load_questions()][:n]
    for q in questions[:5]:  # warm-up
        a.ask(q)
    times = []
    for q in questions:
        t = time.perf_counter()
        a.ask(q)
        times.append((time.perf_counter() - t) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return load, statistics.median(times), p95


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--questions", type=int, default=40)
    p.add_argument("--files", action="store_true", help="add FILE… rather than add DIR")
    p.add_argument(
        "--keep", type=Path, help="work in this folder (kept) instead of a temporary one"
    )
    args = p.parse_args(argv)

    from devtools.legislature import generate

    work = args.keep or Path(tempfile.mkdtemp(prefix="legislature-"))
    docs, more = work / "docs", work / "more"
    corpus, index = work / "corpus", work / "index"
    t = time.perf_counter()
    generate(docs, args.docs, start=3000)
    generate(more, 10, start=3000 + args.docs, seed=14)
    print(f"{args.docs} documents generated in {time.perf_counter() - t:.1f} s ({work})")

    seconds, peak, meta = _add(docs, corpus, index, files=args.files)
    e = meta["embeddings"]
    rate = e["embedded"] / e["seconds"] if e["seconds"] else float("nan")
    print(
        f"add DIR: {seconds:.1f} s wall, {meta['count']} passages, {e['embedded']} texts "
        f"embedded in {e['seconds']:.1f} s ({rate:.1f} texts/s, {e['seconds'] / seconds:.0%} "
        f"of the wall time), peak RSS {peak:.0f} MiB, index {_mib(index):.1f} MiB"
    )
    load, p50, p95 = _warm_answers(corpus, index, args.questions)
    print(
        f"warm ask over {args.questions} questions: load {load:.1f} s, p50 {p50:.0f} ms, "
        f"p95 {p95:.0f} ms"
    )
    seconds, _, meta = _add(more, corpus, index, files=args.files)
    e = meta["embeddings"]
    print(
        f"add 10 more: {seconds:.1f} s wall, {e['embedded']} texts embedded in "
        f"{e['seconds']:.1f} s, {e['from_cache']} from the cache; {meta['count']} passages"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
