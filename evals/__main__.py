"""``python -m evals``: retrieval metrics of bm25, dense and hybrid, side by side.

Runs every answerable question of the chosen split through each configuration
in one process, and prints an aligned table (or JSON with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from assistant import Assistant
from assistant.core import MODES

from .dataset import QUESTIONS, _loose, load_questions
from .metrics import evidence_hit_at, hit_at, reciprocal_rank, summarise


def evaluate(assistant, questions, *, mode: str) -> tuple[dict, list[dict]]:
    rows = []
    for q in questions:
        t = time.perf_counter()
        hits = assistant.search(q.question, k=10, mode=mode)
        ms = (time.perf_counter() - t) * 1000
        ranked = [h.section_id for h in hits]
        gold = set(q.gold_sections)
        row = {f"hit@{k}": hit_at(ranked, gold, k) for k in (1, 3, 5, 10)}
        row["mrr@10"] = reciprocal_rank(ranked, gold)
        row["evidence@5"] = evidence_hit_at([h.text for h in hits], list(q.evidence), 5, _loose)
        row.update(id=q.id, kind=q.kind, ms=ms, first=ranked[0] if ranked else None)
        rows.append(row)
    return summarise(rows), rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    p.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    p.add_argument("--config", action="append", choices=MODES, help="répétable ; défaut : toutes")
    p.add_argument("--json", action="store_true")
    p.add_argument("--failures", action="store_true", help="lister les questions manquées à 5")
    args = p.parse_args(argv)

    assistant = Assistant.load()
    docs = {c.doc_id for c in assistant.chunks}
    from assistant.core import default_corpus_dir
    from assistant.parsing import parse_file
    from assistant.store import corpus_files

    documents = [parse_file(f) for f in corpus_files(default_corpus_dir()) if f.stem in docs]
    questions = [
        q
        for q in load_questions(QUESTIONS, documents=documents)
        if q.answerable and (args.split == "all" or q.split == args.split)
    ]
    results = {}
    for mode in args.config or MODES:
        summary, rows = evaluate(assistant, questions, mode=mode)
        ms = sorted(r["ms"] for r in rows)
        summary["p50_ms"] = ms[len(ms) // 2]
        results[mode] = (summary, rows)
    if args.json:
        out = {m: s for m, (s, _) in results.items()}
        print(json.dumps({"split": args.split, "n": len(questions), "configs": out}, indent=2))
        return 0
    cols = ["hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "evidence@5", "p50_ms"]
    print(f"split={args.split}  questions={len(questions)} (answerable)")
    print(f"{'config':<8}" + "".join(f"{c:>12}" for c in cols))
    for mode, (s, _) in results.items():
        print(f"{mode:<8}" + "".join(f"{s[c]:>12.3f}" for c in cols))
    if args.failures:
        for mode, (_, rows) in results.items():
            for r in rows:
                if not r["hit@5"]:
                    q = next(q for q in questions if q.id == r["id"])
                    print(
                        f"[{mode}] {q.id} {q.question!r} gold={q.gold_sections} first={r['first']}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
