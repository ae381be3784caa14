"""The learned sentence ranker: a logistic regression over features of a candidate sentence.

Features of each sentence of the retrieved passages (:data:`FEATURES`): its cosine with the
question, the IDF-weighted share of the question's terms it holds, the same share over the stems of
its spaCy lemmas (stored at index time, :mod:`assistant.indexing.annotate`; the word share
when the index has no annotations), 1/rank of its passage,
whether it holds the answer type the question wants, whether it is the section's heading or
a lead-in ending with ":", its position in the passage (0 first .. 1 last) and whether the
passage is the minister's answer. scikit-learn's ``LogisticRegression`` is fitted on the
dev split as a pairwise ranker (the feature differences of a sentence overlapping a gold
evidence span and one that does not, within one question; no intercept) by
``python -m evals.fit_reader``, stored in ``sentence_ranker.json`` with its dev figures.
The score is the logit divided by the cosine's coefficient, so it stays in cosine units
(the composer's closeness margins keep their meaning). ``"use": false`` in the JSON: the
hand-set score of :func:`assistant.answers.extractive.sentence_score` is kept.

Non-goals: fitting (``evals.fit_reader``), choosing passages or quoting
(:mod:`assistant.answers.extractive`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["FEATURES", "Ranker", "active", "features", "fitted"]

FITTED = Path(__file__).with_name("sentence_ranker.json")
FEATURES = (
    "cosine",
    "word_share",
    "lemma_share",
    "inv_rank",
    "typed",
    "heading",
    "lead_in",
    "position",
    "answer_kind",
)


def features(
    *,
    cosine: float,
    share: float,
    lemma_share: float,
    rank: int,
    typed: bool,
    heading: bool,
    lead_in: bool,
    position: float,
    kind: str,
) -> tuple[float, ...]:
    """A sentence's features, in :data:`FEATURES` order."""
    return (
        cosine,
        share,
        lemma_share,
        1.0 / rank,
        float(typed),
        float(heading),
        float(lead_in and not heading),
        position,
        float(kind == "answer"),
    )


@dataclass(frozen=True)
class Ranker:
    """Coefficients by :data:`FEATURES`; the score is in cosine units (module docstring)."""

    coefficients: tuple[float, ...]
    intercept: float

    def score(self, x: tuple[float, ...]) -> float:
        w_cos = self.coefficients[0]
        z = self.intercept + sum(w * f for w, f in zip(self.coefficients, x, strict=True))
        return z / w_cos


@lru_cache(maxsize=1)
def fitted() -> dict:
    """The stored fit: features, coefficients, intercept, use, dev figures, refit command."""
    return json.loads(FITTED.read_text(encoding="utf-8"))


def active() -> Ranker | None:
    """The ranker the composer uses (None: the hand-set score)."""
    f = fitted()
    if not f.get("use") or tuple(f["features"]) != FEATURES:
        return None
    return Ranker(tuple(f["coefficients"]), f["intercept"])
