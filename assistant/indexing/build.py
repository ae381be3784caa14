"""Build the search index: parse, chunk, embed, index, then hand it to the store.

:func:`build_index` reads every document of the corpus, cuts it into chunks, embeds
each passage, each line and each sentence (only the texts the previous generation's
embedding cache lacks: adding a document embeds only its new texts, rebuilding an
unchanged corpus embeds nothing; the new vectors are saved as they come, so that an
interrupted build is resumed by the next one), encodes every distinct word of the chunks
as a query for the grounding (:mod:`assistant.indexing.words`, through the same cache),
annotates every sentence with spaCy
(entities, lemma stems, answer types: :mod:`assistant.indexing.annotate`; only the
sentences the previous generation lacks), builds the dense indexes (exact flat or HNSW by
size unless asked for) and the BM25 index, and lets :mod:`assistant.indexing.store`
write them as a new generation.

Non-goals: the files on disk, ``meta.json`` and the checks on load
(:mod:`assistant.indexing.store`); updating FAISS or BM25 in place (they are rebuilt
from the cached vectors, far cheaper than embedding: see ``benchmarks/scale.py``).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

from .._version import __version__
from ..documents.corpus import corpus_files, corpus_hash, read_documents
from ..errors import CorpusError
from ..text.sentences import split_sentences
from .annotate import Annotator, annotate_sentences
from .chunking import CHUNKER_VERSION, Chunk, chunk_document, chunk_lines
from .dense import BACKENDS, FILE_SUFFIX, choose_backend
from .embedcache import Embedded, Pending, embed_texts
from .lexical import ANALYZER_VERSION, LexicalIndex
from .store import (
    Built,
    default_dense_index,
    previous_annotations,
    previous_embeddings,
    write_index,
)
from .word_sides import WORD_SIDES_VERSION, word_sides
from .words import KEY_PREFIX, AsQueries, WordTable, corpus_words

__all__ = ["build_index", "chunks_from", "embedding_texts"]


def chunks_from(files: list[Path], warn) -> list[Chunk]:
    """The chunks of every readable document among ``files`` (CorpusError when none)."""
    chunks = [c for _, doc in read_documents(files, warn=warn) for c in chunk_document(doc)]
    if not chunks:
        names = ", ".join(f.name for f in files) or "aucun fichier .txt"
        raise CorpusError(f"Aucune question écrite lisible dans le corpus ({names}).")
    return chunks


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
    annotate: bool = True,
    annotator: Annotator | None = None,
) -> Built:
    """Parse, chunk, embed and index ``corpus``; persist it atomically into ``index_dir``.

    ``backend``: ``auto`` (default, or ``ASSISTANT_DENSE_INDEX``): exact flat search
    up to :data:`assistant.indexing.dense.FLAT_MAX` vectors, HNSW beyond; or one of ``BACKENDS``.
    Only texts missing from the previous generation's embedding cache are embedded, and
    only sentences missing from its annotations go to spaCy (``annotator``, a fresh
    :class:`Annotator` by default; ``annotate=False``: no annotations, for benchmarks).
    """
    dense_index = backend or default_dense_index()
    choose_backend(dense_index, 0)  # fail fast on an unknown name
    started = time.perf_counter()
    files = corpus_files(corpus)
    chunks = chunks_from(files, warn)
    texts, line_owner, sentence_spans = embedding_texts(chunks)
    # Each distinct text is embedded once (a one-sentence line is also a sentence), and
    # only if the previous build did not embed it already.
    t_embed = time.perf_counter()
    cache = previous_embeddings(index_dir, encoder=encoder, warn=warn)
    pending = Pending(index_dir, encoder=encoder)  # what an interrupted build had encoded
    cache = cache.merged(pending.load())
    embedded = embed_texts(
        texts, encoder=encoder, cache=cache, progress=progress, on_batch=pending.append
    )
    # then every candidate word, as a query (the grounding's neighbours: indexing.words)
    words = corpus_words([c.text for c in chunks] + [c.section_label for c in chunks])
    encoded_words = embed_texts(
        [KEY_PREFIX + w for w in words],
        encoder=AsQueries(encoder),
        cache=cache,
        progress=progress,
        on_batch=pending.append,
    )
    embed_seconds = time.perf_counter() - t_embed
    built = _indexes(
        chunks, embedded, line_owner, sentence_spans, dense_index=dense_index, dim=encoder.dim
    )
    table = WordTable.of(words, encoded_words.vectors)
    # which language's passages hold each word, and its hubness (the cross-lingual terms)
    table = WordTable.of(words, table.vectors, sides=word_sides(chunks, table))
    built = dataclasses.replace(built, words=table)
    described = None
    if annotate:
        annotator = annotator or Annotator()
        t_annotate = time.perf_counter()
        items = [
            (chunks[row].text[start:end], chunks[row].doc_language or "fr")
            for row, start, end in sentence_spans.tolist()
        ]
        annotations, keys = annotate_sentences(
            items, cache=previous_annotations(index_dir, warn=warn), annotator=annotator
        )
        built = dataclasses.replace(
            built, annotations=tuple(annotations), annotation_keys=tuple(keys)
        )
        described = {
            "annotated": annotator.calls,
            "from_cache": len(items) - annotator.calls,
            "models": sorted({a.model for a in annotations}),
            "spacy_load_seconds": round(annotator.load_seconds, 3),
            "seconds": round(time.perf_counter() - t_annotate, 3),
        }
    meta = _description(
        built,
        dense_index=dense_index,
        files=files,
        encoder=encoder,
        embedded=embedded,
        embed_seconds=embed_seconds,
    )
    meta["annotations"] = described
    meta["words"] = {"distinct": len(words), "embedded": encoded_words.embedded}
    built = write_index(index_dir, built=built, cache=embedded.cache, meta=meta, started=started)
    pending.clear()  # committed in the generation's own cache
    return built


def _indexes(
    chunks: list[Chunk],
    embedded: Embedded,
    line_owner: np.ndarray,
    sentence_spans: np.ndarray,
    *,
    dense_index: str,
    dim: int,
) -> Built:
    """The dense, line and BM25 indexes over the embedded texts (``meta`` still empty)."""
    vectors = embedded.vectors  # chunks, then lines, then sentences (see embedding_texts)
    n_chunks, n_lines = len(chunks), len(line_owner)
    dense = BACKENDS[choose_backend(dense_index, n_chunks)](dim)
    dense.add(vectors[:n_chunks])
    lines = BACKENDS[choose_backend(dense_index, n_lines)](dim)
    lines.add(vectors[n_chunks : n_chunks + n_lines])
    sentence_vectors = np.ascontiguousarray(vectors[n_chunks + n_lines :], dtype=np.float32)
    lexical = LexicalIndex.build(
        [c.embed_text for c in chunks], languages=[c.doc_language or "fr" for c in chunks]
    )
    return Built(
        tuple(chunks), dense, lines, line_owner, sentence_vectors, sentence_spans, lexical, {}
    )


def _description(
    built: Built,
    *,
    dense_index: str,
    files: list[Path],
    encoder,
    embedded: Embedded,
    embed_seconds: float,
) -> dict:
    """What ``meta.json`` says of the build (the store adds the time, generation and files)."""
    backend, lines_backend = built.dense.name, built.lines.name
    return {
        "package_version": __version__,
        "model": {"id": encoder.id, "fingerprint": encoder.fingerprint, "dim": encoder.dim},
        "chunker_version": CHUNKER_VERSION,
        "analyzer_version": ANALYZER_VERSION,
        "word_sides_version": WORD_SIDES_VERSION,
        "dense_index_requested": dense_index,
        "dense_backend": backend,
        "lines_backend": lines_backend,
        "dense_file": f"dense{FILE_SUFFIX[backend]}",
        "lines_file": f"lines{FILE_SUFFIX[lines_backend]}",
        "line_count": len(built.line_owner),
        "sentence_count": len(built.sentence_spans),
        "corpus": {"hash": corpus_hash(files), "files": [f.name for f in files]},
        "count": len(built.chunks),
        "embeddings": {
            "distinct_texts": len(embedded.cache),
            "embedded": embedded.embedded,
            "from_cache": len(embedded.cache) - embedded.embedded,
            "seconds": round(embed_seconds, 3),
        },
    }
