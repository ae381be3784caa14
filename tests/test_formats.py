"""The published parlement.brussels shapes, French and Dutch, read into the same Document.

Every fixture of ``evals/multidoc/documents`` has an expected JSON in ``tests/data/formats``,
written from the page by hand: every metadata field, the sub-questions and the answer's
first and last words are checked on every fixture. Small synthetic pages below check the
ids across series and languages, the cut pages and the language fallback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.documents.corpus import read_corpus
from assistant.documents.language import detect_language
from assistant.documents.parsing import parse_document
from assistant.documents.readers import read_document
from evals.multidoc.dataset import DOCUMENTS

EXPECTED = Path(__file__).parent / "data" / "formats"
CASES = sorted(EXPECTED.glob("*.json"))
FIELDS = (
    "number",
    "series",
    "title",
    "author",
    "addressee",
    "addressee_function",
    "received",
    "published",
    "answered",
    "legislature",
    "session",
    "incomplete",
)


def _answer(doc) -> str:
    parts = [s for s in doc.sections() if s.kind not in ("metadata", "question")]
    return doc.source[parts[0].body_start : parts[-1].end].strip() if parts else ""


def test_every_fixture_has_its_expected_json():
    assert sorted(p.stem for p in DOCUMENTS.iterdir()) == [p.stem for p in CASES]
    assert len(CASES) >= 14


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_every_field_is_read_on_every_fixture(case):
    want = json.loads(case.read_text(encoding="utf-8"))
    doc = read_document(DOCUMENTS / want["file"])
    m = doc.metadata
    got = {f: getattr(m, f) for f in FIELDS}
    assert got == {f: want[f] for f in FIELDS}
    assert all(got[f] not in ("", None) for f in FIELDS if f != "incomplete")
    assert (doc.doc_id, doc.language, doc.kind) == (
        want["doc_id"],
        want["language"],
        "written-question",
    )
    assert [list(s) for s in m.steps] == want["steps"]
    assert [q.text for q in doc.sub_questions] == want["sub_questions"]
    for q in doc.sub_questions:  # offsets point at the sub-question in the source
        assert " ".join(doc.source[q.start : q.end].split()) == q.text
    answer = _answer(doc)
    assert answer.startswith(want["answer_starts"]) and answer.endswith(want["answer_ends"])


def test_the_same_question_to_two_ministers_is_two_documents():
    a, b = (read_document(DOCUMENTS / f"qe-{n}.txt") for n in (1187, 1188))
    assert a.metadata.title == b.metadata.title and a.question.text == b.question.text
    assert (a.doc_id, b.doc_id) == ("qe-1187", "qe-1188")
    assert a.metadata.addressee != b.metadata.addressee
    assert _answer(a) != _answer(b)


HEADER = """Logo Parlement Buxellois

{title}

{by}
Marie Dupont
{to}
Paul Lenoir, {function} ({numbered})

Date de réception: 02/02/2023 Date de publication: 09/03/2023
Législature: 19/24 Session: 22/23 Date de réponse: 01/03/2023
"""
FR = dict(
    title="Question écrite concernant les horaires des piscines",
    by="de",
    to="à",
    function="Membre du Collège réuni, compétent pour la Santé",
    numbered="question n°88",
)
NL = dict(
    title="Schriftelijke vraag betreffende de openingsuren van de zwembaden",
    by="Indiener(s)",
    to="aan",
    function="Lid van het Verenigd College, bevoegd voor Gezondheid",
    numbered="Vragen nr 88",
)


def _page(shape: dict, body: str) -> str:
    return HEADER.format(**shape) + "\n" + body


def test_a_question_of_the_commission_never_takes_the_id_of_the_parliaments(tmp_path):
    (tmp_path / "a.txt").write_text(
        _page(FR, "Question    Quand ouvrent-elles ?\n\nRéponse    À 7 heures."), encoding="utf-8"
    )
    qe = dict(FR, function="Ministre chargé des Sports")
    (tmp_path / "b.txt").write_text(
        _page(qe, "Question    Quand ouvrent-elles ?\n\nRéponse    À 8 heures."), encoding="utf-8"
    )
    ids = {doc.doc_id: doc.metadata.series for _, doc in read_corpus(tmp_path)}
    assert ids == {"ccc-88": "ccc", "qe-88": "qe"}


def test_the_dutch_page_of_a_question_there_in_french_gets_its_language(tmp_path):
    (tmp_path / "a.txt").write_text(
        _page(FR, "Question    Quand ouvrent-elles ?\n\nRéponse    À 7 heures."), encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(
        _page(NL, "Vraag    Wanneer gaan ze open?\n\nAntwoord    Om 7 uur."), encoding="utf-8"
    )
    (tmp_path / "c.txt").write_text(  # the same French page saved twice
        _page(FR, "Question    Quand ouvrent-elles ?\n\nRéponse    À 7 heures."), encoding="utf-8"
    )
    got = [(doc.doc_id, doc.language) for _, doc in read_corpus(tmp_path)]
    assert got == [("ccc-88", "fr"), ("ccc-88-nl", "nl"), ("c", "fr")]


def test_a_page_cut_before_its_answer_is_read_and_marked_incomplete():
    doc = parse_document(
        _page(FR, "Question    Quand ouvrent-elles ? Et le dimanche ?"), doc_id="x"
    )
    assert doc.metadata.incomplete and doc.intro is None and not doc.parts
    assert [q.text for q in doc.sub_questions] == ["Quand ouvrent-elles ?", "Et le dimanche ?"]
    assert [s.id for s in doc.sections()] == ["metadata", "question"]


def test_a_complete_answer_is_not_marked_incomplete():
    doc = parse_document(_page(FR, "Question    Quand ?\n\nRéponse    À 7 heures."), doc_id="x")
    assert not doc.metadata.incomplete


@pytest.mark.parametrize(
    "items",
    [
        ["1. Quand ?", "1. Où ?", "1. Combien ?"],  # the same number repeated
        ["1- Quand ?", "2- Où ?", "3- Combien ?"],
        ["o Quand ?", "o Où ?", "o Combien ?"],
        ["· Quand ?", "· Où ?", "· Combien ?"],
        ["• Quand ?", "• Où ?", "• Combien ?"],
        ["  1. Quand ?", "  2. Où ?", "  3. Combien ?"],
    ],
)
def test_sub_questions_in_every_list_shape(items):
    body = "Question    Les horaires posent problème.\n\n" + "\n".join(items)
    doc = parse_document(_page(FR, body + "\n\nRéponse    Voici."), doc_id="x")
    assert [q.text for q in doc.sub_questions] == ["Quand ?", "Où ?", "Combien ?"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Les piscines de la Région sont ouvertes le dimanche pour les familles.", "fr"),
        ("De zwembaden van het Gewest zijn op zondag open voor de gezinnen.", "nl"),
        ("Vraag    Wanneer?\nAntwoord    Nu.", "nl"),
        ("Question    Quand ?\nRéponse    Maintenant.", "fr"),
    ],
)
def test_the_language_from_labels_else_from_function_words(text, language):
    assert detect_language(text) == language


def test_a_plain_text_gets_its_language_from_its_words(tmp_path):
    nl = tmp_path / "nota.md"
    nl.write_text("# Nota\n\nDe zwembaden van het Gewest zijn op zondag open.", encoding="utf-8")
    fr = tmp_path / "note.md"
    fr.write_text("# Note\n\nLes piscines de la Région ouvrent le dimanche.", encoding="utf-8")
    assert [read_document(p).language for p in (nl, fr)] == ["nl", "fr"]
    assert read_document(nl).doc_id == "nota"  # no number: the file's stem
