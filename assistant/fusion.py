"""Fuse ranked lists: reciprocal-rank fusion (Cormack et al., 2009).

``score(d) = Σ_lists weight / (k + rank_list(d))`` with ranks from 1; a row
absent from a list adds nothing. ``k = 60`` is the paper's constant: it damps
the difference between the first ranks so that neither list dominates.

Non-goals: no score normalisation fusion (min-max, z-score) here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["rrf", "ranking"]


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
