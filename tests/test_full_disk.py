"""A full disk (issue 15 §2): on a real, small tmpfs, mounted here as root.

``add`` and ``index`` say in one French line that the disk is full and how much is
needed, leave no temporary folder, keep the previous index; ``ask`` and the app then
serve that last good index instead of rebuilding into the full disk. Skipped, with the
reason, where mounting is not permitted (not root, no CAP_SYS_ADMIN).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import assistant.indexing.store as store
from assistant.cli import main
from assistant.indexing.store import READERS_LOCK

from .conftest import DOC_PATH, ROOT

REBOND = ROOT / "tests" / "fixtures" / "qe-1203-fonds-rebond.txt"
QUESTION = "Où en est le PRAS ?"


@pytest.fixture
def disk(tmp_path):
    """A 4 Mo tmpfs at ``tmp_path/disk``, unmounted afterwards."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("monter un tmpfs demande d'être root")
    out = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        pytest.skip(f"mount tmpfs refusé ici : {out.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(folder: Path, *, leave: int) -> Path:
    """A file that takes all of ``folder``'s disk but ``leave`` bytes."""
    import shutil

    filler = folder / "remplissage.bin"
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as f:
        f.truncate(0)
        f.write(b"\0" * max(free - leave, 0))
    return filler


def _hidden(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith(".gen-"))


@pytest.fixture
def cli(tmp_path, disk, corpus_dir, toy_encoder, monkeypatch):
    import assistant.models.encoder

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    index = disk / "index"
    assert main(["index", "--corpus", str(corpus_dir), "--index", str(index)]) == 0
    return ["--corpus", str(corpus_dir), "--index", str(index)]


def _full_disk_case(cli, capsys, index: Path):
    meta_before = (index / "meta.json").read_bytes()
    gens_before = sorted(p.name for p in index.iterdir() if p.name.startswith("gen-"))
    capsys.readouterr()
    assert main(["add", str(REBOND), *cli]) == 2
    err = capsys.readouterr().err
    full = [line for line in err.splitlines() if "Disque plein" in line]
    assert len(full) == 1 and "besoin d" in full[0] and "Mo libres" in full[0], err
    assert "libérez au moins 0 Mo" not in full[0]
    assert "L'index précédent" in full[0] and "reste servi" in full[0]
    assert "Traceback" not in err and "No space" not in err and "requested" not in err
    assert (index / "meta.json").read_bytes() == meta_before  # the previous index, untouched
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == gens_before
    assert _hidden(index) == [] and not list(index.glob(".meta.json.*"))
    # the next start serves the last good index (no rebuild into the full disk) and says so
    assert main(["ask", QUESTION, "--json", *cli]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["citations"] and "Disque plein" in out.err
    assert (index / "meta.json").read_bytes() == meta_before and _hidden(index) == []
    assert main(["index", *cli]) == 2
    assert "Disque plein" in capsys.readouterr().err


def test_add_on_a_full_disk_keeps_the_previous_index(cli, capsys, disk):
    _fill(disk, leave=50_000)  # far less than the index needs: refused before writing
    _full_disk_case(cli, capsys, disk / "index")


@pytest.mark.parametrize("leave", [10_000, 300_000])  # FAISS's first file, numpy's cache
def test_a_disk_that_fills_while_writing_leaves_no_temporary_folder(
    cli, capsys, disk, monkeypatch, leave
):
    """The estimate is passed (said to need 0 bytes): FAISS or numpy meet ENOSPC mid-way."""
    monkeypatch.setattr(store, "estimate_bytes", lambda built, cache: 0)
    _fill(disk, leave=leave)  # room for some files of the generation, not all
    _full_disk_case(cli, capsys, disk / "index")


def test_the_app_starts_on_the_last_good_index(cli, disk, corpus_dir, toy_encoder):
    from assistant.web.layout import build_app

    (corpus_dir / REBOND.name).write_bytes(REBOND.read_bytes())  # the corpus changed
    _fill(disk, leave=50_000)
    demo = build_app(corpus=corpus_dir, index=disk / "index")
    assert demo is not None and _hidden(disk / "index") == []


def test_the_estimate_is_close_to_what_is_written(tmp_path, corpus_dir, toy_encoder):
    from assistant.indexing.build import build_index
    from assistant.indexing.embedcache import EmbeddingCache
    from assistant.indexing.store import estimate_bytes

    index = tmp_path / "index"
    built = build_index(corpus=corpus_dir, index_dir=index, encoder=toy_encoder, progress=False)
    written = sum(f["size"] for f in built.meta["files"].values())
    cache = EmbeddingCache.load(index / built.meta["generation"], dim=toy_encoder.dim)
    assert written <= estimate_bytes(built, cache) <= 2 * written
    assert (index / READERS_LOCK).exists() and DOC_PATH.name in built.meta["corpus"]["files"]


def test_add_copy_on_a_full_disk_names_the_file_and_leaves_nothing(disk, tmp_path):
    from assistant.documents.library import LibraryError, add

    corpus = disk / "corpus"
    corpus.mkdir()
    (corpus / DOC_PATH.name).write_bytes(DOC_PATH.read_bytes())
    big = tmp_path / "gros.md"
    big.write_text("# Gros\n\n" + "Une phrase de remplissage. " * 20_000, "utf-8")  # 540 kB
    _fill(disk, leave=200_000)
    with pytest.raises(LibraryError, match=r"gros\.md : disque plein \(0,5 Mo à copier"):
        add([REBOND, big], corpus)
    assert sorted(p.name for p in corpus.iterdir() if p.name != ".library.lock") == [DOC_PATH.name]


def test_the_app_on_a_full_disk_without_any_index_is_one_french_line(
    disk, corpus_dir, toy_encoder, monkeypatch, capsys
):
    import assistant.models.encoder
    from assistant.web.server import main as app_main

    monkeypatch.setattr(assistant.models.encoder, "load_encoder", lambda model=None: toy_encoder)
    _fill(disk, leave=50_000)
    with pytest.raises(SystemExit) as exit_:
        app_main(["--corpus", str(corpus_dir), "--index", str(disk / "index"), "--port", "0"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    last = err.splitlines()[-1]
    assert last.startswith("Erreur : Disque plein") and "Traceback" not in err
    assert "précédent" not in last  # there is none: nothing is said to be served
    assert _hidden(disk / "index") == []
