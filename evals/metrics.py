"""Ranking metrics by gold section, on rankings of distinct section ids.

A ranking is the list of distinct section ids of the returned passages, best
first (a section's rank is the rank of its first passage). Relevance is binary
(a gold section is relevant). For a question:

* ``hit@k`` = 1 when a gold section is among the first k;
* ``mrr@k`` = 1/r for the first gold section at rank r ≤ k, else 0;
* ``ndcg@k`` = DCG/IDCG with gain 1/log2(rank+1), IDCG from min(k, #gold) hits.

They agree with ``ranx`` (hit_rate, mrr, ndcg): see tests/test_evals.py.

Non-goals: graded relevance.
"""

from __future__ import annotations

import math

__all__ = ["distinct", "hit_at", "mrr_at", "ndcg_at", "evidence_hit_at"]


def distinct(section_ids: list[str]) -> list[str]:
    """Section ids in order, each once."""
    return list(dict.fromkeys(section_ids))


def hit_at(ranked: list[str], gold: set[str], k: int) -> float:
    return 1.0 if any(s in gold for s in ranked[:k]) else 0.0


def mrr_at(ranked: list[str], gold: set[str], k: int = 10) -> float:
    for r, s in enumerate(ranked[:k], start=1):
        if s in gold:
            return 1.0 / r
    return 0.0


def ndcg_at(ranked: list[str], gold: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(r + 1) for r, s in enumerate(ranked[:k], start=1) if s in gold)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(k, len(gold)) + 1))
    return dcg / ideal if ideal else 0.0


def evidence_hit_at(texts: list[str], evidence: list[str], k: int, loose) -> float:
    """1 when an evidence span lies inside one of the first k passages."""
    spans = [loose(e) for e in evidence]
    return 1.0 if any(any(s in loose(t) for s in spans) for t in texts[:k]) else 0.0
