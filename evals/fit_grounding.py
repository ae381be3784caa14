"""Fit the sentence-level grounding on the dev split: ``python -m evals.fit_grounding``.

For each dev question the assistant answers today (grounding off), it records what the
QUOTED sentences carry of the question (:func:`assistant.answers.grounding.evidence`: each
specific word by stem or by its best cosine with a quoted word under the index's encoder,
and which sentences hold the wanted value). A small grid of :class:`Levels` is then judged
on these records (:func:`assistant.answers.grounding.judge`): the Zipf level under which a
word is specific, the share of specific words that must be quoted, the neighbour cosine
(None: stems only) and whether a wanted value must sit with the subject. Among the levels
whose wrong refusals on answerable dev questions (the confidence's and the grounding's)
stay <= 5 %, it keeps the one that refuses the most unanswerable questions, then keeps the
most answers with their evidence, then the least strict (lowest Zipf, share, typing,
neighbour cosine). No gain over the check off: ``levels`` is null. It writes
``assistant/answers/grounding.json`` (``--dry-run``: prints it only). Held-out questions are
never read.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys

from assistant.answers.grounding import _FITTED, Levels, WordVectors, evidence, judge, quotes_of

from .answers import answer_row, bundled_questions

MAX_WRONG_REFUSALS = 0.05
ZIPF = tuple(round(2.5 + 0.25 * i, 2) for i in range(15))  # 2.5 .. 6.0
PRESENT = (0.5, 0.75, 1.0)
NEIGHBOUR = (None, 0.95, 0.92, 0.9, 0.88, 0.85, 0.82, 0.8)
TYPED = (False, True)
GRID = tuple(
    Levels(zipf=z, present=p, neighbour=n, typed=t)
    for z, p, n, t in itertools.product(ZIPF, PRESENT, NEIGHBOUR, TYPED)
)


def case(assistant, q) -> dict:
    """One dev question's record: its label, today's outcome and its :class:`Evidence`."""
    row = answer_row(assistant, q)
    a = assistant.ask(q.question)
    rows = [assistant.searcher.row_of[c.chunk_id] for c in a.citations]
    quotes = quotes_of(a.citations, assistant.chunks, rows)  # as the served check reads them
    encode = WordVectors(assistant.encoder, words=assistant.built.words)  # the served words
    ev = None if a.abstained else evidence(q.question, quotes, encode=encode)
    return {
        "answerable": q.answerable,
        "abstained": row.abstained,
        "evidence": row.evidence_in_answer,
        "question": q.question,
        "ev": ev,
    }


def figures(cases: list[dict], levels: Levels | None) -> dict:
    refused = [
        c["abstained"]
        or (levels is not None and c["ev"] is not None and judge(c["ev"], levels) is not None)
        for c in cases
    ]
    ans = [(r, c) for r, c in zip(refused, cases) if c["answerable"]]
    un = [(r, c) for r, c in zip(refused, cases) if not c["answerable"]]
    return {
        "levels": None if levels is None else levels.__dict__,
        "wrong_refusal_rate": sum(r for r, _ in ans) / max(len(ans), 1),
        "abstention_recall": sum(r for r, _ in un) / max(len(un), 1),
        "evidence_in_answer": sum(not r and c["evidence"] for r, c in ans) / max(len(ans), 1),
    }


def _strictness(lv: Levels) -> tuple:
    # a lower cosine lets more quoted words stand for a missing one: less strict; None is
    # stems only, the strictest
    return (lv.zipf, lv.present, lv.typed, lv.neighbour or 1.0)


def choose(cases: list[dict], grid=GRID) -> dict:
    """The chosen levels and their dev figures (see the module docstring)."""
    base = figures(cases, None)
    rows = [(lv, figures(cases, lv)) for lv in grid]
    ok = [(lv, f) for lv, f in rows if f["wrong_refusal_rate"] <= MAX_WRONG_REFUSALS]
    best = None
    if ok:
        lv, f = min(
            ok,
            key=lambda r: (
                -r[1]["abstention_recall"],
                -r[1]["evidence_in_answer"],
                _strictness(r[0]),
            ),
        )
        if f["abstention_recall"] > base["abstention_recall"]:
            best = (lv, f)
    return {
        "chosen": best[0] if best else None,
        "after": best[1] if best else base,
        "baseline": base,
        "grid": [f for _, f in rows],
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.fit_grounding", description=__doc__)
    p.add_argument("--dry-run", action="store_true")
    args = p.parse_args(argv)
    from assistant import Assistant

    a = Assistant.load()
    a._grounder = lambda: None  # today's answers, the grounding off
    dev = bundled_questions(a, split="dev")
    fit = choose([case(a, q) for q in dev])
    ok = [f for f in fit["grid"] if f["wrong_refusal_rate"] <= MAX_WRONG_REFUSALS]
    out = {
        "levels": None if fit["chosen"] is None else fit["chosen"].__dict__,
        "zipf_threshold": None,  # the passage-level check (superseded by "levels")
        "fitted_on": f"dev split of evals/questions.jsonl ({len(dev)} questions)",
        "max_wrong_refusals": MAX_WRONG_REFUSALS,
        "grid": {"zipf": ZIPF, "present": PRESENT, "neighbour": NEIGHBOUR, "typed": TYPED},
        "dev": {"before": fit["baseline"], "after": fit["after"]},
        "dev_best_within_bound": sorted(
            ok, key=lambda f: (-f["abstention_recall"], -f["evidence_in_answer"])
        )[:10],
        "refit": "python -m evals.fit_grounding",
    }
    text = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    if not args.dry_run:
        _FITTED.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
