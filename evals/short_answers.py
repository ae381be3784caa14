"""Short answers and yes/no verdicts on the bundled questions: how often they hold.

``python -m evals.short_answers [--split dev|heldout|all]`` prints, over the answered
answerable questions: how many lead with a value (a short answer) and the share of those
whose value lies inside one of the question's evidence spans; how many yes/no questions
(:func:`assistant.answers.question_types.wanted`) got a verdict, and the verdicts given;
how many « où en est » questions were led with a state (« en cours », « prévu »…) and the
share of those read from a sentence that holds an evidence span.
``--list`` prints each short answer with its question.

Non-goals: no gold verdicts (the questions file has none): the verdicts are listed to be
read, not scored.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from .dataset import _loose


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.short_answers", description=__doc__)
    p.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    p.add_argument("--list", action="store_true")
    args = p.parse_args(argv)
    from assistant import Assistant
    from assistant.answers.question_types import AnswerType, wanted

    from .answers import bundled_questions

    a = Assistant.load()
    led = inside = yes_no = verdicts = states = stated = 0
    given: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for q in bundled_questions(a, split=args.split):
        if not q.answerable:
            continue
        ans = a.ask(q.question)
        if ans.abstained:
            continue
        short = ans.short_answer
        is_yes_no = AnswerType.YES_NO in wanted(q.question)
        yes_no += is_yes_no
        if short is None:
            continue
        if short.type == AnswerType.YES_NO.value:
            verdicts += 1
            given[short.text] += 1
        elif short.type == AnswerType.STATUS.value:  # a state read from the whole sentence
            states += 1
            said[short.text] += 1
            sentence = _loose(ans.citations[short.citation - 1].excerpt[short.start : short.end])
            ok = any(_loose(e).lower() in sentence.lower() or sentence.lower() in _loose(e).lower()
                     for e in q.evidence)  # fmt: skip
            stated += ok
        else:
            led += 1
            ok = any(_loose(short.text).lower() in _loose(e).lower() for e in q.evidence)
            inside += ok
        if args.list:
            print(f"{q.id} {'' if short.type == 'yes_no' else ('ok ' if ok else 'KO ')}"
                  f"{short.text!r} <- {q.question}")  # fmt: skip
    print(f"short answers          {led}")
    print(f"  inside the evidence  {inside / max(led, 1):.3f}")
    print(f"yes/no questions       {yes_no}")
    print(f"  with a verdict       {verdicts}  {dict(given)}")
    print(f"states (« où en est ») {states}  {dict(said)}")
    print(f"  from an evidence sentence  {stated / max(states, 1):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
