"""Ablation of the quote composition: evidence in the answer with each change alone.

``python -m evals.reader_ablation [--split dev|heldout|all]`` runs the answer evaluation
(:mod:`evals.answers`) with none of the composition changes of
:mod:`assistant.answers.quote_context` and :mod:`assistant.answers.extractive`, with each
one alone, and with all (as served), and prints evidence in the answer, gold section cited
and citation precision for each. Report held-out figures; decide on dev.

Non-goals: the short answer and the verdict change no quoted sentence: see
:mod:`evals.short_answers` for them.
"""

from __future__ import annotations

import argparse
import sys

OFF = dict(
    COMPLETE_TYPE=False, FOLLOW_ANAPHOR=False, SHORT_FOLLOW_UP=0, SHORT_ALONE=0, SHORT_BODY=0
)
CONFIGS = {
    "none of the composition changes": {},
    "+ next-door wanted value": dict(COMPLETE_TYPE=True),
    "+ next sentence if anaphoric": dict(FOLLOW_ANAPHOR=True),
    "+ next sentence if short": dict(SHORT_FOLLOW_UP=None),
    "+ sentence before a verbless fragment": dict(SHORT_ALONE=None),
    "+ whole heading line if body short": dict(SHORT_BODY=None),
    "all (as served)": dict(
        COMPLETE_TYPE=True,
        FOLLOW_ANAPHOR=True,
        SHORT_FOLLOW_UP=None,
        SHORT_ALONE=None,
        SHORT_BODY=None,
    ),  # fmt: skip
}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.reader_ablation", description=__doc__)
    p.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    args = p.parse_args(argv)
    import assistant.answers.extractive as ex
    import assistant.answers.quote_context as qc
    from assistant import Assistant

    from .answers import bundled_questions, run, summarise

    served = {k: getattr(ex if k == "SHORT_BODY" else qc, k) for k in OFF}
    a = Assistant.load()
    questions = bundled_questions(a, split=args.split)
    try:
        for name, on in CONFIGS.items():
            for k, v in {**OFF, **on}.items():
                setattr(ex if k == "SHORT_BODY" else qc, k, served[k] if v is None else v)
            s = summarise(run(a, questions))
            print(f"{name:<38} evidence {s['evidence_in_answer']:.3f}  "
                  f"gold_cited {s['gold_cited']:.3f}  precision {s['citation_precision']:.3f}",
                  flush=True)  # fmt: skip
    finally:
        for k, v in served.items():
            setattr(ex if k == "SHORT_BODY" else qc, k, v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
