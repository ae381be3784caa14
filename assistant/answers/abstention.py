"""Honest abstention: when the evidence is too weak, say so instead of answering.

The evidence is three features of the best sentences (:class:`AbstentionSignals`): the
cosine of the question with the best-scored sentence, the best IDF-weighted share of the
question's words a sentence contains (the *word share*, named ``coverage`` in the fitted
weights and the JSON), and the share of a French question's words the corpus never uses
(``oov``). :func:`answer_confidence` is a logistic score of them fitted on the dev split of
the evaluation set; under :func:`abstain_threshold`, the assistant abstains and
:func:`refusal` writes the plain refusal with the closest passages "peut-être utiles".

Non-goals: fitting (``python -m evals.answers --fit``), scoring sentences
(:mod:`assistant.answers.extractive`).
"""

from __future__ import annotations

import math
import re

from ..search.intent import question_language
from ..text.analyzer import tokenize
from .referral import referral
from .values import AbstentionSignals, Citation, citation_of

__all__ = [
    "ABSTAIN_THRESHOLD",
    "ABSTAIN_WEIGHTS",
    "CALIBRATED_MODEL",
    "FEATURES",
    "NO_SIGNALS",
    "abstain_threshold",
    "answer_confidence",
    "cut_pages",
    "refusal",
    "signals",
    "uncalibrated_warning",
    "unknown_share",
]

# Abstention: a logistic evidence score fitted on the dev split of the evaluation set, and
# the threshold that refuses at most 5 % of its answerable questions
# (python -m evals.answers --fit --features cosine). Of the feature sets tried on dev
# (cosine; +coverage; +oov; all three), the cosine alone refused the most unanswerable
# questions at that bound; coverage and the unknown-word share are reported, weight 0.
# "coverage" is the word share and "oov" the unknown-word share: the names of the fitted
# weights, kept. Cosines depend on the model: the calibration holds for the model it was
# fitted on only; with another model the assistant does not abstain until it is refitted
# (and says so: uncalibrated_warning).
FEATURES = ("cosine", "coverage", "oov")
CALIBRATED_MODEL = "multilingual-e5-small"
ABSTAIN_WEIGHTS = {"bias": -24.572, "cosine": 28.572, "coverage": 0.0, "oov": 0.0}
ABSTAIN_THRESHOLD = 0.3268
# Words that only a French question has: OOV words count as evidence only in French.
_FRENCH = frozenset(
    "le la les des du une est sont pour au aux que qui quel quelle quels quelles dans sur "
    "avec ce cette il elle je comment combien quand où pourquoi l d qu y a-t-il".split()
)
# When no sentence could be scored: no evidence at all.
NO_SIGNALS = AbstentionSignals(cosine=0.0, word_share=0.0, unknown_share=1.0, confidence=0.0)


def abstain_threshold(model_id: str) -> float | None:
    """The abstention threshold for answers built with ``model_id`` (None: not calibrated)."""
    return ABSTAIN_THRESHOLD if model_id == CALIBRATED_MODEL else None


def uncalibrated_warning(model_id: str) -> str | None:
    """The warning an answer carries when ``model_id`` has no abstention threshold."""
    if abstain_threshold(model_id) is not None:
        return None
    return (
        f"Seuil d'abstention non calibré pour le modèle « {model_id} » (calibré pour "
        f"« {CALIBRATED_MODEL} ») : l'assistant répond toujours, sans pouvoir dire que les "
        "documents ne répondent pas. Recalibrez avec python -m evals.answers --fit."
    )


def cut_pages(citations, *, abstained: bool) -> tuple[str, ...]:
    """One warning per document of ``citations`` whose page was saved cut: what it says may
    go on, or the answer be, in the part that is missing. The caller passes the citations
    worth it (:meth:`assistant.core.Assistant._cut_evidence`)."""
    seen: dict[str, str] = {}
    for c in citations:
        if c.document.incomplete:
            seen.setdefault(c.doc_id, c.document.label or c.doc_id)
    tail = (
        "la réponse peut se trouver dans la partie manquante"
        if abstained
        else "la réponse peut continuer au-delà de ce qui est cité"
    )
    return tuple(
        f"La page de « {label} » a été enregistrée incomplète : {tail}." for label in seen.values()
    )


def answer_confidence(features: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """The logistic confidence (0..1) that the documents answer the question.

    ``features`` and ``weights`` are keyed by :data:`FEATURES` (``weights`` also ``bias``).
    """
    w = weights or ABSTAIN_WEIGHTS
    z = w["bias"] + sum(w[k] * features[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-min(max(z, -50.0), 50.0)))


def unknown_share(question: str, *, known, idf) -> float:
    """IDF-weighted share of a French question's words that the corpus never uses.

    "Qui a gagné la coupe du monde de football ?" asks about words the corpus
    does not have; a question in another language says nothing this way (0).
    """
    words = re.findall(r"[\w']+", question.lower().replace("’", "'"))
    if not any(w.split("'")[0] in _FRENCH for w in words):
        return 0.0
    terms = set(tokenize(question))
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms if not known(t)) / total if total else 0.0


def signals(question: str, *, cosine: float, word_share: float, known, idf) -> AbstentionSignals:
    """The abstention signals of an answer whose best sentence has ``cosine``."""
    features = {
        "cosine": cosine,
        "coverage": word_share,
        "oov": unknown_share(question, known=known, idf=idf),
    }
    return AbstentionSignals(
        cosine=cosine,
        word_share=word_share,
        unknown_share=features["oov"],
        confidence=answer_confidence(features),
    )


def refusal(
    question: str, hits: list, *, chunks, row_of, unmentioned=None
) -> tuple[str, list[Citation]]:
    """The abstention text and the closest passages, cited as "peut-être utile".

    ``unmentioned``: what the documents do not mention, said first: a
    :class:`~.grounding.Gap` (its French line, then its Dutch one for a Dutch question)
    or a word. A closest passage's sentence that sends the point elsewhere (« … relève de
    la Communauté française. », :mod:`.referral`) is said too, and highlighted in its
    citation.
    """
    q = question.strip().rstrip(" ?")
    dutch = question_language(question) == "nl"
    lines = [f"Le document ne contient pas d'information sur ce point : « {q} »."]
    if dutch:
        lines.append(f"Het document bevat hierover geen informatie: « {q} ».")
    if isinstance(unmentioned, str):
        lines.insert(0, f"Les documents ne parlent pas de « {unmentioned} ».")
    elif unmentioned is not None:
        lines[:0] = unmentioned.lines()
    closest = [chunks[row_of[h.chunk_id]] for h in hits[:3]]
    sent = referral(question, closest)  # « … relève de la Communauté française. »
    citations = [
        citation_of(n, chunk, ((sent.start, sent.end),) if sent and sent.rank == n - 1 else ())
        for n, chunk in enumerate(closest, 1)
    ]
    if sent is not None:
        n = sent.rank + 1
        lines.append(f"La réponse renvoie ailleurs sur ce point : « {sent.sentence} » [{n}]")
        if dutch:
            lines.append(f"Het antwoord verwijst hiervoor naar elders: « {sent.sentence} » [{n}]")
    if citations:
        lines.append("Passages peut-être utiles :")
        lines += [f"[{c.n}] {c.section_label}" for c in citations]
    return "\n".join(lines), citations
