"""Many documents: readers (text FR/NL, HTML, PDF made here, Markdown), answer parts,
add/list/remove from the command line, filters, citations that name their document.

The toy encoder keeps these fast; tests/test_many_documents.py runs the real model.
"""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.documents.library import LibraryError, add, list_documents, remove
from assistant.documents.parsing import ParseError
from assistant.documents.readers import read_document
from assistant.errors import QueryError
from assistant.search.filters import Filters, parse_date
from assistant.web.render import DOC_ICON
from devtools.pdfwriter import write_pdf

from .conftest import ROOT

FIX = ROOT / "tests" / "fixtures"
REBOND = FIX / "qe-1203-fonds-rebond.txt"
VELO = FIX / "qe-845-pistes-cyclables.html"
WONING = FIX / "sv-312-sociale-huisvesting.txt"
CANICULE = FIX / "note-plan-canicule.md"


@pytest.fixture
def air_pdf(tmp_path):
    """The written question n°77 as a real PDF, written here by devtools/pdfwriter.py."""
    src = FIX / "pdf-source" / "qe-77-qualite-air.txt"
    out = tmp_path / "pdf"
    out.mkdir()
    return write_pdf(src.read_text(encoding="utf-8"), out / "qe-77-qualite-air.pdf")


def test_numbered_answer_is_cut_by_sub_question():
    doc = read_document(REBOND)
    assert doc.label == "Question écrite n°1203 — Fonds Rebond pour les indépendants"
    m = doc.metadata
    assert (m.author, m.addressee, m.number, doc.date) == (
        "Claire Lambertin",
        "Marc Deschamps",
        "1203",
        "2022-11-25",
    )
    parts = {s.id: s for s in doc.parts}
    assert list(parts) == ["reponse-1", "reponse-2", "reponse-3"]
    assert parts["reponse-1"].text.startswith("1. Depuis sa création")
    assert "1.486 prêts" in parts["reponse-1"].text  # "1.486" is not a part number
    assert parts["reponse-3"].title == "Réponse 3 — Le Fonds sera-t-il prolongé en 2023 ?"
    assert "31 décembre 2023" in parts["reponse-3"].text and "91 %" not in parts["reponse-3"].text
    assert doc.intro.text == "Réponse Je remercie l'honorable membre pour ses questions."
    assert doc.closing is None
    for s in doc.sections():  # offsets point into the source
        assert doc.source[s.start : s.end].split()[:3] == s.text.split()[:3]


def test_html_page_with_ordinal_answers():
    doc = read_document(VELO)
    assert doc.metadata.number == "845" and doc.metadata.addressee == "Léa Martin"
    assert doc.metadata.author == "Julien Moreau" and doc.date == "2022-10-12"
    assert [q.text[:20] for q in doc.sub_questions] == [
        "Combien de kilomètre",
        "Combien d’accidents ",
    ]
    assert [s.id for s in doc.parts] == ["reponse-1", "reponse-2"]
    assert doc.parts[1].text.startswith("En réponse à votre deuxième question")
    assert "porte Louise concentrent la moitié de ces accidents & font" in doc.parts[1].text
    # scripts, styles and navigation are not text
    assert (
        "piège" not in doc.source and "Accueil" not in doc.source and "dataLayer" not in doc.source
    )


def test_dutch_written_question():
    doc = read_document(WONING)
    assert doc.language == "nl"
    assert doc.label == "Schriftelijke vraag n°312 — wachtlijsten voor sociale huisvesting"
    assert (doc.metadata.author, doc.metadata.addressee, doc.date) == (
        "Pieter Claes",
        "Sofie Janssens",
        "2023-03-14",
    )
    assert [s.title[:10] for s in doc.parts] == ["Antwoord 1", "Antwoord 2"]
    assert "51.322 gezinnen" in doc.parts[0].text and "418" in doc.parts[1].text


def test_pdf_generated_here_is_read_back(air_pdf):
    assert air_pdf.read_bytes().startswith(b"%PDF-1.4")
    doc = read_document(air_pdf)
    assert doc.doc_id == "qe-77" and doc.metadata.number == "77"
    assert doc.metadata.addressee == "Nadia Lemaire" and doc.date == "2024-01-10"
    assert len(doc.sub_questions) == 2
    assert "64 écoles" in doc.intro.text and "Vingt-trois rues scolaires" in doc.intro.text


def test_markdown_and_plain_text(tmp_path):
    doc = read_document(CANICULE)
    assert doc.kind == "text" and doc.label == "Note de synthèse — Plan canicule bruxellois"
    assert [s.title for s in doc.sections()] == [
        "Note de synthèse — Plan canicule bruxellois",
        "Alerte et information",
        "Lieux rafraîchis",
    ]
    plain = tmp_path / "memo.txt"
    plain.write_text("Mémo interne\n\nPremier paragraphe.\n\nSecond paragraphe.\n", "utf-8")
    doc = read_document(plain)
    assert doc.kind == "text" and doc.label == "Mémo interne" and len(doc.sections()) == 1


def test_unreadable_files_say_why(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(ParseError, match="PDF illisible"):
        read_document(bad)
    empty = write_pdf("", tmp_path / "vide.pdf")
    with pytest.raises(ParseError, match="sans texte"):
        read_document(empty)
    html = tmp_path / "page.html"
    html.write_text("<p>Pas une question écrite</p>", "utf-8")
    with pytest.raises(ParseError, match="Question"):
        read_document(html)
    with pytest.raises(ParseError, match="non pris en charge"):
        read_document(tmp_path / "x.docx")


def test_filters_parse_dates_and_match_chunks():
    assert parse_date("28/04/2021") == "2021-04-28" and parse_date(" ") is None
    with pytest.raises(QueryError, match="AAAA-MM-JJ"):
        parse_date("31/02/2021")
    with pytest.raises(QueryError, match="Période vide"):
        Filters.of(date_from="2023-01-01", date_to="2022-01-01")
    assert not Filters.of(author="  ")
    from assistant.indexing.chunking import chunk_document

    chunks = chunk_document(read_document(VELO))
    assert all(Filters.of(minister="lea martin").matches(c) for c in chunks)
    assert all(Filters.of(document="845", date_from="12/10/2022").matches(c) for c in chunks)
    assert not any(Filters.of(date_to="2022-10-11").matches(c) for c in chunks)
    assert not any(Filters.of(author="Debaets").matches(c) for c in chunks)


def test_library_add_list_remove(tmp_path, corpus_dir, air_pdf):
    added = add([REBOND, VELO, WONING, air_pdf, CANICULE], corpus_dir)
    assert sorted(d.format for d in added) == ["html", "md", "pdf", "txt", "txt"]
    assert add([REBOND], corpus_dir) == []  # already there, byte for byte
    docs = {d.doc_id: d for d in list_documents(corpus_dir)}
    assert len(docs) == 6
    assert docs["qe-77"].addressee == "Nadia Lemaire"
    assert docs["qe-517"].author == "Bianca Debaets"
    # a batch with one bad file copies nothing
    bad = tmp_path / "abime.pdf"
    bad.write_bytes(b"%PDF-1.4 rien")
    other = tmp_path / "autre"
    other.mkdir()
    (other / "memo.md").write_text("# Mémo\n\nTexte.", "utf-8")
    with pytest.raises(LibraryError, match="abime.pdf : illisible"):
        add([other / "memo.md", bad, tmp_path / "absent.txt"], corpus_dir)
    assert not (corpus_dir / "memo.md").exists()
    changed = other / REBOND.name
    changed.write_text(REBOND.read_text("utf-8") + "\nAjout.", "utf-8")
    with pytest.raises(LibraryError, match="--replace"):
        add([changed], corpus_dir)
    assert add([changed], corpus_dir, replace=True)[0].doc_id == "qe-1203"
    assert [d.doc_id for d in remove(["845", "note-plan-canicule.md"], corpus_dir)] == [
        "qe-845",
        "note-plan-canicule",
    ]
    with pytest.raises(LibraryError, match="« 999 » : document inconnu"):
        remove(["999"], corpus_dir)
    assert len(list_documents(corpus_dir)) == 4


@pytest.fixture
def cli(tmp_path, corpus_dir, toy_encoder, monkeypatch):
    import assistant.models.encoder

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    return ["--corpus", str(corpus_dir), "--index", str(tmp_path / "index")]


def test_cli_add_list_remove_and_filters(cli, capsys, air_pdf):
    assert main(["add", str(REBOND), str(VELO), str(WONING), str(air_pdf), *cli]) == 0
    err = capsys.readouterr().err
    assert "Ajouté : qe-845" in err and "Index : 5 document(s)" in err
    assert main(["list", "--json", *cli[:2]]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {r["number"] for r in rows} == {"517", "1203", "845", "312", "77"}
    # the documented line, keys in this order (the addressee is "minister" in the JSON)
    assert [list(r) for r in rows] == [
        ["doc_id", "file", "format", "kind", "language", "label", "number", "title", "author"]
        + ["minister", "date", "sections", "series", "incomplete"]
    ] * len(rows)
    assert {r["minister"] for r in rows} == {
        "Rudi Vervoort",
        "Marc Deschamps",
        "Léa Martin",
        "Sofie Janssens",
        "Nadia Lemaire",
    }
    q = "Combien d'accidents impliquant des cyclistes en 2021 ?"
    assert main(["ask", q, "--json", *cli]) == 0
    out = json.loads(capsys.readouterr().out)
    c = out["citations"][0]
    assert c["doc_id"] == "qe-845" and c["section_id"] == "reponse-2"
    assert c["document"] == {
        "label": "Question écrite n°845 — pistes cyclables sur la petite ceinture",
        "number": "845",
        "title": "pistes cyclables sur la petite ceinture",
        "author": "Julien Moreau",
        "minister": "Léa Martin",
        "date": "2022-10-12",
        "language": "fr",
        "incomplete": False,
    }
    # filters: only the chosen documents are searched
    for flags, docs in (
        (["--minister", "Vervoort"], {"qe-517"}),
        (["--document", "1203"], {"qe-1203"}),
        (["--author", "claes"], {"qe-312"}),
        (["--from", "2023-01-01"], {"qe-312", "qe-77"}),
        (
            ["--from", "01/01/2022", "--to", "2022-12-31"],
            {"qe-1203", "qe-845"},
        ),
    ):
        assert (
            main(
                [
                    "search",
                    "budget des écoles et des logements",
                    "--k",
                    "20",
                    "--json",
                    *flags,
                    *cli,
                ]
            )
            == 0
        )
        hits = json.loads(capsys.readouterr().out)["hits"]
        assert hits and {h["doc_id"] for h in hits} <= docs, flags
    assert main(["search", "écoles", "--from", "2030-01-01", "--json", *cli]) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == []
    assert main(["search", "écoles", "--to", "32/01/2022", *cli]) == 2
    assert "Date de fin invalide" in capsys.readouterr().err
    assert main(["ask", q, *cli]) == 0
    assert (
        "Question écrite n°845 — pistes cyclables sur la petite ceinture · "
        "Julien Moreau → Léa Martin · 2022-10-12" in capsys.readouterr().out
    )
    assert main(["remove", "845", *cli]) == 0
    assert "Index : 4 document(s)" in capsys.readouterr().err
    assert main(["remove", "845", *cli]) == 2
    assert "document inconnu" in capsys.readouterr().err
    assert main(["add", str(FIX / "absent.pdf"), *cli]) == 2
    assert "fichier introuvable" in capsys.readouterr().err


def test_app_lists_every_document_filters_and_names_the_cited_one(
    tmp_path, corpus_dir, toy_encoder, air_pdf
):
    from assistant import Assistant
    from assistant.web.chat import ask_json, chat_turn
    from assistant.web.document_tab import load_documents, render_document, render_library

    add([REBOND, VELO, WONING, air_pdf, CANICULE], corpus_dir)
    a = Assistant.load(corpus=corpus_dir, index=tmp_path / "i", encoder=toy_encoder, log=print)
    docs = load_documents(corpus_dir)
    assert len(docs) == 6
    html = render_library(docs) + "".join(render_document(d) for d in docs.values())
    assert "<h2>6 document(s)</h2>" in html
    for who in ("Nadia Lemaire", "Léa Martin", "Sofie Janssens", "Marc Deschamps", "Rudi Vervoort"):
        assert who in html
    assert "Schriftelijke vraag n°312 — wachtlijsten" in html and "Antwoord 2 — " in html
    assert "Note de synthèse — Plan canicule bruxellois" in html and "Lieux rafraîchis" in html
    assert html.count("<details>") == html.count("</details>")
    q = "Combien d'accidents impliquant des cyclistes en 2021 ?"
    out = ask_json(a, q, 5, "", filters={"minister": "Léa Martin"})
    assert {h["doc_id"] for h in out["hits"]} == {"qe-845"}
    out = ask_json(a, q, 5, "", filters={"date_from": "2099-01-01"})
    assert out["abstained"] and out["hits"] == []
    assert "Date de début invalide" in ask_json(a, q, filters={"date_from": "hier"})["error"]
    _, chat, _, sources = chat_turn(a, docs, q, [], [], "", filters={"document": "845"})
    title = "Question écrite n°845 — pistes cyclables sur la petite ceinture"
    assert f"{DOC_ICON}<b>{title}</b>" in sources
    assert "Julien Moreau → Léa Martin · 12/10/2022" in sources
    _, chat, _, _ = chat_turn(a, docs, q, [], [], "", filters={"date_to": "31/31/2020"})
    assert "Date de fin invalide" in chat[-1]["content"]
