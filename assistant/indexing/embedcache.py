"""Embeddings by content hash: a rebuild embeds only the texts it has not seen.

Every text the index embeds (a passage, a line, a sentence, each with its
heading path) is keyed by the sha256 of its UTF-8 bytes. The index keeps the
vectors of its distinct texts next to their keys (``embed_keys.npy``,
``embed_vectors.npy`` in the generation folder, checksummed like every other
file). A build looks every text up in the previous generation's cache and sends
only the missing ones to the encoder: adding a document to the corpus embeds
that document's new texts, and re-indexing an unchanged corpus embeds nothing.

The cache is only valid for the model that filled it: :mod:`assistant.indexing.store`
uses it only when the previous index's model id, weight fingerprint and
dimension are the current encoder's. The prompt (``passage: ``) is the
encoder's and fixed per model, so it is not part of the key.

Non-goals: keeping vectors of texts that left the corpus (the cache is exactly
the current index's texts, so it never grows beyond it), sharing a cache
between index folders.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["EmbeddingCache", "Embedded", "embed_texts", "text_key", "KEYS_FILE", "VECTORS_FILE"]

KEYS_FILE = "embed_keys.npy"
VECTORS_FILE = "embed_vectors.npy"
_KEY_BYTES = 32  # sha256


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class EmbeddingCache:
    """Vectors of distinct texts, by content hash."""

    keys: np.ndarray  # (n, 32) uint8: sha256 of each text
    vectors: np.ndarray  # (n, dim) float32, unit rows

    @classmethod
    def empty(cls, dim: int) -> EmbeddingCache:
        return cls(np.zeros((0, _KEY_BYTES), np.uint8), np.zeros((0, dim), np.float32))

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self) -> dict[bytes, int]:
        """Row of each key."""
        return {k.tobytes(): i for i, k in enumerate(self.keys)}

    def save(self, folder: Path) -> None:
        for name, array in ((KEYS_FILE, self.keys), (VECTORS_FILE, self.vectors)):
            with open(folder / name, "wb") as f:
                np.save(f, array, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, *, dim: int) -> EmbeddingCache:
        keys = np.load(folder / KEYS_FILE, allow_pickle=False)
        vectors = np.load(folder / VECTORS_FILE, allow_pickle=False)
        if (
            keys.dtype != np.uint8
            or keys.shape != (len(keys), _KEY_BYTES)
            or vectors.shape != (len(keys), dim)
        ):
            raise ValueError(
                f"cache d'embeddings de formes {keys.shape} et {vectors.shape}, "
                f"attendu (n, {_KEY_BYTES}) et (n, {dim})"
            )
        return cls(keys, np.asarray(vectors, dtype=np.float32))


@dataclass(frozen=True)
class Embedded:
    vectors: np.ndarray  # (len(texts), dim) float32, in the order of the texts
    cache: EmbeddingCache  # the distinct texts' vectors, for the next build
    embedded: int  # how many texts the encoder was asked for (0: all from the cache)


def embed_texts(
    texts: list[str], *, encoder, cache: EmbeddingCache, progress: bool = False
) -> Embedded:
    """Vectors of ``texts``: from ``cache`` when known, from the encoder otherwise.

    Each distinct text is embedded at most once, and only if the cache lacks it.
    """
    unique = list(dict.fromkeys(texts))
    keys = [text_key(t) for t in unique]
    known = cache.lookup()
    vectors = np.empty((len(unique), encoder.dim), dtype=np.float32)
    missing = []
    for i, key in enumerate(keys):
        row = known.get(key)
        if row is None:
            missing.append(i)
        else:
            vectors[i] = cache.vectors[row]
    if missing:
        new = encoder.encode_passages([unique[i] for i in missing], progress=progress)
        vectors[missing] = np.asarray(new, dtype=np.float32).reshape(len(missing), encoder.dim)
    where = {t: i for i, t in enumerate(unique)}
    key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), _KEY_BYTES)
    return Embedded(
        vectors=vectors[[where[t] for t in texts]].reshape(len(texts), encoder.dim),
        cache=EmbeddingCache(key_array.copy(), vectors),
        embedded=len(missing),
    )
