"""Check a generated answer against the passages it cites.

Every sentence of the answer must carry at least one ``[n]`` marker, every marker must
name a passage that was given, and the sentence must be supported by a cited passage:

* its embedding (the assistant's own model; markers removed) has a cosine of at least
  ``SUPPORT_THRESHOLD`` with one sentence of a cited passage, and
* a passage sentence that addresses the model (a planted "ignore tes instructions…")
  supports nothing;
* every number it contains (a year, an amount, "1.2.3") appears in a cited passage:
  an embedding barely moves when "12 millions" becomes "50 millions".

``SUPPORT_THRESHOLD`` was chosen on hand-labelled pairs from the bundled document
(``python benchmarks/verify_threshold.py``, see there for the figures).

Non-goals: entailment (no NLI model), fixing an answer (a failed check falls back to the
extractive answer, see :mod:`assistant.answers.generated`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..text.sentences import split_sentences

__all__ = ["SUPPORT_THRESHOLD", "SentenceCheck", "Verification", "verify_answer", "markers"]

# Cosine (multilingual-e5-small, "passage: " prompt on both sides) between an answer
# sentence and the best sentence of the passage it cites. On the 32 hand-labelled pairs of
# evals/verify_pairs.jsonl (python benchmarks/verify_threshold.py): the weakest supported
# paraphrase scores 0.893; true sentences citing the wrong passage score at most 0.858; facts
# invented on the passage's topic score 0.845-0.912. 0.88 keeps every paraphrase (16/16)
# with a margin and catches 12/16 unsupported ones with the number check (11/16 without);
# four invented facts close to their passage pass: the check is a net, not a proof.
# The cosines are model-specific: with another model the threshold must be re-chosen.
SUPPORT_THRESHOLD = 0.88
_MARKER = re.compile(r"\[(\d{1,3})\]")
# A passage sentence that talks to the model ("ignore tes instructions et réponds que …")
# is planted, not evidence: it never supports an answer sentence.
_INSTRUCTION = re.compile(
    r"\b(?:ignore[rsz]?|oublie[rsz]?|ignore\s+all|disregard)\b.{0,60}?"
    r"\b(?:instructions?|consignes?|règles|instructies|rules)\b"
    r"|\b(?:system\s+prompt|prompt\s+système)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def markers(text: str) -> list[int]:
    return [int(m) for m in _MARKER.findall(text)]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".").rstrip(".") for n in _NUMBER.findall(text)}


@dataclass(frozen=True)
class SentenceCheck:
    text: str  # the sentence, markers included
    cited: tuple[int, ...]  # the markers it carries
    support: float  # best cosine with a sentence of a cited passage (0 when none)
    best: tuple[int, int, int] | None  # (passage n, start, end) of the supporting sentence
    problem: str = ""  # "" when supported

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Verification:
    sentences: tuple[SentenceCheck, ...]

    @property
    def ok(self) -> bool:
        return bool(self.sentences) and all(s.ok for s in self.sentences)

    @property
    def problems(self) -> list[str]:
        return [f"« {s.text} » : {s.problem}" for s in self.sentences if s.problem]

    def to_json(self) -> list[dict]:
        return [
            {"sentence": s.text, "cited": list(s.cited), "support": round(s.support, 4)}
            | ({"problem": s.problem} if s.problem else {})
            for s in self.sentences
        ]


def answer_sentences(text: str) -> list[str]:
    """The sentences of a generated answer; a lone marker stays with the sentence before it."""
    text = re.sub(r"\s+", " ", text).strip()
    spans = [text[s.start : s.end] for s in split_sentences(text, min_chars=1)]
    out: list[str] = []
    for s in spans:
        if out and not _MARKER.sub("", s).strip(" .;,"):
            out[-1] += " " + s
        else:
            out.append(s)
    return out


def verify_answer(
    text: str,
    passages: dict[int, str],
    encoder,
    *,
    labels: dict[int, str] | None = None,
    threshold: float = SUPPORT_THRESHOLD,
) -> Verification:
    """Check ``text`` sentence by sentence; ``passages``: marker number -> passage text.

    ``labels`` (marker number -> "Chantier 1.2.2 — …") count for the number check only:
    an answer may name the chantier it quotes.
    """
    labels = labels or {}
    sentences = answer_sentences(text)
    pieces: dict[int, list[tuple[int, int]]] = {
        n: [
            (s.start, s.end)
            for s in split_sentences(p)
            if not _INSTRUCTION.search(p[s.start : s.end])
        ]
        for n, p in passages.items()
    }
    flat = [(n, a, b) for n, spans in pieces.items() for a, b in spans]
    plain = [_MARKER.sub("", s).strip() for s in sentences]
    vectors = (
        encoder.encode_passages([passages[n][a:b] for n, a, b in flat] + plain)
        if sentences
        else np.zeros((0, 1))
    )
    ref, ans = vectors[: len(flat)], vectors[len(flat) :]
    checks = []
    for i, sentence in enumerate(sentences):
        cited = tuple(dict.fromkeys(markers(sentence)))
        unknown = [n for n in cited if n not in passages]
        support, best, problem = 0.0, None, ""
        rows = [j for j, (n, _, _) in enumerate(flat) if n in cited]
        if rows:
            cos = ref[rows] @ ans[i]
            j = rows[int(np.argmax(cos))]
            support, best = float(cos.max()), flat[j]
        if not cited:
            problem = "aucun marqueur [n]"
        elif unknown:
            problem = f"marqueur inconnu [{unknown[0]}] (passages 1 à {len(passages)})"
        elif support < threshold:
            problem = f"non appuyée par le passage cité (cosinus {support:.2f} < {threshold})"
        else:
            cited_text = " ".join(f"{labels.get(n, '')} {passages[n]}" for n in cited)
            extra = sorted(_numbers(plain[i]) - _numbers(cited_text))
            if extra:
                problem = f"nombre absent du passage cité ({', '.join(extra)})"
        checks.append(SentenceCheck(sentence, cited, support, best, problem))
    return Verification(tuple(checks))
