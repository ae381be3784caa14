"""The corpus folder: which files are documents, their hash, and reading them all.

:func:`read_corpus` is the one loop that reads every document of the folder and skips
(with a one-line warning) a file that does not parse; the index build, the app's
*Document* tab, the chantier table, the library listing and the evaluation all use it.

Non-goals: reading one file (:mod:`assistant.documents.readers`), adding or removing
files (:mod:`assistant.documents.library`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import CorpusError, ParseError
from ..files import PROJECT_ROOT, sha256_file
from .document import Document
from .ids import IdRegistry, with_id
from .readers import SUFFIXES, read_document

__all__ = [
    "default_corpus_dir",
    "corpus_files",
    "corpus_hash",
    "read_corpus",
    "read_documents",
]


def default_corpus_dir() -> Path:
    """``$ASSISTANT_CORPUS``, else the repository's ``corpus/`` folder."""
    return Path(os.environ.get("ASSISTANT_CORPUS") or PROJECT_ROOT / "corpus")


def corpus_files(corpus: Path) -> list[Path]:
    """The document files of ``corpus`` (by suffix, no dot-files), sorted by name."""
    if not corpus.is_dir():
        raise CorpusError(
            f"Le dossier du corpus {corpus} n'existe pas : indiquez-le avec --corpus DOSSIER."
        )
    return sorted(
        p
        for p in corpus.iterdir()
        if p.suffix.lower() in SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


def corpus_hash(files: list[Path]) -> str:
    """One hash of the names and bytes of ``files``: it changes when any document does."""
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.name}\0{sha256_file(f)}\n".encode())
    return h.hexdigest()


def read_documents(
    files: list[Path], *, warn: Callable[[str], None] | None = None
) -> Iterator[tuple[Path, Document]]:
    """The readable documents among ``files``, each with its file, in order (lazily).

    A file that does not parse is skipped, and ``warn`` (when given) gets one French line
    saying which and why. Ids are unique among the documents yielded (see
    :class:`assistant.documents.ids.IdRegistry`).
    """
    ids = IdRegistry()
    for path in files:
        try:
            doc = read_document(path)
        except ParseError as exc:
            if warn is not None:
                warn(f"Document ignoré : {exc}")
            continue
        yield path, with_id(doc, ids.claim(doc, stem=path.stem))


def read_corpus(
    corpus: Path | None = None, *, warn: Callable[[str], None] | None = None
) -> list[tuple[Path, Document]]:
    """Every readable document of ``corpus`` (the default folder when None), with its file."""
    files = corpus_files(Path(corpus) if corpus else default_corpus_dir())
    return list(read_documents(files, warn=warn))
