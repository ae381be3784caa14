"""Rank fusion by hand."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.search.fusion import dense_mix, hybrid, ranking, rrf, zscore


def test_rrf_by_hand():
    # row 7 is 1st and 2nd: 1/61 + 1/62; row 3 is 2nd and 1st: the same; row 9 only 3rd once.
    fused = rrf([[7, 3, 9], [3, 7]])
    assert fused[7] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[3] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[9] == pytest.approx(1 / 63)
    assert rrf([[1], [2]], weights=[2.0, 1.0]) == pytest.approx({1: 2 / 61, 2: 1 / 61})


def test_ranking_stable_and_positive_only():
    scores = np.array([0.0, 2.0, 1.0, 2.0], dtype=np.float32)
    assert ranking(scores) == [1, 3, 2, 0]
    assert ranking(scores, positive_only=True) == [1, 3, 2]


def test_zscore_by_hand():
    # [1, 2, 3]: mean 2, population std sqrt(2/3), so z = [-sqrt(3/2), 0, sqrt(3/2)]
    z = np.sqrt(1.5)
    assert zscore([np.array([1.0, 2.0, 3.0])], [1.0]) == pytest.approx([-z, 0.0, z])
    # a second column, weight 0.5, reversed; a constant column counts 0
    cols = [np.array([1.0, 2.0, 3.0]), np.array([30.0, 20.0, 10.0]), np.array([5.0, 5.0, 5.0])]
    assert zscore(cols, [1.0, 0.5, 9.0]) == pytest.approx([-0.5 * z, 0.0, 0.5 * z])
    with pytest.raises(ValueError, match="1 weights for 2 score columns"):
        zscore(cols[:2], [1.0])


NAN = float("nan")


def test_hybrid_mix_by_hand():
    passage = np.array([0.8, 0.5, NAN])  # row 2: found by BM25 only
    line = np.array([0.6, NAN, 0.1])  # row 1: no line scored
    # row 0: 0.5 × 0.8 + 0.5 × 0.6 = 0.7; row 1: its passage alone, 0.5;
    # row 2: the pool's lowest passage cosine (0.5) mixed with its line: 0.5 × 0.5 + 0.5 × 0.1
    assert dense_mix(passage, line, line_weight=0.5) == pytest.approx([0.7, 0.5, 0.3])
    assert dense_mix(passage, line, line_weight=0.0) == pytest.approx([0.8, 0.5, 0.5])
    # z of the dense mix [0.7, 0.5, 0.3] is [z, 0, -z]; of BM25 [0, 2, 4], [-z, 0, z]
    z = np.sqrt(1.5)
    fused = hybrid(passage, line, np.array([0.0, 2.0, 4.0]), line_weight=0.5, dense_weight=0.75)
    assert fused == pytest.approx([0.75 * z - 0.25 * z, 0.0, -0.75 * z + 0.25 * z])
    # BM25 outweighs the dense mix at dense_weight 0.25: row 2 comes first
    fused = hybrid(passage, line, np.array([0.0, 2.0, 4.0]), line_weight=0.5, dense_weight=0.25)
    assert ranking(fused) == [2, 1, 0]
