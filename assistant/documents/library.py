"""The corpus folder as a library: add, list and remove documents.

``add`` reads every file first (a file that cannot be read is refused with the reason,
and nothing is copied), then copies the files into the corpus folder atomically; the
caller rebuilds the index (``Assistant.load`` notices the changed corpus). ``remove``
deletes a document's file, found by id (``qe-517``: see :mod:`assistant.documents.ids`),
number or file name. ``list``
describes every document of the folder.

Non-goals: the index itself (see :mod:`assistant.indexing.store`), fetching documents from the web.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import LibraryError, ParseError
from .corpus import read_corpus
from .document import Document
from .readers import SUFFIXES, read_document

__all__ = ["DocumentInfo", "LibraryError", "describe", "list_documents", "add", "remove"]


_FORMATS = {".htm": "html", ".markdown": "md"}


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    file: str  # the file name in the corpus folder
    format: str  # "txt", "html", "pdf", "md"
    kind: str  # "written-question" or "text"
    language: str
    label: str  # "Question écrite n°517 — Sommet social 2021"
    number: str
    title: str
    author: str
    addressee: str  # the minister the question is sent to
    date: str  # ISO, "" when unknown
    sections: int
    series: str = ""  # "qe", "ccc"; "" for a plain text
    incomplete: bool = False  # the page was saved cut

    def to_json(self) -> dict:
        """The ``list --json`` line; the addressee keeps its JSON name ``minister``."""
        return {("minister" if k == "addressee" else k): v for k, v in self.__dict__.items()}


def describe(path: Path) -> DocumentInfo:
    """What ``path`` holds; :class:`ParseError` when it cannot be read."""
    return info_of(path, read_document(path))


def info_of(path: Path, doc: Document) -> DocumentInfo:
    """The :class:`DocumentInfo` of ``doc``, read from ``path``."""
    m = doc.metadata
    return DocumentInfo(
        doc_id=doc.doc_id,
        file=path.name,
        format=_FORMATS.get(path.suffix.lower(), path.suffix.lower().lstrip(".")),
        kind=doc.kind,
        language=doc.language,
        label=doc.label,
        number=m.number,
        title=m.title,
        author=m.author,
        addressee=m.addressee,
        date=doc.date or "",
        sections=len(doc.sections()),
        series=m.series,
        incomplete=m.incomplete,
    )


def list_documents(corpus: Path, *, warn=None) -> list[DocumentInfo]:
    """Every readable document of ``corpus``; ``warn`` gets a line per file skipped."""
    return [info_of(path, doc) for path, doc in read_corpus(corpus, warn=warn)]


def add(paths: list[str | Path], corpus: Path, *, replace: bool = False) -> list[DocumentInfo]:
    """Copy readable documents into ``corpus``; returns those added (or replaced).

    Refuses the whole batch, copying nothing, when a file is missing or unreadable, when two
    files would get the same id, or when a different file of the same name is already
    there (unless ``replace``). A file already there, byte for byte, is skipped.
    """
    corpus.mkdir(parents=True, exist_ok=True)
    existing = {doc.doc_id: p for p, doc in read_corpus(corpus)}
    plan: list[tuple[Path, DocumentInfo]] = []
    errors, seen = [], {}
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            errors.append(f"{path} : fichier introuvable")
            continue
        if path.suffix.lower() not in SUFFIXES:
            errors.append(f"{path.name} : format non pris en charge ({', '.join(SUFFIXES)})")
            continue
        try:
            info = describe(path)
        except ParseError as exc:
            errors.append(f"{path.name} : illisible ({exc})")
            continue
        if info.doc_id in seen:
            errors.append(f"{path.name} : même identifiant que {seen[info.doc_id]}")
            continue
        seen[info.doc_id] = path.name
        there = existing.get(info.doc_id)
        if there is not None:
            if there.name == path.name and filecmp.cmp(there, path, shallow=False):
                continue  # already in the corpus
            if there.name != path.name or not replace:
                errors.append(
                    f"{path.name} : le document « {info.doc_id} » existe déjà ({there.name}) ; "
                    "retirez-le d'abord (remove) ou utilisez --replace"
                    if there.name == path.name
                    else f"{path.name} : le document « {info.doc_id} » existe déjà sous le nom "
                    f"{there.name} ; retirez-le d'abord (remove)"
                )
                continue
        elif (corpus / path.name).exists() and not replace:
            errors.append(
                f"{path.name} : un autre document porte déjà ce nom dans le corpus ; "
                "renommez le fichier ou utilisez --replace"
            )
            continue
        plan.append((path, info))
    if errors:
        raise LibraryError("Aucun document ajouté :\n- " + "\n- ".join(errors))
    for path, _ in plan:
        target = corpus / path.name
        tmp = corpus / f".{path.name}.{os.getpid()}.tmp"
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    return [info for _, info in plan]


def remove(keys: list[str], corpus: Path) -> list[DocumentInfo]:
    """Delete the documents named by id, number or file name; returns what was removed."""
    docs = list_documents(corpus)
    chosen, errors = [], []
    for key in keys:
        match = [d for d in docs if key in (d.doc_id, d.file) or (d.number and key == d.number)]
        if len(match) != 1:
            known = ", ".join(d.doc_id for d in docs) or "aucun"
            why = "ambigu" if match else "inconnu"
            errors.append(f"« {key} » : document {why} (documents : {known})")
            continue
        chosen.append(match[0])
    if errors:
        raise LibraryError("Aucun document retiré :\n- " + "\n- ".join(errors))
    for d in chosen:
        (corpus / d.file).unlink()
    return chosen
