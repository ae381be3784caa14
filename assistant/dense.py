"""Dense vector search behind one small interface, with two backends.

Vectors are L2-normalised, so the inner product equals the cosine similarity.
``FaissFlatIndex`` (FAISS ``IndexFlatIP``, exact) is the default; ``NumpyIndex``
is brute force in NumPy and serves as the oracle the FAISS backend is tested
against: same ids for the same queries.

Non-goals: approximate indexes (HNSW, IVF) and filtering.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

__all__ = ["DenseIndex", "FaissFlatIndex", "NumpyIndex", "BACKENDS"]


def _as_matrix(vectors: np.ndarray, dim: int | None = None) -> np.ndarray:
    m = np.ascontiguousarray(vectors, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    if m.ndim != 2 or (dim is not None and m.shape[1] != dim):
        want = f"(n, {dim})" if dim else "(n, dim)"
        raise ValueError(f"vectors of shape {vectors.shape}, expected {want}")
    return m


class DenseIndex(ABC):
    """Exact inner-product search over rows 0..count-1."""

    name: str
    dim: int

    @abstractmethod
    def add(self, vectors: np.ndarray) -> None: ...

    @abstractmethod
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows), each of shape (n_queries, min(k, count)), best first."""

    @property
    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def save(self, path: Path) -> None: ...

    @classmethod
    @abstractmethod
    def load(cls, path: Path, *, dim: int) -> DenseIndex: ...


class NumpyIndex(DenseIndex):
    name = "numpy"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._m = np.zeros((0, dim), dtype=np.float32)  # (count, dim)

    def add(self, vectors: np.ndarray) -> None:
        self._m = np.vstack([self._m, _as_matrix(vectors, self.dim)])

    @property
    def count(self) -> int:
        return self._m.shape[0]

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = _as_matrix(queries, self.dim)
        k = min(k, self.count)
        sims = q @ self._m.T  # (n_queries, count); cosine on unit vectors
        rows = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(sims, rows, axis=1), rows

    def save(self, path: Path) -> None:
        with open(path, "wb") as f:
            np.save(f, self._m, allow_pickle=False)

    @classmethod
    def load(cls, path: Path, *, dim: int) -> NumpyIndex:
        m = np.load(path, allow_pickle=False)
        index = cls(dim)
        index.add(m)
        return index


class FaissFlatIndex(DenseIndex):
    name = "faiss-flat"

    def __init__(self, dim: int, *, _index=None) -> None:
        import faiss

        self.dim = dim
        self._index = _index if _index is not None else faiss.IndexFlatIP(dim)

    def add(self, vectors: np.ndarray) -> None:
        self._index.add(_as_matrix(vectors, self.dim))

    @property
    def count(self) -> int:
        return int(self._index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.count)
        if k == 0:
            n = _as_matrix(queries, self.dim).shape[0]
            return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
        scores, rows = self._index.search(_as_matrix(queries, self.dim), k)
        return scores, rows

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, *, dim: int) -> FaissFlatIndex:
        import faiss

        index = faiss.read_index(str(path))
        if index.d != dim:
            raise ValueError(f"FAISS index has dimension {index.d}, expected {dim}")
        return cls(dim, _index=index)


BACKENDS: dict[str, type[DenseIndex]] = {"faiss-flat": FaissFlatIndex, "numpy": NumpyIndex}
