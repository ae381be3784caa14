"""Fit the ranking's weights on the DEV split: the other-language offset, the metadata
match, the document share, the cross-lingual terms.

``python -m evals.multidoc --fit`` (:func:`fit_ranking`) fits, in turn: the cosine offset
of a passage in the other language than the question's over :data:`OFFSET_GRID` (the
multilingual model gives a question higher cosines with passages in its own language,
whatever their subject; the earlier rule, the gap between the two languages' mean scores, is
scored beside it); the metadata-match weight over :data:`GRID`; the share of document
evidence (:func:`assistant.search.fusion.document_evidence`) over :data:`SHARE_GRID`; each
with the others as stored and the cross-lingual terms off. Last, on top of them, the weight
of the cross-lingual query terms (:mod:`assistant.search.translation`) over
:data:`TRANSLATION_GRID`. Each is chosen by the most right documents first, then the best
evidence-hit@5, then the smallest value. It writes ``assistant/search/ranking.json`` with
the values, the dev figures of every grid value and the command.
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
    "TRANSLATION_GRID",
    "fit_document_share",
    "fit_ranking",
    "fit_language_offset",
    "fit_metadata_weight",
    "fit_translation_weight",
    "write_ranking",
]

GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
SHARE_GRID = (0.0, 0.1, 0.2, 0.3, 0.5)  # share of a document's evidence (fusion.document_evidence)
TRANSLATION_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)  # BM25 weight of the cross-lingual terms
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


def fit_ranking(assistant, dev_questions) -> dict:
    """Every weight of ``ranking.json`` fitted on ``dev_questions``, in stages: the language
    offset, the metadata weight and the document share in turn, each with the others as
    stored and the cross-lingual terms off (they were fitted before those terms existed);
    then the cross-lingual weight on top of them. The searcher keeps the fitted values."""
    if any(q.split != "dev" for q in dev_questions):
        raise ValueError("les poids se règlent sur les questions dev seulement")
    searcher = assistant.searcher
    searcher.translation_weight = 0.0
    offset = fit_language_offset(assistant, dev_questions)
    searcher.language_offset = offset["language_offset"]
    fitted = fit_metadata_weight(assistant, dev_questions) | offset
    searcher.metadata_weight = fitted["metadata_weight"]
    fitted |= fit_document_share(assistant, dev_questions)
    searcher.document_share = fitted["document_share"]
    fitted |= fit_translation_weight(assistant, dev_questions)
    searcher.translation_weight = fitted["translation_weight"]
    return fitted


def fit_metadata_weight(assistant, dev_questions, *, grid=GRID) -> dict:
    """The best weight of ``grid`` on ``dev_questions`` (search only), with all the figures."""
    best, figures = _grid_search(
        assistant, dev_questions, attribute="metadata_weight", grid=grid, what="le poids"
    )
    return {
        "metadata_weight": best,
        "fitted_on": f"dev split of evals/multidoc/questions.jsonl, {len(dev_questions)} questions",
        "dev": figures,
        "criterion": "right document first, then evidence-hit@5, then the smallest weight",
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


def fit_translation_weight(assistant, dev_questions, *, grid=TRANSLATION_GRID) -> dict:
    """The best weight of ``grid`` for the BM25 scores of the cross-lingual query terms
    (:mod:`assistant.search.translation`) on ``dev_questions`` (search only), the other
    values kept: ``{"translation_weight": best, "translation_weight_dev": figures}``."""
    best, figures = _grid_search(
        assistant, dev_questions, attribute="translation_weight", grid=grid, what="le poids"
    )
    return {"translation_weight": best, "translation_weight_dev": figures}


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
