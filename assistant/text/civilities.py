"""The civilities written before a person's name, in French, Dutch and English: one list.

« Mme Lambert », « M. Vervoort », « mevrouw Wuyts », « de heer Pinxteren », « Mr Smith »:
:data:`CIVILITIES` holds them folded and without their dot (``fold(word).rstrip(".")``
is in it); :data:`CIVILITY` is a regular expression of one civility as written, its dot
included, for a pattern that reads the name after it. The people's readers
(:mod:`assistant.answers.persons`, :mod:`assistant.answers.short_answer`,
:mod:`assistant.answers.lead`, :mod:`assistant.search.metadata_match`) all use these.

Non-goals: offices and titles (« ministre », « députée », « staatssecretaris »: they say
what a person does, each reader has its own use of them), articles and prepositions.
"""

from __future__ import annotations

from .analyzer import fold

__all__ = ["CIVILITIES", "CIVILITY", "is_civility"]

CIVILITIES = frozenset(
    "m mme mmes mlle monsieur madame mademoiselle messieurs mesdames mevrouw mevr dhr heer"
    " mr mrs ms".split()
)

# one civility as written (case-insensitive, a dot after an abbreviation), longest first so
# that « Mme » is not read as « M »; « heer » after its article (« de heer »)
CIVILITY = (
    r"(?i:(?<![\w'’-])(?:de\s+heer|"
    + "|".join(sorted((c for c in CIVILITIES if c != "heer"), key=lambda c: (-len(c), c)))
    + r"|heer)(?![\w'’-])\.?)"
)


def is_civility(word: str) -> bool:
    """Whether ``word`` (as written: « Mme », « M. », « Mevrouw ») is a civility."""
    return fold(word).rstrip(".") in CIVILITIES
