"""The corpus folder as a library: add, list and remove documents.

``add`` checks and reads every file first (a file missing, unreadable, hidden, a link,
not a regular file or too large is refused with the reason, and nothing is copied), copies
them all into a hidden staging folder, then renames them into place: all or nothing, no
temporary file left; the caller rebuilds the index (``Assistant.load`` notices the changed
corpus). Many files and folders, going past the bad ones, are
:mod:`assistant.documents.adding`'s. ``remove`` takes out the documents found by id
(``qe-517``: see :mod:`assistant.documents.ids`), number or file name, all or none.
``list`` describes every document of the folder.

Non-goals: the index itself (see :mod:`assistant.indexing.store`), fetching documents from the web.
"""

from __future__ import annotations

import contextlib
import errno
import filecmp
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import LibraryError, ParseError
from ..files import locked, megabytes, os_error_text
from .corpus import read_corpus
from .document import Document
from .readers import SUFFIXES, read_document

__all__ = [
    "DocumentInfo",
    "LibraryError",
    "describe",
    "list_documents",
    "add",
    "remove",
    "MAX_FILE_BYTES",
    "refusal",
]

MAX_FILE_BYTES = 2_000_000  # 2 Mo: a written question is tens of kB; 30 Mo take an hour to embed
LOCK = ".library.lock"  # add and remove, one at a time


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


def add(
    paths: list[str | Path],
    corpus: Path,
    *,
    replace: bool = False,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[DocumentInfo]:
    """Copy readable documents into ``corpus``; returns those added (or replaced).

    Refuses the whole batch, copying nothing, when a file is missing, unreadable, hidden
    (a dot-file), a symbolic link (unless ``follow_symlinks``: then the file it points to is
    copied), not a regular file, larger than ``max_bytes``, when two files would get the
    same id, or when a different file of the same name is already there (unless
    ``replace``). A file already there, byte for byte, is skipped. Every file is copied
    into a hidden staging folder first and only then renamed into place; a failure at
    any step puts back what was there and leaves no temporary file.
    """
    corpus.mkdir(parents=True, exist_ok=True)
    existing = {doc.doc_id: p for p, doc in read_corpus(corpus)}
    plan: list[tuple[Path, DocumentInfo]] = []
    errors, seen = [], {}
    for raw in paths:
        path = Path(raw)
        problem = refusal(path, follow_symlinks=follow_symlinks, max_bytes=max_bytes)
        if problem:
            errors.append(f"{path.name or path} : {problem}")
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
    with _staging(corpus, "add") as stage:
        for i, (path, _) in enumerate(plan):
            try:
                _copy(path, stage / f"new-{i}", follow_symlinks=follow_symlinks)
            except OSError as exc:
                need = sum(p.stat().st_size for p, _ in plan)
                raise LibraryError(
                    f"Aucun document ajouté :\n- {path.name} : {_copy_failure(exc, need, corpus)}"
                ) from None
        moves = [(stage / f"new-{i}", corpus / path.name) for i, (path, _) in enumerate(plan)]
        _commit(moves, stage, verb="ajouté")
    return [info for _, info in plan]


def remove(keys: list[str], corpus: Path) -> list[DocumentInfo]:
    """Delete the documents named by id, number or file name; returns what was removed.

    A document named twice (by number and by file name, say) is removed once. The files
    are moved to a hidden staging folder first; if one cannot be, those already moved
    are put back and nothing is removed.
    """
    docs = list_documents(corpus)
    chosen, errors = {}, []
    for key in keys:
        match = [d for d in docs if key in (d.doc_id, d.file) or (d.number and key == d.number)]
        if len(match) != 1:
            known = ", ".join(d.doc_id for d in docs) or "aucun"
            why = "ambigu" if match else "inconnu"
            errors.append(f"« {key} » : document {why} (documents : {known})")
            continue
        chosen.setdefault(match[0].file, match[0])
    if errors:
        raise LibraryError("Aucun document retiré :\n- " + "\n- ".join(errors))
    with _staging(corpus, "remove") as stage:
        moves = [(corpus / d.file, stage / f"old-{i}") for i, d in enumerate(chosen.values())]
        _commit(moves, stage, verb="retiré", names=[d.doc_id for d in chosen.values()])
    return list(chosen.values())


# --- the steps of add and remove ----------------------------------------------------


def refusal(path: Path, *, follow_symlinks: bool, max_bytes: int) -> str | None:
    """Why ``path`` cannot be added, before reading it (None: it may be)."""
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            if not follow_symlinks:
                return (
                    "lien symbolique, refusé ; ajoutez --follow-symlinks pour copier "
                    "le fichier qu'il désigne"
                )
            st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return "fichier introuvable"
        return os_error_text(exc)
    if stat.S_ISDIR(st.st_mode):
        return "c'est un dossier ; donnez les fichiers qu'il contient"
    if not stat.S_ISREG(st.st_mode):
        return "pas un fichier ordinaire (tube, socket ou périphérique), refusé"
    if path.name.startswith("."):
        return (
            "fichier caché (son nom commence par un point), jamais lu dans le corpus ; "
            "renommez-le sans le point"
        )
    if path.suffix.lower() not in SUFFIXES:
        return f"format non pris en charge ({', '.join(SUFFIXES)})"
    if st.st_size > max_bytes:
        return (
            f"trop gros ({megabytes(st.st_size)} Mo, au plus {megabytes(max_bytes)} Mo) ; "
            "découpez-le, ou relevez la limite avec --max-file-mb"
        )
    return None


def _copy(src: Path, dst: Path, *, follow_symlinks: bool) -> None:
    """Copy ``src``'s bytes to ``dst`` and sync them (never through a link unless asked)."""
    flags = os.O_RDONLY | (0 if follow_symlinks else os.O_NOFOLLOW)
    with os.fdopen(os.open(src, flags), "rb") as fsrc, open(dst, "xb") as fdst:
        shutil.copyfileobj(fsrc, fdst)
        fdst.flush()
        os.fsync(fdst.fileno())


def _copy_failure(exc: OSError, need: int, corpus: Path) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        free = shutil.disk_usage(corpus).free
        return (
            f"disque plein ({megabytes(need)} Mo à copier, {megabytes(free)} Mo libres "
            f"dans {corpus}) ; libérez de la place et réessayez"
        )
    return os_error_text(exc)


@contextlib.contextmanager
def _staging(corpus: Path, what: str):
    """A hidden folder of ``corpus`` for one add or remove, deleted afterwards.

    Under the library's lock, so two commands never interleave; the folders a killed
    command left behind are deleted first.
    """
    with locked(corpus, name=LOCK):
        for old in corpus.glob(".staging-*"):
            shutil.rmtree(old, ignore_errors=True)
        stage = corpus / f".staging-{what}-{os.getpid()}"
        stage.mkdir()
        try:
            yield stage
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _commit(moves: list[tuple[Path, Path]], stage: Path, *, verb: str, names=None) -> None:
    """Rename every (source, target) pair, or none: a failure undoes the renames done.

    A target already there (``add --replace``) is moved into ``stage`` first, and put
    back on failure.
    """
    done: list[tuple[Path, Path]] = []  # (from, to), in the order they were made
    try:
        for i, (src, dst) in enumerate(moves):
            if verb == "ajouté" and dst.exists():
                aside = stage / f"old-{i}"
                os.replace(dst, aside)
                done.append((dst, aside))
            os.replace(src, dst)
            done.append((src, dst))
    except OSError as exc:
        for src, dst in reversed(done):
            with contextlib.suppress(OSError):
                os.replace(dst, src)
        which = names[i] if names else dst.name
        head = "Aucun document ajouté" if verb == "ajouté" else "Aucun document retiré"
        raise LibraryError(f"{head} :\n- {which} : {os_error_text(exc)}") from None
