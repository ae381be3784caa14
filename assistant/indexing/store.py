"""Persist and load the search index: generation folders, ``meta.json``, the checks on load.

Layout of the index folder::

    index/meta.json              the commit record: versions, model, corpus hash,
                                 and the sha256 of every file below
    index/<generation>/dense.faiss       flat or HNSW by size (dense.npy for the NumPy backend)
    index/<generation>/lines.faiss       one vector per line of a chunk (lines.npy)
    index/<generation>/lines_owner.npy   the chunk row of each line vector
    index/<generation>/sentences.npy     one vector per sentence (answer selection)
    index/<generation>/sentence_spans.npy  (chunk row, start, end in the chunk text)
    index/<generation>/chunks.jsonl
    index/<generation>/annotations.jsonl  spaCy's entities, lemma stems and answer types of
                                 every sentence, by content hash (assistant.indexing.annotate)
    index/<generation>/words.json        every distinct word of the chunks, and its
    index/<generation>/word_vectors.npy  vector as a query (assistant.indexing.words)
    index/<generation>/word_flags.npy    which language's passages hold each word, and its
    index/<generation>/word_hubness.npy  hubness (assistant.indexing.word_sides)
    index/<generation>/embed_keys.npy    sha256 of every distinct embedded text, and
    index/<generation>/embed_vectors.npy its vector (see assistant.indexing.embedcache)
    index/<generation>/bm25/…            bm25s's JSON and .npy files

:func:`write_index` writes a new generation folder under a temporary name, renames it,
then replaces ``meta.json`` (temp file, then ``os.replace``), all under the builders'
exclusive lock ``.lock``: two builds never mix, and a crash mid-build leaves the old
index usable. :func:`load_index` checks every file against its recorded hash and the
model, corpus, chunker and format against the current ones; any mismatch raises
:class:`IndexStale` with the reason. :func:`previous_embeddings` hands the previous
generation's embedding cache to the next build, :func:`previous_annotations` its sentence
annotations. An index written before the annotations (no ``annotations.jsonl``) still loads,
with ``Built.annotations`` None: the reader then uses its regular expressions only, and
``python -m assistant index`` adds them; one written before the word table loads with
``Built.words`` None (the grounding then encodes the quoted words as it answers), one
written before the word sides with ``Built.words.sides`` None (the cross-lingual terms
then compute them on the first question).

Readers hold ``.readers.lock`` shared from reading ``meta.json`` to their last file; a
build deletes the generations ``meta.json`` no longer names only if it gets that lock
alone at once, else leaves them to the next build. So a reader sees the old index or the
new one, whole, and neither side waits for the other (no reader behind a build's writing,
no build behind a stream of readers, which ``flock`` lets in ahead of a waiting writer).
A read-only copy, whose lock file cannot be opened, is read without the lock.

Non-goals: parsing, chunking and embedding (:mod:`assistant.indexing.build`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..documents.corpus import corpus_files, corpus_hash
from ..errors import DiskFull, IndexStale
from ..files import (
    PROJECT_ROOT,
    is_disk_full,
    locked,
    megabytes,
    sha256_file,
    try_locked,
    write_json_atomic,
)
from .annotate import ANNOTATIONS_FILE, Annotation, load_annotations, save_annotations
from .chunking import CHUNKER_VERSION, Chunk
from .dense import BACKENDS, DenseIndex
from .embedcache import KEYS_FILE, VECTORS_FILE, EmbeddingCache, keys_of
from .lexical import ANALYZER_VERSION, LexicalIndex
from .word_sides import WORD_SIDES_VERSION, WordSides
from .words import KEY_PREFIX, WordTable

__all__ = [
    "Built",
    "write_index",
    "load_index",
    "previous_embeddings",
    "previous_annotations",
    "default_index_dir",
    "default_dense_index",
    "read_meta",
    "FORMAT_VERSION",
    "READERS_LOCK",
]

FORMAT_VERSION = 2  # 2: annotations.jsonl (sentence annotations)
READABLE_FORMATS = (1, 2)  # a format-1 index loads without annotations
WORDS_FILE, WORD_VECTORS_FILE = "words.json", "word_vectors.npy"
WORD_FLAGS_FILE, WORD_HUBNESS_FILE = "word_flags.npy", "word_hubness.npy"
READERS_LOCK = ".readers.lock"  # shared by readers; a build sweeps only when it gets it alone


@dataclass(frozen=True)
class Built:
    """A loaded index: chunks and their dense and lexical indexes (same row order)."""

    chunks: tuple[Chunk, ...]
    dense: DenseIndex  # one vector per chunk
    lines: DenseIndex  # one vector per line of a chunk (see chunking.chunk_lines)
    line_owner: np.ndarray  # (n_lines,) int64: chunk row of each line vector
    sentence_vectors: np.ndarray  # (n_sentences, dim) float32, unit rows
    sentence_spans: np.ndarray  # (n_sentences, 3) int64: chunk row, start, end
    lexical: LexicalIndex
    meta: dict
    # one per sentence span (None: an index from before the annotations)
    annotations: tuple[Annotation, ...] | None = None
    annotation_keys: tuple[str, ...] | None = None  # their content keys (the next build's cache)
    words: WordTable | None = None  # the chunks' words as queries (None: an older index)


def default_index_dir() -> Path:
    """``$ASSISTANT_INDEX``, else the repository's ``index/`` folder."""
    return Path(os.environ.get("ASSISTANT_INDEX") or PROJECT_ROOT / "index")


def default_dense_index() -> str:
    return os.environ.get("ASSISTANT_DENSE_INDEX") or "auto"


# --- writing ------------------------------------------------------------------------


def write_index(
    index_dir: Path, *, built: Built, cache: EmbeddingCache, meta: dict, started: float
) -> Built:
    """Write ``built`` and ``cache`` as a new generation and commit it in ``meta.json``.

    ``meta`` describes the build (see ``build._description``); the store adds the format
    version, the time (``started``: ``time.perf_counter()`` when the build began), the
    generation and every file's hash. Returns ``built`` with that whole ``meta``.
    """
    with locked(index_dir):
        generation = f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{time.time_ns() % 10**6}"
        need = estimate_bytes(built, cache)
        free = shutil.disk_usage(index_dir).free
        if free < need:
            raise DiskFull(disk_full_message(index_dir, need=need, free=free))
        try:
            meta = _write_generation(index_dir, generation, built, cache, meta, started)
        except (OSError, RuntimeError) as exc:  # FAISS says ENOSPC with a RuntimeError
            _discard(index_dir, generation)
            if is_disk_full(exc):
                free = shutil.disk_usage(index_dir).free
                raise DiskFull(disk_full_message(index_dir, need=need, free=free)) from None
            raise
        with try_locked(index_dir, name=READERS_LOCK) as alone:
            if alone:  # no reader can still be loading a generation meta.json left
                _sweep(index_dir, keep=generation)
    return dataclasses.replace(built, meta=meta)


def _write_generation(
    index_dir: Path, generation: str, built: Built, cache: EmbeddingCache, meta: dict, started
) -> dict:
    """Write the files under a temporary name, rename the folder, commit ``meta.json``."""
    tmp = index_dir / f".{generation}.tmp"
    tmp.mkdir(parents=True)
    _write_files(tmp, built, cache, meta)
    files_meta = {
        str(p.relative_to(tmp)): {"sha256": sha256_file(p), "size": p.stat().st_size}
        for p in sorted(tmp.rglob("*"))
        if p.is_file()
    }
    os.rename(tmp, index_dir / generation)
    head = {k: v for k, v in meta.items() if k != "embeddings"}
    meta = {
        "format_version": FORMAT_VERSION,
        **head,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 3),
        "embeddings": meta["embeddings"],
        "generation": generation,
        "files": files_meta,
    }
    write_json_atomic(index_dir / "meta.json", meta)
    return meta


def _discard(index_dir: Path, generation: str) -> None:
    """Delete what a failed write left: its temporary folder, its folder if not committed."""
    shutil.rmtree(index_dir / f".{generation}.tmp", ignore_errors=True)
    try:
        committed = read_meta(index_dir).get("generation") == generation
    except IndexStale:
        committed = False
    if not committed:
        shutil.rmtree(index_dir / generation, ignore_errors=True)


def estimate_bytes(built: Built, cache: EmbeddingCache) -> int:
    """About how many bytes a generation of ``built`` takes on disk (10 % margin).

    The vectors (passages, lines, sentences, the cache) at 4 bytes a number, twice for
    an HNSW graph; the chunks' JSON as written, the BM25 arrays at half of it; the
    sentence annotations at 300 bytes each, the word table's words at 21 bytes each (with
    their sides).
    """
    dim = cache.vectors.shape[1] if cache.vectors.ndim == 2 else 0
    per_index = [(built.dense.count, built.dense.name), (built.lines.count, built.lines.name)]
    vectors = sum(n * dim * 4 * (2 if name == "faiss-hnsw" else 1) for n, name in per_index)
    arrays = (
        cache.keys.nbytes
        + cache.vectors.nbytes
        + built.sentence_vectors.nbytes
        + built.sentence_spans.nbytes
        + built.line_owner.nbytes
        + (built.words.vectors.nbytes + 21 * len(built.words) if built.words else 0)
    )
    rows = sum(
        len(json.dumps(dataclasses.asdict(c), ensure_ascii=False).encode()) + 1
        for c in built.chunks
    )
    notes = 300 * len(built.annotations or ())  # ~270 bytes a sentence's JSON row
    return int(1.1 * (vectors + arrays + 1.5 * rows + notes))


def disk_full_message(index_dir: Path, *, need: int, free: int) -> str:
    """The one line of a full disk: how much the index needs, how much is free, where."""
    again = "puis relancez « python -m assistant index »."
    if need <= free:  # the estimate fell short: the disk filled while writing
        return (
            f"Disque plein : l'index a besoin de plus que les {megabytes(free)} Mo libres "
            f"dans {index_dir} (environ {megabytes(need)} Mo estimés) ; libérez de la place {again}"
        )
    return (
        f"Disque plein : l'index a besoin d'environ {megabytes(need)} Mo dans {index_dir}, "
        f"{megabytes(free)} Mo libres ; libérez au moins {megabytes(need - free)} Mo {again}"
    )


def _write_files(folder: Path, built: Built, cache: EmbeddingCache, meta: dict) -> None:
    built.dense.save(folder / meta["dense_file"])
    built.lines.save(folder / meta["lines_file"])
    cache.save(folder)
    for name, array in (
        ("lines_owner.npy", built.line_owner),
        ("sentences.npy", built.sentence_vectors),
        ("sentence_spans.npy", built.sentence_spans),
    ):
        with open(folder / name, "wb") as f:
            np.save(f, array, allow_pickle=False)
    with open(folder / "chunks.jsonl", "w", encoding="utf-8") as f:
        for c in built.chunks:
            f.write(json.dumps(dataclasses.asdict(c), ensure_ascii=False) + "\n")
    built.lexical.save(folder / "bm25")
    if built.words is not None:
        with open(folder / WORDS_FILE, "w", encoding="utf-8") as f:
            json.dump(list(built.words.words), f, ensure_ascii=False)
        with open(folder / WORD_VECTORS_FILE, "wb") as f:
            np.save(f, built.words.vectors, allow_pickle=False)
        if built.words.sides is not None:
            for name, array in (
                (WORD_FLAGS_FILE, built.words.sides.flags),
                (WORD_HUBNESS_FILE, built.words.sides.hubness),
            ):
                with open(folder / name, "wb") as f:
                    np.save(f, array, allow_pickle=False)
    if built.annotations is not None:
        save_annotations(
            folder / ANNOTATIONS_FILE, list(built.annotations), list(built.annotation_keys)
        )


def _sweep(index_dir: Path, *, keep: str) -> None:
    """Delete every generation but ``keep``, and what killed builds left behind."""
    for old in index_dir.iterdir():
        if old.is_dir() and old.name.startswith(("gen-", ".gen-")) and old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


# --- reading ------------------------------------------------------------------------


def _meta_json(index_dir: Path) -> dict:
    """``meta.json`` as it is, whatever its format version (IndexStale if unreadable)."""
    path = index_dir / "meta.json"
    if not path.exists():
        raise IndexStale(f"pas d'index dans {index_dir}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexStale(f"meta.json illisible ({exc.__class__.__name__})") from None


def read_meta(index_dir: Path) -> dict:
    """``meta.json`` if this version can read the index it describes, else IndexStale."""
    meta = _meta_json(index_dir)
    if not isinstance(meta, dict) or meta.get("format_version") not in READABLE_FORMATS:
        found = meta.get("format_version") if isinstance(meta, dict) else None
        raise IndexStale(f"format d'index {found!r}, attendu {FORMAT_VERSION}")
    return meta


def previous_embeddings(index_dir: Path, *, encoder, warn) -> EmbeddingCache:
    """The previous generation's embeddings if the same model made them, else an empty cache;
    its word table's vectors too (keyed ``KEY_PREFIX + word``), so a rebuild encodes only
    new words.

    Whatever the index's format version or chunker version: the vectors are keyed by the
    content hash of their texts, and their files are checked (hash, then shapes).
    """
    with locked(index_dir, shared=True, name=READERS_LOCK):
        return _previous_embeddings(index_dir, encoder=encoder, warn=warn)


def _previous_embeddings(index_dir: Path, *, encoder, warn) -> EmbeddingCache:
    empty = EmbeddingCache.empty(encoder.dim)
    try:
        meta = _meta_json(index_dir)
    except IndexStale:
        return empty
    if not isinstance(meta, dict):
        return empty
    try:
        model = meta["model"]
        if (model["id"], model["fingerprint"], model["dim"]) != (
            encoder.id,
            encoder.fingerprint,
            encoder.dim,
        ):
            return empty
        folder = index_dir / meta["generation"]
        files = meta["files"]
        if not _intact(folder, files, (KEYS_FILE, VECTORS_FILE)):
            return empty  # an index from before the cache
        cache = EmbeddingCache.load(folder, dim=encoder.dim)
    except (KeyError, TypeError, ValueError, OSError) as exc:
        why = f"champ {exc} absent" if isinstance(exc, KeyError) else str(exc)
        warn(f"Cache d'embeddings ignoré ({why}) : tous les textes seront encodés.")
        return empty
    try:
        return cache.merged(_previous_words(folder, files, dim=encoder.dim))
    except (KeyError, TypeError, ValueError, OSError) as exc:
        warn(f"Table des mots précédente ignorée ({exc}) : tous les mots seront encodés.")
        return cache


def _previous_words(folder: Path, files: dict, *, dim: int) -> EmbeddingCache:
    """The previous word table as cache rows (keyed as :mod:`assistant.indexing.words` says)."""
    if not _intact(folder, files, (WORDS_FILE, WORD_VECTORS_FILE)):
        return EmbeddingCache.empty(dim)  # an index from before the table
    table = _read_words(folder, dim=dim)
    return EmbeddingCache(
        keys_of(KEY_PREFIX + w for w in table.words), np.array(table.vectors, np.float32)
    )


def _intact(folder: Path, files: dict, names: tuple[str, ...]) -> bool:
    """False if one of ``names`` is not recorded; ValueError if one's sha256 is not its own."""
    if any(name not in files for name in names):
        return False
    for name in names:
        if sha256_file(folder / name) != files[name]["sha256"]:
            raise ValueError(f"{name} endommagé")
    return True


def _read_words(folder: Path, *, dim: int) -> WordTable:
    """The generation's word table, its vectors memory-mapped; ValueError if they disagree."""
    listed = json.loads((folder / WORDS_FILE).read_text(encoding="utf-8"))
    vectors = np.load(folder / WORD_VECTORS_FILE, mmap_mode="r", allow_pickle=False)
    if (
        not isinstance(listed, list)
        or vectors.shape != (len(listed), dim)
        or vectors.dtype != np.float32
    ):
        count = len(listed) if isinstance(listed, list) else "?"
        raise ValueError(f"{count} mots, vecteurs {vectors.dtype} de forme {vectors.shape}")
    return WordTable.of(listed, vectors)


def _read_sides(folder: Path, table: WordTable) -> WordSides:
    """The generation's word sides; ValueError if they do not fit ``table``."""
    flags = np.load(folder / WORD_FLAGS_FILE, allow_pickle=False)
    hubness = np.load(folder / WORD_HUBNESS_FILE, allow_pickle=False)
    return WordSides.of(flags, hubness, count=len(table.words))


def previous_annotations(index_dir: Path, *, warn) -> dict[str, Annotation]:
    """The previous generation's sentence annotations by content key (empty if none or damaged).

    Whatever the model or format of that index: an annotation depends only on its text,
    language and :data:`assistant.indexing.annotate.ANNOTATOR_VERSION` (all in the key).
    """
    with locked(index_dir, shared=True, name=READERS_LOCK):
        try:
            meta = _meta_json(index_dir)
        except IndexStale:
            return {}
        files = meta.get("files") if isinstance(meta, dict) else None
        generation = meta.get("generation") if isinstance(meta, dict) else None
        if not isinstance(files, dict) or ANNOTATIONS_FILE not in files:
            return {}  # no index, or one from before the annotations: annotate everything
        path = index_dir / str(generation) / ANNOTATIONS_FILE
        if not path.is_file():
            return {}  # the generation is gone: the damage is reported by the load
        try:
            if sha256_file(path) != files[ANNOTATIONS_FILE]["sha256"]:
                raise ValueError(f"{ANNOTATIONS_FILE} endommagé")
            annotations, keys = load_annotations(path)
        except (KeyError, TypeError, ValueError, OSError) as exc:
            warn(f"Annotations précédentes ignorées ({exc}) : toutes les phrases seront annotées.")
            return {}
    return dict(zip(keys, annotations, strict=True))


def load_index(
    *,
    corpus: Path,
    index_dir: Path,
    encoder,
    backend: str | None = None,
    any_corpus: bool = False,
) -> Built:
    """Load and check the persisted index; :class:`IndexStale` says why it can't be used.

    ``backend`` other than ``auto`` must be the index's dense type (else it is stale).
    ``any_corpus``: the last good index even if the corpus changed since (when a new one
    cannot be written: a full disk). Holds the readers' lock, so that no build deletes
    the generation while it loads.
    """
    with locked(index_dir, shared=True, name=READERS_LOCK):
        return _load_index(
            corpus=None if any_corpus else corpus,
            index_dir=index_dir,
            encoder=encoder,
            backend=backend,
        )


def _load_index(*, corpus: Path | None, index_dir: Path, encoder, backend: str | None) -> Built:
    meta = read_meta(index_dir)
    dense_index = backend or default_dense_index()
    try:
        _check_current(meta, corpus=corpus, encoder=encoder, dense_index=dense_index)
        folder = index_dir / meta["generation"]
        _check_files(folder, meta["files"])
        return _load_generation(folder, meta, dim=encoder.dim)
    except IndexStale:
        raise
    except (KeyError, TypeError, ValueError, RuntimeError, OSError, EOFError) as exc:
        raise IndexStale(f"index illisible ({exc.__class__.__name__}: {exc})") from None


def _check_current(meta: dict, *, corpus: Path | None, encoder, dense_index: str) -> None:
    """IndexStale unless the index was built with today's settings, model and corpus
    (``corpus`` None: any corpus, and any lexical analysis)."""
    if dense_index != "auto" and dense_index != meta["dense_backend"]:
        raise IndexStale(f"type d'index dense changé ({meta['dense_backend']} → {dense_index})")
    model = meta["model"]
    if (model["id"], model["fingerprint"]) != (encoder.id, encoder.fingerprint):
        raise IndexStale(f"modèle changé ({model['id']} → {encoder.id})")
    if model["dim"] != encoder.dim:
        raise IndexStale(f"dimension changée ({model['dim']} → {encoder.dim})")
    if meta["chunker_version"] != CHUNKER_VERSION:
        raise IndexStale("découpage en passages changé")
    # 1: before it was recorded. The last good index (``corpus`` None) is served even so:
    # its BM25 terms are another analysis of the same words, a question still meets them
    if corpus is not None and meta.get("analyzer_version", 1) != ANALYZER_VERSION:
        raise IndexStale("analyse lexicale changée")
    if corpus is not None and meta["corpus"]["hash"] != corpus_hash(corpus_files(corpus)):
        raise IndexStale("corpus modifié")


def _check_files(folder: Path, files: dict) -> None:
    """IndexStale unless every recorded file is there with its size and sha256."""
    for name, info in files.items():
        path = folder / name
        if not path.is_file():
            raise IndexStale(f"fichier manquant : {name}")
        if path.stat().st_size != info["size"] or sha256_file(path) != info["sha256"]:
            raise IndexStale(f"fichier endommagé : {name}")


def _load_generation(folder: Path, meta: dict, *, dim: int) -> Built:
    """Every file of a checked generation, and IndexStale if they disagree with each other."""
    count = int(meta["count"])
    with open(folder / "chunks.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    chunks = tuple(Chunk(**{**r, "ministers": tuple(r["ministers"])}) for r in rows)
    dense = BACKENDS[meta["dense_backend"]].load(folder / meta["dense_file"], dim=dim)
    lines_backend = BACKENDS[meta.get("lines_backend", meta["dense_backend"])]
    lines = lines_backend.load(folder / meta["lines_file"], dim=dim)
    line_owner = np.load(folder / "lines_owner.npy", allow_pickle=False)
    lexical = LexicalIndex.load(folder / "bm25", count=count)
    if lines.count != len(line_owner) or (len(line_owner) and line_owner.max() >= count):
        raise IndexStale("index incohérent (vecteurs de lignes)")
    sentence_vectors = np.load(folder / "sentences.npy", allow_pickle=False)
    sentence_spans = np.load(folder / "sentence_spans.npy", allow_pickle=False)
    if sentence_vectors.shape != (len(sentence_spans), dim) or (
        len(sentence_spans) and sentence_spans[:, 0].max() >= count
    ):
        raise IndexStale("index incohérent (vecteurs de phrases)")
    if KEYS_FILE in meta["files"]:
        keys = np.load(folder / KEYS_FILE, mmap_mode="r", allow_pickle=False)
        cached = np.load(folder / VECTORS_FILE, mmap_mode="r", allow_pickle=False)
        if keys.shape[0] != cached.shape[0] or cached.shape[1:] != (dim,):
            raise IndexStale("index incohérent (cache d'embeddings)")
    if not (len(chunks) == dense.count == count):
        raise IndexStale(f"index incohérent ({len(chunks)} passages, {dense.count} vecteurs)")
    annotations = keys = None
    if ANNOTATIONS_FILE in meta["files"]:
        loaded, loaded_keys = load_annotations(folder / ANNOTATIONS_FILE)
        if len(loaded) != len(sentence_spans):
            raise IndexStale("index incohérent (annotations des phrases)")
        annotations, keys = tuple(loaded), tuple(loaded_keys)
    words = None
    if WORDS_FILE in meta["files"]:
        try:
            words = _read_words(folder, dim=dim)
        except ValueError:
            raise IndexStale("index incohérent (vecteurs des mots)") from None
        if WORD_FLAGS_FILE in meta["files"] or WORD_HUBNESS_FILE in meta["files"]:
            if not {WORD_FLAGS_FILE, WORD_HUBNESS_FILE} <= meta["files"].keys():
                raise IndexStale("index incohérent (côtés des mots : un fichier manque)")
            # sides of other rules than this version's are as good as none: recomputed
            if meta.get("word_sides_version") == WORD_SIDES_VERSION:
                try:
                    sides = _read_sides(folder, words)
                except (ValueError, EOFError):
                    raise IndexStale("index incohérent (côtés des mots)") from None
                words = WordTable.of(words.words, words.vectors, sides=sides)
    return Built(
        chunks,
        dense,
        lines,
        line_owner,
        sentence_vectors,
        sentence_spans,
        lexical,
        meta,
        annotations,
        keys,
        words,
    )
