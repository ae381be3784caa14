"""The sides of the word table: which language's passages hold each word, and its hubness.

The cross-lingual query terms (:mod:`assistant.search.translation`) pair a question's word
with a word found only in the other language's passages, by CSLS (Conneau et al. 2018):
``2 cos(x, y) - r(x) - r(y)``, ``r`` a word's mean cosine with its :data:`K` nearest words
of the other side. ``r(y)`` of every word of the table costs one product of the two sides'
vectors (20,000 words a side: ~7 s on 2 cores, 50,000: ~40 s; ``benchmarks/cross_lingual.py``),
so the build computes it once, beside the table, and the index stores it
(``word_flags.npy``, ``word_hubness.npy``); a question then costs one product of its own
few words with a side.

:class:`WordSides` holds, for each row of the table, flags (:data:`PRESENT`: the word is in
that language's passages or section labels; :data:`SIDE`: it is a word of that language's
side: in its passages written at least once not as a name, in no passage of the other
language, three letters or more, not one of its stop words) and ``r`` against the other
side (0 off the sides).

Non-goals: pairing words (:mod:`assistant.search.translation`), languages other than
French and Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..text.analyzer import LANGUAGES, fold, named_words, stopwords_of
from .words import candidate

__all__ = [
    "K",
    "PRESENT",
    "SIDE",
    "WORD_SIDES_VERSION",
    "WordSides",
    "hubness",
    "two_languages",
    "word_sides",
]

K = 10  # neighbours in r(.), as in Conneau et al. (2018)
# Recorded in meta.json; stored sides of another version (other K, rules or stop words)
# are left unread and computed again on the first question, like those of an older index.
WORD_SIDES_VERSION = 1
PRESENT = {"fr": 1, "nl": 2}  # the word is in that language's passages
SIDE = {"fr": 4, "nl": 8}  # the word is on that language's side
_BLOCK = 2048  # rows per product when computing r(.) (memory: _BLOCK × n floats)


@dataclass(frozen=True, eq=False)
class WordSides:
    """Per row of a word table: its flags and its ``r`` against the other side."""

    flags: np.ndarray  # (n,) uint8, PRESENT and SIDE bits
    hubness: np.ndarray  # (n,) float32

    @classmethod
    def of(cls, flags, hubness, *, count: int) -> WordSides:
        """Checked against the table's ``count`` rows (ValueError if they disagree)."""
        flags, hubness = np.asarray(flags), np.asarray(hubness)
        if flags.shape != (count,) or hubness.shape != (count,) or flags.dtype != np.uint8:
            raise ValueError(f"{count} mots, côtés {flags.dtype} {flags.shape} {hubness.shape}")
        if not np.isfinite(hubness).all():
            raise ValueError("valeurs non finies dans les côtés des mots")
        return cls(flags, hubness.astype(np.float32, copy=False))

    def rows(self, language: str) -> np.ndarray:
        """The rows of ``language``'s side, in table order."""
        return np.flatnonzero(self.flags & SIDE[language])

    def present(self, row: int | None, language: str) -> bool:
        """Is the word of ``row`` in ``language``'s passages? (None: not in the table: no.)"""
        return row is not None and bool(self.flags[row] & PRESENT[language])


def hubness(rows: np.ndarray, others: np.ndarray, *, k: int = K) -> np.ndarray:
    """(len(rows),) the mean cosine of each row with its ``k`` nearest rows of ``others``."""
    if not len(rows) or not len(others):
        return np.zeros(len(rows), dtype=np.float32)
    k = min(k, len(others))
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), _BLOCK):
        sims = rows[start : start + _BLOCK] @ others.T
        out[start : start + _BLOCK] = np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)
    return out


def two_languages(chunks) -> bool:
    """Are ``chunks`` in both languages (so that the sides have words to pair)?"""
    return len({c.doc_language for c in chunks} & set(LANGUAGES)) > 1


def word_sides(chunks, table, *, k: int = K) -> WordSides:
    """The :class:`WordSides` of ``table`` over ``chunks`` (their texts and section labels)."""
    flags = np.zeros(len(table.words), dtype=np.uint8)
    common = {lang: set() for lang in LANGUAGES}  # written at least once not as a name
    for c in chunks:
        lang = c.doc_language
        if lang not in PRESENT:
            continue
        for text in (c.text, getattr(c, "section_label", "")):
            for word, named in named_words(text):
                i = table.row(word)
                if i is not None:
                    flags[i] |= PRESENT[lang]
                    if not named:
                        common[lang].add(i)
    for lang in LANGUAGES:
        stop = stopwords_of(lang)
        others = sum(PRESENT[o] for o in LANGUAGES if o != lang)
        for i in common[lang]:
            w = table.words[i]
            if not flags[i] & others and candidate(w) and fold(w) not in stop:
                flags[i] |= SIDE[lang]
    out = np.zeros(len(table.words), dtype=np.float32)
    fr, nl = (np.flatnonzero(flags & SIDE[lang]) for lang in ("fr", "nl"))
    if len(fr) and len(nl):
        vectors = np.asarray(table.vectors, dtype=np.float32)
        out[fr] = hubness(vectors[fr], vectors[nl], k=k)
        out[nl] = hubness(vectors[nl], vectors[fr], k=k)
    return WordSides.of(flags, out, count=len(table.words))
