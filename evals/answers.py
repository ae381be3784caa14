"""Answer-level evaluation: evidence in the answer, citation precision, abstention.

``python -m evals.answers [--split dev|heldout|all]`` prints, for the chosen
split: the share of answerable questions whose evidence span is inside the
answer text, citation precision (cited sections that are gold), the share
where a gold section is cited, and abstention precision / recall / F1 on
unanswerable questions with the wrong-refusal rate on answerable ones.
``--fit`` refits the abstention model on the dev split (see ``fit_abstention``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass

import numpy as np

from assistant.answers.abstention import FEATURES

from .dataset import QUESTIONS, EvalQuestion, _loose, load_questions


@dataclass(frozen=True)
class AnswerRow:
    """What the answering pipeline did with one question, and how it scores."""

    q: EvalQuestion
    abstained: bool
    evidence_in_answer: bool  # an evidence span of the question is inside the answer text
    cited_gold: bool  # a gold section is among the citations
    citation_precision: float | None  # share of the cited sections that are gold (None: none)
    cited: tuple[str, ...]  # the cited section ids (none when abstaining)
    answer: str
    features: dict[str, float]  # the abstention features, by FEATURES name
    confidence: float  # the evidence score
    timings_ms: dict[str, float]
    outcome: str  # "extractive", or the generator's outcome (assistant.answers.values.Outcome)

    @property
    def missed(self) -> bool:
        """Refused although answerable, evidence not quoted, or answered although not."""
        if self.q.answerable:
            return self.abstained or not self.evidence_in_answer
        return not self.abstained

    def to_json(self) -> dict:
        return {
            **self.q.row_fields(),
            "abstained": self.abstained,
            "evidence_in_answer": self.evidence_in_answer,
            "cited_gold": self.cited_gold,
            "citation_precision": self.citation_precision,
            "cited": list(self.cited),
            "answer": self.answer,
            "features": self.features,
            "confidence": self.confidence,
            "timings_ms": self.timings_ms,
            "outcome": self.outcome,
        }


def answer_row(assistant, q: EvalQuestion, *, generator=None) -> AnswerRow:
    """Ask ``q`` and score the answer.

    With ``generator`` (a :class:`assistant.answers.llm.GeneratorConfig`), the answer is the
    generated-and-checked one (or its extractive fallback); ``outcome`` says which.
    """
    if generator is not None:
        from assistant.answers.generated import generate_answer

        a = generate_answer(assistant, q.question, config=generator)
    else:
        a = assistant.ask(q.question)
    cited = [c.section_id for c in a.citations] if not a.abstained else []
    gold = set(q.gold_sections)
    answer = _loose(a.answer).lower()
    return AnswerRow(
        q=q,
        abstained=a.abstained,
        evidence_in_answer=any(_loose(e).lower() in answer for e in q.evidence),
        cited_gold=bool(gold & set(cited)),
        citation_precision=(sum(s in gold for s in cited) / len(cited)) if cited else None,
        cited=tuple(cited),
        answer=a.answer,
        # no signals for an answer from the chantier table: zeros, as in the report so far
        features=a.abstention.features() if a.abstention else dict.fromkeys(FEATURES, 0.0),
        confidence=a.abstention.confidence if a.abstention else 0.0,
        timings_ms=a.timings_ms,
        outcome=a.generation.outcome.value if a.generation else "extractive",
    )


def run(assistant, questions) -> list[AnswerRow]:
    return [answer_row(assistant, q) for q in questions]


def summarise(rows: list[AnswerRow]) -> dict[str, float]:
    ans = [r for r in rows if r.q.answerable]
    unans = [r for r in rows if not r.q.answerable]
    answered = [r for r in ans if not r.abstained]
    refused = [r for r in rows if r.abstained]
    tp = sum(1 for r in unans if r.abstained)
    precision = tp / len(refused) if refused else 1.0
    recall = tp / len(unans) if unans else 1.0
    precs = [r.citation_precision for r in answered if r.citation_precision is not None]
    return {
        "answerable": len(ans),
        "unanswerable": len(unans),
        "evidence_in_answer": sum(r.evidence_in_answer for r in ans) / max(len(ans), 1),
        "gold_cited": sum(r.cited_gold for r in ans) / max(len(ans), 1),
        "citation_precision": sum(precs) / max(len(precs), 1),
        "abstention_precision": precision,
        "abstention_recall": recall,
        "abstention_f1": 2 * precision * recall / (precision + recall) if tp else 0.0,
        "wrong_refusal_rate": sum(r.abstained for r in ans) / max(len(ans), 1),
        "generated_share": sum(r.outcome == "generated" for r in rows) / max(len(rows), 1),
    }


def fit_abstention(
    rows: list[AnswerRow], *, features=FEATURES, max_wrong_refusals: float = 0.05
) -> dict:
    """Logistic regression (answerable = 1) on the features, then the threshold.

    The threshold is the highest one that refuses at most ``max_wrong_refusals`` of the
    answerable questions of ``rows``: answerable users come first, and the rest of the
    margin goes to refusing as many unanswerable questions as possible.
    """
    x = np.array([[r.features[k] for k in features] for r in rows], dtype=np.float64)
    y = np.array([1.0 if r.q.answerable else 0.0 for r in rows])
    mean, std = x.mean(0), x.std(0) + 1e-9
    xs = (x - mean) / std
    w = np.zeros(xs.shape[1])
    b = 0.0
    pos = y.mean()
    sample_w = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))  # balance the two classes
    for _ in range(5000):
        p = 1 / (1 + np.exp(-(xs @ w + b)))
        g = (p - y) * sample_w
        w -= 0.1 * (xs.T @ g / len(y) + 1e-3 * w)
        b -= 0.1 * g.mean()
    # back to raw features: z = b + Σ w_i (x_i - m_i) / s_i
    weights = {k: float(w[i] / std[i]) if k in features else 0.0 for i, k in enumerate(features)}
    weights.update({k: 0.0 for k in FEATURES if k not in features})
    weights["bias"] = float(b - sum(w[i] * mean[i] / std[i] for i in range(len(features))))
    conf = np.array(
        [
            1
            / (1 + math.exp(-(weights["bias"] + sum(weights[k] * r.features[k] for k in FEATURES))))
            for r in rows
        ]
    )
    answerable = np.sort(conf[y == 1])
    allowed = int(math.floor(max_wrong_refusals * len(answerable)))
    threshold = float(answerable[allowed]) if allowed < len(answerable) else 0.5
    return {"weights": weights, "threshold": threshold}


def bundled_questions(assistant, *, split: str = "all") -> list:
    """The evaluation questions of ``evals/questions.jsonl`` (``dev``, ``heldout`` or ``all``),
    checked against the documents of ``assistant``'s corpus."""
    from assistant.documents.corpus import read_corpus

    docs = [doc for _, doc in read_corpus(assistant.corpus)]
    return [
        q for q in load_questions(QUESTIONS, documents=docs) if split == "all" or q.split == split
    ]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.answers", description=__doc__)
    p.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    p.add_argument("--fit", action="store_true", help="refit the abstention model on dev")
    p.add_argument("--features", default=",".join(FEATURES), help="features for --fit")
    p.add_argument("--failures", action="store_true")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    from assistant import Assistant

    a = Assistant.load()
    if args.fit:
        dev = bundled_questions(a, split="dev")
        feats = tuple(args.features.split(","))
        print(json.dumps(fit_abstention(run(a, dev), features=feats), indent=2))
        return 0
    rows = run(a, bundled_questions(a, split=args.split))
    s = summarise(rows)
    if args.json:
        print(json.dumps(s, indent=2))
    else:
        for k, v in s.items():
            print(f"{k:<22} {v:.3f}" if isinstance(v, float) else f"{k:<22} {v}")
    if args.failures:
        for r in rows:
            if r.missed:
                print(
                    f"\n{r.q.id} [{r.q.kind}] {r.q.question}\n  gold={list(r.q.gold_sections)} "
                    f"cited={list(r.cited)} abst={r.abstained} conf={r.confidence:.3f}\n"
                    f"  {r.answer[:300]!r}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
