"""Grounded abstention: the passages must mention the question's most specific term.

Each content word of the question gets a specificity, its Zipf frequency in everyday
French or Dutch (``wordfreq``, by the question's language): "crêpes" (3.6) is rarer than
"politique" (5.0). The most specific word under the fitted Zipf level
(:func:`grounding_threshold`) must appear in the passages the answer would quote from, as
the same Snowball stem or a stem sharing a long prefix with it (``subsidie`` for
``subsidies``); if it does not, the assistant abstains and says which word the documents
do not mention. The level is fitted on the dev split (``python -m evals.fit_grounding``,
stored with its dev figures in ``grounding.json``; ``null``: the check is off).

A word no sentence carries by stem may still be stood for by a close neighbour: the
cosine of the two words encoded as queries, read from the index's word table
(:mod:`assistant.indexing.words`) and encoded only when the table lacks them.

Rules on figures (:meth:`Grounder.gap`): a figure asked for a year must be quoted with that
year, one asked for a place with that place (:mod:`assistant.answers.figure_scope`, first),
a count must count the noun asked (:mod:`assistant.answers.counted`) and an amount must be
the amount of what was asked (:mod:`assistant.answers.funded`), both checked last.

Non-goals: synonyms or translations (a Dutch word is not looked for in a French passage
under another form), the confidence-based abstention (:mod:`assistant.answers.abstention`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..indexing.words import WordVectors, candidate
from ..search.intent import question_language
from ..text.analyzer import fold, split_words, stopwords_of, tokenize
from .counted import counted_noun, uncounted
from .figure_scope import missing_place, missing_year
from .funded import unfunded
from .question_types import ANSWERED_BY, AnswerType, values, wanted
from .quote_context import continues

__all__ = [
    "Evidence",
    "Gap",
    "Grounder",
    "Levels",
    "Quote",
    "Term",
    "WordVectors",
    "evidence",
    "fitted_levels",
    "grounding_threshold",
    "judge",
    "mentions",
    "missing_term",
    "phrase_of",
    "quotes_of",
    "specific_terms",
    "unmentioned",
]

_FITTED = Path(__file__).with_name("grounding.json")
# A stem matches a passage stem sharing this share of its letters as a prefix (at least 4).
_PREFIX_SHARE = 0.8


@lru_cache(maxsize=1)
def fitted() -> dict:
    """The fitted grounding: ``zipf_threshold``, its dev figures and the refit command."""
    return json.loads(_FITTED.read_text(encoding="utf-8"))


def grounding_threshold() -> float | None:
    """The Zipf level under which a question's word must be mentioned (None: no check)."""
    return fitted().get("zipf_threshold")


@dataclass(frozen=True)
class Term:
    """A content word of the question, its stem and its Zipf frequency (lower: rarer)."""

    word: str
    stem: str
    zipf: float


# a word wordfreq does not know, written as a name (a capital, not the question's first
# word), is a name: « le rôle de Brupartners », « la piscine du Neptunium »
NAMES_UNKNOWN = True
UNKNOWN_NAME_ZIPF = 1.0


def _written_as_name(word: str, question: str) -> bool:
    """Whether ``word`` (lower-cased) is written with a capital in ``question``, not as its
    first word."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", question, re.IGNORECASE):
        if m.group()[0].isupper() and question[: m.start()].strip(" ¿¡«\"'"):
            return True
    return False


def specific_terms(question: str, *, language: str | None = None) -> list[Term]:
    """The question's content words, the most specific (rarest) first.

    Words ``wordfreq`` does not know (Zipf 0: "presidant", "arretées") are left out, unless
    written as a name (a capital, not the question's first word): then they are the rarest.
    """
    from wordfreq import zipf_frequency

    lang = language or question_language(question)
    stop = stopwords_of(lang)
    seen: dict[str, Term] = {}
    for word in split_words(question):
        if len(word) < 3 or word[0].isdigit() or fold(word) in stop or "'" in word:
            continue
        stem = tokenize(word, stopwords=False, language=lang)
        if not stem or stem[0] in seen:
            continue
        zipf = zipf_frequency(word, lang)
        if zipf == 0 and NAMES_UNKNOWN and _written_as_name(word, question):
            zipf = UNKNOWN_NAME_ZIPF  # « STIB », « Neptunium »: a name, the rarest of words
        if zipf > 0:  # a word wordfreq does not know is a typo or foreign as often as rare
            seen[stem[0]] = Term(word, stem[0], zipf)
    return sorted(seen.values(), key=lambda t: t.zipf)


def _mentioned(stem: str, stems: frozenset[str]) -> bool:
    if stem in stems:
        return True
    n = max(4, round(_PREFIX_SHARE * len(stem)))
    if len(stem) < n:
        return False
    return any(s[:n] == stem[:n] for s in stems if len(s) >= n)


def missing_term(
    question: str, texts: list[str], *, threshold: float | None
) -> tuple[Term | None, bool]:
    """The question's most specific term under ``threshold`` and whether ``texts`` lack it.

    ``(None, False)`` when no word is that specific (or ``threshold`` is None).
    """
    if threshold is None:
        return None, False
    lang = question_language(question)
    terms = [t for t in specific_terms(question, language=lang) if t.zipf < threshold]
    if not terms:
        return None, False
    stems = frozenset(s for text in texts for s in tokenize(text, stopwords=False, language=lang))
    best = terms[0]
    return best, not _mentioned(best.stem, stems)


def unmentioned(question: str, texts: list[str], *, threshold: float | None) -> str | None:
    """The question's most specific word when ``texts`` do not mention it, else None."""
    term, missing = missing_term(question, texts, threshold=threshold)
    return term.word if missing else None


# --- sentence-level grounding: the QUOTED sentences must carry the question's subject ---

# the answer types a sentence must hold, in the question's words (French, Dutch)
_TYPE_NAMES = {
    "fr": {
        AnswerType.AMOUNT: "montant",
        AnswerType.COUNT: "nombre",
        AnswerType.PERCENT: "pourcentage",
        AnswerType.DATE: "date",
        AnswerType.WHO: "nom",  # a person's name (assistant.answers.named)
    },
    "nl": {
        AnswerType.AMOUNT: "bedrag",
        AnswerType.COUNT: "aantal",
        AnswerType.PERCENT: "percentage",
        AnswerType.DATE: "datum",
        AnswerType.WHO: "naam",
    },
}
# the figures a question may want; strict typing: a count question wants a count (or a
# share), not a sum of money
_STRICT = {
    AnswerType.AMOUNT: frozenset({AnswerType.AMOUNT}),
    AnswerType.COUNT: frozenset({AnswerType.COUNT, AnswerType.PERCENT, AnswerType.DURATION}),
    AnswerType.PERCENT: frozenset({AnswerType.PERCENT}),
}  # dates are left out: "le 22 avril prochain", "fin de l'année" answer as often as a date


# verbs of spending: « combien … mis / investi / dépensé / consacré … ? » asks for a sum
_SPENT = re.compile(
    r"\b(?:mis|mise|investi\w*|dépens\w*|allou\w*|consacr\w*|coût\w*|pay\w*|vers[ée]\w*"
    r"|octroy\w*|financ\w*|uitgegeven|geïnvesteerd|geinvesteerd|besteed|betaald|gekost"
    r"|spent|invested|paid)\b",
    re.I,
)


@dataclass(frozen=True)
class Levels:
    """The fitted sentence-level grounding (``grounding.json``, ``levels``)."""

    zipf: float  # a question word under this Zipf frequency is specific
    present: float  # share of the specific words the quoted sentences must carry
    neighbour: float | None  # cosine at which a quoted word stands for a missing one
    typed: bool  # a wanted value must sit in a sentence that carries a specific word


@dataclass(frozen=True)
class Quote:
    """One quoted passage: its section label and the sentences quoted (context included)."""

    label: str
    sentences: tuple[str, ...]
    language: str = ""  # of its document ("": the question's)
    # its document's title: what every sentence of a written answer speaks of, read with
    # the label by the words' check (not by the counted noun's nor the amount's purpose's,
    # which must be said with the figure)
    title: str = ""


@dataclass(frozen=True)
class Evidence:
    """What the quoted sentences carry of a question, for every level at once.

    ``carried[i][j]``: how closely sentence j (the labels come last, as sentences that hold
    no value) carries ``terms[i]``: 1.0 for the same stem, else the best cosine of the term
    with a word of the sentence (0.0 when not computed).
    """

    language: str
    terms: tuple[Term, ...]
    carried: tuple[tuple[float, ...], ...]
    context: tuple[int, ...]  # per sentence: the index of its passage's label
    typed: tuple[bool, ...]  # per sentence: holds the wanted value (loose typing)
    strictly_typed: tuple[bool, ...]  # the same with strict typing
    wants: tuple[AnswerType, ...]  # the wanted types that need a value
    # per sentence: it continues the one before it in its quote (opens on an anaphor, or
    # follows a lead-in ending with ":"), so that one's words are its subject too
    continues: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Gap:
    """What the documents do not mention: a part of the question, or a value about it."""

    language: str
    phrase: str  # the question's words the quoted sentences lack (or the subject)
    value: AnswerType | None = None  # set: the subject is there, not the wanted value

    def lines(self) -> list[str]:
        """The refusal's first lines, French first, then Dutch for a Dutch question."""
        out = [_say("fr", self)]
        if self.language == "nl":
            out.append(_say("nl", self))
        return out


def _say(lang: str, gap: Gap) -> str:
    if gap.value is None:
        if lang == "nl":
            return f"De documenten spreken niet over « {gap.phrase} »."
        return f"Les documents ne parlent pas de « {gap.phrase} »."
    name = _TYPE_NAMES[lang][gap.value]
    if lang == "nl":
        return f"De documenten noemen geen {name} voor « {gap.phrase} »."
    return f"Les documents ne donnent pas de {name} pour « {gap.phrase} »."


def levels_of(raw: dict | None) -> Levels | None:
    return None if raw is None else Levels(**raw)


def fitted_levels() -> Levels | None:
    """The fitted sentence-level grounding (None: the check is off)."""
    return levels_of(fitted().get("levels"))


def _content_words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in split_words(text) if candidate(w) and fold(w) not in stop]


def evidence(
    question: str, quotes: list[Quote], *, encode=None, max_zipf: float = 99.0
) -> Evidence:
    """The :class:`Evidence` of ``quotes`` for ``question``.

    ``encode`` (texts -> unit rows, cached per word by the caller): the cosine of a term
    with the words of each sentence that does not carry it by stem; None: stems only. Only the
    words under ``max_zipf`` are looked at, and the rarest one.
    """
    lang = question_language(question)
    every = specific_terms(question, language=lang)
    # the rarest word stays: it is the subject when no word is under the level (judge)
    terms = tuple(t for k, t in enumerate(every) if t.zipf < max_zipf or k == 0)
    sentences = [s for q in quotes for s in q.sentences] + [_context_of(q) for q in quotes]
    n_text = sum(len(q.sentences) for q in quotes)
    context = tuple(
        [n_text + k for k, q in enumerate(quotes) for _ in q.sentences]
        + [n_text + k for k in range(len(quotes))]
    )
    stems = [frozenset(tokenize(s, stopwords=False, language=lang)) for s in sentences]
    carried = [[1.0 if _mentioned(t.stem, st) else 0.0 for st in stems] for t in terms]
    if encode is not None and sentences:
        stop = stopwords_of(lang)
        words = [_content_words(s, stop) for s in sentences]
        # every term a sentence with words lacks: the typed check reads each sentence
        # (« 138 écoles » must stand with « aidées » though another one says « aide »)
        missing = [
            i for i, row in enumerate(carried) if any(c < 1.0 and ws for c, ws in zip(row, words))
        ]
        vocab = sorted({w for ws in words for w in ws})
        if vocab and missing:
            import numpy as np

            vecs = encode([terms[i].word for i in missing] + vocab)
            t_vecs, w_vecs = vecs[: len(missing)], vecs[len(missing) :]
            at = {w: k for k, w in enumerate(vocab)}
            cos = t_vecs @ w_vecs.T
            for a, i in enumerate(missing):
                for j, ws in enumerate(words):
                    if ws:
                        best = float(np.max(cos[a, [at[w] for w in ws]]))
                        carried[i][j] = max(carried[i][j], min(best, 0.999))
    asked = wanted(question)
    wants = tuple(t for t in _STRICT if t in asked)  # in _STRICT's order, not a set's
    loose = frozenset().union(*(ANSWERED_BY[t] for t in wants)) if wants else frozenset()
    strict = frozenset().union(*(_STRICT[t] for t in wants)) if wants else frozenset()
    if AnswerType.COUNT in wants and counted_noun(question) is None and _SPENT.search(question):
        # « Combien la Région a-t-elle mis pour … ? » counts no thing, it asks what was spent
        strict |= {AnswerType.AMOUNT}
    kinds = [
        frozenset(v.type for v in values(s)) if j < n_text else frozenset()
        for j, s in enumerate(sentences)
    ]
    goes_on = tuple(
        0 < j < n_text
        and context[j - 1] == context[j]
        and continues(sentences[j], sentences[j - 1])
        for j in range(len(sentences))
    )
    return Evidence(
        lang,
        terms,
        tuple(tuple(r) for r in carried),
        context,
        tuple(bool(k & loose) for k in kinds),
        tuple(bool(k & strict) for k in kinds),
        wants,
        goes_on,
    )


def judge(ev: Evidence, levels: Levels, *, question: str = "") -> Gap | None:
    """The :class:`Gap` of ``ev`` under ``levels``; None: the quoted sentences are grounded.

    The specific words are those under ``levels.zipf``; the subject a wanted figure must sit
    with (in its sentence, its passage's label, or the sentence it continues: « Open Soon
    soutient … . Il y a eu 31 lauréats ») is the specific words, or the rarest word when
    none is that specific.
    """
    bar = 1.0 if levels.neighbour is None else levels.neighbour
    idx = [i for i, t in enumerate(ev.terms) if t.zipf < levels.zipf]
    subject = idx or ([0] if ev.terms else [])
    has = {i: [c >= bar for c in ev.carried[i]] for i in subject}
    lacking = [i for i in idx if not any(has[i])]
    if idx and (len(idx) - len(lacking)) / len(idx) < levels.present - 1e-9:
        words = [ev.terms[i].word for i in lacking]
        return Gap(ev.language, phrase_of(question, words) if question else words[0])
    if levels.typed and ev.wants and subject:
        typed = ev.strictly_typed
        ctx = ev.context
        after = ev.continues or (False,) * len(typed)

        def holds_subject(j: int) -> bool:  # its sentence, the one it continues, its label
            near = (j, ctx[j], j - 1) if after[j] else (j, ctx[j])
            return any(has[i][k] for i in subject for k in near)

        if not any(typed[j] and holds_subject(j) for j in range(len(typed))):
            named = [ev.terms[i].word for i in subject if i not in lacking] or [
                ev.terms[subject[0]].word
            ]
            phrase = phrase_of(question, named) if question else named[0]
            return Gap(ev.language, phrase, ev.wants[0])
    return None


def mentions(subject: str, texts: list[str]) -> bool:
    """Whether ``texts`` carry at least half of the content words of ``subject`` as the
    same stem (or a long shared prefix). No neighbours: two words' cosines as queries are
    too close to each other to tell a subject from another (0.85 for « crêpes » and
    « livraison », 0.82 for « trottinettes » and « deelsteps »)."""
    levels = Levels(zipf=99.0, present=0.5, neighbour=None, typed=False)
    return judge(evidence(subject, [Quote("", tuple(texts))], max_zipf=99.0), levels) is None


def phrase_of(question: str, words: list[str]) -> str:
    """The part of ``question`` around ``words[0]`` made of ``words`` and the short words
    between them ("pâte à crêpes" for ["crêpes", "pâte"])."""
    tokens = list(re.finditer(r"[^\W_]+(?:[-'’][^\W_]+)*", question))
    want = {w.lower() for w in words}
    lang = question_language(question)
    stop = stopwords_of(lang)
    pos = [k for k, m in enumerate(tokens) if m.group().lower() in want]
    if not pos:  # a word inside a name ("GO4Brussels"): as the question spells it
        m = re.search(re.escape(words[0]), question, re.IGNORECASE)
        return m.group() if m else words[0]
    first = next((k for k in pos if tokens[k].group().lower() == words[0].lower()), pos[0])
    lo = hi = first
    for k in sorted(pos):  # grow over neighbours joined by at most one stop word
        if (
            k > hi
            and k - hi <= 2
            and all(fold(tokens[m].group()) in stop for m in range(hi + 1, k))
        ):
            hi = k
    for k in sorted(pos, reverse=True):
        if (
            k < lo
            and lo - k <= 2
            and all(fold(tokens[m].group()) in stop for m in range(k + 1, lo))
        ):
            lo = k
    return question[tokens[lo].start() : tokens[hi].end()]


class Grounder:
    """The sentence-level check at ``levels``, with the index's encoder and word table
    (``words``) for the neighbours (:class:`WordVectors`; ``vectors``: one already made,
    shared with the search, which then encodes each question word once)."""

    def __init__(
        self,
        levels: Levels,
        encoder=None,
        *,
        words=None,
        cache_size: int = 8192,
        vectors: WordVectors | None = None,
    ) -> None:
        self.levels = levels
        near = levels.neighbour is not None and (encoder is not None or vectors is not None)
        if vectors is None and near:
            vectors = WordVectors(encoder, words=words, cache_size=cache_size)
        self.encode = vectors if near else None

    def gap(self, question: str, quotes: list[Quote]) -> Gap | None:
        """The :class:`Gap` of the quoted sentences; the encoder is asked only when the stems
        alone leave one (a neighbour only ever fills a gap)."""
        year = missing_year(question, quotes)
        if year is not None:
            asked = wanted(question)
            figure = next(t for t in _STRICT if t in asked)  # _STRICT's order, not a set's
            return Gap(question_language(question), year, figure)
        place = missing_place(question, quotes)  # « … à Anderlecht ? » / the Region's figure
        if place is not None:
            return Gap(question_language(question), place)
        ev = evidence(question, quotes, max_zipf=self.levels.zipf)
        gap = judge(ev, self.levels, question=question)
        if gap is not None and self.encode is not None:
            ev = evidence(question, quotes, encode=self.encode, max_zipf=self.levels.zipf)
            gap = judge(ev, self.levels, question=question)
        if gap is not None:
            return gap
        noun = uncounted(question, quotes)  # « combien de zones ? » / « 8.430 redevances »
        if noun is not None:
            return Gap(question_language(question), noun, AnswerType.COUNT)
        noun = unfunded(question, quotes)  # « le budget de la culture » / « le plan numérique »
        return None if noun is None else Gap(question_language(question), noun, AnswerType.AMOUNT)


def _context_of(quote: Quote) -> str:
    """What names a quoted passage's subject: its label and, when TITLE_IN_LABEL, its
    document's title (« lutte contre les dépôts clandestins »)."""
    return f"{quote.label} — {quote.title}" if quote.title and TITLE_IN_LABEL else quote.label


TITLE_IN_LABEL = True


def quotes_of(citations, chunks, rows) -> list[Quote]:
    """The :class:`Quote` of each cited row (the sentences its citation highlights)."""
    return [
        Quote(
            chunks[r].section_label,
            tuple(chunks[r].text[a:b] for a, b in c.highlights),
            chunks[r].doc_language,
            getattr(chunks[r], "doc_title", ""),
        )
        for r, c in zip(rows, citations, strict=False)
    ]
