"""Cross-lingual query terms: a question's words paired with words of the other language's passages.

BM25 meets a Dutch passage only through the words a French question shares with it (names,
figures, a few cognates): « délai d'attente » never meets « wachttijd », « opérateurs »
never meets « operatoren ». The index's word table (:mod:`assistant.indexing.words`) holds
every word of the passages encoded as a query by the multilingual model. A word of the
question that the other language's passages do not hold is paired with the word of those
passages (and of no passage in the question's language, and not only ever written as a
name: « Wuyts » translates nothing) nearest to it by CSLS, the
cross-domain similarity local scaling of Conneau et al. (2018, "Word translation without
parallel data"):

    CSLS(x, y) = 2 cos(x, y) - r(x) - r(y)

where ``r`` is a word's mean cosine with its :data:`K` nearest words on the other side.
Plain cosine would pick hubs, words close to everything (« tot », « per », « opleiding »);
CSLS discounts them. A pair is kept when CSLS > 0 (the two words are nearer each other than
to their neighbourhoods), and the BM25 scores of its word are added to the question's,
times the weight fitted on the dev split of the multi-document set (``ranking.json``,
``translation_weight``; ``python -m evals.multidoc --fit``).

The sides are computed once per loaded index, on the first question, and only when the
passages are in both languages: a corpus in one language pays nothing.

Non-goals: phrases or compounds built from several words (one word for one word), word
senses (« langue » may pair with « lange »: the fitted weight bounds what a wrong pair
costs), languages other than French and Dutch, the dense retriever (already multilingual).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..indexing.words import WordVectors, candidate
from ..text.analyzer import LANGUAGES, fold, named_words, split_words, stopwords_of

__all__ = ["K", "Pair", "Side", "Translator", "hubness"]

K = 10  # neighbours in r(.), as in Conneau et al. (2018)
_BLOCK = 2048  # rows per matrix product when computing r(.) (memory: BLOCK × n floats)


@dataclass(frozen=True)
class Pair:
    """A question word and the word of the other language's passages it stands for."""

    word: str  # as in the question, lower-cased: "opérateurs"
    translation: str  # "operatoren"
    language: str  # the translation's: "nl"
    csls: float


@dataclass(frozen=True, eq=False)
class Side:
    """The words found only in one language's passages: their vectors and their ``r``."""

    language: str
    words: tuple[str, ...]
    vectors: np.ndarray  # (n, dim) unit rows
    hubness: np.ndarray  # (n,) mean cosine with the K nearest words of the other side
    present: frozenset[str]  # every word of that language's passages, shared ones too


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


def _sides(chunks, table, *, k: int = K) -> dict[str, Side]:
    """The two :class:`Side` values of the passages, by language."""
    present = {lang: set() for lang in LANGUAGES}
    common = {lang: set() for lang in LANGUAGES}  # written at least once not as a name
    for c in chunks:
        if c.doc_language not in present:
            continue
        for word, named in named_words(c.text):
            present[c.doc_language].add(word)
            if not named:
                common[c.doc_language].add(word)
    only = {}
    for lang in LANGUAGES:
        others = set().union(*(present[o] for o in LANGUAGES if o != lang))
        stop = stopwords_of(lang)
        only[lang] = [
            w
            for w in table.words
            if w in common[lang] and w not in others and candidate(w) and fold(w) not in stop
        ]
    vectors = {lang: table.vectors[[table.row(w) for w in only[lang]]] for lang in LANGUAGES}
    sides = {}
    for lang in LANGUAGES:
        other = next(o for o in LANGUAGES if o != lang)
        sides[lang] = Side(
            language=lang,
            words=tuple(only[lang]),
            vectors=vectors[lang],
            hubness=hubness(vectors[lang], vectors[other], k=k),
            present=frozenset(present[lang]),
        )
    return sides


class Translator:
    """Pairs a question's words with the other language's words of one index (CSLS > 0)."""

    def __init__(self, sides: dict[str, Side], vectors: WordVectors, *, k: int = K) -> None:
        self._sides = sides
        self._vectors = vectors
        self._k = k

    @classmethod
    def of(cls, chunks, table, vectors: WordVectors, *, k: int = K) -> Translator | None:
        """The translator of an index's ``chunks`` and word ``table``, reading the question's
        words from ``vectors`` (None when the passages are in one language only, or the
        index has no word table)."""
        if table is None or len({c.doc_language for c in chunks} & set(LANGUAGES)) < 2:
            return None
        return cls(_sides(chunks, table, k=k), vectors, k=k)

    def pairs(self, question: str, language: str) -> tuple[Pair, ...]:
        """The pairs of the words of ``question`` (in ``language``) that the other language's
        passages lack, best translation each, CSLS > 0, in the question's order."""
        target = next((s for lang, s in self._sides.items() if lang != language), None)
        if target is None or not target.words:
            return ()
        stop = stopwords_of(language)
        words = [
            w
            for w in dict.fromkeys(split_words(question))
            if candidate(w) and fold(w) not in stop and w not in target.present
        ]
        if not words:
            return ()
        sims = self._vectors(words) @ target.vectors.T  # (len(words), n)
        k = min(self._k, sims.shape[1])
        own = np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)
        csls = 2 * sims - own[:, None] - target.hubness[None, :]
        best = csls.argmax(axis=1)
        return tuple(
            Pair(w, target.words[j], target.language, float(csls[i, j]))
            for i, (w, j) in enumerate(zip(words, best.tolist(), strict=True))
            if csls[i, j] > 0
        )
