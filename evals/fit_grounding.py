"""Fit the grounded abstention's Zipf level on the dev split: ``python -m evals.fit_grounding``.

For each dev question the assistant answers today (no grounding), it finds the question's
most specific word and whether the five passages the answer quotes from mention it
(:mod:`assistant.answers.grounding`). A level T refuses the questions whose most specific
word under T is unmentioned. The chosen T refuses the most unanswerable dev questions while
all wrong refusals on answerable dev questions (the confidence's and the grounding's) stay
<= 5 %; the smallest such T. It writes ``assistant/answers/grounding.json`` (``--dry-run``:
prints it only). Held-out questions are never read.
"""

from __future__ import annotations

import argparse
import json
import sys

from assistant.answers.grounding import _FITTED, missing_term

from .answers import bundled_questions

MAX_WRONG_REFUSALS = 0.05
LEVELS = tuple(round(2.0 + 0.25 * i, 2) for i in range(17))  # 2.0 .. 6.0


def _case(assistant, q) -> dict:
    a = assistant.ask(q.question)
    texts = [assistant.chunk(h.chunk_id).text for h in a.hits[:5]]
    term, missing = missing_term(q.question, texts, threshold=99.0)
    return {
        "answerable": q.answerable,
        "abstained": a.abstained,
        "zipf": term.zipf if term is not None and missing else None,
        "word": term.word if term is not None else None,
    }


def choose(cases: list[dict]) -> dict:
    """The level and its dev figures (see the module docstring)."""
    n_ans = sum(c["answerable"] for c in cases)
    n_un = len(cases) - n_ans
    rows = []
    for level in (None, *LEVELS):
        refused = [
            c["abstained"] or (level is not None and c["zipf"] is not None and c["zipf"] < level)
            for c in cases
        ]
        wrong = sum(r for r, c in zip(refused, cases) if c["answerable"]) / n_ans
        right = sum(r for r, c in zip(refused, cases) if not c["answerable"]) / n_un
        rows.append({"level": level, "wrong_refusal_rate": wrong, "abstention_recall": right})
    ok = [r for r in rows if r["wrong_refusal_rate"] <= MAX_WRONG_REFUSALS]
    base = rows[0]
    best = max(ok, key=lambda r: (r["abstention_recall"], -(r["level"] or 0))) if ok else base
    if best["abstention_recall"] <= base["abstention_recall"]:
        best = base
    return {"chosen": best, "baseline": base, "levels": rows}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.fit_grounding", description=__doc__)
    p.add_argument("--dry-run", action="store_true")
    args = p.parse_args(argv)
    from assistant import Assistant

    a = Assistant.load()
    dev = bundled_questions(a, split="dev")
    fit = choose([_case(a, q) for q in dev])
    out = {
        "zipf_threshold": fit["chosen"]["level"],
        "fitted_on": f"dev split of evals/questions.jsonl ({len(dev)} questions)",
        "max_wrong_refusals": MAX_WRONG_REFUSALS,
        "dev": {"before": fit["baseline"], "after": fit["chosen"]},
        "dev_levels": fit["levels"],
        "refit": "python -m evals.fit_grounding",
    }
    if out["zipf_threshold"] is None:
        out["note"] = (
            "no level refuses more unanswerable dev questions with wrong refusals <= 5 %: "
            "the check is off (lay words such as 'resto', 'pub', 'asbl' are absent from "
            "passages that do answer)"
        )
    text = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    if not args.dry_run:
        _FITTED.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
