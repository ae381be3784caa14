"""The civilities written before a person's name, in French, Dutch and English: one list.

« Mme Lambert », « M. Vervoort », « mevrouw Wuyts », « de heer Pinxteren », « Mr Smith »:
:data:`CIVILITIES` holds them folded and without their dot, :func:`is_civility` says whether a
word as written is one (not an acronym in capitals: « MRS », « MS »); :data:`CIVILITY` is a
regular expression of one civility as written, its dot included, for a pattern that reads
the name after it. The people's readers
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

# one civility as written, lower-case or capitalised (« Mme », « mevrouw », « De heer »; not
# « MS Teams » or « le MR »: an acronym), a dot after an abbreviation, longest first so that
# « Mme » is not read as « M »
_FORMS = sorted(
    {f for c in CIVILITIES | {"de heer"} for f in (c, c[:1].upper() + c[1:])},
    key=lambda f: (-len(f), f),
)
CIVILITY = (
    r"(?<![\w'’-])(?:" + "|".join(f.replace(" ", r"\s+") for f in _FORMS) + r")(?![\w'’-])\.?"
)


def is_civility(word: str) -> bool:
    """Whether ``word`` (as written: « Mme », « M. », « Mevrouw ») is a civility; a word of
    two letters or more in capitals is an acronym (« MS », « MR », « MRS »)."""
    bare = word.rstrip(".")
    if len(bare) > 1 and bare.isupper():
        return False
    return fold(bare) in CIVILITIES
