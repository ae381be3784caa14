"""Retrieval across documents: does a question about one document cite only that document?

    python benchmarks/cross_documents.py

Builds a temporary index (real model) over the bundled written question plus the test
fixtures (tests/fixtures: a numbered answer, an HTML page, a Dutch question, a PDF written
here, a Markdown note), asks each question of QUESTIONS, and prints the top hit's document
and section, the cited documents, and totals: top-1 document right, top-1 section right,
answers whose every citation is from the right document, abstentions.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.many_documents import build, run  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        a = build(Path(tmp))
        print(f"index: {len(a.chunks)} passages, {time.perf_counter() - t:.0f} s\n")
        rows = run(a)
    for r in rows:
        ok = "OK " if r["top_doc"] == r["doc"] else "XX "
        print(f"{ok}{r['question']}")
        print(
            f"    top: {r['top_doc']}#{r['top_section']}   cited: {r['cited_sections'] or '-'}"
            f"{'   (abstained)' if r['abstained'] else ''}"
        )
    n = len(rows)
    top_doc = sum(r["top_doc"] == r["doc"] for r in rows)
    top_sec = sum(r["top_section"] == r["section"] for r in rows if r["section"])
    with_sec = sum(1 for r in rows if r["section"])
    answered = [r for r in rows if not r["abstained"]]
    only = sum(r["cited"] == [r["doc"]] for r in answered)
    print(f"\ntop-1 document right: {top_doc}/{n}")
    print(f"top-1 section right: {top_sec}/{with_sec}")
    cited_sec = sum(r["section"] in r["cited_sections"] for r in rows if r["section"])
    print(f"expected section cited in the answer: {cited_sec}/{with_sec}")
    print(f"answers citing only the right document: {only}/{len(answered)}")
    print(f"abstentions: {n - len(answered)}/{n}")


if __name__ == "__main__":
    main()
