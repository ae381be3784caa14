"""Dense vector search behind one small interface, with three backends.

Vectors are L2-normalised, so the inner product equals the cosine similarity.
``FaissFlatIndex`` (FAISS ``IndexFlatIP``, exact) serves small and medium
indexes; ``FaissHNSWIndex`` (FAISS ``IndexHNSWFlat``, approximate, inner
product) serves large ones; ``NumpyIndex`` is brute force in NumPy and serves
as the oracle the FAISS backends are tested against. :func:`choose_backend`
picks one by size: exact search while it is fast enough, HNSW beyond
(thresholds and HNSW parameters from ``benchmarks/scale.py``, see
``benchmarks/README.md``).

Non-goals: IVF or product quantisation (HNSW reaches the recall target at
1 M vectors within memory on one machine), filtering, deletions.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

__all__ = [
    "DenseIndex",
    "FaissFlatIndex",
    "FaissHNSWIndex",
    "NumpyIndex",
    "BACKENDS",
    "choose_backend",
    "FLAT_MAX",
]

# Exact search up to this many vectors, HNSW beyond (benchmarks/scale.py on 2 busy cores:
# flat p50 0.25 ms at 10 k vectors but 71 ms at 100 k, HNSW under 0.2 ms at both with
# recall@10 >= 0.99; 20 k keeps exact search within a few milliseconds).
FLAT_MAX = 20_000
# HNSW graph degree, construction and search beam (benchmarks/scale.py, benchmarks/README.md).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
# FAISS searches with one OpenMP thread: a query at a time gains nothing from more, and on a
# busy machine OpenMP's waiting makes a 100 k flat search 3-4x slower with two threads
# (benchmarks/README.md, "Dense search threads"). Building (HNSW ``add``) uses every core.
SEARCH_THREADS = 1


def _as_matrix(vectors: np.ndarray, dim: int | None = None) -> np.ndarray:
    m = np.ascontiguousarray(vectors, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    if m.ndim != 2 or (dim is not None and m.shape[1] != dim):
        want = f"(n, {dim})" if dim else "(n, dim)"
        raise ValueError(f"vecteurs de forme {vectors.shape}, attendu {want}")
    return m


class DenseIndex(ABC):
    """Inner-product search over rows 0..count-1 (exact, except ``faiss-hnsw``)."""

    name: str
    dim: int

    @abstractmethod
    def add(self, vectors: np.ndarray) -> None: ...

    @abstractmethod
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows), each of shape (n_queries, min(k, count)), best first.

        An approximate backend may find fewer than ``k`` rows: those are -1 with score -inf.
        """

    @property
    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows``, shape (len(rows), dim)."""

    def scores_of(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact inner products of one query with the vectors of ``rows`` (any backend)."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return np.zeros(0, np.float32)
        return self.vectors(rows) @ _as_matrix(query, self.dim)[0]

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

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return self._m[rows]

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

    def vectors(self, rows: np.ndarray) -> np.ndarray:  # flat and HNSW both keep the vectors
        return self._index.reconstruct_batch(np.asarray(rows, dtype=np.int64))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.count)
        if k == 0:
            n = _as_matrix(queries, self.dim).shape[0]
            return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
        with _omp_threads(SEARCH_THREADS):
            scores, rows = self._index.search(_as_matrix(queries, self.dim), k)
        return scores, rows

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, *, dim: int) -> FaissFlatIndex:
        index = _read_faiss(path, dim)
        if hasattr(index, "hnsw"):
            raise ValueError(f"{path.name} est un index HNSW, pas un index exact (flat)")
        return cls(dim, _index=index)


@contextlib.contextmanager
def _omp_threads(n: int):
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _read_faiss(path: Path, dim: int):
    import faiss

    index = faiss.read_index(str(path))
    if index.d != dim:
        raise ValueError(f"index FAISS de dimension {index.d}, attendu {dim}")
    return index


class FaissHNSWIndex(FaissFlatIndex):
    """FAISS ``IndexHNSWFlat`` with inner product: approximate, sub-linear search."""

    name = "faiss-hnsw"

    def __init__(
        self,
        dim: int,
        *,
        m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        ef_search: int = HNSW_EF_SEARCH,
        _index=None,
    ) -> None:
        import faiss

        if _index is None:
            _index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
            _index.hnsw.efConstruction = ef_construction
            _index.hnsw.efSearch = ef_search
        super().__init__(dim, _index=_index)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores, rows = super().search(queries, k)
        return np.where(rows < 0, -np.inf, scores).astype(np.float32), rows

    @property
    def ef_search(self) -> int:
        return int(self._index.hnsw.efSearch)

    @classmethod
    def load(cls, path: Path, *, dim: int) -> FaissHNSWIndex:
        index = _read_faiss(path, dim)
        if not hasattr(index, "hnsw"):
            raise ValueError(f"{path.name} n'est pas un index HNSW")
        return cls(dim, _index=index)


BACKENDS: dict[str, type[DenseIndex]] = {
    "faiss-flat": FaissFlatIndex,
    "faiss-hnsw": FaissHNSWIndex,
    "numpy": NumpyIndex,
}
FILE_SUFFIX = {"faiss-flat": ".faiss", "faiss-hnsw": ".faiss", "numpy": ".npy"}
CHOICES = ("auto", *BACKENDS)


def choose_backend(requested: str, count: int) -> str:
    """The backend for ``count`` vectors: ``requested``, or by size when it is ``auto``."""
    if requested == "auto":
        return "faiss-flat" if count <= FLAT_MAX else "faiss-hnsw"
    if requested not in BACKENDS:
        raise ValueError(
            f"type d'index dense {requested!r} inconnu : choisissez parmi {', '.join(CHOICES)}"
        )
    return requested
