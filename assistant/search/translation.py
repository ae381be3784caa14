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
to their neighbourhoods) and when the pair is mutual: no word of the question's language's
side, other than the question word's own inflections (same Snowball stem), is nearer the
translation by CSLS (« permis » → « per » loses to « premier » → « per »; « listes »
→ « lijst » stays though « liste » is nearer). The BM25 scores of its word are added to the
question's, times the weight fitted on the dev split of the multi-document set
(``ranking.json``, ``translation_weight``; ``python -m evals.multidoc --fit``).

The sides and every word's ``r`` are computed by the build and stored with the word table
(:mod:`assistant.indexing.word_sides`); for an index built before them, once, on the first
question. A corpus in one language pays nothing.

Non-goals: phrases or compounds built from several words (one word for one word), word
senses (« langue » may pair with « lange »: the fitted weight bounds what a wrong pair
costs), languages other than French and Dutch, the dense retriever (already multilingual).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..indexing.word_sides import K, WordSides, two_languages, word_sides
from ..indexing.words import WordVectors, candidate
from ..models.blas import one_thread
from ..text.analyzer import LANGUAGES, fold, split_words, stopwords_of, tokenize

__all__ = ["Pair", "Translator"]


@dataclass(frozen=True)
class Pair:
    """A question word and the word of the other language's passages it stands for."""

    word: str  # as in the question, lower-cased: "opérateurs"
    translation: str  # "operatoren"
    language: str  # the translation's: "nl"
    csls: float


@dataclass(frozen=True, eq=False)
class _Side:
    words: tuple[str, ...]
    vectors: np.ndarray  # (n, dim) unit rows
    hubness: np.ndarray  # (n,)


class Translator:
    """Pairs a question's words with the other language's words of one index (CSLS > 0)."""

    def __init__(self, table, sides: WordSides, vectors: WordVectors, *, k: int = K) -> None:
        self._table = table
        self._word_sides = sides
        self._vectors = vectors
        self._k = k
        self._stems: dict[str, tuple[np.ndarray, dict[tuple[str, ...], int]]] = {}
        self._sides = {}
        for lang in LANGUAGES:
            rows = sides.rows(lang)
            self._sides[lang] = _Side(
                words=tuple(table.words[i] for i in rows.tolist()),
                vectors=np.asarray(table.vectors[rows], dtype=np.float32),
                hubness=sides.hubness[rows],
            )

    @classmethod
    def of(cls, chunks, table, vectors: WordVectors, *, k: int = K) -> Translator | None:
        """The translator of an index's ``chunks`` and word ``table`` (its stored sides, else
        computed here), reading the question's words from ``vectors``; None when the
        passages are in one language only, or the index has no word table."""
        if table is None or not two_languages(chunks):
            return None
        sides = table.sides if table.sides is not None and k == K else None
        return cls(table, sides or word_sides(chunks, table, k=k), vectors, k=k)

    def sizes(self) -> dict[str, int]:
        """The number of words on each language's side."""
        return {lang: len(side.words) for lang, side in self._sides.items()}

    def pairs(self, question: str, language: str) -> tuple[Pair, ...]:
        """The pairs of the words of ``question`` (in ``language``) that the other language's
        passages lack, best translation each, CSLS > 0, in the question's order."""
        other = next((lang for lang in LANGUAGES if lang != language), None)
        target = self._sides.get(other)
        if target is None or not target.words:
            return ()
        stop = stopwords_of(language)
        words = [
            w
            for w in dict.fromkeys(split_words(question))
            if candidate(w)
            and fold(w) not in stop
            and not self._word_sides.present(self._table.row(w), other)
        ]
        if not words:
            return ()
        vectors = self._vectors(words)  # may encode: outside the BLAS section's lock
        with one_thread():  # tiny products: BLAS threads would only fight ONNX Runtime's
            sims = vectors @ target.vectors.T  # (len(words), n)
        k = min(self._k, sims.shape[1])
        own = np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)
        csls = 2 * sims - own[:, None] - target.hubness[None, :]
        best = csls.argmax(axis=1)
        kept = [
            (w, j, float(csls[i, j]))
            for i, (w, j) in enumerate(zip(words, best.tolist(), strict=True))
            if csls[i, j] > 0
        ]
        if not kept:
            return ()
        rivals = self._rivals(kept, language=language, other=other)
        return tuple(
            Pair(w, target.words[j], other, value)
            for (w, j, value), rival in zip(kept, rivals, strict=True)
            if not rival
        )

    def _rivals(self, kept, *, language: str, other: str) -> list[bool]:
        """For each ``(word, j, csls)``: is there a word of ``language``'s side, other than
        ``word`` and its inflections (same Snowball stem), whose CSLS with ``other``'s word
        ``j`` is higher? Then ``j`` translates that word, not ``word``: the pair is not
        mutual."""
        source, target = self._sides[language], self._sides[other]
        if not source.words:
            return [False] * len(kept)
        js = [j for _, j, _ in kept]
        with one_thread():
            back = 2 * (target.vectors[js] @ source.vectors.T)  # (len(kept), n)
        back -= source.hubness[None, :] + target.hubness[js][:, None]
        codes, ids = self._stems_of(language)
        out = []
        for (word, _, value), row in zip(kept, back, strict=True):
            # a stem no word of the side has (-1) differs from all of theirs
            stem = ids.get(tuple(tokenize(word, stopwords=False, language=language)), -1)
            out.append(bool((codes[row > value] != stem).any()))
        return out

    def _stems_of(self, language: str) -> tuple[np.ndarray, dict[tuple[str, ...], int]]:
        """The Snowball stems of ``language``'s side, analysed once (on its first question):
        one code per word, aligned with its ``words`` (words of one stem share it), and the
        code of each stem."""
        cached = self._stems.get(language)
        if cached is None:  # two threads may both compute it: the same, harmlessly
            ids: dict[tuple[str, ...], int] = {}
            words = self._sides[language].words
            codes = np.fromiter(
                (
                    ids.setdefault(tuple(tokenize(w, stopwords=False, language=language)), len(ids))
                    for w in words
                ),
                dtype=np.intp,
                count=len(words),
            )
            cached = self._stems[language] = (codes, ids)
        return cached
