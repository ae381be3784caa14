"""What the cross-lingual query terms cost (assistant.search.translation).

    python benchmarks/cross_lingual.py [--sizes 5000 20000 50000]

On the multi-document evaluation index (built on first use, ``index/multidoc``): the time
of the first question's translator (Translator.of) from the stored sides and computing
them (as for an index built before them), then for every question of
the set the pairing's time on its first sight (question words encoded) and warm, beside the
hybrid search's own time with the terms on and off (ratios printed). Then, on random unit
vectors, the sides' cost as the vocabulary grows (``--sizes``: words on each side), which is
what bounds it on a large mixed corpus.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ms(f) -> float:
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def _pct(xs, q) -> float:
    return float(np.percentile(xs, q))


def on_the_index() -> None:
    from assistant.indexing.words import WordTable
    from assistant.search.intent import question_language
    from assistant.search.translation import Translator
    from evals.multidoc.dataset import load_questions
    from evals.multidoc.runner import load_assistant

    a = load_assistant(log=lambda *_: None)
    s = a.searcher
    table = s.built.words
    t = time.perf_counter()
    translator = Translator.of(s.chunks, table, s.word_vectors)
    stored_ms = (time.perf_counter() - t) * 1000
    older = WordTable.of(table.words, table.vectors)  # as an index from before the sides
    computed_ms = _ms(lambda: Translator.of(s.chunks, older, s.word_vectors))
    print(f"index: {len(s.chunks)} passages, {len(table)} words in the table")
    print(f"words on each side: {translator.sizes()}")
    print(
        f"first question's translator: {stored_ms:.1f} ms from the stored sides"
        f"{'' if table.sides is not None else ' (none stored: computed)'}, "
        f"{computed_ms:.0f} ms computing them (an index from before them)"
    )
    questions = [q.question for q in load_questions()]
    first = [_ms(lambda q=q: translator.pairs(q, question_language(q))) for q in questions]
    warm = [_ms(lambda q=q: translator.pairs(q, question_language(q))) for q in questions]
    s._translator = translator
    kept = s.translation_weight
    search = {}
    for weight in (0.0, kept or 1.0):
        s.translation_weight = weight
        for q in questions:  # warm-up: every question's words seen once
            a.search(q, k=10)
        search[weight] = [_ms(lambda q=q: a.search(q, k=10)) for q in questions]
    s.translation_weight = kept
    off, on = search[0.0], search[kept or 1.0]
    print(f"{len(questions)} questions, ms p50 / p95:")
    print(f"  pairing, first sight:  {_pct(first, 50):6.2f} / {_pct(first, 95):6.2f}")
    print(f"  pairing, warm:         {_pct(warm, 50):6.2f} / {_pct(warm, 95):6.2f}")
    print(f"  hybrid search, off:    {_pct(off, 50):6.2f} / {_pct(off, 95):6.2f}")
    print(f"  hybrid search, on:     {_pct(on, 50):6.2f} / {_pct(on, 95):6.2f}")
    print(
        f"  ratio on / off: p50 ×{_pct(on, 50) / _pct(off, 50):.2f}, "
        f"p95 ×{_pct(on, 95) / _pct(off, 95):.2f}"
    )


def at_scale(sizes) -> None:
    from assistant.indexing.word_sides import hubness

    rng = np.random.default_rng(0)
    print("\nthe sides' hubness on random unit vectors (dim 384), both sides (at build time):")
    base = None
    for n in sizes:
        a = rng.standard_normal((n, 384)).astype(np.float32)
        b = rng.standard_normal((n, 384)).astype(np.float32)
        a /= np.linalg.norm(a, axis=1, keepdims=True)
        b /= np.linalg.norm(b, axis=1, keepdims=True)
        ms = _ms(lambda: (hubness(a, b), hubness(b, a)))
        q = a[:6]
        pair_ms = _ms(lambda: q @ b.T)
        base = base or ms / n**2
        print(
            f"  {n:6d} words a side: {ms / 1000:7.2f} s (×{ms / n**2 / base:.2f} of n² at the "
            f"smallest), a 6-word question's cosines {pair_ms:.2f} ms"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[5000, 20000, 50000])
    args = p.parse_args()
    on_the_index()
    if args.sizes:
        at_scale(args.sizes)


if __name__ == "__main__":
    main()
