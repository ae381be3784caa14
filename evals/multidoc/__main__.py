"""``python -m evals.multidoc``: the multi-document evaluation on both splits.

    python -m evals.multidoc [--json] [--fit] [--failures]

Builds (once) or loads the index of ``corpus/`` + ``evals/multidoc/documents/`` in
``index/multidoc/``, asks every question of ``evals/multidoc/questions.jsonl`` and prints
right document first, evidence-hit@5, evidence in answer and abstention by split.
``--fit`` refits the other-language cosine offset, the metadata-match weight, the
document share and the weight of the cross-lingual terms on the dev split and writes
``assistant/search/ranking.json`` (see :mod:`evals.multidoc.fit`).
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["evaluate", "main"]


def evaluate(*, assistant=None, encoder=None, progress=None) -> dict:
    """``{"summary": {split: figures}, "records": [...]}`` of the whole set.

    ``assistant``: one over the multi-document corpus (else loaded, with ``encoder``).
    """
    from .dataset import load_questions
    from .runner import by_split, load_assistant, run

    if assistant is None:
        assistant = load_assistant(encoder=encoder, log=lambda m: print(m, file=sys.stderr))
    documents = _documents(assistant)
    questions = load_questions(documents=documents)
    rows = run(assistant, questions, progress=progress)
    return {"summary": by_split(rows), "records": [r.to_json() for r in rows]}


def _documents(assistant):
    from assistant.documents.corpus import read_corpus

    return [doc for _, doc in read_corpus(assistant.corpus)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m evals.multidoc", description=__doc__.splitlines()[0]
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--fit", action="store_true", help="refit the metadata weight on dev")
    p.add_argument("--failures", action="store_true", help="list the questions missed")
    args = p.parse_args(argv)

    from .report import text_table
    from .runner import load_assistant

    assistant = load_assistant(log=lambda m: print(m, file=sys.stderr))
    if args.fit:
        from .dataset import load_questions
        from .fit import fit_ranking, write_ranking

        dev = [q for q in load_questions(documents=_documents(assistant)) if q.split == "dev"]
        fitted = fit_ranking(assistant, dev)
        write_ranking(fitted)
        print(json.dumps(fitted, indent=2, ensure_ascii=False), file=sys.stderr)
    result = evaluate(assistant=assistant)
    if args.json:
        print(json.dumps(result["summary"], indent=2))
    else:
        print(text_table(result["summary"]))
    if args.failures:
        for r in result["records"]:
            missed = (r["answerable"] and (not r["doc_first"] or not r["evidence_in_answer"])) or (
                not r["answerable"] and not r["abstained"]
            )
            if missed:
                print(
                    f"\n{r['id']} [{r['split']} {r['kind']}] {r['question']}\n  gold={r['gold']} "
                    f"ranked={r['ranked_docs'][:3]} ev@5={r['evidence@5']} "
                    f"abst={r['abstained']}\n  {r['answer'][:240]!r}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
