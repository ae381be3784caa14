"""What listing the written questions costs (assistant.answers.listing) as the corpus grows.

    python benchmarks/listing.py [--sizes 200 2000] [--repeat 5]

For each size, a folder of that many written questions recombined from the multi-document
fixtures (``devtools/legislature.py``), parsed and chunked, with the BM25 index the build
makes of them (no embedding: a listing reads the headers and questions only), then: the
first listing question's time (its functions read once), and each listing question's warm
time, p50 / p95 over ``--repeat`` runs, with the ratio of the largest size to the smallest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = (
    "Quelles questions écrites portent sur les zones de livraison ?",
    "Combien de questions ont été adressées à la ministre de la Mobilité ?",
    "Welke vragen gaan over de rusthuizen?",
    "Quels documents parlent des logements sociaux ?",
    "Quelles questions a posées Inès Lemaire ?",
    "Combien de questions écrites ont reçu une réponse en 2023 ?",
)


def _chunks(n: int, folder: Path) -> list:
    from assistant.documents.corpus import read_corpus
    from assistant.indexing.chunking import chunk_document
    from devtools.legislature import generate

    generate(folder, n)
    return [c for _, doc in read_corpus(folder) for c in chunk_document(doc)]


def measure(n: int, *, repeat: int) -> dict:
    from assistant.answers.listing import listing_answer
    from assistant.indexing.lexical import LexicalIndex
    from assistant.search.metadata_match import MetadataIndex

    with tempfile.TemporaryDirectory() as tmp:
        chunks = _chunks(n, Path(tmp))
    metadata = MetadataIndex(chunks)
    lexical = LexicalIndex.build(
        [c.embed_text for c in chunks], languages=[c.doc_language or "fr" for c in chunks]
    )

    def ask(q):
        return listing_answer(q, chunks, metadata, lexical=lexical, index_chunks=chunks)

    t = time.perf_counter()
    ask(QUESTIONS[0])
    first = (time.perf_counter() - t) * 1000
    times = []
    for _ in range(repeat):
        for q in QUESTIONS:
            t = time.perf_counter()
            answer = ask(q)
            times.append((time.perf_counter() - t) * 1000)
            assert answer is not None, q
    return {
        "documents": n,
        "chunks": len(chunks),
        "first_ms": first,
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python benchmarks/listing.py", description=__doc__)
    p.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    rows = [measure(n, repeat=args.repeat) for n in args.sizes]
    print(f"{'documents':>9} {'chunks':>7} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for r in rows:
        print(
            f"{r['documents']:>9} {r['chunks']:>7} {r['first_ms']:>9.1f} "
            f"{r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f}"
        )
    if len(rows) > 1:
        lo, hi = rows[0], rows[-1]
        print(
            f"ratio {hi['documents']}/{lo['documents']} documents: first "
            f"×{hi['first_ms'] / lo['first_ms']:.1f}, "
            f"p50 ×{hi['p50_ms'] / lo['p50_ms']:.1f}, p95 ×{hi['p95_ms'] / lo['p95_ms']:.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
