"""``add DIR``: many files and folders into the corpus, never stopped by one bad file.

Scope: :func:`expand` turns the paths given on the command line into document files
(folders recursively, in name order; hidden entries and unsupported formats inside a
folder are skipped with the reason). :func:`add_many` reads each file once, with a
progress bar on stderr, sorts it into added, replaced, unchanged or skipped (with the
reason: unreadable, same id as another file of the batch, already in the corpus under
another name…), then hands the files to copy to :func:`assistant.documents.library.add`
in one batch, so the copy itself stays that function's: all or nothing (a disk that
fills during the copy copies none of them and raises the library's French error).
Each file is first checked as the library checks it (:func:`library.refusal`: hidden,
a link, not a regular file, too large…) and skipped with that reason. :func:`summary`
is the closing report in French.

Non-goals: copying files (``library.add``), rebuilding the index (the caller does).
"""

from __future__ import annotations

import filecmp
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import LibraryError, ParseError
from ..files import os_error_text
from .corpus import read_corpus
from .library import MAX_FILE_BYTES, DocumentInfo, add, describe, refusal
from .readers import SUFFIXES

__all__ = ["AddReport", "expand", "add_many", "summary"]


@dataclass(frozen=True)
class AddReport:
    added: tuple[DocumentInfo, ...] = ()
    replaced: tuple[DocumentInfo, ...] = ()
    unchanged: tuple[str, ...] = ()  # file names already in the corpus, byte for byte
    skipped: tuple[tuple[str, str], ...] = ()  # (file, reason)


def expand(paths: list[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files named by ``paths`` (folders walked recursively, sorted) and those skipped.

    A file named on its own is kept whatever it is (``library.add`` says what is wrong
    with it); inside a folder, hidden entries and unsupported formats are skipped.
    """
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            files.append(path)
            continue
        for found in sorted(path.rglob("*")):
            rel = found.relative_to(path)
            if any(part.startswith(".") for part in rel.parts):
                if found.is_file():
                    skipped.append((str(found), "fichier caché"))
                continue
            if found.is_dir() and not found.is_symlink():
                continue
            if found.suffix.lower() not in SUFFIXES:
                skipped.append((str(found), f"format non pris en charge ({', '.join(SUFFIXES)})"))
                continue
            files.append(found)
    return files, skipped


def _progress(files: list[Path], enabled: bool):
    if not enabled:
        return files
    from tqdm.auto import tqdm

    return tqdm(files, desc="Lecture", unit="fichier", file=sys.stderr, leave=False)


def add_many(
    paths: list[str | Path],
    corpus: Path,
    *,
    replace: bool = False,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    progress: bool = True,
) -> AddReport:
    """Add every readable document of ``paths`` (files or folders) to ``corpus``."""
    files, skipped = expand(paths)
    corpus.mkdir(parents=True, exist_ok=True)
    by_id = {doc.doc_id: path for path, doc in read_corpus(corpus)}
    names = {p.name for p in corpus.iterdir() if not p.name.startswith(".")}  # readable or not
    seen: dict[str, str] = {}  # id -> file of this batch
    taken_names: dict[str, str] = {}
    unchanged: list[str] = []
    plan: list[tuple[Path, DocumentInfo, bool]] = []  # (file, info, replaces)
    for path in _progress(files, progress):
        problem = refusal(path, follow_symlinks=follow_symlinks, max_bytes=max_bytes)
        if problem:
            skipped.append((str(path), problem))
            continue
        try:
            info = describe(path)
        except ParseError as exc:
            skipped.append((str(path), f"illisible ({exc})"))
            continue
        except OSError as exc:  # permission, I/O error: this file only
            skipped.append((str(path), f"illisible ({os_error_text(exc)})"))
            continue
        if info.doc_id in seen:
            skipped.append((str(path), f"même identifiant ({info.doc_id}) que {seen[info.doc_id]}"))
            continue
        if path.name in taken_names:
            skipped.append((str(path), f"même nom de fichier que {taken_names[path.name]}"))
            continue
        there = by_id.get(info.doc_id)
        if there is not None and there.name == path.name:
            if filecmp.cmp(there, path, shallow=False):
                unchanged.append(str(path))
                continue
            if not replace:
                skipped.append((str(path), f"« {info.doc_id} » existe déjà ; utilisez --replace"))
                continue
        elif there is not None:
            skipped.append((str(path), f"« {info.doc_id} » existe déjà sous le nom {there.name}"))
            continue
        elif path.name in names and not replace:
            skipped.append((str(path), "un autre document porte déjà ce nom dans le corpus"))
            continue
        seen[info.doc_id] = str(path)
        taken_names[path.name] = str(path)
        plan.append((path, info, there is not None or path.name in names))
    if plan:
        try:
            add(
                [path for path, _, _ in plan],
                corpus,
                replace=replace,
                follow_symlinks=follow_symlinks,
                max_bytes=max_bytes,
            )
        except LibraryError as exc:  # the copy failed (a full disk…): nothing was copied
            lines = [f"Ignoré : {name} — {why}" for name, why in skipped]
            raise LibraryError("\n".join([str(exc), *lines])) from None
    copied = plan
    return AddReport(
        added=tuple(info for _, info, replaces in copied if not replaces),
        replaced=tuple(info for _, info, replaces in copied if replaces),
        unchanged=tuple(unchanged),
        skipped=tuple(skipped),
    )


def summary(report: AddReport) -> list[str]:
    """The closing lines of ``add``: counts, then every skipped file with its reason."""
    lines = [
        f"Ajoutés : {len(report.added)}, remplacés : {len(report.replaced)}, "
        f"inchangés : {len(report.unchanged)}, ignorés : {len(report.skipped)}."
    ]
    lines += [f"Ignoré : {name} — {reason}" for name, reason in report.skipped]
    return lines
