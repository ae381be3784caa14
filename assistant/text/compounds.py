"""Dutch compounds split into the words they are made of, for lexical search.

Dutch writes its compounds as one word: a question about ``rusthuisbedden`` meets an answer
about ``bedden`` in ``rusthuizen`` only if the compound is split. :func:`split_compound`
does it the frequency-based way of Koehn & Knight (2003, "Empirical methods for compound
splitting"): a word that ``wordfreq``'s Dutch list does not know (Zipf < :data:`KNOWN`, nor
as the plural in ``-en`` or ``-s`` of a word it knows) is cut into two or three parts that
it knows (Zipf ≥ :data:`KNOWN`, :data:`MIN_PART` letters or more), with an optional linking
``s``, ``e`` or ``en`` between them (``zondag·s·opening``); of several cuts, the one whose
parts have the highest mean Zipf frequency wins (their geometric mean frequency), and two
parts win over three (three short frequent words are found in most long words:
``zon·dag·s·opening``). ``deelsteps`` → ``deel``, ``steps``; ``rusthuisbedden`` →
``rusthuis``, ``bedden``; ``werkzoekenden`` and ``rusthuis`` are known and stay whole.

The list is the words of ``wordfreq``'s small Dutch list at Zipf ≥ :data:`KNOWN` (~29,000
words, ~2 MB, read in ~10 ms on first use); nothing is downloaded.

Non-goals: French (its compounds are written apart), words of other languages (a French
word analysed as Dutch is split only into two known Dutch words), morphology beyond the
linking letters (``pannenkoek``, ``scheepvaart``: an unknown first part stays whole).
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["split_compound", "KNOWN", "MIN_PART"]

KNOWN = 3.0  # Zipf frequency from which wordfreq "knows" a Dutch word (1 in a million words)
MIN_PART = 3  # letters of the shortest part: "bed", "wet"; "en", "de" are never parts
_MIN_WORD = 2 * MIN_PART + 1  # shorter words are not compounds worth cutting
_LINKS = ("", "s", "e", "en")  # Dutch linking letters between two parts
_PLURALS = ("en", "s")  # « deelauto's » reaches here as « deelauto », « s »


@lru_cache(maxsize=1)
def _zipf() -> dict[str, float]:
    """The Dutch words wordfreq knows, with their Zipf frequency (its buckets: 0.01 apart)."""
    from wordfreq import available_languages, read_cBpack

    # the "small" list: the words at Zipf ≥ 3 only, read without wordfreq's cache of the
    # whole list (+41 MB for the large one); bucket i holds the words at Zipf 9 - i / 100
    buckets = read_cBpack(available_languages("small")["nl"])
    top = int(round((9.0 - KNOWN) * 100))
    return {w: (900 - i) / 100 for i, words in enumerate(buckets[: top + 1]) for w in words}


def _known(word: str) -> bool:
    zipf = _zipf()
    if word in zipf:
        return True
    return any(word.endswith(end) and word[: -len(end)] in zipf for end in _PLURALS)


def _cuts(word: str, parts: int, shortest: int) -> tuple[float, tuple[str, ...]] | None:
    """The best cut of ``word`` into ``parts`` known parts of ``shortest`` letters or more,
    linking letters between them: (the parts' mean Zipf, the parts), or None."""
    zipf = _zipf()
    if parts == 1:
        if len(word) < shortest or not _known(word):
            return None
        return zipf.get(word, KNOWN), (word,)  # a plural form: counted at the threshold
    best = None
    for i in range(shortest, len(word) - shortest + 1):
        head = word[:i]
        if head not in zipf:
            continue
        for link in _LINKS:
            if not word.startswith(link, i):
                continue
            tail = _cuts(word[i + len(link) :], parts - 1, shortest)
            if tail is None:
                continue
            score = (zipf[head] + tail[0] * (parts - 1)) / parts
            if best is None or score > best[0]:
                best = (score, (head, *tail[1]))
    return best


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a lower-cased Dutch ``word``, or ``()`` when it is known or not a
    compound of known words: ``"rusthuisbedden"`` → ``("rusthuis", "bedden")``."""
    if len(word) < _MIN_WORD or not word.isalpha() or _known(word):
        return ()
    # two parts when two are enough; no three-letter part among three
    cut = _cuts(word, 2, MIN_PART) or _cuts(word, 3, MIN_PART + 1)
    return cut[1] if cut else ()
