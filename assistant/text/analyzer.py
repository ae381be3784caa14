"""French text analysis for lexical matching: fold, split, drop stop words, stem.

``écoles``, ``ecole`` and ``l'école`` all become ``ecol``: the text is put in
NFC, lower-cased, apostrophes unified and elisions (``l'``, ``d'``, ``qu'``…)
dropped, each word stemmed with the Snowball French stemmer (PyStemmer) while
its accents are still there, then folded to ASCII-like letters.

Non-goals: no lemmatisation, no spelling correction, no language detection
(Dutch or English words are stemmed as French: good enough for names).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "tokenize", "STOPWORDS"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
# Numbers keep their inner separators ("400.000", "2,50"); words are runs of letters.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*")

# French function words and question words, already folded. Kept short on purpose:
# content words such as "budget", "date" or "ministre" must stay searchable.
STOPWORDS = frozenset(
    """
    a ai aie aient aies ait as au aux avec avez avons c ca ce ceci cela celle celles celui
    ces cet cette ceux chaque comme d dans de des deja du elle elles en est et etaient
    etait etant ete etre eu eux furent fut ici il ils j je l la le les leur leurs lui m
    ma mais me meme mes moi mon n ne ni nos notre nous on ont ou par pas peu peut plus
    pour qu que quel quelle quelles quels qui s sa sans se sera seront ses si son sont
    sur t ta te tes toi ton tu un une vos votre vous y est-ce c'est y-a-t-il a-t-il
    ont-ils sont-ils est-il comment combien quand pourquoi quoi dont lequel laquelle
    lesquels lesquelles ceci cela aussi tres bien fait faire avoir etre ainsi alors donc
    or car puis entre vers chez selon depuis pendant
    """.split()
)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lower-case, unify apostrophes, drop accents: ``L’École`` -> ``l'ecole``."""
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    text = text.translate(_LIGATURES)
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word[0].isdigit():
            out.append(word.replace(".", "").replace(",", "."))
            continue
        out.extend(p for p in word.split("-") if p)
    return out


def tokenize(text: str, *, stem: bool = True, stopwords: bool = True) -> list[str]:
    """Searchable terms of ``text``, in order (duplicates kept)."""
    words = _words(text)
    if stopwords:
        words = [w for w in words if fold(w) not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    if stem:
        words = _stemmer().stemWords(words)
    return [fold(w) for w in words]
