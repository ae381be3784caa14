"""The multi-document evaluation set: documents parse, gold ids exist, spans are verbatim."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from evals.multidoc.dataset import DOCUMENTS, KINDS, QUESTIONS, load_questions, read_documents


@pytest.fixture(scope="module")
def documents():
    return read_documents()


def test_every_fixture_is_read_as_a_written_question(documents):
    files = sorted(p for p in DOCUMENTS.iterdir() if not p.name.startswith("."))
    assert len(files) >= 14
    ids = [d.doc_id for d in documents]
    assert len(ids) == len(set(ids)) == len(files) + 1  # + the bundled document
    assert all(d.kind == "written-question" for d in documents)
    languages = Counter(d.language for d in documents)
    assert languages["nl"] >= len(files) / 2


def test_every_gold_document_exists_and_every_span_is_verbatim(documents):
    questions = load_questions(documents=documents)  # raises on an unknown id or span
    by_id = {d.doc_id: d for d in documents}
    for q in questions:
        for span in q.evidence:  # verbatim, not only whitespace-insensitive
            assert span in by_id[q.gold_doc].source, (q.id, span)


def test_the_set_covers_what_the_issue_asks(documents):
    questions = load_questions(documents=documents)
    assert len(questions) >= 90
    assert {q.kind for q in questions} == set(KINDS)
    assert len({q.gold_doc for q in questions if q.gold_doc}) >= 15
    for kind in KINDS:  # about 50/50 within each kind
        splits = Counter(q.split for q in questions if q.kind == kind)
        assert abs(splits["dev"] - splits["heldout"]) <= 1, (kind, splits)
    nl = {d.doc_id for d in documents if d.language == "nl"}
    assert all(q.gold_doc in nl for q in questions if q.kind in ("fr-nl", "nl-nl"))


def _write(tmp_path, **changes):
    row = json.loads(QUESTIONS.read_text(encoding="utf-8").splitlines()[0])
    row.update(changes)
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gold_doc": "qe-99999"}, "inconnu"),
        ({"evidence": ["une phrase qui n'est dans aucun document"]}, "preuve introuvable"),
        ({"kind": "citizen"}, "kind"),
        ({"answerable": False}, "répondable"),
        ({"gold_doc": None, "evidence": [], "answerable": False}, "absent"),
    ],
)
def test_a_bad_line_is_refused_with_its_reason(tmp_path, documents, changes, message):
    with pytest.raises(ValueError, match=message):
        load_questions(_write(tmp_path, **changes), documents=documents)


def test_a_missing_field_is_refused(tmp_path):
    path = _write(tmp_path)
    row = json.loads(path.read_text(encoding="utf-8"))
    del row["gold_doc"]
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="champs"):
        load_questions(path)
