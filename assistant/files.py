"""Small file helpers for the stages that write to disk: hashing, atomic JSON, a file lock.

Non-goals: anything about what the files hold (see :mod:`assistant.indexing.store` for
the index, :mod:`assistant.documents.library` for the corpus).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
from pathlib import Path

__all__ = [
    "PROJECT_ROOT",
    "sha256_file",
    "write_text_atomic",
    "write_json_atomic",
    "locked",
    "try_locked",
    "os_error_text",
    "is_disk_full",
    "megabytes",
]

# The project folder, where the default corpus/ and index/ live (see documents.corpus and
# indexing.store); ASSISTANT_CORPUS and ASSISTANT_INDEX point elsewhere.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


_REASONS = {  # errno -> what the user reads, in French (strerror is in English)
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque dépassé",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EIO: "erreur d'entrée-sortie",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EEXIST: "existe déjà",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ELOOP: "trop de liens symboliques",
}
_HINTS = {
    errno.ENOSPC: "libérez de la place sur le disque",
    errno.EDQUOT: "libérez de la place sur le disque",
    errno.EACCES: "vérifiez les droits",
    errno.EPERM: "vérifiez les droits",
    errno.EROFS: "choisissez un dossier où l'on peut écrire",
}


def os_error_text(exc: OSError, *, hint: bool = False) -> str:
    """``exc`` in French: « disque plein : /chemin », and with ``hint``, how to fix it."""
    reason = _REASONS.get(exc.errno) or (
        f"erreur système {errno.errorcode.get(exc.errno, exc.errno)}"
        if exc.errno
        else "erreur système"
    )
    text = f"{reason} : {exc.filename}" if exc.filename else reason
    if hint:
        text += f" — {_HINTS.get(exc.errno, 'vérifiez le chemin et les droits')}."
    return text


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full: an OSError's errno, numpy's short write
    (« 51200 requested and 33760 written », no errno) or FAISS's (a RuntimeError from
    ``faiss::write_index`` whose check ``ret == (size * 4)`` failed)."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno is None:
        return " requested and " in text and text.endswith(" written")
    if not isinstance(exc, RuntimeError):
        return False
    short_write = "faiss::write_index" in text and "'ret ==" in text
    return short_write or any(s in text for s in ("No space left on device", "Disk quota exceeded"))


def megabytes(size: int) -> str:
    """``size`` bytes in Mo, French style: « 2,7 » (one decimal, none when round)."""
    text = f"{size / 1e6:.{1 if size >= 100_000 else 2}f}"
    return text.removesuffix(".0").removesuffix(".00").replace(".", ",")


def sha256_file(path: Path) -> str:
    """sha256 (hex) of a file's bytes, read 1 MiB at a time."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``: a temporary file, fsync, then ``os.replace``.

    A reader sees the old file or the new one, never half of it.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise


def write_json_atomic(path: Path, data: dict, *, indent: int = 2) -> None:
    """Write ``data`` as JSON to ``path``, atomically (see :func:`write_text_atomic`)."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=indent))


@contextlib.contextmanager
def locked(folder: Path, *, shared: bool = False, name: str = ".lock"):
    """Hold ``folder/<name>``: exclusive (a writer) or ``shared`` (readers, many at once).

    Waits until the lock is free. A writer creates the folder and the lock file. A reader
    creates nothing it cannot: when the lock file cannot be opened nor created (a missing
    folder, a read-only copy of an index), it goes on without a lock, since no writer
    with the same rights can change that folder either.
    """
    if shared:
        lock = _open_for_reading(folder / name)
        if lock is None:
            yield
            return
    else:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / name, "ab")
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        except OSError:
            if not shared:
                raise
            lock = None  # a file system without locks (some network mounts): read anyway
        try:
            yield
        finally:
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def try_locked(folder: Path, *, name: str = ".lock"):
    """Take ``folder/<name>`` exclusively if no one holds it now: yields True, else False.

    Never waits: for the work a writer may leave to a later writer (sweeping old files).
    """
    folder.mkdir(parents=True, exist_ok=True)
    lock = _open_for_reading(folder / name)  # a file another user created opens read-only
    if lock is None:
        yield False  # cannot know who holds it: leave the work to a later writer
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            taken = True
        except OSError:  # held by someone (BlockingIOError), or no locks on this file system
            taken = False
        try:
            yield taken
        finally:
            if taken:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _open_for_reading(path: Path):
    """``path`` opened for a shared lock (created if it can be), else None."""
    try:
        return open(path, "rb")  # flock needs no write access
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        return open(path, "ab")
    except OSError:
        return None
