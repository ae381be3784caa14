"""Dense backends against the NumPy oracle."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.indexing.dense import BACKENDS, FaissFlatIndex, NumpyIndex


def _unit(rng, n, dim):
    m = rng.standard_normal((n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_hand_checkable_inner_product():
    index = FaissFlatIndex(2)
    index.add(np.array([[1, 0], [0, 1], [0.6, 0.8]], dtype=np.float32))
    scores, rows = index.search(np.array([[1, 0]], dtype=np.float32), 3)
    assert rows[0].tolist() == [0, 2, 1]
    assert scores[0].tolist() == pytest.approx([1.0, 0.6, 0.0])


@pytest.mark.parametrize("k", [1, 5, 50, 500])
def test_faiss_matches_numpy_oracle(k):
    rng = np.random.default_rng(0)
    data, queries = _unit(rng, 300, 32), _unit(rng, 20, 32)
    oracle, faiss_index = NumpyIndex(32), FaissFlatIndex(32)
    oracle.add(data)
    faiss_index.add(data)
    s1, r1 = oracle.search(queries, k)
    s2, r2 = faiss_index.search(queries, k)
    assert r1.shape == r2.shape == (20, min(k, 300))
    assert (r1 == r2).all()
    assert s1 == pytest.approx(s2, abs=1e-5)


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_save_load_round_trip(tmp_path, name):
    rng = np.random.default_rng(1)
    data = _unit(rng, 40, 8)
    index = BACKENDS[name](8)
    index.add(data)
    index.save(tmp_path / "dense")
    loaded = BACKENDS[name].load(tmp_path / "dense", dim=8)
    assert loaded.count == 40
    assert (loaded.search(data[:3], 5)[1] == index.search(data[:3], 5)[1]).all()


def test_wrong_dimension_is_refused():
    with pytest.raises(ValueError, match=r"expected \(n, 4\)"):
        NumpyIndex(4).add(np.zeros((2, 3), dtype=np.float32))
