"""Build, persist and load the search index, atomically and checked.

Layout of the index folder::

    index/meta.json              the commit record: versions, model, corpus hash,
                                 and the sha256 of every file below
    index/<generation>/dense.faiss       flat or HNSW by size (dense.npy for the NumPy backend)
    index/<generation>/lines.faiss       one vector per line of a chunk (lines.npy)
    index/<generation>/lines_owner.npy   the chunk row of each line vector
    index/<generation>/sentences.npy     one vector per sentence (answer selection)
    index/<generation>/sentence_spans.npy  (chunk row, start, end in the chunk text)
    index/<generation>/chunks.jsonl
    index/<generation>/embed_keys.npy    sha256 of every distinct embedded text, and
    index/<generation>/embed_vectors.npy its vector (see assistant.indexing.embedcache)
    index/<generation>/bm25/…            bm25s's JSON and .npy files

A build writes a new generation folder under a temporary name, renames it,
then replaces ``meta.json`` (temp file, then ``os.replace``): a reader sees the
old index or the new one, never a mix, and a crash mid-build leaves the old one
usable. Builds take an exclusive file lock. On load, every file is checked
against its recorded hash and the model, corpus, chunker and format against the
current ones; any mismatch raises :class:`IndexStale` with the reason.

Builds are incremental where it costs: texts are embedded only when the previous
generation's embedding cache (same model) does not hold them, so adding a
document embeds only its new passages, lines and sentences, and rebuilding an
unchanged corpus embeds nothing. The dense index type (exact flat or HNSW) is
chosen by size unless asked for (``backend=``), and recorded in ``meta.json``.

Non-goals: updating FAISS or BM25 in place (they are rebuilt from the cached
vectors, far cheaper than embedding: see ``benchmarks/scale.py`` for build times).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .._version import __version__
from ..documents.corpus import corpus_files, corpus_hash, read_documents
from ..errors import CorpusError, IndexStale
from ..files import locked as _locked
from ..files import sha256_file
from ..files import write_json_atomic as _write_json_atomic
from ..text.sentences import split_sentences
from .chunking import CHUNKER_VERSION, Chunk, chunk_document, chunk_lines
from .dense import BACKENDS, FILE_SUFFIX, DenseIndex, choose_backend
from .embedcache import VECTORS_FILE, EmbeddingCache, embed_texts
from .lexical import LexicalIndex

__all__ = [
    "Built",
    "build_index",
    "load_index",
    "chunks_from",
    "default_index_dir",
    "default_dense_index",
    "FORMAT_VERSION",
]

FORMAT_VERSION = 1
_ROOT = Path(__file__).resolve().parents[2]
_sha256 = sha256_file


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


def default_index_dir() -> Path:
    """``$ASSISTANT_INDEX``, else the repository's ``index/`` folder."""
    return Path(os.environ.get("ASSISTANT_INDEX") or _ROOT / "index")


def chunks_from(files: list[Path], warn) -> list[Chunk]:
    """The chunks of every readable document among ``files`` (CorpusError when none)."""
    chunks = [c for _, doc in read_documents(files, warn=warn) for c in chunk_document(doc)]
    if not chunks:
        names = ", ".join(f.name for f in files) or "aucun fichier .txt"
        raise CorpusError(f"Aucune question écrite lisible dans le corpus ({names}).")
    return chunks


def _previous_cache(index_dir: Path, encoder, warn) -> EmbeddingCache:
    """The previous generation's embeddings if the same model made them, else an empty cache."""
    empty = EmbeddingCache.empty(encoder.dim)
    try:
        meta = _read_meta(index_dir)
    except IndexStale:
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
        for name in ("embed_keys.npy", VECTORS_FILE):
            if name not in files:
                return empty  # an index from before the cache
            if _sha256(folder / name) != files[name]["sha256"]:
                raise ValueError(f"{name} endommagé")
        return EmbeddingCache.load(folder, dim=encoder.dim)
    except (KeyError, TypeError, ValueError, OSError) as exc:
        why = f"champ {exc} absent" if isinstance(exc, KeyError) else str(exc)
        warn(f"Cache d'embeddings ignoré ({why}) : tous les textes seront encodés.")
        return empty


def embedding_texts(chunks: list[Chunk]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The texts to embed, in order: every chunk, every line, every sentence.

    Returns (texts, line_owner (n_lines,) chunk rows, sentence_spans (n_sentences, 3):
    chunk row, start, end in the chunk text). Lines and sentences carry the heading path.
    """
    line_texts, owner = [], []
    for row, c in enumerate(chunks):
        for line in chunk_lines(c):
            line_texts.append(line)
            owner.append(row)
    sentence_texts, spans = [], []
    for row, c in enumerate(chunks):
        for sp in split_sentences(c.text):
            sentence_texts.append(f"{c.heading_path}\n\n{c.text[sp.start : sp.end]}")
            spans.append((row, sp.start, sp.end))
    texts = [c.embed_text for c in chunks] + line_texts + sentence_texts
    line_owner = np.asarray(owner, dtype=np.int64)
    return texts, line_owner, np.asarray(spans, dtype=np.int64).reshape(len(spans), 3)


def build_index(
    *,
    corpus: Path,
    index_dir: Path,
    encoder,
    backend: str | None = None,
    progress: bool = True,
    warn=lambda msg: print(msg, file=sys.stderr),
) -> Built:
    """Parse, chunk, embed and index ``corpus``; persist it atomically into ``index_dir``.

    ``backend``: ``auto`` (default, or ``ASSISTANT_DENSE_INDEX``): exact flat search
    up to :data:`assistant.indexing.dense.FLAT_MAX` vectors, HNSW beyond; or one of ``BACKENDS``.
    Only texts missing from the previous generation's embedding cache are embedded.
    """
    dense_index = backend or default_dense_index()
    choose_backend(dense_index, 0)  # fail fast on an unknown name
    t0 = time.perf_counter()
    files = corpus_files(corpus)
    chunks = chunks_from(files, warn)
    texts, line_owner, sentence_spans = embedding_texts(chunks)
    # Each distinct text is embedded once (a one-sentence line is also a sentence), and
    # only if the previous build did not embed it already.
    t_embed = time.perf_counter()
    embedded = embed_texts(
        texts, encoder=encoder, cache=_previous_cache(index_dir, encoder, warn), progress=progress
    )
    embed_seconds = time.perf_counter() - t_embed
    vectors = embedded.vectors
    n_chunks, n_lines = len(chunks), len(line_owner)
    backend = choose_backend(dense_index, n_chunks)
    lines_backend = choose_backend(dense_index, n_lines)
    dense = BACKENDS[backend](encoder.dim)
    dense.add(vectors[:n_chunks])
    lines = BACKENDS[lines_backend](encoder.dim)
    lines.add(vectors[n_chunks : n_chunks + n_lines])
    sentence_vectors = np.ascontiguousarray(vectors[n_chunks + n_lines :], dtype=np.float32)
    lexical = LexicalIndex.build([c.embed_text for c in chunks])

    with _locked(index_dir):
        generation = f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{time.time_ns() % 10**6}"
        tmp = index_dir / f".{generation}.tmp"
        tmp.mkdir(parents=True)
        ext, lines_ext = FILE_SUFFIX[backend], FILE_SUFFIX[lines_backend]
        dense.save(tmp / f"dense{ext}")
        lines.save(tmp / f"lines{lines_ext}")
        embedded.cache.save(tmp)
        for name, array in (
            ("lines_owner.npy", line_owner),
            ("sentences.npy", sentence_vectors),
            ("sentence_spans.npy", sentence_spans),
        ):
            with open(tmp / name, "wb") as f:
                np.save(f, array, allow_pickle=False)
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in chunks:
                f.write(json.dumps(dataclasses.asdict(c), ensure_ascii=False) + "\n")
        lexical.save(tmp / "bm25")
        files_meta = {
            str(p.relative_to(tmp)): {"sha256": _sha256(p), "size": p.stat().st_size}
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        os.rename(tmp, index_dir / generation)
        meta = {
            "format_version": FORMAT_VERSION,
            "package_version": __version__,
            "model": {"id": encoder.id, "fingerprint": encoder.fingerprint, "dim": encoder.dim},
            "chunker_version": CHUNKER_VERSION,
            "dense_index_requested": dense_index,
            "dense_backend": backend,
            "lines_backend": lines_backend,
            "dense_file": f"dense{ext}",
            "lines_file": f"lines{lines_ext}",
            "line_count": n_lines,
            "sentence_count": len(sentence_spans),
            "corpus": {
                "hash": corpus_hash(files),
                "files": [f.name for f in files],
            },
            "count": len(chunks),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - t0, 3),
            "embeddings": {
                "distinct_texts": len(embedded.cache),
                "embedded": embedded.embedded,
                "from_cache": len(embedded.cache) - embedded.embedded,
                "seconds": round(embed_seconds, 3),
            },
            "generation": generation,
            "files": files_meta,
        }
        _write_json_atomic(index_dir / "meta.json", meta)
        for old in index_dir.iterdir():
            if old.is_dir() and old.name.startswith(("gen-", ".gen-")) and old.name != generation:
                shutil.rmtree(old, ignore_errors=True)
    return Built(
        tuple(chunks), dense, lines, line_owner, sentence_vectors, sentence_spans, lexical, meta
    )


def _read_meta(index_dir: Path) -> dict:
    path = index_dir / "meta.json"
    if not path.exists():
        raise IndexStale(f"pas d'index dans {index_dir}")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexStale(f"meta.json illisible ({exc.__class__.__name__})") from None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        found = meta.get("format_version") if isinstance(meta, dict) else None
        raise IndexStale(f"format d'index {found!r}, attendu {FORMAT_VERSION}")
    return meta


def default_dense_index() -> str:
    return os.environ.get("ASSISTANT_DENSE_INDEX") or "auto"


def load_index(*, corpus: Path, index_dir: Path, encoder, backend: str | None = None) -> Built:
    """Load and check the persisted index; :class:`IndexStale` says why it can't be used.

    ``backend`` other than ``auto`` must be the index's dense type (else it is stale).
    """
    meta = _read_meta(index_dir)
    dense_index = backend or default_dense_index()
    try:
        if dense_index != "auto" and dense_index != meta["dense_backend"]:
            raise IndexStale(f"type d'index dense changé ({meta['dense_backend']} → {dense_index})")
        model = meta["model"]
        if (model["id"], model["fingerprint"]) != (encoder.id, encoder.fingerprint):
            raise IndexStale(f"modèle changé ({model['id']} → {encoder.id})")
        if model["dim"] != encoder.dim:
            raise IndexStale(f"dimension changée ({model['dim']} → {encoder.dim})")
        if meta["chunker_version"] != CHUNKER_VERSION:
            raise IndexStale("découpage en passages changé")
        if meta["corpus"]["hash"] != corpus_hash(corpus_files(corpus)):
            raise IndexStale("corpus modifié")
        folder = index_dir / meta["generation"]
        for name, info in meta["files"].items():
            path = folder / name
            if not path.is_file():
                raise IndexStale(f"fichier manquant : {name}")
            if path.stat().st_size != info["size"] or _sha256(path) != info["sha256"]:
                raise IndexStale(f"fichier endommagé : {name}")
        count = int(meta["count"])
        with open(folder / "chunks.jsonl", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        chunks = tuple(Chunk(**{**r, "ministers": tuple(r["ministers"])}) for r in rows)
        dense = BACKENDS[meta["dense_backend"]].load(folder / meta["dense_file"], dim=encoder.dim)
        lines_backend = BACKENDS[meta.get("lines_backend", meta["dense_backend"])]
        lines = lines_backend.load(folder / meta["lines_file"], dim=encoder.dim)
        line_owner = np.load(folder / "lines_owner.npy", allow_pickle=False)
        lexical = LexicalIndex.load(folder / "bm25", count=count)
        if lines.count != len(line_owner) or (len(line_owner) and line_owner.max() >= count):
            raise IndexStale("index incohérent (vecteurs de lignes)")
        sentence_vectors = np.load(folder / "sentences.npy", allow_pickle=False)
        sentence_spans = np.load(folder / "sentence_spans.npy", allow_pickle=False)
        if sentence_vectors.shape != (len(sentence_spans), encoder.dim) or (
            len(sentence_spans) and sentence_spans[:, 0].max() >= count
        ):
            raise IndexStale("index incohérent (vecteurs de phrases)")
        if "embed_keys.npy" in meta["files"]:
            keys = np.load(folder / "embed_keys.npy", mmap_mode="r", allow_pickle=False)
            cached = np.load(folder / VECTORS_FILE, mmap_mode="r", allow_pickle=False)
            if keys.shape[0] != cached.shape[0] or cached.shape[1:] != (encoder.dim,):
                raise IndexStale("index incohérent (cache d'embeddings)")
    except IndexStale:
        raise
    except (KeyError, TypeError, ValueError, RuntimeError, OSError) as exc:
        raise IndexStale(f"index illisible ({exc.__class__.__name__}: {exc})") from None
    if not (len(chunks) == dense.count == count):
        raise IndexStale(f"index incohérent ({len(chunks)} passages, {dense.count} vecteurs)")
    return Built(chunks, dense, lines, line_owner, sentence_vectors, sentence_spans, lexical, meta)
