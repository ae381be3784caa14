"""Fuse the rankings of several retrievers.

* :func:`zscore` (the default hybrid): each retriever's scores over the same
  candidates are standardised, ``z = (s - mean) / std``, then summed with
  weights. Unlike ranks, it keeps how far ahead a passage is.
* :func:`rrf`, reciprocal-rank fusion (Cormack et al., 2009):
  ``score(d) = Σ_lists weight / (k + rank_list(d))`` with ranks from 1; a row
  absent from a list adds nothing. ``k = 60`` is the paper's constant.
* :func:`hybrid`: the z-score fusion of BM25 with :func:`dense_mix`, the passage cosine
  mixed with the cosine of its best line.

Non-goals: learned fusion.
"""

from __future__ import annotations

import numpy as np

__all__ = ["dense_mix", "document_evidence", "hybrid", "rrf", "ranking", "zscore"]


def ranking(scores: np.ndarray, *, positive_only: bool = False) -> list[int]:
    """Rows by decreasing score (stable: ties keep row order)."""
    order = np.argsort(-scores, kind="stable")
    if positive_only:
        order = order[scores[order] > 0]
    return [int(i) for i in order]


def rrf(
    rankings: list[list[int]], *, k: int = 60, weights: list[float] | None = None
) -> dict[int, float]:
    """Reciprocal-rank fusion of several rankings of row ids -> fused score per row."""
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    fused: dict[int, float] = {}
    for ranks, w in zip(rankings, weights, strict=True):
        for r, row in enumerate(ranks, start=1):
            fused[row] = fused.get(row, 0.0) + w / (k + r)
    return fused


def zscore(columns: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Weighted sum of standardised score columns (a constant column counts 0)."""
    if len(columns) != len(weights):
        raise ValueError(f"{len(weights)} weights for {len(columns)} score columns")
    total = np.zeros_like(np.asarray(columns[0], dtype=np.float64))
    for col, w in zip(columns, weights, strict=True):
        col = np.asarray(col, dtype=np.float64)
        std = col.std()
        if std > 1e-12:
            total += w * (col - col.mean()) / std
    return total


def dense_mix(passage_cos: np.ndarray, line_cos: np.ndarray, *, line_weight: float) -> np.ndarray:
    """The dense score of each candidate: ``(1 - line_weight) × passage + line_weight × line``.

    ``passage_cos`` and ``line_cos`` (k,) are over the same candidates, NaN where not scored:
    a candidate only BM25 found gets the pool's lowest passage cosine, and one without a
    scored line keeps its passage cosine alone.
    """
    floor = np.nanmin(passage_cos)
    passage = np.nan_to_num(passage_cos, nan=floor)
    return np.where(
        np.isnan(line_cos),
        passage,
        (1 - line_weight) * passage + line_weight * np.nan_to_num(line_cos),
    )


def hybrid(
    passage_cos: np.ndarray,
    line_cos: np.ndarray,
    bm25: np.ndarray,
    *,
    line_weight: float,
    dense_weight: float,
    neutral: np.ndarray | None = None,
    offset: float | None = None,
) -> np.ndarray:
    """The hybrid score of each candidate: z-scores of :func:`dense_mix` and BM25, mixed.

    ``dense_weight × z(dense_mix) + (1 - dense_weight) × z(bm25)``, all (k,) over the same
    candidates. Where ``neutral`` (k,) is true (a passage in another language than the
    question, which shares few words with it: that says nothing), the dense scores of those
    passages are first raised by ``offset`` (a question's cosine with a passage in another
    language is lower across the board; None: by the difference of the two groups' mean
    scores), then ``z(bm25)`` is at least
    the passage's dense z-score: the lexical evidence it cannot show is taken to agree with
    the multilingual dense evidence, so that BM25 alone does not bury it. (Both chosen on
    the dev split of the multi-document set, ``evals/multidoc``.)
    """
    mixed = dense_mix(passage_cos, line_cos, line_weight=line_weight)
    if neutral is not None and neutral.any() and offset is not None:
        mixed = np.where(neutral, mixed + offset, mixed)
    elif neutral is not None and neutral.any() and (~neutral).any():
        mixed = np.where(neutral, mixed + mixed[~neutral].mean() - mixed[neutral].mean(), mixed)
    z_dense = zscore([mixed], [1.0])
    z_bm25 = zscore([bm25], [1.0])
    if neutral is not None:
        z_bm25 = np.where(neutral, np.maximum(z_bm25, z_dense), z_bm25)
    return dense_weight * z_dense + (1 - dense_weight) * z_bm25


def document_evidence(
    scores: np.ndarray, doc_ids: np.ndarray, *, share: float, depth: int = 3
) -> np.ndarray:
    """``scores`` plus ``share`` × the sum of the positive scores of the document's best
    ``depth`` passages among these candidates (the same bonus for every passage of a document).

    A document whose several passages match then beats one stray passage of another
    document; the order of the passages inside one document is unchanged.
    """
    if not share or not len(scores):
        return scores
    bonus: dict[object, list[float]] = {}
    for s, d in zip(scores.tolist(), doc_ids.tolist(), strict=True):
        if s > 0:
            bonus.setdefault(d, []).append(s)
    total = {d: sum(sorted(v, reverse=True)[:depth]) for d, v in bonus.items()}
    return scores + share * np.asarray([total.get(d, 0.0) for d in doc_ids.tolist()])
