"""The word table: every candidate word of the index, encoded once as a query at build time.

The grounding (:mod:`assistant.answers.grounding`) compares a question's specific word
it cannot find by stem with the words of the quoted sentences, by cosine under the
embedding model. Encoding those words at answer time is the answer stage's tail (a new
sentence brings tens of words to encode); so the build encodes every distinct candidate
word of the chunks' texts and section labels once, the way the grounding would (as a
query), and the index stores them (``words.json``, ``word_vectors.npy``). Answering then
reads the table and asks the encoder only for what it lacks (the question's own words).

The words go through the embedding cache's lookup (:mod:`assistant.indexing.embedcache`)
under a key that no passage text can have (:data:`KEY_PREFIX`): the next build reads the
previous table as cache rows (:func:`assistant.indexing.store.previous_embeddings`), so it
encodes only new words, and an interrupted build resumes them like any other text. They
are stored once, in the table, not in the texts' cache.

Non-goals: choosing which words matter (the grounding does, with its stop words and
levels), storing the questions' words (:class:`WordVectors` encodes them when asked and
keeps them in memory only), other languages' stop lists (a stop word in the table
costs one row, never a wrong answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..text.analyzer import split_words

if TYPE_CHECKING:
    from .word_sides import WordSides

__all__ = ["KEY_PREFIX", "AsQueries", "WordTable", "WordVectors", "candidate", "corpus_words"]

# The cache key of a word is that of KEY_PREFIX + word: no text of a chunk starts with NUL.
KEY_PREFIX = "\x00query-word\x00"


def candidate(word: str) -> bool:
    """A word the grounding may compare: three letters or more, not a number."""
    return len(word) >= 3 and not word[0].isdigit()


def corpus_words(texts) -> list[str]:
    """The distinct candidate words of ``texts`` (lower-cased by ``split_words``), sorted."""
    return sorted({w for t in texts for w in split_words(t) if candidate(w)})


class AsQueries:
    """An encoder seen through the embedding cache: its "passages" are prefixed words,
    encoded as queries (``encode_queries`` of the words without the prefix)."""

    def __init__(self, encoder) -> None:
        self._encoder = encoder
        self.id, self.fingerprint, self.dim = encoder.id, encoder.fingerprint, encoder.dim

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        words = [t.removeprefix(KEY_PREFIX) for t in texts]
        return self._encoder.encode_queries(words)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encoder.encode_queries(texts)


@dataclass(frozen=True, eq=False)
class WordTable:
    """Words and their query vectors (unit rows, same order), and the languages' sides
    (:mod:`assistant.indexing.word_sides`; None: not computed, or an older index)."""

    words: tuple[str, ...]
    vectors: np.ndarray  # (len(words), dim) float32
    sides: WordSides | None = None

    @classmethod
    def of(cls, words, vectors, *, sides: WordSides | None = None) -> WordTable:
        words = tuple(words)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape[0] != len(words) or vectors.ndim != 2:
            raise ValueError(f"{len(words)} mots pour des vecteurs de forme {vectors.shape}")
        if sides is not None and len(sides.flags) != len(words):
            raise ValueError(f"{len(words)} mots pour {len(sides.flags)} côtés")
        return cls(words, vectors, sides)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_row", {w: i for i, w in enumerate(self.words)})

    def __len__(self) -> int:
        return len(self.words)

    def row(self, word: str) -> int | None:
        """The row of ``word`` (None: not in the table)."""
        return self._row.get(word)

    def get(self, word: str) -> np.ndarray | None:
        """The vector of ``word`` (None: not in the table)."""
        row = self._row.get(word)
        return None if row is None else self.vectors[row]


class WordVectors:
    """Words to their unit vectors as queries: ``(len(words), dim)`` for a list of words.

    The grounding's neighbours (:mod:`assistant.answers.grounding`) and the cross-lingual
    query terms (:mod:`assistant.search.translation`) read them. A word's vector comes
    from the index's word table (``words``: a :class:`WordTable`, encoded at build time),
    else from a cache of the words encoded so far, else from ``encoder`` (the question's
    own words, or every word for an index without the table).
    """

    def __init__(self, encoder, *, words=None, cache_size: int = 8192) -> None:
        self._encoder = encoder
        self._words = words
        # word -> unit vector; emptied when full: at most cache_size × 1.5 KB (12 MiB)
        self._cache: dict[str, object] = {}
        self._cache_size = cache_size

    def _known(self, word: str):
        vector = self._words.get(word) if self._words is not None else None
        return vector if vector is not None else self._cache.get(word)

    def __call__(self, words: list[str]):
        # read into a local dict first: another answer's thread may empty the cache meanwhile
        found = {w: self._known(w) for w in dict.fromkeys(words)}
        new = [w for w, v in found.items() if v is None]
        if new:
            vectors = self._encoder.encode_queries(new)
            if len(self._cache) + len(new) > self._cache_size:
                self._cache.clear()
            for w, v in zip(new, vectors, strict=True):
                found[w] = self._cache[w] = np.asarray(v, dtype=np.float32)
        return np.stack([found[w] for w in words])
