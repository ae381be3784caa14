"""The short answer: the value a question wants, taken from the sentence quoted first.

"Quand l'accord-cadre a-t-il été conclu ?" quoting "L'accord-cadre sectoriel ICT a été
conclu en février 2020." gives the short answer "février 2020", shown in bold before the
quote (:func:`lead_with`) and given in the JSON with its character range in the
citation's excerpt (:class:`assistant.answers.values.ShortAnswer`).

Non-goals: no yes/no verdict (a sentence that denies is not always a "non" to the
question asked), no value computed or converted: the short answer is a span of the text.
"""

from __future__ import annotations

from ..text.analyzer import fold, tokenize
from .question_types import AnswerType, values
from .values import ShortAnswer

__all__ = ["find_short_answer", "lead_with"]

# the order in which a question's wanted types are looked for, and the value types that
# answer each, the closest first ("Quel budget ?" takes an amount before a count)
_ORDER = (
    (AnswerType.PERCENT, (AnswerType.PERCENT,)),
    (AnswerType.AMOUNT, (AnswerType.AMOUNT, AnswerType.COUNT)),
    (AnswerType.COUNT, (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT)),
    (AnswerType.DATE, (AnswerType.DATE,)),
    (AnswerType.WHO, (AnswerType.WHO,)),
)
WINDOW = 60  # characters either side of a value where the question's words are counted


def find_short_answer(
    wants: frozenset[AnswerType],
    text: str,
    spans,
    *,
    citation: int,
    terms=frozenset(),
    question: str = "",
) -> ShortAnswer | None:
    """The value of a wanted type in the quoted ``spans`` of ``text`` (None: none).

    A value the ``question`` itself names ("le PBEE") is no answer. Of several, the one with
    most of the question's ``terms`` (analysed, see :func:`assistant.text.analyzer.tokenize`)
    within :data:`WINDOW` characters, then the first.
    """
    asked = fold(question)
    for wanted_type, accepted in _ORDER:
        if wanted_type not in wants:
            continue
        for value_type in accepted:
            found = [
                (start + v.start, start + v.end)
                for start, end in spans
                for v in values(text[start:end])
                if v.type == value_type and fold(text[start + v.start : start + v.end]) not in asked
            ]
            if found:
                a, b = max(found, key=lambda ab: _near(text, ab, terms))
                return ShortAnswer(text=text[a:b], type=value_type.value, citation=citation,
                                   start=a, end=b)  # fmt: skip
    return None


def _near(text: str, span: tuple[int, int], terms) -> int:
    window = text[max(span[0] - WINDOW, 0) : span[1] + WINDOW // 2]
    return len(terms & set(tokenize(window)))


def lead_with(short: ShortAnswer, answer: str) -> str:
    """``answer`` led by the short answer in bold: "**février 2020** — « … » [1]"."""
    body, sep, marker = answer.rpartition(" [")
    if sep and "\n" not in answer:
        return f"**{short.text}** — « {body} » [{marker}"
    return f"**{short.text}** — {answer}"
