"""Ranking metrics by gold section: hit@k and reciprocal rank.

A ranking is the list of section ids of the returned passages, best first (a
section may appear twice when two of its parts are returned). A question is a
hit at k when one of its gold sections is among the first k; its reciprocal
rank is 1/r for the first gold section at rank r ≤ cutoff, else 0.

Non-goals: graded relevance (nDCG) and answer metrics, which come with the
evaluation report.
"""

from __future__ import annotations

__all__ = ["hit_at", "reciprocal_rank", "evidence_hit_at", "summarise"]


def hit_at(ranked: list[str], gold: set[str], k: int) -> float:
    return 1.0 if any(s in gold for s in ranked[:k]) else 0.0


def reciprocal_rank(ranked: list[str], gold: set[str], cutoff: int = 10) -> float:
    for r, s in enumerate(ranked[:cutoff], start=1):
        if s in gold:
            return 1.0 / r
    return 0.0


def evidence_hit_at(texts: list[str], evidence: list[str], k: int, loose) -> float:
    """1 when an evidence span lies inside one of the first k passages."""
    spans = [loose(e) for e in evidence]
    return 1.0 if any(any(s in loose(t) for s in spans) for t in texts[:k]) else 0.0


def summarise(rows: list[dict], ks=(1, 3, 5, 10)) -> dict[str, float]:
    """Mean of each metric over per-question rows (dicts of metric -> value)."""
    if not rows:
        return {}
    keys = [f"hit@{k}" for k in ks] + ["mrr@10", "evidence@5"]
    return {key: sum(r[key] for r in rows) / len(rows) for key in keys}
