"""The library under faults: add and remove are all or nothing, and say only what happened.

Each test reproduces a defect of issue 15 (section 1) on a small corpus (the bundled
question and a fixture or two) with the toy encoder; the disk-full cases on a real
tmpfs are in tests/test_full_disk.py.
"""

from __future__ import annotations

import errno
import os
import shutil

import pytest

import assistant.documents.library as library
from assistant.cli import main
from assistant.documents.library import LibraryError, add, list_documents, remove

from .conftest import DOC_PATH, ROOT

FIX = ROOT / "tests" / "fixtures"
REBOND = FIX / "qe-1203-fonds-rebond.txt"
VELO = FIX / "qe-845-pistes-cyclables.html"


@pytest.fixture
def cli(tmp_path, corpus_dir, toy_encoder, monkeypatch):
    import assistant.models.encoder

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    return ["--corpus", str(corpus_dir), "--index", str(tmp_path / "index")]


def _names(folder):
    """Every entry of ``folder``, hidden ones too (a stray temporary file shows), but the lock."""
    return sorted(p.name for p in folder.iterdir() if p.name != library.LOCK)


# --- remove -------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [["517", "517"], ["517", DOC_PATH.name], ["qe-517", "517"]])
def test_remove_the_same_document_twice_is_one_removal(cli, capsys, corpus_dir, keys):
    add([REBOND], corpus_dir)
    assert main(["remove", *keys, *cli]) == 0
    err = capsys.readouterr().err
    assert err.count("Retiré : qe-517 —") == 1
    assert "Index : 1 document(s)" in err and "No such file" not in err
    assert _names(corpus_dir) == [REBOND.name]


def test_remove_restores_every_file_when_one_cannot_be_removed(corpus_dir, monkeypatch):
    add([REBOND, VELO], corpus_dir)
    before = {p.name: p.read_bytes() for p in corpus_dir.iterdir()}
    real_replace = os.replace

    def failing(src, dst):  # the second document's file cannot be moved away
        if str(src).endswith(VELO.name):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(library.os, "replace", failing)
    with pytest.raises(
        LibraryError, match=r"(?s)Aucun document retiré.*qe-845.*permission refusée"
    ):
        remove(["517", "1203", "845"], corpus_dir)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in corpus_dir.iterdir()} == before


def test_an_os_error_is_said_in_french(cli, capsys, monkeypatch):
    def gone(*_a, **_k):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "/x/y.txt")

    monkeypatch.setattr(library, "remove", gone)
    assert main(["remove", "517", *cli]) == 2
    err = capsys.readouterr().err
    assert "No such file" not in err and "fichier ou dossier introuvable : /x/y.txt" in err


# --- add ----------------------------------------------------------------------------


def test_add_a_name_of_250_bytes_leaves_no_temporary_file(tmp_path, corpus_dir):
    src = tmp_path / "src"
    src.mkdir()
    long_name = ("é" * 60 + "-" + "a" * 120 + "-plan.md").encode()
    assert len(long_name) > 240
    long = src / long_name.decode()
    long.write_text("# Mémo\n\nUn texte bref.", "utf-8")
    added = add([REBOND, long], corpus_dir)
    assert [d.file for d in added] == [REBOND.name, long.name]
    assert _names(corpus_dir) == sorted([DOC_PATH.name, REBOND.name, long.name])


def test_add_copies_nothing_when_a_copy_fails(tmp_path, corpus_dir, monkeypatch):
    """A disk that fills at the second file: the first is not left behind, nor any .tmp."""
    real_copy = shutil.copyfileobj
    calls = []

    def filling(fsrc, fdst, *a, **k):
        calls.append(fsrc.name)
        if len(calls) == 2:
            fdst.write(b"partial")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_copy(fsrc, fdst, *a, **k)

    monkeypatch.setattr(library.shutil, "copyfileobj", filling)
    with pytest.raises(LibraryError) as err:
        add([REBOND, VELO], corpus_dir)
    monkeypatch.undo()
    assert f"{VELO.name} : disque plein" in str(err.value) and "Aucun document ajouté" in str(
        err.value
    )
    assert _names(corpus_dir) == [DOC_PATH.name]


def test_add_replace_restores_the_old_file_when_a_rename_fails(tmp_path, corpus_dir, monkeypatch):
    add([REBOND], corpus_dir)
    old = (corpus_dir / REBOND.name).read_bytes()
    changed = tmp_path / REBOND.name
    changed.write_bytes(old + b"\nAjout.\n")
    real_replace = os.replace

    def failing(src, dst):
        if str(dst).endswith(VELO.name):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(library.os, "replace", failing)
    with pytest.raises(LibraryError, match="erreur d'entrée-sortie"):
        add([changed, VELO], corpus_dir, replace=True)
    monkeypatch.undo()
    assert (corpus_dir / REBOND.name).read_bytes() == old
    assert _names(corpus_dir) == sorted([DOC_PATH.name, REBOND.name])


def test_a_dot_file_is_refused_with_its_reason(cli, capsys, tmp_path, corpus_dir):
    hidden = tmp_path / ".note.txt"
    hidden.write_text("Une note.\n", "utf-8")
    assert main(["add", str(hidden), *cli]) == 2
    err = capsys.readouterr().err
    assert ".note.txt — fichier caché" in err and "Ajouté :" not in err
    assert _names(corpus_dir) == [DOC_PATH.name]


def test_symlinks_and_special_files_are_refused_unless_asked(cli, capsys, tmp_path, corpus_dir):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    link = tmp_path / "passwd.txt"
    link.symlink_to(secret / "passwd.txt")
    fifo = tmp_path / "tube.txt"
    os.mkfifo(fifo)
    assert main(["add", str(link), str(fifo), *cli]) == 2
    err = capsys.readouterr().err
    assert "passwd.txt — lien symbolique" in err and "--follow-symlinks" in err
    assert "tube.txt — pas un fichier ordinaire" in err
    assert _names(corpus_dir) == [DOC_PATH.name]
    # asked for: the link is read through, and the corpus gets a regular file
    assert main(["add", str(link), "--follow-symlinks", *cli]) == 0
    assert "Ajouté : passwd" in capsys.readouterr().err
    copied = corpus_dir / "passwd.txt"
    assert not copied.is_symlink() and copied.read_bytes() == (secret / "passwd.txt").read_bytes()
    # a link to a special file is refused even then
    odd = tmp_path / "odd.txt"
    odd.symlink_to(fifo)
    with pytest.raises(LibraryError, match="odd.txt : pas un fichier ordinaire"):
        add([odd], corpus_dir, follow_symlinks=True)


def test_size_limit(cli, capsys, tmp_path, corpus_dir):
    big = tmp_path / "gros.md"
    big.write_text("# Gros\n\n" + "Une phrase de remplissage. " * 100_000, "utf-8")  # 2.7 MB
    assert main(["add", str(big), "--max-file-mb", "1", *cli]) == 2
    err = capsys.readouterr().err
    assert "gros.md — trop gros (2,7 Mo, au plus 1 Mo)" in err and "--max-file-mb" in err
    assert _names(corpus_dir) == [DOC_PATH.name]
    with pytest.raises(LibraryError, match="trop gros"):
        add([big], corpus_dir)  # the default bound (2 Mo) is the same for the library
    assert add([big], corpus_dir, max_bytes=3 << 20)[0].doc_id == "gros"
    assert "gros" in {d.doc_id for d in list_documents(corpus_dir)}


def test_unreadable_files_are_refused_in_french(cli, capsys, tmp_path, corpus_dir):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Question écrite : café crème\n".encode("cp1252"))
    page = tmp_path / "accueil.html"
    page.write_text("<html><body><nav>Menu</nav><p>Bienvenue.</p></body></html>", "utf-8")
    image = tmp_path / "image.html"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["add", str(latin), str(page), str(image), *cli]) == 2
    err = capsys.readouterr().err
    assert (
        "latin.txt — illisible" in err and "pas du texte UTF-8 (octet 0xE9 à la position 9)" in err
    )
    assert "accueil.html — illisible" in err and "aucune ligne ne commence par « Question »" in err
    assert "octet 0x89 à la position 0" in err
    for english in ("invalid", "byte", "codec", "Error", "Traceback"):
        assert english not in err
    assert _names(corpus_dir) == [DOC_PATH.name]
