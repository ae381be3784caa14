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

A build also saves its new vectors as it goes (:class:`Pending`: one small file per
batch of :data:`SAVE_EVERY` texts, each written whole or not at all, in
``index/.pending-embeddings/``), so that a build interrupted mid-encoding (killed,
a full disk) is resumed by the next one, which encodes only what was still missing;
a committed build deletes them.

Non-goals: keeping vectors of texts that left the corpus (the cache is exactly
the current index's texts, so it never grows beyond it), sharing a cache
between index folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "EmbeddingCache",
    "Embedded",
    "Pending",
    "embed_texts",
    "keys_of",
    "text_key",
    "KEYS_FILE",
    "VECTORS_FILE",
    "PENDING_DIR",
    "SAVE_EVERY",
]

KEYS_FILE = "embed_keys.npy"
VECTORS_FILE = "embed_vectors.npy"
PENDING_DIR = ".pending-embeddings"  # in the index folder, until a build commits
SAVE_EVERY = 128  # texts encoded between two saves of an unfinished build
_KEY_BYTES = 32  # sha256


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def keys_of(texts) -> np.ndarray:
    """The ``(n, 32)`` uint8 keys of ``texts``, in their order."""
    joined = b"".join(text_key(t) for t in texts)
    return np.frombuffer(joined, dtype=np.uint8).reshape(-1, _KEY_BYTES)


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

    def merged(self, other: EmbeddingCache) -> EmbeddingCache:
        """This cache and the rows of ``other`` whose keys it lacks."""
        known = self.lookup()
        new = [i for i, k in enumerate(other.keys) if k.tobytes() not in known]
        if not new:
            return self
        return EmbeddingCache(
            np.concatenate([self.keys, other.keys[new]]),
            np.concatenate([self.vectors, other.vectors[new]]),
        )

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
    texts: list[str],
    *,
    encoder,
    cache: EmbeddingCache,
    progress: bool = False,
    on_batch=None,
) -> Embedded:
    """Vectors of ``texts``: from ``cache`` when known, from the encoder otherwise.

    Each distinct text is embedded at most once, and only if the cache lacks it. With
    ``on_batch``, the missing texts are encoded :data:`SAVE_EVERY` at a time, longest
    first, and ``on_batch(keys, vectors)`` gets each batch as soon as it is encoded.
    """
    unique = list(dict.fromkeys(texts))
    key_array = keys_of(unique)
    known = cache.lookup()
    vectors = np.empty((len(unique), encoder.dim), dtype=np.float32)
    missing = []
    for i, key in enumerate(key_array):
        row = known.get(key.tobytes())
        if row is None:
            missing.append(i)
        else:
            vectors[i] = cache.vectors[row]
    if missing and on_batch is None:
        new = encoder.encode_passages([unique[i] for i in missing], progress=progress)
        vectors[missing] = np.asarray(new, dtype=np.float32).reshape(len(missing), encoder.dim)
    elif missing:
        _encode_in_batches(unique, missing, vectors, key_array, encoder, progress, on_batch)
    where = {t: i for i, t in enumerate(unique)}
    return Embedded(
        vectors=vectors[[where[t] for t in texts]].reshape(len(texts), encoder.dim),
        cache=EmbeddingCache(key_array.copy(), vectors),
        embedded=len(missing),
    )


def _encode_in_batches(unique, missing, vectors, key_array, encoder, progress, on_batch):
    """Fill ``vectors[missing]``, :data:`SAVE_EVERY` texts at a time, each batch handed on."""
    order = sorted(missing, key=lambda i: -len(unique[i]))  # longest first: less padding
    bar = None
    if progress and len(order) > SAVE_EVERY:
        import sys

        from tqdm.auto import tqdm

        bar = tqdm(total=len(order), unit=" textes", desc="Encodage", file=sys.stderr)
    try:
        for start in range(0, len(order), SAVE_EVERY):
            rows = order[start : start + SAVE_EVERY]
            new = encoder.encode_passages([unique[i] for i in rows], progress=False)
            vectors[rows] = np.asarray(new, dtype=np.float32).reshape(len(rows), encoder.dim)
            on_batch(key_array[rows], vectors[rows])
            if bar is not None:
                bar.update(len(rows))
    finally:
        if bar is not None:
            bar.close()


class Pending:
    """The vectors an unfinished build encoded, saved batch by batch in the index folder.

    ``folder/model.json`` names the model; each ``part-*.npz`` holds the keys and
    vectors of one batch, written to a temporary name and renamed (whole or absent).
    Saving is best effort: a batch that cannot be written (a full disk) is skipped,
    and the build goes on.
    """

    def __init__(self, index_dir: Path, *, encoder) -> None:
        self.folder = Path(index_dir) / PENDING_DIR
        self.model = {"id": encoder.id, "fingerprint": encoder.fingerprint, "dim": encoder.dim}
        self.saved = 0  # texts saved by this build
        self._broken = False

    def load(self) -> EmbeddingCache:
        """What earlier unfinished builds of the same model saved (parts that do not read
        back whole are ignored)."""
        dim = self.model["dim"]
        out = EmbeddingCache.empty(dim)
        try:
            if json.loads((self.folder / "model.json").read_text("utf-8")) != self.model:
                return out
        except (OSError, ValueError):
            return out
        for part in sorted(self.folder.glob("part-*.npz")):
            try:
                with np.load(part, allow_pickle=False) as z:
                    keys, vectors = z["keys"], z["vectors"]
                if keys.dtype == np.uint8 and keys.shape == (len(keys), _KEY_BYTES):
                    if vectors.shape == (len(keys), dim):
                        out = out.merged(EmbeddingCache(keys, vectors.astype(np.float32)))
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                continue  # cut short or damaged: those texts are encoded again
        return out

    def append(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        """Save one batch (best effort)."""
        if self._broken:
            return
        try:
            self._write(keys, vectors)
            self.saved += len(keys)
        except OSError:
            self._broken = True  # the build goes on; only a resume would lose these vectors
            shutil.rmtree(self.folder / ".tmp", ignore_errors=True)

    def _write(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        tmp = self.folder / ".tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        model = self.folder / "model.json"
        if not model.exists() or json.loads(model.read_text("utf-8")) != self.model:
            for old in self.folder.glob("part-*.npz"):
                old.unlink()  # another model's vectors
            (tmp / "model.json").write_text(json.dumps(self.model), "utf-8")
            os.replace(tmp / "model.json", model)
        name = f"part-{time.time_ns()}-{os.getpid()}.npz"
        with open(tmp / name, "wb") as f:
            np.savez(f, keys=keys, vectors=np.asarray(vectors, dtype=np.float32))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp / name, self.folder / name)

    def clear(self) -> None:
        """Delete the saved batches (once a build has committed them in its generation)."""
        shutil.rmtree(self.folder, ignore_errors=True)
