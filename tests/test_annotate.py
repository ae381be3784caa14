"""Index-time sentence annotations: real spaCy on hand-checked sentences, the cache by
content hash, the store round trip, an index from before the annotations, the reader's use."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answers.question_types import AnswerType, holds_entity
from assistant.indexing import store
from assistant.indexing.annotate import ANNOTATIONS_FILE, Annotator, annotate_sentences, key
from assistant.indexing.build import build_index
from assistant.indexing.store import load_index
from assistant.text.analyzer import tokenize

from .conftest import DOC_PATH

ROOT = Path(__file__).resolve().parents[1]


class CountingAnnotator(Annotator):
    """The real annotator, recording every sentence it is asked to annotate."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def annotate(self, texts, *, language):
        self.seen.extend(texts)
        return super().annotate(texts, language=language)


def test_real_spacy_entities_lemmas_and_types():
    a = Annotator()
    s1 = "Le ministre Alain Maron a financé trois écoles à Schaerbeek."
    s2 = "La STIB a acheté 50 bus le 3 mars 2024."
    s3 = "Les travaux commenceront en 2025."
    n1, n2, n3 = a.annotate([s1, s2, s3], language="fr")
    assert ("PER", s1.index("Alain"), s1.index("Alain") + len("Alain Maron")) in n1.entities
    assert ("LOC", s1.index("Schaerbeek"), s1.index("Schaerbeek") + 10) in n1.entities
    assert {"who", "place", "count"} <= set(n1.types)
    assert {"financ", "ecol", "maron"} <= set(n1.stems)
    assert ("ORG", 3, 7) in n2.entities and {"who", "date", "count"} <= set(n2.types)
    # "travaux" lemmatised to "travail": a question asking about "travail" meets it, and
    # the plain stems of the sentence would not
    assert "travail" in n3.stems and "travail" not in tokenize(s3)
    assert "date" in n3.types and n3.model.startswith("fr_core_news_sm")
    assert a.calls == 3


def test_dutch_without_its_model_gets_regex_types_only():
    from assistant.indexing.annotate import _pipeline

    text = "De minister betaalt 50 euro in 2024."
    (note,) = Annotator().annotate([text], language="nl")
    if _pipeline("nl_core_news_sm") is None:  # plain Dutch stems, the analyzer's
        assert note.model == "" and note.entities == ()
        assert set(note.stems) == set(tokenize(text, language="nl"))
    assert {"amount", "date"} <= set(note.types) and "euro" in note.stems


def test_annotate_sentences_sends_only_unknown_distinct_sentences():
    a = CountingAnnotator()
    items = [("Bruxelles finance dix crèches.", "fr"), ("Une autre phrase ici.", "fr")]
    notes, keys = annotate_sentences(items + items[:1], cache={}, annotator=a)
    assert a.seen == [t for t, _ in items] and keys[0] == keys[2] and notes[0] == notes[2]
    a.seen.clear()
    cache = dict(zip(keys, notes, strict=True))
    again, _ = annotate_sentences(items, cache=cache, annotator=a)
    assert a.seen == [] and again == notes[:2]
    assert key("x", "fr") != key("x", "nl")


@pytest.fixture
def built(tmp_path, corpus_dir, toy_encoder):
    index_dir = tmp_path / "index"
    a = CountingAnnotator()
    build_index(
        corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder, progress=False, annotator=a
    )
    return index_dir, a


def test_second_build_calls_spacy_only_for_new_sentences(built, corpus_dir, toy_encoder):
    index_dir, first = built
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder)
    n = len(loaded.sentence_spans)
    assert 0 < len(set(first.seen)) == first.calls <= n
    assert loaded.meta["annotations"]["annotated"] == first.calls
    again = CountingAnnotator()
    build_index(
        corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder, progress=False, annotator=again
    )
    assert again.calls == 0 and again.seen == []
    meta = json.loads((index_dir / "meta.json").read_text())
    assert meta["annotations"]["from_cache"] == n
    # a new document: only its sentences the index has not seen go to spaCy
    text = DOC_PATH.read_text(encoding="utf-8").replace("(question n°517)", "(question n°518)")
    text = text.replace("Housing First", "Logement abordable en Région bruxelloise")
    (corpus_dir / "qe-518-bis.txt").write_text(text, encoding="utf-8")
    third = CountingAnnotator()
    build_index(
        corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder, progress=False, annotator=third
    )
    assert 0 < third.calls < first.calls
    assert any("Logement abordable" in s for s in third.seen)


def test_store_round_trip(built, corpus_dir, toy_encoder):
    index_dir, _ = built
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder)
    assert loaded.meta["format_version"] == store.FORMAT_VERSION == 2
    assert ANNOTATIONS_FILE in loaded.meta["files"]
    assert len(loaded.annotations) == len(loaded.annotation_keys) == len(loaded.sentence_spans)
    row, start, end = (int(x) for x in loaded.sentence_spans[0])
    text = loaded.chunks[row].text[start:end]
    fresh = inspect.unwrap(Annotator.annotate)  # spaCy run again, not the session's memo
    (expected,) = fresh(Annotator(), [text], language=loaded.chunks[row].doc_language or "fr")
    assert loaded.annotations[0] == expected
    for (row, start, end), note in zip(loaded.sentence_spans.tolist(), loaded.annotations):
        for _, a, b in note.entities:
            assert 0 <= a < b <= end - start
    assert sum(bool(n.entities) for n in loaded.annotations) > 10


def _as_format_1(index_dir):
    """Rewrite the index as the format before the annotations: no file, format 1."""
    meta = json.loads((index_dir / "meta.json").read_text())
    (index_dir / meta["generation"] / ANNOTATIONS_FILE).unlink()
    del meta["files"][ANNOTATIONS_FILE]
    meta["format_version"] = 1
    meta.pop("annotations", None)
    (index_dir / "meta.json").write_text(json.dumps(meta))


def test_an_index_from_before_the_annotations_loads_and_answers(built, corpus_dir, toy_encoder):
    index_dir, _ = built
    _as_format_1(index_dir)
    loaded = load_index(corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder)
    assert loaded.annotations is None
    assert store.previous_annotations(index_dir, warn=print) == {}
    a = Assistant.load(corpus=corpus_dir, index=index_dir, encoder=toy_encoder, log=print)
    assert a.sentences.annotations is None
    answer = a.ask("Quel budget pour le sommet social ?")
    assert answer.answer or answer.abstained  # served, regular expressions only


def test_damaged_annotations_are_stale_and_ignored_as_a_cache(built, corpus_dir, toy_encoder):
    index_dir, first = built
    meta = json.loads((index_dir / "meta.json").read_text())
    path = index_dir / meta["generation"] / ANNOTATIONS_FILE
    path.write_text(path.read_text()[:-50])
    with pytest.raises(store.IndexStale):
        load_index(corpus=corpus_dir, index_dir=index_dir, encoder=toy_encoder)
    warnings = []
    assert store.previous_annotations(index_dir, warn=warnings.append) == {}
    assert warnings and "Annotations précédentes ignorées" in warnings[0]


def test_holds_entity_for_who_and_place_questions():
    who, place, amount = (frozenset({t}) for t in (AnswerType.WHO, AnswerType.PLACE, "amount"))
    assert holds_entity(who, ("who", "date")) and not holds_entity(who, ("place",))
    assert holds_entity(place, ("place",)) and not holds_entity(amount, ("who", "place"))


def test_building_imports_spacy_but_asking_does_not(built, corpus_dir):
    """On a built index, search and ask read the stored annotations: no spaCy, thinc, torch."""
    index_dir, _ = built
    code = (
        "import sys, json\n"
        "from assistant import Assistant\n"
        "from tests.conftest import ToyEncoder\n"
        f"a = Assistant.load(corpus={str(corpus_dir)!r}, index={str(index_dir)!r},"
        " encoder=ToyEncoder(), progress=False)\n"
        "assert a.sentences.annotations is not None\n"
        "a.search('budget du sommet social')\n"
        "a.ask('Qui organise le sommet social ?')\n"
        "print(json.dumps([m for m in ('spacy', 'thinc', 'torch') if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
