"""Agreement of the parliamentary brief with gold tables written by reading the document.

``gold_coverage.jsonl`` (one line per part of a sub-question), ``gold_subquestions.jsonl``
(one per sub-question) and ``gold_status.jsonl`` (one per row of the chantier table) were
written by hand before the method existed; ``python -m evals.brief`` compares.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

__all__ = ["FOLDER", "load_gold", "agreement", "confusion"]

FOLDER = Path(__file__).resolve().parent


def load_gold(name: str) -> list[dict]:
    """The lines of ``<name>.jsonl`` in this folder."""
    with open(FOLDER / f"{name}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def agreement(pairs: list[tuple[str, str]]) -> float:
    """Share of (gold, predicted) pairs that agree."""
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def confusion(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Counts of (gold, predicted) pairs that disagree."""
    return dict(Counter((g, p) for g, p in pairs if g != p))
