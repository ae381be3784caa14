"""Sentence annotations made once at index time with spaCy, cached by content hash.

Every sentence the reader can quote (the spans of :func:`assistant.text.sentences.split_sentences`
in each chunk) gets an :class:`Annotation`: its named entities (spaCy label and character
span in the sentence: ``PER``, ``LOC``, ``ORG``, ``MISC``), the Snowball stems of its
content words' *lemmas* (``tokenize`` of the lemmas, so that a question analysed at answer
time with :func:`assistant.text.analyzer.tokenize`, without spaCy, meets them: "financées"
and "financement" both give ``financ``) and the answer types it holds (the reader's regular
expressions, :func:`assistant.answers.question_types.values`, plus ``who`` for a PER or ORG
entity and ``place`` for a LOC one).

French sentences use ``fr_core_news_sm`` (MIT library, model LGPL-LR); Dutch ones use
``nl_core_news_sm`` only if it is installed, otherwise they get the regular-expression types
and plain stems only (``Annotation.model`` says which). spaCy loads in about 3 s and some
300 MB, so it is imported here only, when a build finds sentences its cache lacks: the
serving path (search, ask, app) reads the stored annotations and never imports spaCy.

The cache is keyed like the embeddings (sha256 of the language and the sentence text,
:func:`key`) and holds exactly the current index's sentences; it is the generation's
``annotations.jsonl`` itself (one row per sentence span, with its key).

Non-goals: coreference, dependency parses, annotating the questions at answer time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "ANNOTATIONS_FILE",
    "ANNOTATOR_VERSION",
    "Annotation",
    "Annotator",
    "annotate_sentences",
    "key",
    "load_annotations",
    "save_annotations",
]

ANNOTATIONS_FILE = "annotations.jsonl"
ANNOTATOR_VERSION = 1  # bump when what an annotation holds changes (the cache is then dropped)
MODELS = {"fr": "fr_core_news_sm", "nl": "nl_core_news_sm"}
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
_ENTITY_TYPES = {"PER": "who", "ORG": "who", "LOC": "place"}


@dataclass(frozen=True)
class Annotation:
    """What index time knows of one sentence (spans relative to the sentence)."""

    entities: tuple[tuple[str, int, int], ...]  # (label, start, end)
    stems: tuple[str, ...]  # sorted distinct stems of the content lemmas
    types: tuple[str, ...]  # sorted answer types (question_types.AnswerType values)
    model: str  # the spaCy pipeline that made it, "" for regular expressions only

    def to_json(self) -> dict:
        return {
            "e": [list(e) for e in self.entities],
            "s": list(self.stems),
            "t": list(self.types),
            "m": self.model,
        }

    @classmethod
    def from_json(cls, row: dict) -> Annotation:
        return cls(
            tuple((str(a), int(b), int(c)) for a, b, c in row["e"]),
            tuple(str(s) for s in row["s"]),
            tuple(str(t) for t in row["t"]),
            str(row["m"]),
        )


def key(text: str, language: str) -> str:
    return hashlib.sha256(f"{ANNOTATOR_VERSION}\0{language}\0{text}".encode()).hexdigest()


def _regex_types(text: str) -> set[str]:
    from ..answers.question_types import values

    return {v.type.value for v in values(text)}


@lru_cache(maxsize=4)
def _pipeline(name: str):
    """spaCy's pipeline ``name`` (loaded once per process), None if it is not installed."""
    if not name:
        return None
    import spacy

    try:
        return spacy.load(name, disable=["parser"])
    except OSError:  # not installed (nl_core_news_sm is optional)
        return None


class Annotator:
    """spaCy pipelines, loaded on first use; ``calls`` counts the sentences annotated."""

    def __init__(self) -> None:
        self._nlp: dict[str, object | None] = {}
        self.calls = 0
        self.load_seconds = 0.0

    def pipeline(self, language: str):
        if language not in self._nlp:
            import time

            started = time.perf_counter()
            self._nlp[language] = _pipeline(MODELS.get(language, ""))
            self.load_seconds += time.perf_counter() - started
        return self._nlp[language]

    def annotate(self, texts: list[str], *, language: str) -> list[Annotation]:
        from ..text.analyzer import tokenize

        lang = language if language in MODELS else "fr"
        nlp = self.pipeline(lang)
        self.calls += len(texts)
        if nlp is None:
            return [
                Annotation(
                    (),
                    tuple(sorted(set(tokenize(t, language=lang)))),
                    tuple(sorted(_regex_types(t))),
                    "",
                )
                for t in texts
            ]
        name = f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"
        out = []
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True):
            ents = tuple((e.label_, e.start_char, e.end_char) for e in doc.ents)
            lemmas = " ".join(t.lemma_ for t in doc if t.pos_ in _CONTENT)
            types = _regex_types(text) | {
                _ENTITY_TYPES[e[0]] for e in ents if e[0] in _ENTITY_TYPES
            }
            out.append(
                Annotation(
                    ents,
                    tuple(sorted(set(tokenize(lemmas, language=lang)))),
                    tuple(sorted(types)),
                    name,
                )
            )
        return out


def annotate_sentences(
    items: list[tuple[str, str]], *, cache: dict[str, Annotation], annotator: Annotator
) -> tuple[list[Annotation], list[str]]:
    """Annotations of ``items`` ((sentence text, language) pairs), in order, and their keys.

    Only the distinct sentences ``cache`` (key -> annotation) lacks go to ``annotator``.
    """
    keys = [key(t, lang) for t, lang in items]
    missing: dict[str, dict[str, str]] = {}  # language -> key -> text
    for k, (t, lang) in zip(keys, items, strict=True):
        if k not in cache:
            missing.setdefault(lang, {})[k] = t
    found = dict(cache)
    for lang, todo in missing.items():
        for k, a in zip(todo, annotator.annotate(list(todo.values()), language=lang), strict=True):
            found[k] = a
    return [found[k] for k in keys], keys


def save_annotations(path: Path, annotations: list[Annotation], keys: list[str]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for k, a in zip(keys, annotations, strict=True):
            f.write(json.dumps({"k": k, **a.to_json()}, ensure_ascii=False) + "\n")


def load_annotations(path: Path) -> tuple[list[Annotation], list[str]]:
    """The annotations of a generation, in sentence order, and their keys."""
    annotations, keys = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                keys.append(str(row["k"]))
                annotations.append(Annotation.from_json(row))
    return annotations, keys
