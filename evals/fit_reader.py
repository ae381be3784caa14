"""Fit the learned sentence ranker on the dev split: ``python -m evals.fit_reader``.

For each answerable dev question, the sentences of its five retrieved passages (as the
composer sees them, :func:`assistant.answers.extractive.score_sentences`) get their
features (:mod:`assistant.answers.ranker`); a sentence is positive when it overlaps a gold
evidence span. The ranker is pairwise, as the composer only compares the sentences of one
question: a scikit-learn ``LogisticRegression`` without intercept is fitted on the feature
differences of every (positive, negative) pair of the same question, both ways (the
RankSVM reduction of learning to rank with a logistic loss instead of a hinge); a question
weighs 1 whatever its number of pairs, and the L2 strength is the one of :data:`GRID` with the
best dev evidence in answer;
dev evidence-in-answer is measured with the hand-set score and with the fitted ranker, and
``"use"`` is true only when the ranker improves it. Writes
``assistant/answers/sentence_ranker.json`` (``--dry-run``: prints only). Held-out questions
are never read.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from assistant.answers import ranker as learned
from assistant.answers.extractive import score_sentences

from .answers import bundled_questions, run, summarise
from .dataset import _loose


def _positive(sentence: str, evidence: tuple[str, ...]) -> bool:
    s = _loose(sentence).lower()
    return len(s) > 10 and any(s in (e := _loose(x).lower()) or e in s for x in evidence)


def candidates(assistant, q) -> tuple[list[tuple[float, ...]], list[bool]]:
    """The features and labels of the sentences the composer scores for ``q``."""
    found = assistant.searcher.search(q.question, k=5, mode="hybrid", objectif=None, filters=None)
    hits = list(found.hits)
    chunks, row_of, sents = assistant.chunks, assistant.searcher.row_of, assistant.sentences
    rank_of = {row_of[h.chunk_id]: r for r, h in enumerate(hits[:5], start=1)}
    scored = score_sentences(
        q.question,
        hits,
        chunks=chunks,
        query_vector=found.query_vector[0],
        sentences=sents,
        idf=assistant.built.lexical.idf,
        row_of=row_of,
    )
    xs, ys = [], []
    for s in scored:
        chunk = chunks[s.row]
        starts = [int(sents.spans[i][1]) for i in sents.of_chunk[s.row]]
        text = chunk.text[s.start : s.end]
        xs.append(
            learned.features(
                cosine=s.cosine,
                share=s.word_share,
                lemma_share=s.lemma_share,
                rank=rank_of[s.row],
                typed=s.typed,
                heading=s.end <= chunk.body_offset,
                lead_in=text.rstrip().endswith(":"),
                position=starts.index(s.start) / max(len(starts) - 1, 1),
                kind=chunk.kind,
            )
        )
        ys.append(_positive(text, q.evidence))
    return xs, ys


def pairs(groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(differences, labels, weights): every (positive − negative) of a question, labelled 1,
    and its opposite, labelled 0; each question's pairs weigh 1 in all."""
    xs, ys, ws = [], [], []
    for feats, labels in groups:
        x = np.asarray(feats, dtype=float)
        pos, neg = x[np.asarray(labels, dtype=bool)], x[~np.asarray(labels, dtype=bool)]
        if not len(pos) or not len(neg):
            continue
        d = (pos[:, None, :] - neg[None, :, :]).reshape(-1, x.shape[1])
        xs += [d, -d]
        ys += [np.ones(len(d)), np.zeros(len(d))]
        ws += [np.full(2 * len(d), 1.0 / (2 * len(d)))]
    if not xs:
        raise ValueError("no question with both a positive and a negative sentence to pair")
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)


GRID = (1.0, 10.0, 100.0, 1000.0)  # the inverse L2 strengths tried, per question weighing 1


def fit(groups, *, c: float = 1.0) -> learned.Ranker:
    """The pairwise ranker of ``groups`` (one (features, labels) per question), L2 penalty
    ``1 / c`` against questions that weigh 1 each."""
    from sklearn.linear_model import LogisticRegression

    x, y, w = pairs(groups)
    model = LogisticRegression(fit_intercept=False, C=c, max_iter=1000)
    model.fit(x, y, sample_weight=w)
    return learned.Ranker(tuple(round(float(c), 4) for c in model.coef_[0]), 0.0)


def groups_of(assistant, dev) -> list[tuple[list[tuple[float, ...]], list[bool]]]:
    """The (features, labels) of the answerable questions of ``dev``, as the hand-set
    score ranks their passages (the same for every penalty tried)."""
    saved = learned.active
    learned.active = lambda: None
    try:
        return [candidates(assistant, q) for q in dev if q.answerable]
    finally:
        learned.active = saved


def fit_on(assistant, dev, *, c: float = 1.0) -> tuple[learned.Ranker, list[bool]]:
    """The ranker fitted on the answerable questions of ``dev``, and the labels."""
    groups = groups_of(assistant, dev)
    return fit(groups, c=c), [y for _, ys in groups for y in ys]


def _dev_figures(assistant, dev, ranker) -> dict:
    saved = learned.active
    learned.active = lambda: ranker
    try:
        s = summarise(run(assistant, dev))
    finally:
        learned.active = saved
    keys = ("evidence_in_answer", "gold_cited", "citation_precision", "wrong_refusal_rate")
    return {k: s[k] for k in keys}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.fit_reader", description=__doc__)
    p.add_argument("--dry-run", action="store_true")
    args = p.parse_args(argv)
    from assistant import Assistant

    a = Assistant.load()
    dev = bundled_questions(a, split="dev")
    before = _dev_figures(a, dev, None)
    tried = {}
    groups = groups_of(a, dev)  # read once: the candidates do not depend on the penalty
    ys = [y for _, labels in groups for y in labels]
    for c in GRID:
        ranker = fit(groups, c=c)
        tried[c] = (ranker, _dev_figures(a, dev, ranker))
    # the best dev evidence in answer, the strongest penalty among equals
    c = max(GRID, key=lambda c: (tried[c][1]["evidence_in_answer"], -c))
    ranker, after = tried[c]
    out = {
        "use": after["evidence_in_answer"] > before["evidence_in_answer"],
        "features": list(learned.FEATURES),
        "coefficients": list(ranker.coefficients),
        "intercept": ranker.intercept,
        "C": c,
        "grid": {str(k): v for k, (_, v) in tried.items()},
        "training": {"sentences": len(ys), "positives": int(sum(ys))},
        "dev": {"hand_set_score": before, "learned_ranker": after},
        "refit": "python -m evals.fit_reader",
    }
    text = json.dumps(out, indent=2) + "\n"
    if not args.dry_run:
        learned.FITTED.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
