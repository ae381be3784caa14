"""Complete a short question of a conversation from the previous one.

"Quelles aides pour les commerces ?" then "et pour les jeunes ?" becomes
"Quelles aides pour les jeunes ?": a short question that starts like a
continuation (``et``, ``mais``, ``aussi``, ``et pour``, ``qu'en est-il de``…)
takes the frame of the previous question, with its last complement replaced
(same preposition) or, failing that, its last noun group replaced. Anything
else is left as it is.

(The brief's "follow-up" of a written question is another matter: :mod:`assistant.brief`.)

Non-goals: pronoun resolution ("il", "celui-ci"), multi-turn memory beyond the
previous question.
"""

from __future__ import annotations

import re

__all__ = ["resolve_in_context"]

_LEAD = re.compile(
    r"^(?:et\s+(?:si\s+)?|mais\s+|aussi\s+|ou\s+|puis\s+|qu['’]en\s+est-il\s+|"
    r"et\s+qu['’]en\s+est-il\s+|même\s+question\s+)",
    re.IGNORECASE,
)
_PREP = r"(?:pour|sur|dans|concernant|en|à|au|aux|de|du|des|avec)"
_GROUP = re.compile(
    r"\b(?:(?:le|la|les|un|une|des|du|de la|aux|au|mes|nos|ses|leurs?)\s+|l['’]\s*)"
    r"[\w’'-]+(?:\s+[\w’'-]+)?$",
    re.IGNORECASE,
)
# "qu'en est-il des artisans" -> "les artisans"
_PARTITIVE = (("des ", "les "), ("du ", "le "), ("de la ", "la "), ("de l'", "l'"), ("de l’", "l’"))


def resolve_in_context(question: str, previous: str | None) -> str:
    """The question to search: ``question`` itself, or completed from ``previous``."""
    if not previous:
        return question
    q = question.strip()
    m = _LEAD.match(q)
    words = q.split()
    if not m or len(words) > 7:
        return question
    focus = q[m.end() :].strip().rstrip(" ?.!").strip()
    frame = previous.strip().rstrip(" ?.!").strip()
    if not focus or not frame:
        return question
    if "est-il" in m.group().lower():
        for partitive, article in _PARTITIVE:
            if focus.lower().startswith(partitive):
                focus = article + focus[len(partitive) :]
                break
        else:
            focus = re.sub(r"^(?:de|d['’])\s*", "", focus)
    prep = re.match(rf"^({_PREP})\b", focus, re.IGNORECASE)
    if prep:
        at = [x.start() for x in re.finditer(rf"\b{prep.group(1)}\b", frame, re.IGNORECASE)]
        if at:
            return f"{frame[: at[-1]]}{focus} ?"
    group = _GROUP.search(frame)
    if group and not prep:
        return f"{frame[: group.start()]}{focus} ?"
    return f"{frame}, {focus} ?"
