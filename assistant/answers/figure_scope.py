"""A figure is the figure of a time and a place: one asked for a year, a season or a
commune must be quoted with it.

« Combien … en 2021 ? » is not answered by « 412 plaintes en 2022 » (:func:`missing_year`),
« … pour l'hiver 2024-2025 ? » not by « l'hiver 2023-2024 », which says 2024 too, and
« … à Anderlecht ? » not by the Region's total (:func:`missing_place`, the places of
:mod:`assistant.text.communes` under all their names, in either language). Each gives what
the quotes lack, which :meth:`assistant.answers.grounding.Grounder.gap` refuses with.

Non-goals: what the figure counts or pays for (:mod:`.counted`, :mod:`.funded`), dates
(a date answers « quand … en 2024 ? » however it is written), places off the list.
"""

from __future__ import annotations

from ..text.communes import as_written, asked_places, names_of, says
from .question_types import FIGURES, asked_years, periods, says_year, wanted

__all__ = ["missing_place", "missing_year"]


def _texts(quotes) -> list[str]:
    """What names a quote's time and place: its sentences and its passage's label."""
    return [s for q in quotes for s in (*q.sentences, q.label)]


def missing_year(question: str, quotes) -> str | None:
    """The year a figure is asked for (« combien … en 2019 ? », « hoeveel … sinds 2020? »)
    when none of the quoted sentences or their labels says it, or the period of two years
    (« l'hiver 2024-2025 », as « 2024-2025 ») when none says both its years: the quoted
    figure is another time's. None when the question wants no figure."""
    if not FIGURES & wanted(question):
        return None
    texts = _texts(quotes)
    for year in asked_years(question):
        if not any(says_year(t, year) for t in texts):
            return year
    for first, second in periods(question):
        if not any(says_year(t, first) and says_year(t, second) for t in texts):
            return f"{first}-{second}"
    return None


def missing_place(question: str, quotes) -> str | None:
    """The place a figure is asked for (« combien d'épiceries sociales à Anderlecht ? »), as
    the question writes it, when none of the quoted sentences, their labels or their
    documents' titles names it under any of its names (« Schaerbeek » is « Schaarbeek » in
    a Dutch quote): the quoted figure is another place's, or the Region's. None when the
    question wants no figure or asks about no place of the list."""
    if not FIGURES & wanted(question):
        return None
    said = " ".join([*_texts(quotes), *(q.title for q in quotes)])
    for place in asked_places(question):
        if not says(names_of(place), said):
            return as_written(place, question)
    return None
