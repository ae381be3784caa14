"""``python -m evals``: evaluate every configuration side by side and write the report.

    python -m evals [--split dev|heldout|all] [--config NAME ...] [--json] [--no-report]
                    [--no-multidoc]

Runs, in one process, the retrieval configurations (bm25, dense, rrf, hybrid)
and the answering pipeline (answer; and generated, when an OpenAI-compatible endpoint is
configured with ASSISTANT_LLM_BASE_URL and ASSISTANT_LLM_MODEL) on the questions of
``evals/questions.jsonl``
(validated against the corpus), with a progress bar; prints an aligned table
(or the summary as JSON with ``--json``) and writes ``evals/reports/latest.md``,
``latest.json`` and PNG plots. Then the multi-document set (:mod:`evals.multidoc`, its
own index in ``index/multidoc``), on both splits, under the key ``multidoc``; skipped with
``--no-multidoc``.
"""

from __future__ import annotations

import argparse
import json
import sys

from .runner import CONFIGS


def load_checked(assistant, path=None):
    """The questions, validated against the documents of the assistant's corpus."""
    from assistant.documents.corpus import read_corpus

    from .dataset import QUESTIONS, load_questions

    docs = {c.doc_id for c in assistant.chunks}
    documents = [doc for _, doc in read_corpus(assistant.corpus) if doc.doc_id in docs]
    return load_questions(path or QUESTIONS, documents=documents)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals", description=__doc__.splitlines()[0])
    p.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    p.add_argument(
        "--config",
        action="append",
        choices=CONFIGS,
        help="repeatable; default: all (generated only when ASSISTANT_LLM_* is set)",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--no-report", action="store_true", help="do not write evals/reports/")
    p.add_argument("--questions", help="another questions file (JSON lines)")
    p.add_argument("--no-multidoc", action="store_true", help="skip the multi-document set")
    args = p.parse_args(argv)

    from tqdm import tqdm

    from assistant import Assistant

    from .report import write_report
    from .runner import run_all

    assistant = Assistant.load()
    questions = [
        q
        for q in load_checked(assistant, args.questions)
        if args.split == "all" or q.split == args.split
    ]
    from .runner import available_configs

    configs = tuple(args.config or available_configs())
    bar = tqdm(total=1, unit="q", disable=args.json, file=sys.stderr)

    def progress(done, total, config):
        bar.total = total
        bar.set_description(config)
        bar.update(done - bar.n)

    report = run_all(assistant, questions, configs=configs, progress=progress)
    bar.close()
    if not args.no_multidoc:
        from .multidoc.__main__ import evaluate

        report["multidoc"] = evaluate(encoder=assistant.encoder)
    if not args.no_report:
        path = write_report(report)
        print(f"Rapport : {path}", file=sys.stderr)
    if args.json:
        summary = {k: v for k, v in report.items() if k != "records"}
        if "multidoc" in summary:  # its figures by split; the records are in latest.json
            summary["multidoc"] = summary["multidoc"]["summary"]
        print(json.dumps(summary, indent=2))
    else:
        from .report import text_table

        print(text_table(report))
        if report.get("multidoc"):
            from .multidoc.report import text_table as multidoc_table

            print("\n[multi-document set]\n" + multidoc_table(report["multidoc"]["summary"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
