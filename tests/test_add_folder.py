"""``add DIR``: folders walked recursively, a bad file skipped with its reason, a summary."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.cli import main
from assistant.documents.adding import add_many, expand, summary
from evals.multidoc.dataset import DOCUMENTS


@pytest.fixture
def folder(tmp_path):
    """Three good pages in two levels, a hidden file, an unsupported one, a bad PDF and a
    second copy of one page under another name (the same id)."""
    top = tmp_path / "depot"
    (top / "nl" / "2023").mkdir(parents=True)
    shutil.copy(DOCUMENTS / "qe-1187.txt", top / "qe-1187.txt")
    shutil.copy(DOCUMENTS / "qe-1021.txt", top / "nl" / "qe-1021.txt")
    shutil.copy(DOCUMENTS / "qe-1707.html", top / "nl" / "2023" / "qe-1707.html")
    shutil.copy(DOCUMENTS / "qe-1187.txt", top / "nl" / "kopie-1187.txt")
    (top / ".brouillon.txt").write_text("pas un document", encoding="utf-8")
    (top / "nl" / "notes.docx").write_bytes(b"PK\x03\x04")
    (top / "nl" / "abime.pdf").write_bytes(b"%PDF-1.4 rien")
    return top


def test_expand_walks_folders_in_name_order_and_says_what_it_leaves(folder):
    files, skipped = expand([folder])
    assert [f.relative_to(folder).as_posix() for f in files] == [
        "nl/2023/qe-1707.html",
        "nl/abime.pdf",
        "nl/kopie-1187.txt",
        "nl/qe-1021.txt",
        "qe-1187.txt",
    ]
    assert sorted((name.rsplit("/", 1)[-1], why.split(" (")[0]) for name, why in skipped) == [
        (".brouillon.txt", "fichier caché"),
        ("notes.docx", "format non pris en charge"),
    ]


def test_add_many_goes_past_bad_files_and_sorts_every_file(folder, corpus_dir):
    report = add_many([folder], corpus_dir, progress=False)
    assert sorted(d.doc_id for d in report.added) == ["qe-1021", "qe-1187", "qe-1707"]
    assert report.replaced == () and report.unchanged == ()
    reasons = {name.rsplit("/", 1)[-1]: why for name, why in report.skipped}
    assert set(reasons) == {".brouillon.txt", "notes.docx", "abime.pdf", "qe-1187.txt"}
    assert reasons["abime.pdf"].startswith("illisible")
    assert "même identifiant (qe-1187)" in reasons["qe-1187.txt"]  # kopie-1187.txt came first
    assert sorted(p.name for p in corpus_dir.iterdir() if not p.name.startswith(".")) == [
        "kopie-1187.txt",
        "qe-1021.txt",
        "qe-1707.html",
        "qe-517-sommet-social-2021.txt",
    ]
    # again: nothing new; a changed page is replaced only with replace=True
    again = add_many([folder], corpus_dir, progress=False)
    assert (again.added, len(again.unchanged)) == ((), 3)
    changed = folder / "nl" / "qe-1021.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nAanvulling.", encoding="utf-8")
    refused = add_many([changed], corpus_dir, progress=False)
    assert refused.skipped[0][1] == "« qe-1021 » existe déjà ; utilisez --replace"
    replaced = add_many([changed], corpus_dir, replace=True, progress=False)
    assert [d.doc_id for d in replaced.replaced] == ["qe-1021"] and replaced.added == ()
    assert summary(replaced) == ["Ajoutés : 0, remplacés : 1, inchangés : 0, ignorés : 0."]


def test_the_progress_bar_is_on_stderr(folder, corpus_dir, capsys):
    add_many([folder / "nl" / "2023"], corpus_dir, progress=True)
    out, err = capsys.readouterr()
    assert out == "" and "Lecture" in err


@pytest.fixture
def cli(tmp_path, corpus_dir, toy_encoder, monkeypatch):
    import assistant.models.encoder

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    return ["--corpus", str(corpus_dir), "--index", str(tmp_path / "index")]


def test_cli_add_folder_summary_then_list_shows_language_series_and_number(folder, cli, capsys):
    assert main(["add", str(folder), *cli]) == 1  # some files skipped
    err = capsys.readouterr().err
    assert "Ajouté : qe-1021 — Schriftelijke vraag n°1021 — deelsteps op de voetpaden" in err
    assert "Ajoutés : 3, remplacés : 0, inchangés : 0, ignorés : 4." in err
    assert "abime.pdf — illisible" in err and "Index : 4 document(s)" in err
    assert main(["add", str(folder / "nl" / "abime.pdf"), *cli]) == 2  # nothing taken
    assert "Ignoré : " in capsys.readouterr().err
    assert main(["list", *cli[:2]]) == 0
    out = capsys.readouterr().out
    assert "qe-1021  [txt · nl · qe n°1021]  Schriftelijke vraag n°1021" in out
    assert "qe-1707  [html · nl · qe n°1707]" in out
    assert main(["list", "--json", *cli[:2]]) == 0
    rows = {r["doc_id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert [(r["language"], r["series"], r["number"]) for r in rows.values()] == [
        ("fr", "qe", "1187"),
        ("nl", "qe", "1021"),
        ("nl", "qe", "1707"),
        ("fr", "qe", "517"),
    ]
    assert list(rows["qe-1021"])[-2:] == ["series", "incomplete"]  # new keys at the end


def test_a_broken_link_and_a_name_taken_by_an_unreadable_file_are_skipped(tmp_path, corpus_dir):
    """Neither cancels the batch: each is one skipped line with its reason."""
    top = tmp_path / "depot"
    top.mkdir()
    shutil.copy(DOCUMENTS / "qe-1187.txt", top / "qe-1187.txt")
    shutil.copy(DOCUMENTS / "qe-1021.txt", top / "abime.txt")
    (top / "lien.txt").symlink_to(tmp_path / "nulle-part.txt")
    (corpus_dir / "abime.txt").write_bytes(b"\xff\xfe pas de l'UTF-8")  # unreadable, same name
    report = add_many([top], corpus_dir, progress=False)
    assert [d.doc_id for d in report.added] == ["qe-1187"]
    reasons = {name.rsplit("/", 1)[-1]: why for name, why in report.skipped}
    assert set(reasons) == {"abime.txt", "lien.txt"}
    assert "porte déjà ce nom" in reasons["abime.txt"]
    assert reasons["lien.txt"].startswith("lien symbolique")


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1"])
def test_max_file_mb_out_of_range_is_a_french_error(tmp_path, corpus_dir, capsys, value):
    page = tmp_path / "qe-1187.txt"
    shutil.copy(DOCUMENTS / "qe-1187.txt", page)
    args = ["add", str(page), "--max-file-mb", value, "--corpus", str(corpus_dir)]
    assert main([*args, "--index", str(tmp_path / "index")]) == 2
    assert "--max-file-mb doit être un nombre de Mo > 0" in capsys.readouterr().err
