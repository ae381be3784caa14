"""The verdict of a yes/no question: does the quoted sentence affirm, deny, or say "not yet"?

"La Région pousse-t-elle … ?" quoting "A court terme, nous n'avons donc pas prévu de
campagne." gives :attr:`Verdict.NO`, shown "**Non** — « … » [1]"; "… n'est pas encore
lancé" gives :attr:`Verdict.NOT_YET`; a sentence without a negation that counts gives
:attr:`Verdict.YES`. A verdict is given only when the sentence is about the question's
subject: the caller passes the sentence's IDF-weighted share of the question's words
(:func:`assistant.answers.extractive.word_share`) and no verdict is given under
:data:`SUBJECT_SHARE`.

Negation is read from tokens, clause by clause: the sentence is cut into clauses at
punctuation and subordinating words ("qui", "que", "lorsque", "omdat", "die"…), and a
negation cue ("ne … pas", "n'… aucun", "ne … plus", "n'y a … ni … ni", "ni … ni … ne",
"jamais", "pas encore", Dutch "niet", "geen", "nog niet", English "not") counts when it is
in the main clause or in a clause that holds one of the question's words: "les entreprises
qui ne peuvent pas payer recevront une aide" affirms. "Non seulement", "pas seulement",
"niet alleen" and the "non-" of a compound are no negation. A word that undoes what was
asked denies it too, unless the question asks about that very word: "annulé", "supprimé",
"abandonné" (Dutch "geannuleerd", "afgeschaft") give "Non"; "reporté", "suspendu", "en
retard" (Dutch "uitgesteld", "opgeschort") give "Pas encore".

Non-goals: no parse (spaCy is not loaded at answer time), no double negation, no
reading of doubt ("éventuelle", "à l'étude") or of a verdict spread over sentences.
"""

from __future__ import annotations

import re
from enum import StrEnum

from ..text.analyzer import fold, tokenize
from .question_types import AnswerType, asked_years, says_year, wanted

__all__ = ["SUBJECT_SHARE", "Verdict", "asks_yes_no", "verdict"]

SUBJECT_SHARE = 0.3  # IDF-weighted share of the question the sentence holds, at least
# (0.3: the 12 dev verdicts it gives all read right, 5 at 0.5; see evals.short_answers --list)


class Verdict(StrEnum):
    YES = "Oui"
    NO = "Non"
    NOT_YET = "Pas encore"


_WORD = re.compile(r"[^\W\d_]+|\d+|[,;:()«»\"–—]", re.UNICODE)
# words that open a subordinate clause (French, Dutch, English)
_SUBORDINATE = frozenset(
    """qui que qu dont où lorsque lorsqu quand si car puisque puisqu parce afin alors tandis
    bien quoique quoiqu die dat omdat als wanneer terwijl hoewel zodat doordat waar
    which that who because when if while although""".split()
)
_CLAUSE_BREAK = frozenset(',;:()«»"–—') | frozenset({"mais", "maar", "but"})
_NOT_YET = (("pas", "encore"), ("toujours", "pas"), ("nog", "niet"), ("nog", "geen"),
            ("not", "yet"), ("nog", "steeds", "niet"))  # fmt: skip
_ALONE = frozenset({"aucun", "aucune", "aucuns", "aucunes", "jamais", "nullement", "niet",
                    "geen", "nooit", "niets", "nergens", "not", "never", "no", "none"})  # fmt: skip
_AFTER_NE = frozenset({"pas", "plus", "rien", "guère", "point", "personne", "ni"})
_NOT_A_NEGATION = (("non", "seulement"), ("pas", "seulement"), ("pas", "uniquement"),
                   ("niet", "alleen"), ("not", "only"), ("pas", "à", "pas"))  # fmt: skip


# the beginnings of the (folded) words that undo what was asked: cancelled, or put off
_CANCELLED = ("annul", "supprim", "abandonn", "stopp", "geannuleerd", "afgelast", "afgeschaft",
              "cancel")  # fmt: skip
_PUT_OFF = ("report", "postpos", "suspend", "suspens", "retard", "uitgesteld", "opgeschort",
            "postpon", "delay")  # fmt: skip


def asks_yes_no(question: str) -> bool:
    """Whether ``question`` wants a yes or a no (:func:`.question_types.wanted`)."""
    return AnswerType.YES_NO in wanted(question)


def verdict(question: str, sentence: str, *, share: float) -> Verdict | None:
    """The verdict ``sentence`` gives ``question`` (None: not a yes/no question, the
    sentence's ``share`` of the question's words is under :data:`SUBJECT_SHARE`, or the
    question asks about a year the sentence does not say)."""
    if share < SUBJECT_SHARE or not asks_yes_no(question):
        return None
    years = asked_years(question)
    if years and not any(says_year(sentence, y) for y in years):
        return None  # « … in 2024 verhoogd? »: a sentence on 2022 says neither yes nor no
    q_terms = frozenset(tokenize(question))
    asked = [fold(w) for w in _WORD.findall(question.lower())]
    found = None
    for clause in _clauses(sentence):
        cue = _negation(clause) or _undone(clause, asked)
        if cue is None:
            continue
        main = clause[0] not in _SUBORDINATE
        about = bool(q_terms & frozenset(tokenize(" ".join(clause))))
        if main or about:
            found = Verdict.NOT_YET if cue == "not yet" or found == Verdict.NOT_YET else Verdict.NO
    return found or Verdict.YES


def _clauses(sentence: str) -> list[list[str]]:
    text = sentence.replace("’", "'").lower()
    text = re.sub(r"\bnon-(?=\w)", "non_", text)  # "non-marchand": a compound, not a "non"
    clauses, current = [], []
    for word in _WORD.findall(re.sub(r"\b([a-z])'", r"\1 ", text)):
        if word in _CLAUSE_BREAK or (word in _SUBORDINATE and current):
            if current:
                clauses.append(current)
            current = [] if word in _CLAUSE_BREAK else [word]
        else:
            current.append(word)
    if current:
        clauses.append(current)
    return clauses


def _negation(words: list[str]) -> str | None:
    """ "not yet", "not" or None: the negation cue the clause holds."""
    words = list(words)
    for phrase in _NOT_A_NEGATION:
        words = _drop(words, phrase)
    for phrase in _NOT_YET:
        if _holds(words, phrase):
            return "not yet"
    ne = [i for i, w in enumerate(words) if w in ("ne", "n")]
    if ne and any(w in _AFTER_NE for w in words[ne[0] + 1 :]):
        return "not"
    if ne and words[: ne[0]].count("ni") >= 2:  # « ni le budget ni le calendrier ne … »
        return "not"
    if "pas" in words or any(w in _ALONE for w in words):
        return "not"
    return None


def _undone(words: list[str], asked: list[str]) -> str | None:
    """ "not" (cancelled), "not yet" (put off) or None, from the clause's words that undo
    what was asked, the question's own words aside."""
    for cues, cue in ((_PUT_OFF, "not yet"), (_CANCELLED, "not")):
        for stem in cues:
            if any(fold(w).startswith(stem) for w in words) and not any(
                w.startswith(stem) for w in asked
            ):
                return cue
    return None


def _holds(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _drop(words: list[str], phrase: tuple[str, ...]) -> list[str]:
    n, out, i = len(phrase), [], 0
    while i < len(words):
        if tuple(words[i : i + n]) == phrase:
            i += n
            continue
        out.append(words[i])
        i += 1
    return out
