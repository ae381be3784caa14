"""Fit the ranking's weights on the DEV split: the other-language offset, the metadata
match, the document share.

``python -m evals.multidoc --fit`` first fits the cosine offset of a passage in the other
language than the question's over :data:`OFFSET_GRID` (the multilingual model gives a
question higher cosines with passages in its own language, whatever their subject; the
earlier rule, the gap between the two languages' mean scores, is scored beside it), the
other values as stored; then it searches every dev question of the multi-document set
with each weight of :data:`GRID` and keeps the one with the most right documents first,
then the best evidence-hit@5, then the smallest weight; it writes
``assistant/search/ranking.json`` with the weight, the dev figures of every weight and the
command; then, that weight kept, the share of document evidence
(:func:`assistant.search.fusion.document_evidence`) the same way over :data:`SHARE_GRID`.
The held-out split is never looked at here.

Non-goals: fitting the dense/BM25 mix (fitted on the bundled set, see
:mod:`assistant.search.searcher`).
"""

from __future__ import annotations

from assistant.search.searcher import RANKING

from .runner import run, summarise

__all__ = [
    "GRID",
    "OFFSET_GRID",
    "SHARE_GRID",
    "fit_document_share",
    "fit_language_offset",
    "fit_metadata_weight",
    "write_ranking",
]

GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
SHARE_GRID = (0.0, 0.1, 0.2, 0.3, 0.5)  # share of a document's evidence (fusion.document_evidence)
OFFSET_GRID = (0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08)  # cosine, other language
COMMAND = "python -m evals.multidoc --fit"


def _grid_search(assistant, dev_questions, *, attribute: str, grid, what: str):
    """``(best, figures)``: each value of ``grid`` set as the searcher's ``attribute`` in turn,
    scored on ``dev_questions`` (search only); best by right document first, then
    evidence-hit@5, then the smallest value. The searcher is left as it was."""
    if any(q.split != "dev" for q in dev_questions):
        raise ValueError(f"{what} se règle sur les questions dev seulement")
    searcher = assistant.searcher
    kept = getattr(searcher, attribute)
    figures = {}
    try:
        for value in grid:
            setattr(searcher, attribute, value)
            s = summarise(run(assistant, dev_questions, answers=False))
            figures[value] = {
                "doc_first": round(s["doc_first"], 4),
                "evidence@5": round(s["evidence@5"], 4),
            }
    finally:
        setattr(searcher, attribute, kept)
    best = max(grid, key=lambda w: (figures[w]["doc_first"], figures[w]["evidence@5"], -w))
    return best, {str(w): f for w, f in figures.items()}


def fit_metadata_weight(assistant, dev_questions, *, grid=GRID) -> dict:
    """The best weight of ``grid`` on ``dev_questions`` (search only), with all the figures."""
    best, figures = _grid_search(
        assistant, dev_questions, attribute="metadata_weight", grid=grid, what="le poids"
    )
    return {
        "metadata_weight": best,
        "fitted_on": f"dev split of evals/multidoc/questions.jsonl, {len(dev_questions)} questions",
        "criterion": "right document first, then evidence-hit@5, then the smallest weight",
        "dev": figures,
        "model": assistant.encoder.id,
        "command": COMMAND,
    }


def fit_document_share(assistant, dev_questions, *, grid=SHARE_GRID) -> dict:
    """The best document-evidence share of ``grid`` on ``dev_questions`` (search only), the
    metadata weight kept: ``{"document_share": best, "document_share_dev": figures}``."""
    best, figures = _grid_search(
        assistant, dev_questions, attribute="document_share", grid=grid, what="le partage"
    )
    return {"document_share": best, "document_share_dev": figures}


def fit_language_offset(assistant, dev_questions, *, grid=OFFSET_GRID) -> dict:
    """The best cosine offset of ``grid`` for passages in the other language than the
    question's, on ``dev_questions`` (search only), the other values kept; the earlier rule
    (None: the gap between the two languages' mean scores) is scored too, under "null", and
    kept only if it does strictly better:
    ``{"language_offset": best, "language_offset_dev": figures}``."""
    best, figures = _grid_search(
        assistant, dev_questions, attribute="language_offset", grid=grid, what="le décalage"
    )
    searcher = assistant.searcher
    kept = searcher.language_offset
    try:
        searcher.language_offset = None
        s = summarise(run(assistant, dev_questions, answers=False))
    finally:
        searcher.language_offset = kept
    figures["null"] = {
        "doc_first": round(s["doc_first"], 4),
        "evidence@5": round(s["evidence@5"], 4),
    }
    mean_gap = (figures["null"]["doc_first"], figures["null"]["evidence@5"])
    if mean_gap > (figures[str(best)]["doc_first"], figures[str(best)]["evidence@5"]):
        best = None
    return {"language_offset": best, "language_offset_dev": figures}


def write_ranking(fitted: dict, path=RANKING) -> None:
    from assistant.files import write_json_atomic

    write_json_atomic(path, fitted, indent=2)
