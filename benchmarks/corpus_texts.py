"""Benchmark inputs: the real index's texts, and synthetic corpora built from them.

* :func:`index_texts`: the distinct texts the index embeds (passages, lines,
  sentences, with their heading paths), in index order.
* :func:`index_vectors`: their vectors by the real model, from the built ``index/``.
* :func:`synthetic_passages`: BM25 input, ``n`` passages of analysed terms, each
  3 to 12 real sentences of the corpus recombined at random (seeded).
* :func:`unit_vectors`: ``n`` dense vectors, the real ones first, then random
  unit vectors of the same dimension (``kind="random"``, as the issue asks), or
  real vectors plus Gaussian noise renormalised (``kind="clustered"``, cosine
  about 0.8 to their seed: a harder, more realistic case for approximate search).

Non-goals: realistic term statistics beyond the corpus's own vocabulary.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["index_texts", "index_vectors", "synthetic_passages", "unit_vectors"]


@cache
def _chunks():
    from assistant.documents.corpus import corpus_files
    from assistant.indexing.build import chunks_from

    return tuple(chunks_from(corpus_files(ROOT / "corpus"), print))


def index_texts() -> list[str]:
    from assistant.indexing.build import embedding_texts

    texts, _, _ = embedding_texts(list(_chunks()))
    return list(dict.fromkeys(texts))


def index_vectors():
    """(vectors of :func:`index_texts` by the real model, from index/ built if needed; encoder)."""
    import json

    from assistant import Assistant
    from assistant.indexing.embedcache import VECTORS_FILE

    a = Assistant.load()  # loads or builds index/ with the default model
    index_dir = ROOT / "index"
    meta = json.loads((index_dir / "meta.json").read_text())
    return np.load(index_dir / meta["generation"] / VECTORS_FILE, allow_pickle=False), a.encoder


def synthetic_passages(n: int, *, seed: int = 0) -> list[list[str]]:
    from assistant.text.analyzer import tokenize
    from assistant.text.sentences import split_sentences

    sentences = [
        tokenize(c.text[s.start : s.end]) for c in _chunks() for s in split_sentences(c.text)
    ]
    sentences = [s for s in sentences if s]
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 13, size=n)
    picks = rng.integers(0, len(sentences), size=int(sizes.sum()))
    out, pos = [], 0
    for size in sizes:
        out.append([t for i in picks[pos : pos + size] for t in sentences[i]])
        pos += size
    return out


def unit_vectors(
    n: int, *, seed_vectors: np.ndarray, kind: str = "random", seed: int = 0
) -> np.ndarray:
    """(n, dim) float32 unit rows: ``seed_vectors`` first, then synthetic ones."""
    rng = np.random.default_rng(seed)
    real = np.asarray(seed_vectors, dtype=np.float32)[:n]
    rest = n - len(real)
    dim = real.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    out[: len(real)] = real
    block = 100_000
    for start in range(0, rest, block):
        m = min(block, rest - start)
        if kind == "random":
            v = rng.standard_normal((m, dim), dtype=np.float32)
        elif kind == "clustered":
            base = real[rng.integers(0, len(real), size=m)]
            v = base + rng.standard_normal((m, dim), dtype=np.float32) * (0.75 / np.sqrt(dim))
        else:
            raise ValueError(f"kind {kind!r}: choose random or clustered")
        out[len(real) + start : len(real) + start + m] = v / np.linalg.norm(v, axis=1)[:, None]
    return out
