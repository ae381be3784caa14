"""Rank fusion by hand."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.search.fusion import ranking, rrf


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
