"""Text analysis for lexical matching, French or Dutch: fold, split, drop stop words, stem.

``écoles``, ``ecole`` and ``l'école`` all become ``ecol``: the text is put in
NFC, lower-cased, apostrophes unified and elisions (``l'``, ``d'``, ``qu'``…)
dropped, each word stemmed with the Snowball stemmer of its language (PyStemmer)
while its accents are still there, then folded to ASCII-like letters.

``language="nl"`` uses the Dutch Snowball stemmer and spaCy's Dutch stop words
(``spacy.lang.nl.stop_words``): ``scholen`` becomes ``school``; with ``compounds=True``
(lexical search) a Dutch compound brings the terms of its parts too
(:mod:`assistant.text.compounds`). :data:`ANALYZER_VERSION` names what the lexical
index was analysed with. :data:`LANGUAGES`
lists the analyzers; a question whose language is unknown is analysed with each
(see :mod:`assistant.indexing.lexical`).

Non-goals: no lemmatisation, no spelling correction, no language detection
(the document's language comes from its parser; English words are stemmed as French).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = [
    "fold",
    "split_words",
    "named_words",
    "tokenize",
    "terms",
    "stopwords_of",
    "LANGUAGES",
    "STOPWORDS",
    "ANALYZER_VERSION",
]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
# Numbers keep their inner separators ("400.000", "2,50"); words are runs of letters.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_ENDS = frozenset(".!?:;\n\r•·*")  # what a sentence, a line or an item starts after
# what may stand first on a line before an item's or an answer's first word: « - », « o »,
# « a) », « 1) », the page's « Vraag » / « Antwoord » labels
_ITEM = re.compile(r"[-–—o]|[a-z0-9]{1,2}\)|vraag|antwoord|question|réponse", re.I)
_OPENING = frozenset(" \t\u00a0\u202f«»\"'([“”")  # what may stand between them and its word

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


LANGUAGES = ("fr", "nl")
# bump when the terms of the lexical index change (the index is then rebuilt): 2, Dutch
# compounds split; 3, names written with a capital not split; 4, item marks start a sentence;
# 5, « hoeveel » a Dutch stop word
ANALYZER_VERSION = 5
_SNOWBALL = {"fr": "french", "nl": "dutch"}


def _check_language(language: str) -> None:
    if language not in _SNOWBALL:
        raise ValueError(f"langue {language!r} inconnue : choisissez parmi {', '.join(LANGUAGES)}")


@lru_cache(maxsize=len(_SNOWBALL))
def _stemmer(language: str = "fr"):
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer(_SNOWBALL[language])


@lru_cache(maxsize=len(_SNOWBALL))
def stopwords_of(language: str = "fr") -> frozenset[str]:
    """The folded stop words of ``language``: ours for French, spaCy's for Dutch (with the
    question word it lacks, :data:`_DUTCH_QUESTION_WORDS`)."""
    _check_language(language)
    if language == "fr":
        return STOPWORDS
    spacy_words = frozenset(w for word in _spacy_stop_words(language) for w in _words(word))
    return spacy_words | _DUTCH_QUESTION_WORDS


# spaCy's Dutch list has « wanneer », « waarom », « welke », « hoe », not « hoeveel »: like
# « combien » in French, it asks and is never what a passage is about
_DUTCH_QUESTION_WORDS = frozenset({"hoeveel"})


def _spacy_stop_words(language: str) -> set[str]:
    """spaCy's list for ``language``, read from its file without importing spaCy.

    ``import spacy.lang.nl.stop_words`` would run ``spacy/__init__``, which imports thinc and
    PyTorch (seconds and hundreds of MB on the serving path); the file itself is a plain
    ``STOP_WORDS = set(...)``.
    """
    import importlib.util

    spec = importlib.util.find_spec("spacy")  # locates the package, does not import it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spaCy est introuvable : pip install 'spacy>=3.8,<3.9'")
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / language / "stop_words.py"
    module = importlib.util.module_from_spec(
        importlib.util.spec_from_file_location(f"_stop_words_{language}", path)
    )
    module.__spec__.loader.exec_module(module)
    return set(module.STOP_WORDS)


def fold(text: str) -> str:
    """Lower-case, unify apostrophes, drop accents: ``L’École`` -> ``l'ecole``."""
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return [word for word, _ in _cased_words(text, names=False)]


def _cased_words(text: str, *, names: bool = True) -> list[tuple[str, bool]]:
    """The lower-cased words and numbers of ``text``, each with whether it is written as a
    name (when ``names``): a capital first letter inside a sentence (``Schaarbeek``,
    ``Maalbeek``), not at the start of a sentence, a line or an item, not in capitals
    throughout (``WACHTLIJSTEN``)."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        word = raw.lower().translate(_LIGATURES)
        if word[0].isdigit():
            out.append((word.replace(".", "").replace(",", "."), False))
            continue
        named = (
            names
            and raw[0].isupper()
            and not raw.isupper()
            and not _starts_sentence(text, m.start())
        )
        out.extend((p, named) for p in word.split("-") if p)
    return out


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins a sentence, a line or a list item: only spaces,
    quotes or brackets between it and a full stop, a colon, a bullet or the line's start, or
    an item's mark first on its line (« - », « o », « a) »; a dash inside a line is no start:
    « gemeenten – Schaarbeek »)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    if i < 0 or text[i] in _SENTENCE_ENDS:
        return True
    lo = max(0, i - 12)  # an item's mark is short: look no further back than this
    line = max(text.rfind("\n", lo, i + 1), text.rfind("\r", lo, i + 1))
    if line < 0 and lo > 0:
        return False
    return bool(_ITEM.fullmatch(text[line + 1 : i + 1].strip()))


def split_words(text: str) -> list[str]:
    """The lower-cased words and numbers of ``text``, accents kept, nothing dropped."""
    return _words(text)


def named_words(text: str) -> list[tuple[str, bool]]:
    """The words of :func:`split_words`, each with whether it is written as a name there (a
    capital first letter inside a sentence: ``Schaarbeek``, not ``Voor`` opening one)."""
    return _cased_words(text)


def tokenize(
    text: str,
    *,
    stem: bool = True,
    stopwords: bool = True,
    language: str = "fr",
    compounds: bool = False,
) -> list[str]:
    """Searchable terms of ``text`` analysed as ``language`` ("fr", "nl"), in order.

    ``compounds``: a Dutch compound is followed by the terms of its parts
    (:func:`assistant.text.compounds.split_compound`: ``rusthuisbedden`` gives
    ``rusthuisbed``, ``rusthuis``, ``bed``), a name written with a capital inside a sentence
    is not (``Schaarbeek``); French has none to split."""
    _check_language(language)
    if compounds and language == "nl":
        from .compounds import split_compound

        # a name is not cut (``Schaarbeek`` is no ``schaar``, ``beek``)
        words = [
            part
            for w, named in _cased_words(text)
            for part in (w, *(() if named else split_compound(w)))
        ]
    else:
        words = _words(text)
    if stopwords:
        stop = stopwords_of(language)
        words = [w for w in words if fold(w) not in stop and (len(w) > 1 or w.isdigit())]
    if stem:
        words = _stemmer(language).stemWords(words)
    return [fold(w) for w in words]


def terms(sentence: str, language: str = "fr") -> frozenset[str]:
    """The terms of a sentence in ``language`` (:func:`tokenize`'s other defaults), analysed
    once: the reader and the brief read the same sentences question after question."""
    return _terms(sentence, language)  # one cache key however the language is passed


@lru_cache(maxsize=65536)
def _terms(sentence: str, language: str) -> frozenset[str]:
    return frozenset(tokenize(sentence, language=language))
